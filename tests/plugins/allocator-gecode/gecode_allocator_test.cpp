// The gecode allocator: the steady state of Stream's worked example, the slot
// model against a brute-force enumeration of the same objective, a two-core
// example solved by hand, infeasibility naming the failing constraint family,
// the time limit, and determinism. Through the plugin's C entry point where the
// result matters to users, through the model's C++ API where the model does.
#include "oracle_checks.hpp"
#include "BruteForce.hpp"
#include "ProblemTables.hpp"
#include "SlotInstance.hpp"
#include "SlotSearch.hpp"
#include "SteadyState.hpp"

#include <fake_gecode_host.hpp>

#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <random>
#include <string>
#include <vector>

using namespace stream::plugins::gecode_alloc;
using gecodetest::FakeHost;
using gecodetest::ProblemBuilder;
using gecodetest::UnitCost;

namespace {

struct TwoConvs {
    std::vector<int64_t> producer; ///< node ids by row
    std::vector<int64_t> consumer;
};

// Stream's worked example: two convolutions tiled in `rows` output rows; consumer
// row r reads producer rows r-1..r+1 (a 3x3 kernel with padding 1).
// `u0` and `u1` are the units of the two layers.
TwoConvs two_convs(ProblemBuilder& b, int64_t rows, int64_t u0, int64_t u1, int64_t stack = 0) {
    TwoConvs t;
    for (int64_t r = 0; r < rows; ++r)
        t.producer.push_back(b.add_node(u0, stack, r));
    for (int64_t r = 0; r < rows; ++r)
        t.consumer.push_back(b.add_node(u1, stack, r));
    for (int64_t r = 0; r < rows; ++r)
        for (int64_t p = std::max<int64_t>(0, r - 1); p <= std::min(rows - 1, r + 1); ++p)
            b.add_edge(t.producer[p], t.consumer[r]);
    return t;
}

// The two-core example below: conv0 takes 10 cycles a row on core 0 and 20 on core 1,
// conv1 30 on core 0 and 15 on core 1; energies per row 5/3 and 4/6 pJ.
struct HandExample {
    ProblemBuilder b;
    TwoConvs rows;
    HandExample() {
        const int64_t c0 = b.add_core("big"), c1 = b.add_core("little");
        const int64_t l0 = b.add_layer("conv0", {{"K", 8}, {"C", 8}, {"OY", 56}});
        const int64_t l1 = b.add_layer("conv1", {{"K", 8}, {"C", 8}, {"OY", 56}});
        const int64_t u0 = b.add_unit(l0, {{c0, 10, 5}, {c1, 20, 3}});
        const int64_t u1 = b.add_unit(l1, {{c0, 30, 4}, {c1, 15, 6}});
        rows = two_convs(b, 56, u0, u1);
        b.chain_units();
    }
};

std::vector<std::size_t> all_nodes(const ProblemTables& t) {
    std::vector<std::size_t> v(t.nodes.size());
    for (std::size_t i = 0; i < v.size(); ++i)
        v[i] = i;
    return v;
}

// A random slot instance with `units` units of 1-2 nodes over `cores` cores: random
// candidate cores, latencies, energies, weights, a random DAG, sometimes weight memories.
SlotInstance random_instance(std::mt19937& rng, int units, int cores, int max_nodes) {
    auto pick = [&](int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng); };
    SlotInstance in;
    in.iterations = pick(1, 20);
    for (int c = 0; c < cores; ++c)
        in.core_ids.push_back(c);
    for (int u = 0; u < units; ++u) {
        SlotInstance::Unit unit;
        unit.problem_unit = static_cast<std::size_t>(u);
        unit.layer = u;
        for (int c = 0; c < cores; ++c)
            if (pick(0, 3) != 0) unit.allowed.push_back(c);
        if (unit.allowed.empty()) unit.allowed.push_back(pick(0, cores - 1));
        for (int c = 0; c < cores; ++c) {
            unit.energy.push_back(pick(1, 30));
            unit.weight.push_back(pick(0, 10));
        }
        in.units.push_back(unit);
    }
    for (int u = 0; u < units && static_cast<int>(in.nodes.size()) < max_nodes; ++u) {
        const int count = std::min(pick(1, 2), max_nodes - static_cast<int>(in.nodes.size()));
        for (int k = 0; k < count; ++k) {
            SlotInstance::Node n;
            n.problem_node = in.nodes.size();
            n.unit = static_cast<std::size_t>(u);
            n.layer = u;
            for (int c = 0; c < cores; ++c)
                n.latency.push_back(pick(1, 50));
            in.units[static_cast<std::size_t>(u)].nodes.push_back(in.nodes.size());
            in.nodes.push_back(n);
        }
    }
    // Units that got no node (max_nodes reached) are dropped.
    while (in.units.back().nodes.empty())
        in.units.pop_back();
    for (std::size_t i = 0; i < in.nodes.size(); ++i)
        for (std::size_t j = i + 1; j < in.nodes.size(); ++j)
            if (pick(0, 9) < 3) in.edges.emplace_back(i, j);
    if (pick(0, 1) == 1)
        for (int c = 0; c < cores; ++c)
            in.capacities.push_back({{c}, pick(5, 25), 0});
    return in;
}

} // namespace

