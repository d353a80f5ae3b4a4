// Stream's split counts in the gecode slot model (stream.md §5.3, ks[v,p]): a unit may run
// on k cores at once, each doing one part of every node of the unit in the node's slot.
// Hand-derived instances, the proven optimum against a brute-force enumeration of the
// same model on random instances with split options, and the oracle's rejections.
#include "oracle_checks.hpp"
#include "BruteForce.hpp"
#include "SlotInstance.hpp"
#include "SlotSearch.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <random>
#include <vector>

using namespace stream::plugins::gecode_alloc;

namespace {

SlotInstance::Unit unit_on(std::size_t index, std::vector<int> allowed, std::vector<int> energy,
                           std::vector<int> weight) {
    SlotInstance::Unit u;
    u.problem_unit = index;
    u.layer = static_cast<std::int64_t>(index);
    u.allowed = std::move(allowed);
    u.energy = std::move(energy);
    u.weight = std::move(weight);
    return u;
}

void add_node(SlotInstance& in, std::size_t unit, std::vector<int> latency, std::vector<std::vector<int>> parts = {}) {
    SlotInstance::Node n;
    n.problem_node = in.nodes.size();
    n.unit = unit;
    n.layer = in.units[unit].layer;
    n.latency = std::move(latency);
    n.split_latency = std::move(parts);
    in.units[unit].nodes.push_back(in.nodes.size());
    in.nodes.push_back(std::move(n));
}

// One unit of one node on two identical cores, whole latency 100 and energy 10 on either; its
// option k = 2 has parts of `part_latency` and `part_energy` on each core. N = 1, so
// total = period (no overlap between waves):
//   one core:  period 100                    -> total 100, energy 10
//   split:     both parts in slot 0          -> total part_latency, energy 2 * part_energy
SlotInstance one_node(int part_latency, int part_energy) {
    SlotInstance in;
    in.core_ids = {0, 1};
    in.units.push_back(unit_on(0, {0, 1}, {10, 10}, {0, 0}));
    in.units[0].splits.push_back({2, {part_energy, part_energy}, {0, 0}});
    add_node(in, 0, {100, 100}, {{part_latency, part_latency}});
    return in;
}

// Two layers a -> b on two cores, N = 10 waves. a takes 100 on either core or, split over both,
// 50 a part; b takes 40 on either core and has no split option. Energies 1 a core (a part).
//   a, b on one core:              period 140, that core never idle            -> 10 * 140 = 1400
//   a on core 0, b on core 1:      period 140; core 0 idles in slot 1 (40), core 1 in
//                                  slot 0 (100): idle_min 40                   -> 1400 - 9 * 40 = 1040
//   a split over {0, 1}, b on 0:   period 50 + 40 = 90; core 0 busy in both slots (idle 0),
//                                  core 1 idles in slot 1 (40): idle_min 0     -> 10 * 90 = 900
// (b on core 1 is the mirror image.) Splitting a wins: 900 < 1040. Were a's second core left
// out of core 1's occupancy, core 1 would idle in slot 0 too and the total would read 540.
SlotInstance pipeline() {
    SlotInstance in;
    in.iterations = 10;
    in.core_ids = {0, 1};
    in.units.push_back(unit_on(0, {0, 1}, {1, 1}, {0, 0}));
    in.units[0].splits.push_back({2, {1, 1}, {0, 0}});
    in.units.push_back(unit_on(1, {0, 1}, {1, 1}, {0, 0}));
    add_node(in, 0, {100, 100}, {{50, 50}});
    add_node(in, 1, {40, 40});
    in.edges = {{0, 1}};
    return in;
}

SearchResult solve_for(const SlotInstance& in, Objective objective) {
    SearchSettings settings;
    settings.objective = objective;
    return solve(in, settings);
}

// Random instances of at most 4 nodes on 2-3 cores where units may split over k = 2 (and
// k = 3 on three cores): random part latencies (around the whole's 1/k, sometimes longer
// than the whole), part energies and weights, and sometimes weight memories.
SlotInstance random_split_instance(std::mt19937& rng, int units, int cores) {
    auto pick = [&](int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng); };
    SlotInstance in;
    in.iterations = pick(1, 12);
    for (int c = 0; c < cores; ++c)
        in.core_ids.push_back(c);
    for (int u = 0; u < units; ++u) {
        std::vector<int> allowed, energy, weight;
        for (int c = 0; c < cores; ++c) {
            if (pick(0, 4) != 0) allowed.push_back(c);
            energy.push_back(pick(2, 30));
            weight.push_back(pick(0, 10));
        }
        if (allowed.size() < 2) allowed = {0, 1};
        in.units.push_back(unit_on(static_cast<std::size_t>(u), allowed, energy, weight));
        if (pick(0, 3) == 0) continue; // no split option
        for (int k = 2; k <= cores; ++k) {
            if (k == 3 && pick(0, 1) == 0) continue;
            SlotInstance::Unit::Split split;
            split.cores = k;
            for (int c = 0; c < cores; ++c) {
                split.energy.push_back(energy[static_cast<std::size_t>(c)] / k + pick(0, 3));
                split.weight.push_back(weight[static_cast<std::size_t>(c)] / k + pick(0, 3));
            }
            in.units.back().splits.push_back(split);
        }
    }
    int placed = 0;
    for (int u = 0; u < units && placed < 4; ++u)
        for (int n = pick(1, 2); n > 0 && placed < 4; --n, ++placed) {
            const SlotInstance::Unit& unit = in.units[static_cast<std::size_t>(u)];
            std::vector<int> latency;
            for (int c = 0; c < cores; ++c)
                latency.push_back(pick(10, 60));
            std::vector<std::vector<int>> parts;
            for (const SlotInstance::Unit::Split& split : unit.splits) {
                std::vector<int> row;
                for (int c = 0; c < cores; ++c)
                    row.push_back(pick(0, 5) == 0 ? pick(40, 80)
                                                  : latency[static_cast<std::size_t>(c)] / split.cores + pick(0, 4));
                parts.push_back(row);
            }
            add_node(in, static_cast<std::size_t>(u), latency, parts);
        }
    while (in.units.back().nodes.empty())
        in.units.pop_back();
    for (std::size_t i = 0; i < in.nodes.size(); ++i)
        for (std::size_t j = i + 1; j < in.nodes.size(); ++j)
            if (pick(0, 9) < 3) in.edges.emplace_back(i, j);
    if (pick(0, 1) == 1)
        for (int c = 0; c < cores; ++c)
            in.capacities.push_back({{c}, pick(4, 14), 0});
    return in;
}

