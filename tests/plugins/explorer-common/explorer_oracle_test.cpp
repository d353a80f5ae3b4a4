// The heuristics against the oracle: on small random spaces (up to 6 layers,
// 4 tiling options, max_split 2) greedy and anneal with their default keys
// must find the optimum the exhaustive search proves, and the exhaustive
// search must visit exactly the space's points, counted by brute force.
#include "explorers.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <string>

using namespace explorertest;

TEST_CASE("explorers: greedy and anneal reach the exhaustive optimum on 25 random spaces") {
    int feasible = 0, improved_on_seed = 0, fused_optimum = 0;
    for (uint64_t seed = 0; seed < 25; ++seed) {
        CAPTURE(seed);
        const std::vector<LayerSpec> layers = random_layers(seed, 6, 4, 2);
        CAPTURE(layers.size());
        // Six fused layers of 4 options and 2 splits alone are 4^6 * 2^6 = 262144 points, above the default.
        const Outcome oracle = search(exhaustive(), layers, {{"max_points", int64_t{10'000'000}}});
        REQUIRE(oracle.run.status == STREAM_OK);
        REQUIRE(oracle.invalid == 0);
        // Tiny spaces are cheap to count by brute force; larger ones rely on the hand-counted tests.
        if (layers.size() <= 4) CHECK(oracle.distinct == brute_force_point_count(SyntheticSpace(layers)));
        // A boundary the pipeline fixed may force a fusion no tiling makes fit: then nothing is feasible.
        feasible += std::isfinite(oracle.best) ? 1 : 0;

        SyntheticSpace space(layers);
        const double layer_by_layer = SyntheticEvaluator(space).cost(space.seeds()[0]);
        improved_on_seed += oracle.best < layer_by_layer ? 1 : 0;

        // Whether the optimum fuses layers: the search must get the stacks right, not only the splits.
        SyntheticEvaluator costs(space);
        for (const Point& p : oracle.calls)
            if (costs.cost(p) == oracle.best && std::count(p.stack_start.begin(), p.stack_start.end(), 0) > 0) {
                ++fused_optimum;
                break;
            }

        for (const stream_plugin_descriptor* d : {&greedy(), &anneal()}) {
            CAPTURE(d->id);
            const Outcome o = search(*d, layers);
            REQUIRE(o.run.status == STREAM_OK);
            CHECK(o.run.submits == 1);
            CHECK(o.invalid == 0);
            CHECK(o.best == oracle.best);
            CHECK(o.run.summary.find(std::string(d->id) + ": ") == 0);
        }
    }
    // The spaces must make the search work: most optima are not the seed, and many fuse layers.
    CHECK(feasible >= 20);
    CHECK(improved_on_seed >= 15);
    CHECK(fused_optimum >= 10);
}