TEST_CASE("allocator-gecode describes itself as gecode 0.2.0 with its five keys") {
    const stream_plugin_descriptor* d = stream_plugin_entry(nullptr);
    CHECK(std::string(d->id) == "gecode");
    CHECK(std::string(d->version) == "0.2.0");
    CHECK(d->kind == STREAM_KIND_ALLOCATOR);
    std::vector<std::string> keys;
    for (uint32_t i = 0; i < d->config_key_count; ++i)
        keys.emplace_back(d->config_keys[i].key);
    CHECK(keys == std::vector<std::string>{"objective", "time_limit_s", "restarts", "max_split", "threads"});
}

TEST_CASE("allocator-gecode: Stream's worked example has the steady state {L0:1, L1:1} with N = 54") {
    ProblemBuilder b;
    const int64_t core = b.add_core("array");
    const int64_t l0 = b.add_layer("conv0", {{"K", 64}, {"C", 64}, {"OY", 56}, {"OX", 56}, {"FY", 3}, {"FX", 3}});
    const int64_t l1 = b.add_layer("conv1", {{"K", 64}, {"C", 64}, {"OY", 56}, {"OX", 56}, {"FY", 3}, {"FX", 3}});
    const int64_t u0 = b.add_unit(l0, {{core, 100}});
    const int64_t u1 = b.add_unit(l1, {{core, 100}});
    const TwoConvs rows = two_convs(b, 56, u0, u1);
    b.chain_units();
    const ProblemTables t = read_problem(b.build());
    CHECK(t.weight_is_macs);

    const SteadyState ss = find_steady_state(t.nodes, all_nodes(t));
    REQUIRE_FALSE(ss.empty());
    // Wave 0 needs producer rows 0 and 1; waves 1..54 one new row of each; wave 55 the last consumer row.
    REQUIRE(ss.tuples.size() == 56);
    CHECK(describe(ss.signatures[ss.tuples.front().signature]) == "{0:2, 1:1}");
    CHECK(describe(ss.signatures[ss.tuples.back().signature]) == "{1:1}");
    CHECK(describe(ss.signatures[*ss.chosen]) == "{0:1, 1:1}");
    CHECK(ss.iterations() == 54);
    // The steady-state nodes are those of wave 1: producer row 2 and consumer row 1.
    std::vector<int64_t> ids;
    for (std::size_t n : ss.nodes())
        ids.push_back(t.nodes[n].id);
    CHECK(ids == std::vector<int64_t>{rows.producer[2], rows.consumer[1]});

    // The model keeps the edge between them and counts 54 waves.
    const SlotInstance in = build_instance(t, ss, 0);
    CHECK(in.iterations == 54);
    CHECK(in.nodes.size() == 2);
    REQUIRE(in.edges.size() == 1);
    CHECK(in.edges[0] == std::pair<std::size_t, std::size_t>{0, 1});
}

TEST_CASE("allocator-gecode: without loop sizes the steady state is scored by latency and still found") {
    ProblemBuilder b;
    const int64_t core = b.add_core("array");
    const int64_t l0 = b.add_layer("conv0"), l1 = b.add_layer("conv1");
    const int64_t u0 = b.add_unit(l0, {{core, 7}}), u1 = b.add_unit(l1, {{core, 9}});
    two_convs(b, 10, u0, u1);
    b.chain_units();
    const ProblemTables t = read_problem(b.build());
    CHECK_FALSE(t.weight_is_macs);
    const SteadyState ss = find_steady_state(t.nodes, all_nodes(t));
    CHECK(describe(ss.signatures[*ss.chosen]) == "{0:1, 1:1}");
    CHECK(ss.iterations() == 8);
}

TEST_CASE("allocator-gecode: the proven optimum equals a brute-force enumeration of the same model") {
    std::mt19937 rng(20240611);
    int compared = 0, infeasible = 0;
    for (int trial = 0; trial < 24; ++trial) {
        const int units = 2 + trial % 5; // 2..6 units (<= 8)
        const int cores = 2 + trial % 2; // 2..3 cores
        const SlotInstance in = random_instance(rng, units, cores, 5);
        for (Objective objective : {Objective::latency, Objective::energy, Objective::edp}) {
            CAPTURE(trial);
            CAPTURE(objective_name(objective));
            SearchSettings settings;
            settings.objective = objective;
            const SearchResult cp = solve(in, settings);
            const BruteForceResult bf = brute_force(in, objective);
            if (!bf.best) {
                CHECK(cp.status == SearchStatus::infeasible);
                ++infeasible;
                continue;
            }
            REQUIRE(cp.status == SearchStatus::optimal);
            REQUIRE(cp.assignment);
            CHECK(cp.objective == objective_value(objective, bf.value));
            REQUIRE(cp.bound);
            CHECK(*cp.bound == cp.objective);
            stream::plugins::gecode_alloc::test::check_value_against_oracle(in, cp);
            ++compared;
        }
    }
    CHECK(compared > 40);
    CHECK(infeasible < compared);
}