bool splits_somewhere(const Assignment& a) {
    return std::any_of(a.unit_split.begin(), a.unit_split.end(), [](int s) { return s > 0; });
}

} // namespace

TEST_CASE("allocator-gecode split: one node splits over two cores while a part is shorter than the whole") {
    for (Objective objective : {Objective::latency, Objective::edp}) {
        CAPTURE(objective_name(objective));
        // Parts of 50 (perfect split): total 50 < 100.
        const SearchResult even = solve_for(one_node(50, 5), objective);
        REQUIRE(even.status == SearchStatus::optimal);
        REQUIRE(even.assignment);
        CHECK(even.value.total == 50);
        CHECK(even.value.energy == 10); // 2 parts of 5
        CHECK(even.assignment->unit_split == std::vector<int>{1});
        CHECK(even.assignment->unit_cores == std::vector<std::vector<int>>{{0, 1}});
        CHECK(even.assignment->unit_core == std::vector<int>{0});
        // Parts of 60 (utilisation loss): total 60 < 100, still split.
        const SearchResult lossy = solve_for(one_node(60, 5), objective);
        REQUIRE(lossy.assignment);
        CHECK(lossy.value.total == 60);
        CHECK(lossy.assignment->unit_split == std::vector<int>{1});
        // Parts of 110: one core (100) is faster, and the assignment reads as one without splits.
        const SearchResult slower = solve_for(one_node(110, 5), objective);
        REQUIRE(slower.assignment);
        CHECK(slower.value.total == 100);
        CHECK(slower.assignment->unit_split.empty());
        CHECK(slower.assignment->unit_cores.empty());
    }
    // Energy: two parts of 6 (12) cost more than one core (10); two of 4 (8) less.
    const SearchResult dear = solve_for(one_node(50, 6), Objective::energy);
    REQUIRE(dear.assignment);
    CHECK(dear.value.energy == 10);
    CHECK(dear.assignment->unit_split.empty());
    const SearchResult cheap = solve_for(one_node(50, 4), Objective::energy);
    REQUIRE(cheap.assignment);
    CHECK(cheap.value.energy == 8);
    CHECK(cheap.value.total == 50);
    CHECK(cheap.assignment->unit_split == std::vector<int>{1});
}

