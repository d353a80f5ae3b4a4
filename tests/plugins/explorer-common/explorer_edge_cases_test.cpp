// What every explorer must handle: its self-description, a one-layer space,
// stacks fixed by the pipeline, no split choice, nothing feasible, a better
// user seed, and keys out of range.
#include "explorers.hpp"

#include <doctest/doctest.h>

#include <set>
#include <string>

using namespace explorertest;

namespace {

std::set<std::string> key_names(const stream_plugin_descriptor& d) {
    std::set<std::string> keys;
    for (uint32_t i = 0; i < d.config_key_count; ++i) keys.insert(d.config_keys[i].key);
    return keys;
}

} // namespace

TEST_CASE("explorers: describe themselves") {
    CHECK(std::string(greedy().id) == "greedy");
    CHECK(std::string(anneal().id) == "anneal");
    CHECK(std::string(exhaustive().id) == "exhaustive");
    for (const stream_plugin_descriptor* d : all_explorers()) {
        CAPTURE(d->id);
        CHECK(d->kind == STREAM_KIND_EXPLORER);
        CHECK(d->abi_minor >= 2);
        CHECK(std::string(d->version) == "1.0.0");
        CHECK(static_cast<const stream_explorer_v1*>(d->vtable)->struct_size == sizeof(stream_explorer_v1));
    }
    CHECK(key_names(greedy()) == std::set<std::string>{"max_passes"});
    CHECK(key_names(anneal()) == std::set<std::string>{"steps", "initial_temperature", "final_temperature", "restarts"});
    CHECK(key_names(exhaustive()) == std::set<std::string>{"max_points"});
}

TEST_CASE("explorers: a one-layer space") {
    // One layer is always alone in its stack, so its three tiling options are one
    // point each split count: with max_split 1 the seed is the only point.
    std::vector<LayerSpec> one(1);
    one[0].tiles = {1, 2, 4};
    for (const stream_plugin_descriptor* d : all_explorers()) {
        CAPTURE(d->id);
        const Outcome o = search(*d, one);
        CHECK(o.run.status == STREAM_OK);
        CHECK(o.run.submits == 1);
        CHECK(o.evaluations == 0);
        CHECK(o.calls.size() == 1);
    }
    // With max_split 2 there are two points; splitting wins: macs 1e6 halve
    // (1e6/256 -> 1e6/512, 1953 cycles saved) for 1e5/256 = 391 cycles of transfer.
    one[0].max_split = 2;
    one[0].macs = 1e6;
    for (const stream_plugin_descriptor* d : all_explorers()) {
        CAPTURE(d->id);
        const Outcome o = search(*d, one);
        CHECK(o.run.status == STREAM_OK);
        CHECK(o.evaluations == 1);
        CHECK(o.distinct == 2);
        CHECK(o.invalid == 0);
    }
}

TEST_CASE("explorers: stacks fixed by the pipeline and no split choice") {
    // Boundaries all fixed ([0 1][2 3]) and max_split 1: only the tilings of the
    // two fused stacks are free, 3*3 * 2*2 = 36 points.
    std::vector<LayerSpec> layers(4);
    layers[1].stack_start_fixed = 0;
    layers[2].stack_start_fixed = 1;
    layers[3].stack_start_fixed = 0;
    for (std::size_t i = 0; i < layers.size(); ++i) {
        layers[i].tiles = i < 2 ? std::vector<int64_t>{1, 2, 4} : std::vector<int64_t>{1, 8};
        layers[i].output_bits = 300'000; // tiles 1 overflow the 200000-bit buffer: the seed is infeasible
    }
    const Outcome oracle = search(exhaustive(), layers);
    REQUIRE(oracle.run.status == STREAM_OK);
    CHECK(oracle.distinct == 36);
    for (const stream_plugin_descriptor* d : {&greedy(), &anneal()}) {
        CAPTURE(d->id);
        const Outcome o = search(*d, layers);
        CHECK(o.run.status == STREAM_OK);
        CHECK(o.invalid == 0); // never moves a fixed boundary, never splits
        CHECK(o.best == oracle.best);
        CHECK(o.run.summary.find("no feasible seed") != std::string::npos);
    }
}

TEST_CASE("explorers: every point infeasible") {
    for (const stream_plugin_descriptor* d : all_explorers()) {
        CAPTURE(d->id);
        SyntheticSpace space(random_layers(5, 4, 3, 2));
        SyntheticEvaluator evaluator(space);
        evaluator.infeasible_everywhere = true;
        ExplorerHost host(*d, std::string(d->id) == "anneal" ? std::map<std::string, Value>{{"steps", int64_t{200}}}
                                                              : std::map<std::string, Value>{});
        const Run run = explore(*d, host, space, evaluator);
        CHECK(run.status == STREAM_OK);
        CHECK(run.submits == 1);
        CHECK(run.summary.find("best objective none") != std::string::npos);
        CHECK(evaluator.invalid_calls() == 0);
        CHECK(evaluator.new_evaluations() > 0);
    }
}

TEST_CASE("explorers: start from a better user seed") {
    // The user's mapping is the optimum: each strategy reports it as its seed and ends there.
    const std::vector<LayerSpec> layers = random_layers(3, 6, 4, 2);
    SyntheticSpace probe(layers);
    SyntheticEvaluator oracle_evaluator(probe);
    ExplorerHost oracle_host(exhaustive());
    REQUIRE(explore(exhaustive(), oracle_host, probe, oracle_evaluator).status == STREAM_OK);
    const double optimum = oracle_evaluator.best_objective();
    Point best;
    for (const Point& p : oracle_evaluator.calls())
        if (oracle_evaluator.cost(p) == optimum) best = p;
    REQUIRE(!best.stack_start.empty());
    for (const stream_plugin_descriptor* d : {&greedy(), &anneal()}) {
        CAPTURE(d->id);
        SyntheticSpace space(layers);
        space.add_seed(best);
        SyntheticEvaluator evaluator(space);
        ExplorerHost host(*d);
        const Run run = explore(*d, host, space, evaluator);
        CHECK(run.status == STREAM_OK);
        CHECK(run.summary.find("(seed 'user mapping'") != std::string::npos);
        CHECK(evaluator.best_objective() == optimum);
    }
}

TEST_CASE("explorers: keys out of range are config errors naming the key") {
    struct Bad {
        const stream_plugin_descriptor* d;
        std::string key;
        Value value;
    };
    for (const Bad& b : {Bad{&greedy(), "max_passes", int64_t{0}}, Bad{&anneal(), "steps", int64_t{0}},
                         Bad{&anneal(), "final_temperature", 1.0}, Bad{&anneal(), "initial_temperature", -1.0},
                         Bad{&exhaustive(), "max_points", int64_t{0}}}) {
        CAPTURE(b.key);
        SyntheticSpace space(random_layers(1, 3, 2, 2));
        SyntheticEvaluator evaluator(space);
        ExplorerHost host(*b.d, {{b.key, b.value}});
        const Run run = explore(*b.d, host, space, evaluator);
        CHECK(run.create_status == STREAM_ERROR_INVALID_CONFIG);
        CHECK(host.error_text().find(b.key) != std::string::npos);
    }
}