TEST_CASE("allocator-gecode: restarts and two threads prove the same optimum as plain branch and bound") {
    std::mt19937 rng(7);
    for (int trial = 0; trial < 6; ++trial) {
        const SlotInstance in = random_instance(rng, 4, 3, 5);
        const BruteForceResult bf = brute_force(in, Objective::latency);
        if (!bf.best) continue;
        SearchSettings restarted;
        restarted.restarts = true;
        const SearchResult r = solve(in, restarted);
        REQUIRE(r.status == SearchStatus::optimal);
        CHECK(r.objective == bf.value.total);
        SearchSettings parallel;
        parallel.threads = 2;
        const SearchResult p = solve(in, parallel);
        REQUIRE(p.status == SearchStatus::optimal);
        CHECK(p.objective == bf.value.total);
    }
}

// Two convolutions over 56 rows on two cores (HandExample): the steady state is one row of
// each, N = 54 waves, slots 0 (conv0) and 1 (conv1, its consumer). Per wave:
//   both on core 0:         period 10 + 30 = 40, core 0 never idle          -> 54 * 40 = 2160
//   conv0 on 0, conv1 on 1: period 10 + 15 = 25; core 0 idles in slot 1 (15),
//                           core 1 in slot 0 (10): idle_min = 10            -> 54 * 25 - 53 * 10 = 820
//   conv0 on 1, conv1 on 0: period 20 + 30 = 50, idle_min = min(30, 20) = 20 -> 54 * 50 - 53 * 20 = 1640
//   both on core 1:         period 20 + 15 = 35                              -> 54 * 35 = 1890
// so the optimum is conv0 -> core 0, conv1 -> core 1 at 820 cycles: the two layers pipeline.
TEST_CASE("allocator-gecode: a two-core example solved by hand pipelines the layers at 820 cycles") {
    HandExample ex;
    FakeHost host({{"objective", std::string("latency")}});
    gecodetest::Run r;
    gecodetest::run(host, ex.b.build(), r);
    REQUIRE(r.status == STREAM_OK);
    CHECK(host.errors.empty());
    REQUIRE(r.submitted.count == 1);
    CHECK(r.submitted.unit_core == std::vector<int64_t>{0, 1});
    CHECK(r.submitted.objective == 820.0);
    CHECK(r.submitted.best_bound == 820.0);
    CHECK(r.submitted.proven_optimal == 1);
    CHECK(r.submitted.summary.find("proven optimal") != std::string::npos);
    CHECK(r.submitted.summary.find("model 820 cycles, proven optimal; 1 stack, steady state 2 nodes x 54 waves") !=
          std::string::npos);
    // Evaluated with the slots' order, then with the host's order of the same cores; equal
    // metrics keep the slots' order.
    REQUIRE(r.evaluator.calls.size() == 2);
    CHECK(r.evaluator.calls[0].unit_core == r.submitted.unit_core);
    CHECK(r.evaluator.calls[0].node_priority == r.submitted.node_priority);
    CHECK(r.evaluator.calls[1].unit_core == r.submitted.unit_core);
    CHECK(r.evaluator.calls[1].node_priority.empty());
    CHECK(host.logged(STREAM_LOG_INFO, "steady state {0:1, 1:1} x 54 waves"));

    // Stream's step C order: wave 0 (not steady) deepest first: conv1 row 0, conv0 row 1, conv0 row 0;
    // steady waves in slot order: conv0 row r+1, conv1 row r; the last wave conv1 row 55.
    const auto& prio = r.submitted.node_priority;
    REQUIRE(prio.size() == ex.b.node_count());
    std::vector<int64_t> order(prio.size());
    for (std::size_t n = 0; n < prio.size(); ++n)
        order[static_cast<std::size_t>(prio[n])] = static_cast<int64_t>(n);
    const TwoConvs& rows = ex.rows;
    CHECK(std::vector<int64_t>(order.begin(), order.begin() + 7) ==
          std::vector<int64_t>{rows.consumer[0], rows.producer[1], rows.producer[0], rows.producer[2], rows.consumer[1],
                               rows.producer[3], rows.consumer[2]});
    CHECK(order.back() == rows.consumer[55]);
}