TEST_CASE("allocator-gecode split: splitting the first of two pipelined layers reaches 900 cycles, not 1040") {
    const SlotInstance in = pipeline();
    // The oracle on the three allocations derived above.
    const std::optional<ModelValue> apart = evaluate(in, {{0, 1}, {0, 1}, {}, {}});
    REQUIRE(apart);
    CHECK(apart->period == 140);
    CHECK(apart->idle_min == 40);
    CHECK(apart->total == 1040);
    const std::optional<ModelValue> together = evaluate(in, {{0, 0}, {0, 1}, {}, {}});
    REQUIRE(together);
    CHECK(together->total == 1400);
    const Assignment split{{0, 0}, {0, 1}, {1, 0}, {{0, 1}, {}}};
    const std::optional<ModelValue> v = evaluate(in, split);
    REQUIRE(v);
    CHECK(v->period == 90);
    CHECK(v->idle_min == 0);
    CHECK(v->total == 900);
    CHECK(v->energy == 3); // two parts of a (1 each) and b (1)

    const SearchResult r = solve_for(in, Objective::latency);
    REQUIRE(r.status == SearchStatus::optimal);
    REQUIRE(r.assignment);
    CHECK(r.value.total == 900);
    CHECK(r.assignment->unit_split == std::vector<int>{1, 0});
    CHECK(r.assignment->unit_cores == std::vector<std::vector<int>>{{0, 1}, {}});
    const BruteForceResult bf = brute_force(in, Objective::latency);
    REQUIRE(bf.best);
    CHECK(bf.value.total == 900);
    CHECK(bf.best->unit_split == std::vector<int>{1, 0});
}

TEST_CASE("allocator-gecode split: the proven optimum equals a brute-force enumeration with split options") {
    std::mt19937 rng(20261127);
    int compared = 0, infeasible = 0, split_optima = 0, split_forbidden = 0;
    for (int trial = 0; trial < 40; ++trial) {
        const int cores = 2 + trial % 2;
        const SlotInstance in = random_split_instance(rng, 2 + trial % 3, cores);
        SlotInstance unbounded = in;
        unbounded.capacities.clear();
        for (Objective objective : {Objective::latency, Objective::energy, Objective::edp}) {
            CAPTURE(trial);
            CAPTURE(objective_name(objective));
            const SearchResult cp = solve_for(in, objective);
            const BruteForceResult bf = brute_force(in, objective);
            if (!bf.best) {
                CHECK(cp.status == SearchStatus::infeasible);
                ++infeasible;
                continue;
            }
            REQUIRE(cp.status == SearchStatus::optimal);
            REQUIRE(cp.assignment);
            CHECK(cp.objective == objective_value(objective, bf.value));
            stream::plugins::gecode_alloc::test::check_value_against_oracle(in, cp);
            // Restarts with neighbourhood steps (option and cores kept together) prove the same.
            SearchSettings restarted;
            restarted.objective = objective;
            restarted.restarts = true;
            const SearchResult rr = solve(in, restarted);
            REQUIRE(rr.status == SearchStatus::optimal);
            CHECK(rr.objective == cp.objective);
            if (splits_somewhere(*bf.best)) ++split_optima;
            if (!in.capacities.empty()) {
                const BruteForceResult free = brute_force(unbounded, objective);
                if (splits_somewhere(*free.best) &&
                    objective_value(objective, free.value) != objective_value(objective, bf.value))
                    ++split_forbidden;
            }
            ++compared;
        }
    }
    CHECK(compared > 80);
    CHECK(infeasible < compared);
    // The instances exercise splits: some optima split, and some weight memories forbid the better one.
    CHECK(split_optima > 10);
    CHECK(split_forbidden > 0);
}

TEST_CASE("allocator-gecode split: weights of every part count in its core's memory") {
    // pipeline() with a's parts keeping 6 units of weights on each core and b 5 on either:
    // under a limit of 10 per core, a split with b beside one of its parts needs 11 (forbidden),
    // so the best left is a and b apart (1040); a limit of 11 allows the split again (900).
    SlotInstance in = pipeline();
    in.units[0].splits[0].weight = {6, 6};
    in.units[1].weight = {5, 5};
    in.capacities = {{{0}, 10, 0}, {{1}, 10, 0}};
    CHECK_FALSE(evaluate(in, {{0, 0}, {0, 1}, {1, 0}, {{0, 1}, {}}}));
    const SearchResult tight = solve_for(in, Objective::latency);
    REQUIRE(tight.assignment);
    CHECK(tight.value.total == 1040);
    CHECK(tight.assignment->unit_split.empty());
    in.capacities = {{{0}, 11, 0}, {{1}, 11, 0}};
    const SearchResult roomy = solve_for(in, Objective::latency);
    REQUIRE(roomy.assignment);
    CHECK(roomy.value.total == 900);
    // A memory shared by both cores holds all parts: 6 + 6 + 5 = 17.
    in.capacities = {{{0, 1}, 16, 0}};
    CHECK_FALSE(evaluate(in, {{0, 0}, {0, 1}, {1, 0}, {{0, 1}, {}}}));
    CHECK(solve_for(in, Objective::latency).value.total == 1040);
}

