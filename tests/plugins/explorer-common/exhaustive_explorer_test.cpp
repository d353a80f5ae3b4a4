// The exhaustive explorer: the exact count of a hand-counted space, one
// evaluation per point, and the refusal of a space above max_points.
#include "explorers.hpp"

#include <doctest/doctest.h>

#include <set>
#include <string>

using namespace explorertest;

namespace {

// Three layers, every boundary free:
//   entry 0: tile counts {1, 2}    (2 options), max_split 2
//   entry 1: tile counts {1, 2, 4} (3 options), max_split 1
//   entry 2: tile count  {1}       (1 option),  max_split 2
// Points per stack partition (tilings count only in stacks of two or more):
//   [0][1][2]   splits 2*1*2                        =  4
//   [0 1][2]    tilings 2*3, splits 2*1, then 2     = 24
//   [0][1 2]    split 2, then tilings 3*1, splits 1*2 = 12
//   [0 1 2]     tilings 2*3*1, splits 2*1*2         = 24
// In all 64 points.
std::vector<LayerSpec> hand_layers() {
    std::vector<LayerSpec> layers(3);
    layers[0].tiles = {1, 2};
    layers[0].max_split = 2;
    layers[1].tiles = {1, 2, 4};
    layers[1].max_split = 1;
    layers[2].tiles = {1};
    layers[2].max_split = 2;
    return layers;
}

} // namespace

TEST_CASE("explorer-exhaustive: visits each of the 64 points of a hand-counted space once") {
    const std::vector<LayerSpec> layers = hand_layers();
    CHECK(brute_force_point_count(SyntheticSpace(layers)) == 64);
    const Outcome o = search(exhaustive(), layers);
    REQUIRE(o.run.status == STREAM_OK);
    CHECK(o.run.submits == 1);
    CHECK(o.invalid == 0);
    // The seed (layer by layer) once, then the 63 other points once each.
    CHECK(o.calls.size() == 64);
    CHECK(std::set<Point>(o.calls.begin(), o.calls.end()).size() == 64);
    CHECK(o.evaluations == 63);
    CHECK(o.run.summary.find("63 evaluations of 64 points visited") != std::string::npos);
}

TEST_CASE("explorer-exhaustive: fixed boundaries leave only their partition") {
    // Entry 1 fused to entry 0, entry 2 starting a stack: only [0 1][2], 24 points (see hand_layers).
    std::vector<LayerSpec> layers = hand_layers();
    layers[1].stack_start_fixed = 0;
    layers[2].stack_start_fixed = 1;
    const Outcome o = search(exhaustive(), layers);
    REQUIRE(o.run.status == STREAM_OK);
    CHECK(o.distinct == 24);
    CHECK(o.invalid == 0);
}

TEST_CASE("explorer-exhaustive: refuses a space above max_points, saying its size") {
    const std::vector<LayerSpec> layers = hand_layers();
    SyntheticSpace space(layers);
    {
        SyntheticEvaluator evaluator(space);
        ExplorerHost host(exhaustive(), {{"max_points", int64_t{63}}});
        const Run run = explore(exhaustive(), host, space, evaluator);
        CHECK(run.status == STREAM_ERROR_UNSUPPORTED);
        CHECK(run.submits == 0);
        CHECK(evaluator.calls().empty());
        CHECK(host.error_text().find("64 points") != std::string::npos);
        CHECK(host.error_text().find("max_points = 63") != std::string::npos);
        CHECK(host.error_text().find("max_split") != std::string::npos);
    }
    {
        SyntheticEvaluator evaluator(space);
        ExplorerHost host(exhaustive(), {{"max_points", int64_t{64}}});
        CHECK(explore(exhaustive(), host, space, evaluator).status == STREAM_OK);
    }
    // 20 layers of 4 options and max_split 4 are far above the default 100000.
    std::vector<LayerSpec> big(20);
    for (LayerSpec& l : big) {
        l.tiles = {1, 2, 4, 8};
        l.max_split = 4;
    }
    const Outcome o = search(exhaustive(), big);
    CHECK(o.run.status == STREAM_ERROR_UNSUPPORTED);
    CHECK(o.calls.empty());
}