TEST_CASE("allocator-gecode: when the host's order schedules the same cores better, it is submitted") {
    // The fake evaluator answers 1000 cycles / 50 pJ for the slots' order. The host's order wins
    // under the latency objective with 999 cycles (even at 60 pJ) and loses with 1000 cycles at
    // 51 pJ (the tie on latency goes to energy); under EDP 990 x 51 = 50490 loses to 50000.
    struct Case {
        const char* objective;
        double latency_cycles, energy_pj;
        bool host_order_wins;
    };
    for (const Case& c : {Case{"latency", 999, 60, true}, Case{"latency", 1000, 51, false}, Case{"edp", 990, 51, false}}) {
        CAPTURE(c.objective);
        CAPTURE(c.latency_cycles);
        HandExample ex;
        FakeHost host({{"objective", std::string(c.objective)}});
        gecodetest::Run r;
        r.evaluator.host_order_metrics = stream_metrics_v1{sizeof(stream_metrics_v1), c.latency_cycles, c.energy_pj,
                                                           c.latency_cycles * c.energy_pj, 0.0};
        gecodetest::run(host, ex.b.build(), r);
        REQUIRE(r.status == STREAM_OK);
        REQUIRE(r.evaluator.calls.size() == 2);
        CHECK(r.submitted.unit_core == r.evaluator.calls[0].unit_core);
        CHECK(r.submitted.node_priority.empty() == c.host_order_wins);
        const std::string evaluated = c.host_order_wins ? "evaluated latency 999 cycles" : "evaluated latency 1000 cycles";
        CHECK_MESSAGE(r.submitted.summary.find(evaluated) != std::string::npos, r.submitted.summary);
    }
}

TEST_CASE("allocator-gecode: energy and EDP objectives on the hand example") {
    SUBCASE("energy: conv0 on core 1 (3 pJ a row), conv1 on core 0 (4 pJ a row) = 56 * 7 = 392 pJ") {
        HandExample ex;
        FakeHost host({{"objective", std::string("energy")}});
        gecodetest::Run r;
        gecodetest::run(host, ex.b.build(), r);
        REQUIRE(r.status == STREAM_OK);
        CHECK(r.submitted.unit_core == std::vector<int64_t>{1, 0});
        CHECK(r.submitted.objective == doctest::Approx(392.0));
        CHECK(r.submitted.proven_optimal == 1);
    }
    SUBCASE("edp: 820 cycles x 56 * (5 + 6) pJ = 505120 beats 1640 x 392 = 642880") {
        HandExample ex;
        FakeHost host({{"objective", std::string("edp")}});
        gecodetest::Run r;
        gecodetest::run(host, ex.b.build(), r);
        REQUIRE(r.status == STREAM_OK);
        CHECK(r.submitted.unit_core == std::vector<int64_t>{0, 1});
        CHECK(r.submitted.objective == doctest::Approx(505120.0));
        CHECK(r.submitted.proven_optimal == 1);
    }
}

TEST_CASE("allocator-gecode: a unit outside the steady state follows its layer, else its fastest core") {
    // A stem layer with one tile feeds every tile of conv0, whose tile group 0 has eight rows and
    // group 1 a single one: waves 1..7 are one row of group 0 (the steady state, N = 7), while
    // the stem and group 1 appear only in wave 0.
    ProblemBuilder b;
    const int64_t c0 = b.add_core("a"), c1 = b.add_core("b");
    const int64_t stem = b.add_layer("stem"), conv = b.add_layer("conv0");
    const int64_t u_stem = b.add_unit(stem, {{c0, 50}, {c1, 20}});
    const int64_t g0 = b.add_unit(conv, {{c0, 5}, {c1, 9}}, 0);
    const int64_t g1 = b.add_unit(conv, {{c0, 5}, {c1, 9}}, 1);
    const int64_t s = b.add_node(u_stem, 0, 0);
    for (int64_t r = 0; r < 9; ++r)
        b.add_edge(s, b.add_node(r < 8 ? g0 : g1, 0, r));
    b.chain_units();
    FakeHost host;
    gecodetest::Run run;
    gecodetest::run(host, b.build(), run);
    REQUIRE(run.status == STREAM_OK);
    CHECK(host.logged(STREAM_LOG_INFO, "steady state {1:1} x 7 waves"));
    // Group 0 is modelled (core 0 is faster); group 1 joins its layer's core; the stem takes its fastest.
    CHECK(run.submitted.unit_core == std::vector<int64_t>{1, 0, 0});
}