TEST_CASE(
    "allocator-gecode split: the oracle rejects split cores that are repeated, foreign, miscounted or colliding") {
    // pipeline() plus a third core that only a new, independent unit c (one node, 30) may use
    // besides core 1; a keeps its option k = 2 on cores {0, 1}.
    SlotInstance in = pipeline();
    in.core_ids = {0, 1, 2};
    for (SlotInstance::Unit& u : in.units) {
        u.energy.push_back(0);
        u.weight.push_back(0);
    }
    in.units[0].splits[0].energy.push_back(0);
    in.units[0].splits[0].weight.push_back(0);
    for (SlotInstance::Node& n : in.nodes) {
        n.latency.push_back(0);
        for (std::vector<int>& part : n.split_latency)
            part.push_back(0);
    }
    in.units.push_back(unit_on(2, {1, 2}, {0, 1, 1}, {0, 0, 0}));
    add_node(in, 2, {0, 30, 30});

    // Accepted: a split over {0, 1} in slot 0, b in slot 1, c on core 2 in slot 0.
    const Assignment good{{0, 0, 2}, {0, 1, 0}, {1, 0, 0}, {{0, 1}, {}, {}}};
    const std::optional<ModelValue> v = evaluate(in, good);
    REQUIRE(v);
    // Slot 0: a's parts (50, 50) and c (30) -> 50; slot 1: b (40). Cores 1 and 2 idle in slot 1
    // (40), core 0 never: total = 10 * 90 - 9 * 0 = 900.
    CHECK(v->total == 900);

    auto rejected = [&](Assignment a) { return !evaluate(in, a).has_value(); };
    Assignment a = good;
    a.unit_cores[0] = {0, 0};
    CHECK(rejected(a)); // not distinct
    a.unit_cores[0] = {1, 0};
    a.unit_core[0] = 1;
    CHECK(rejected(a)); // not ascending
    a = good;
    a.unit_cores[0] = {0, 2};
    CHECK(rejected(a)); // core 2 is not a candidate of a
    a.unit_cores[0] = {0};
    CHECK(rejected(a)); // k = 2 needs two cores
    a.unit_cores[0] = {0, 1, 2};
    CHECK(rejected(a));
    a = good;
    a.unit_core[0] = 1;
    CHECK(rejected(a)); // unit_core must be the first of the split cores
    a = good;
    a.unit_split[0] = 2;
    CHECK(rejected(a)); // a has one option only
    a = good;
    a.unit_cores[1] = {1};
    CHECK(rejected(a)); // b runs on one core: no core list
    a = good;
    a.unit_core[2] = 1;
    CHECK(rejected(a)); // c in slot 0 on core 1 collides with a's second part
    // The same core in slot 1, where only b (on core 0) runs: accepted, so the rejection above
    // was the collision.
    a.node_slot[2] = 1;
    CHECK_FALSE(rejected(a));
}

TEST_CASE("allocator-gecode split: bounds and interchangeable cores take the split options into account") {
    // one_node: the whole takes 100 and 10; two parts of 110 and 6 each outlast and outcost it.
    SlotInstance slow = one_node(110, 6);
    CHECK(slow.period_bound() == 110);
    CHECK(slow.energy_bound() == 12); // 6 + 6 > 10
    const SlotInstance even = one_node(50, 5);
    CHECK(even.period_bound() == 100);
    CHECK(even.energy_bound() == 10); // 5 + 5 = 10
    // pipeline: a at most 100 (whole), b 40; energies a max(1, 1 + 1), b 1.
    CHECK(pipeline().period_bound() == 140);
    CHECK(pipeline().energy_bound() == 3);

    CHECK(interchangeable_cores(even) == std::vector<std::vector<int>>{{0, 1}});
    SlotInstance part_latency = even;
    part_latency.nodes[0].split_latency[0][1] = 51;
    CHECK(interchangeable_cores(part_latency).size() == 2);
    SlotInstance part_energy = even;
    part_energy.units[0].splits[0].energy[1] = 4;
    CHECK(interchangeable_cores(part_energy).size() == 2);
    SlotInstance part_weight = even;
    part_weight.units[0].splits[0].weight[1] = 1;
    CHECK(interchangeable_cores(part_weight).size() == 2);
}

TEST_CASE("allocator-gecode split: two search threads prove the hand-derived pipeline optimum too") {
    SearchSettings settings;
    settings.threads = 2;
    const SearchResult r = solve(pipeline(), settings);
    REQUIRE(r.status == SearchStatus::optimal);
    CHECK(r.value.total == 900);
}