// Two layers, each split in two tile groups (say K halves) that take 10 cycles a row on
// either of two equal cores; a conv1 row needs both halves of the conv0 row. A wave is one
// row of every group: 4 nodes, N = 8. Each core's load is at least half of 40 = 20 cycles,
// so period >= 20 and span >= 20, total = period + 7 * span >= 160, which splitting each
// layer's groups over the two cores reaches (slot 0: conv0 halves, slot 1: conv1 halves).
// Keeping both halves of a layer on one core takes two slots: the best such allocation,
// conv0 on core 0 and conv1 on core 1, pipelines with period 40 and span 20: 40 + 7 * 20 = 180.
TEST_CASE("allocator-gecode: the tile groups of a layer share a wave and split over the cores") {
    ProblemBuilder b;
    const int64_t c0 = b.add_core("a"), c1 = b.add_core("b");
    const int64_t l0 = b.add_layer("conv0"), l1 = b.add_layer("conv1");
    std::vector<int64_t> units;
    for (int64_t layer : {l0, l1})
        for (int64_t g = 0; g < 2; ++g)
            units.push_back(b.add_unit(layer, {{c0, 10}, {c1, 10}}, g));
    std::vector<std::vector<int64_t>> rows(4);
    for (std::size_t u = 0; u < 4; ++u)
        for (int64_t r = 0; r < 8; ++r)
            rows[u].push_back(b.add_node(units[u], 0, r + 8 * static_cast<int64_t>(u % 2)));
    for (int64_t r = 0; r < 8; ++r)
        for (std::size_t from : {0, 1})
            for (std::size_t to : {2, 3})
                b.add_edge(rows[from][static_cast<std::size_t>(r)], rows[to][static_cast<std::size_t>(r)]);
    b.chain_units();
    FakeHost host;
    gecodetest::Run run;
    gecodetest::run(host, b.build(), run);
    REQUIRE(run.status == STREAM_OK);
    CHECK(host.logged(STREAM_LOG_INFO, "steady state {0:2, 1:2} x 8 waves"));
    CHECK(run.submitted.objective == 160.0);
    CHECK(run.submitted.proven_optimal == 1);
    const auto& cores = run.submitted.unit_core;
    CHECK(cores[0] != cores[1]);
    CHECK(cores[2] != cores[3]);
}

// Weights that cannot all stay on chip make Stream's model infeasible, but every allocation is
// still valid for the scheduler (what does not fit is fetched again from DRAM): the allocator
// warns, naming the family and the layers, and solves the stack without that family.
// Both models below are two 3x3 convs over 8 rows: steady state {L0:1, L1:1} x N = 6 waves
// (rows 0-1 of L0 come first, the last L1 row alone). With the two layers on different cores
// a wave is two slots, and the core of the second slot idles through the first and the
// other through the second, so total = 6 * (l0 + l1) - 5 * min(l0, l1); on one core nothing
// idles and total = 6 * (l0 + l1).
TEST_CASE("allocator-gecode: weights that cannot stay on chip are warned about, then relaxed") {
    SUBCASE("a layer whose weights fit no candidate core") {
        ProblemBuilder b;
        const int64_t c0 = b.add_core("a", 8'000'000), c1 = b.add_core("b", 6'000'000);
        const int64_t l0 = b.add_layer("conv0"), l1 = b.add_layer("conv1");
        const int64_t u0 = b.add_unit(l0, {{c0, 10, 1, 2'000'000}, {c1, 10, 1, 2'000'000}});
        const int64_t u1 = b.add_unit(l1, {{c0, 10, 1, 9'000'000}, {c1, 10, 1, 9'000'000}});
        two_convs(b, 8, u0, u1);
        b.chain_units();
        FakeHost host;
        gecodetest::Run r;
        gecodetest::run(host, b.build(), r);
        REQUIRE(r.status == STREAM_OK);
        CHECK(host.errors.empty());
        CHECK(host.logged(STREAM_LOG_WARNING,
                          "stack 0: weight capacity: the weights of layer 1 'conv1' (9 Mbit) exceed every candidate "
                          "core's weight memory (largest 8 Mbit); allocated without that constraint"));
        CHECK(r.submitted.count == 1);
        CHECK(r.evaluator.calls.size() == 2);
        // Different cores: 6 * 20 - 5 * 10 = 70 cycles (one core: 120).
        CHECK(r.submitted.objective == 70.0);
        REQUIRE(r.submitted.unit_core.size() == 2);
        CHECK(r.submitted.unit_core[0] != r.submitted.unit_core[1]);
        // The optimum of a relaxation is no solution of Stream's model.
        CHECK(r.submitted.proven_optimal == 0);
        CHECK_MESSAGE(r.submitted.summary.find("not proven optimal (weight capacity relaxed on stack 0") !=
                          std::string::npos,
                      r.submitted.summary);
    }
    SUBCASE("layers that fit alone but not together in a shared memory") {
        ProblemBuilder b;
        const int64_t c0 = b.add_core("a", 8'000'000);
        const int64_t c1 = b.add_core("b", 8'000'000, c0); // shares core 0's top memory
        const int64_t l3 = b.add_layer("conv3"), l4 = b.add_layer("conv4");
        const int64_t u3 = b.add_unit(l3, {{c0, 10, 1, 6'000'000}, {c1, 12, 1, 6'000'000}});
        const int64_t u4 = b.add_unit(l4, {{c0, 10, 1, 6'500'000}, {c1, 12, 1, 6'500'000}});
        two_convs(b, 8, u3, u4);
        b.chain_units();
        FakeHost host;
        gecodetest::Run r;
        gecodetest::run(host, b.build(), r);
        REQUIRE(r.status == STREAM_OK);
        CHECK(host.logged(
            STREAM_LOG_WARNING,
            "stack 0: weight capacity: the weights of layers 0 'conv3', 1 'conv4' (12.5 Mbit) exceed what their "
            "candidate cores' weight memories hold together in any allocation (core 0 'a', core 1 'b' sharing 8 Mbit)"));
        // Different cores: 6 * (10 + 12) - 5 * 10 = 82 cycles (both on core 0: 120).
        CHECK(r.submitted.objective == 82.0);
        CHECK(r.submitted.unit_core[0] != r.submitted.unit_core[1]);
    }
    SUBCASE("a unit without a candidate core has no allocation at all") {
        ProblemBuilder b;
        const int64_t c0 = b.add_core("a", 8'000'000);
        const int64_t l0 = b.add_layer("conv0"), l1 = b.add_layer("conv1");
        const int64_t u0 = b.add_unit(l0, {{c0, 10, 1, 2'000'000}});
        const int64_t u1 = b.add_unit(l1, {});
        two_convs(b, 8, u0, u1);
        b.chain_units();
        FakeHost host;
        gecodetest::Run r;
        gecodetest::run(host, b.build(), r);
        CHECK(r.status == STREAM_ERROR_INFEASIBLE);
        CHECK(r.submitted.count == 0);
        CHECK(r.evaluator.calls.empty());
        REQUIRE(host.errors.size() == 1);
        CHECK(host.errors[0].message ==
              "stack 0: candidate cores: layer 1 'conv1' (tile group 0) has no candidate core that computes");
    }
    SUBCASE("weights streamed from DRAM do not count") {
        ProblemBuilder b;
        const int64_t c0 = b.add_core("a", 8'000'000);
        const int64_t l0 = b.add_layer("conv0"), l1 = b.add_layer("conv1");
        const int64_t u0 = b.add_unit(l0, {{c0, 10, 1, 2'000'000}});
        const int64_t u1 = b.add_unit(l1, {{c0, 10, 1, 9'000'000, true}});
        two_convs(b, 8, u0, u1);
        b.chain_units();
        FakeHost host;
        gecodetest::Run r;
        gecodetest::run(host, b.build(), r);
        CHECK(r.status == STREAM_OK);
    }
}

TEST_CASE("allocator-gecode: the family check names precedence for a cyclic steady state") {
    SlotInstance in;
    in.core_ids = {0, 1};
    in.units.push_back({0, 0, {0, 1}, {1, 1}, {0, 0}, {0}});
    in.units.push_back({1, 1, {0, 1}, {1, 1}, {0, 0}, {1}});
    in.nodes.push_back({0, 0, 0, {3, 4}});
    in.nodes.push_back({1, 1, 1, {3, 4}});
    in.edges = {{0, 1}, {1, 0}};
    const SearchResult r = solve(in, SearchSettings{});
    CHECK(r.status == SearchStatus::infeasible);
    CHECK(failing_family(in, SearchSettings{}) == std::optional<std::string>("precedence"));
    // Without the cycle it is feasible again, and capacities are the next family checked.
    in.edges = {{0, 1}};
    in.units[0].weight = {5, 5};
    in.units[1].weight = {5, 5};
    in.capacities = {{{0}, 4, 4}, {{1}, 4, 4}};
    CHECK(solve(in, SearchSettings{}).status == SearchStatus::infeasible);
    CHECK(failing_family(in, SearchSettings{}) == std::optional<std::string>("weight capacity"));
}

// A chain of 300 one-row layers is one steady state of 300 nodes, more than the slot model takes
// (256), so every unit falls back. Each may run on either of two identical cores at 10 cycles:
// putting each on the core that would finish it earliest alternates them (a tie keeps the first
// candidate, core 0), where "fastest core" would have put all 300 on core 0.
TEST_CASE("allocator-gecode: units of a stack without a model spread over identical cores") {
    ProblemBuilder b;
    const int64_t c0 = b.add_core("array0"), c1 = b.add_core("array1");
    int64_t previous = -1;
    for (int l = 0; l < 300; ++l) {
        const int64_t layer = b.add_layer("layer" + std::to_string(l), {{"K", 8}});
        const int64_t unit = b.add_unit(layer, {{c0, 10, 1}, {c1, 10, 1}});
        const int64_t node = b.add_node(unit, 0, 0);
        if (previous >= 0) b.add_edge(previous, node);
        previous = node;
    }
    FakeHost host;
    gecodetest::Run r;
    gecodetest::run(host, b.build(), r);
    REQUIRE(r.status == STREAM_OK);
    CHECK(host.logged(STREAM_LOG_WARNING, "more than the slot model takes"));
    REQUIRE(r.submitted.unit_core.size() == 300);
    for (std::size_t u = 0; u < 300; ++u) {
        CAPTURE(u);
        CHECK(r.submitted.unit_core[u] == static_cast<int64_t>(u % 2));
    }
}

TEST_CASE("allocator-gecode: cores the model cannot tell apart form one class, searched once") {
    SlotInstance in;
    in.core_ids = {0, 1, 2};
    in.units.push_back({0, 0, {0, 1, 2}, {4, 4, 2}, {1, 1, 1}, {0}});
    in.units.push_back({1, 1, {0, 1, 2}, {3, 3, 3}, {0, 0, 0}, {1}});
    in.nodes.push_back({0, 0, 0, {7, 7, 9}});
    in.nodes.push_back({1, 1, 1, {5, 5, 5}});
    in.edges = {{0, 1}};
    CHECK(interchangeable_cores(in) == std::vector<std::vector<int>>{{0, 1}, {2}});
    // A different latency, a weight bound on one of them, or a shared memory separates them.
    SlotInstance slower = in;
    slower.nodes[1].latency[1] = 6;
    CHECK(interchangeable_cores(slower).size() == 3);
    SlotInstance bounded = in;
    bounded.capacities = {{{0}, 5, 5}};
    CHECK(interchangeable_cores(bounded).size() == 3);
    bounded.capacities = {{{0}, 5, 5}, {{1}, 5, 5}};
    CHECK(interchangeable_cores(bounded).size() == 2);
    bounded.capacities = {{{0, 1}, 5, 5}};
    CHECK(interchangeable_cores(bounded).size() == 3);
    // Breaking the symmetry keeps the optimum.
    for (Objective objective : {Objective::latency, Objective::energy, Objective::edp}) {
        SearchSettings settings;
        settings.objective = objective;
        const SearchResult r = solve(in, settings);
        REQUIRE(r.status == SearchStatus::optimal);
        CHECK(r.objective == objective_value(objective, brute_force(in, objective).value));
    }
}

TEST_CASE("allocator-gecode: a tiny time limit returns the best allocation found, not proven optimal") {
    // Four independent chains of six layers, three rows each, on four cores: a steady state of
    // 24 nodes, far more than a few milliseconds can prove.
    ProblemBuilder b;
    for (int c = 0; c < 4; ++c)
        b.add_core("core" + std::to_string(c));
    std::mt19937 rng(3);
    std::uniform_int_distribution<int> latency(5, 60);
    for (int chain = 0; chain < 4; ++chain) {
        std::vector<int64_t> previous;
        for (int k = 0; k < 6; ++k) {
            // Appended, not `"l" + ...`: GCC 12 reports a false -Wrestrict on that concatenation here.
            std::string name = "l";
            name += std::to_string(chain) + "_" + std::to_string(k);
            const int64_t layer = b.add_layer(name);
            std::vector<UnitCost> costs;
            for (int c = 0; c < 4; ++c)
                costs.push_back({c, static_cast<double>(latency(rng))});
            const int64_t unit = b.add_unit(layer, costs);
            std::vector<int64_t> rows;
            for (int r = 0; r < 3; ++r) {
                rows.push_back(b.add_node(unit, 0, r));
                if (!previous.empty()) b.add_edge(previous[static_cast<std::size_t>(r)], rows.back());
            }
            previous = rows;
        }
    }
    b.chain_units();
    FakeHost host({{"time_limit_s", 0.05}});
    gecodetest::Run r;
    gecodetest::run(host, b.build(), r);
    REQUIRE(r.status == STREAM_OK);
    REQUIRE(r.submitted.count == 1);
    CHECK(r.submitted.proven_optimal == 0);
    CHECK(r.submitted.summary.find("not proven optimal (time limit 0.05 s hit; bound ") != std::string::npos);
    // Root propagation bounds the model from below: every core's load fits in the busiest span.
    CHECK(r.submitted.best_bound > 0);
    // A slow machine (sanitizers) may stop before the first solution; then there is no model value.
    if (std::isnan(r.submitted.objective))
        CHECK(r.submitted.summary.find("model without a solution") != std::string::npos);
    else
        CHECK(r.submitted.best_bound < r.submitted.objective);
    CHECK(r.submitted.unit_core.size() == 24);
    for (int64_t core : r.submitted.unit_core)
        CHECK((core >= 0 && core < 4));
    CHECK(r.evaluator.calls.size() == 2); // the slots' order and the host's
}

TEST_CASE("allocator-gecode: a cancelled search still submits an allocation, not proven optimal") {
    HandExample ex;
    FakeHost host;
    host.cancel = true;
    gecodetest::Run r;
    gecodetest::run(host, ex.b.build(), r);
    REQUIRE(r.status == STREAM_OK);
    REQUIRE(r.submitted.count == 1);
    CHECK(r.submitted.proven_optimal == 0);
    CHECK(r.submitted.summary.find("not proven optimal (cancelled") != std::string::npos);
    // Without a model solution each unit takes its fastest core: conv0 core 0 (10), conv1 core 1 (15).
    if (std::isnan(r.submitted.objective)) {
        CHECK(r.submitted.unit_core == std::vector<int64_t>{0, 1});
        CHECK(host.logged(STREAM_LOG_WARNING, "no slot allocation found before the search was cancelled"));
    }
    CHECK(r.evaluator.calls.size() == 2); // the slots' order and the host's
}

TEST_CASE("allocator-gecode: with one thread the same problem gives the same allocation and order") {
    auto build = [](ProblemBuilder& b) {
        const int64_t c0 = b.add_core("a"), c1 = b.add_core("b"), c2 = b.add_core("c");
        const int64_t l0 = b.add_layer("conv0", {{"K", 8}, {"OY", 12}});
        const int64_t l1 = b.add_layer("conv1", {{"K", 8}, {"OY", 12}});
        const int64_t u0 = b.add_unit(l0, {{c0, 10, 2}, {c1, 14, 1}, {c2, 9, 3}});
        const int64_t u1 = b.add_unit(l1, {{c0, 10, 2}, {c1, 14, 1}, {c2, 9, 3}});
        two_convs(b, 12, u0, u1, 0);
        const int64_t l2 = b.add_layer("conv2", {{"K", 8}, {"OY", 12}});
        const int64_t l3 = b.add_layer("conv3", {{"K", 8}, {"OY", 12}});
        const int64_t u2 = b.add_unit(l2, {{c0, 7, 2}, {c1, 7, 1}, {c2, 11, 3}});
        const int64_t u3 = b.add_unit(l3, {{c0, 10, 2}, {c1, 8, 1}, {c2, 9, 3}});
        two_convs(b, 12, u2, u3, 1);
        b.chain_units();
    };
    for (bool restarts : {false, true}) {
        CAPTURE(restarts);
        ProblemBuilder b1, b2;
        build(b1);
        build(b2);
        FakeHost h1({{"restarts", restarts}}), h2({{"restarts", restarts}});
        gecodetest::Run r1, r2;
        gecodetest::run(h1, b1.build(), r1);
        gecodetest::run(h2, b2.build(), r2);
        REQUIRE(r1.status == STREAM_OK);
        REQUIRE(r2.status == STREAM_OK);
        CHECK(r1.submitted.proven_optimal == 1);
        CHECK(r1.submitted.unit_core == r2.submitted.unit_core);
        CHECK(r1.submitted.node_priority == r2.submitted.node_priority);
        CHECK(r1.submitted.objective == r2.submitted.objective);
        CHECK(r1.submitted.best_bound == r2.submitted.best_bound);
        CHECK(r1.submitted.summary.find("2 stacks") != std::string::npos);
    }
}

TEST_CASE("allocator-gecode: a bad objective or time limit is a config error naming the key") {
    ProblemBuilder b;
    b.add_core("a");
    const stream_problem_v1& problem = b.build();
    {
        FakeHost host({{"objective", std::string("throughput")}});
        gecodetest::Run r;
        gecodetest::run(host, problem, r);
        CHECK(r.create_status == STREAM_ERROR_INVALID_CONFIG);
        REQUIRE(host.errors.size() == 1);
        CHECK(host.errors[0].kind == STREAM_ITEM_CONFIG_KEY);
        CHECK(host.errors[0].name == "objective");
        CHECK(host.errors[0].message.find("\"throughput\"") != std::string::npos);
    }
    {
        FakeHost host({{"time_limit_s", 0.0}});
        gecodetest::Run r;
        gecodetest::run(host, problem, r);
        CHECK(r.create_status == STREAM_ERROR_INVALID_CONFIG);
        REQUIRE(host.errors.size() == 1);
        CHECK(host.errors[0].name == "time_limit_s");
    }
}

TEST_CASE("allocator-gecode: an evaluator failure fails the call and submits nothing") {
    HandExample ex;
    FakeHost host;
    gecodetest::Run r;
    r.evaluator.status = STREAM_ERROR_INFEASIBLE;
    gecodetest::run(host, ex.b.build(), r);
    CHECK(r.status == STREAM_ERROR_INFEASIBLE);
    CHECK(r.submitted.count == 0);
    CHECK(host.errors.size() == 1);
}
