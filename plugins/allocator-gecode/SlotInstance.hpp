// The data of one steady-state slot model, in the integers Gecode works with,
// and the model's objective computed in plain C++ (the oracle the tests and the
// brute force use).
//
// Stream's model (stream.md §5.3 step B): each allocation unit runs on one core
// or, under one of its split options (Stream's split counts ks[v,p]), on k
// distinct cores at once, each doing 1/k of every node of the unit; all nodes
// of a unit share its cores (Stream: same layer => same cores). Each
// steady-state node gets a slot 0..|V|-1 that all its parts share; a core runs
// at most one node (part) per slot; a consumer's slot comes after its
// producer's; the weights of the units on a core fit its weight memory. A slot
// lasts as long as its slowest part; one wave lasts
// `period` = the sum of its slots; consecutive waves overlap by the idle time
// (leading + trailing idle slots) that every core has, so the stack takes
//   total = N * period - (N - 1) * min over cores of idle.
//
// Scales, chosen per stack so every sum fits Gecode's int range with room:
//  - latency: whole cycles, or `cycles_per_latency_unit` cycles per unit when
//    N * (sum of the nodes' largest latencies) would exceed 1e9;
//  - energy: units of `pj_per_energy_unit` pJ, a power of ten chosen so the
//    largest possible energy of the stack is at most 1e7 units (6-7 significant
//    digits, and latency x energy stays below 1e16 for the EDP objective);
//  - weights: bits, or `bits_per_weight_unit` bits (a power of two) per unit
//    when the stack's weights exceed 1e9 bits; weights round up and capacities
//    down, so a scaled fit is a real fit.
#pragma once

#include "ProblemTables.hpp"
#include "SteadyState.hpp"

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace stream::plugins::gecode_alloc {

enum class Objective { latency, energy, edp };

std::optional<Objective> objective_from_name(std::string_view name);
std::string_view objective_name(Objective objective);

struct SlotInstance {
    struct Unit {
        std::size_t problem_unit = 0;
        std::int64_t layer = 0;
        std::vector<int> allowed;       ///< model core indices it may run on, ascending
        std::vector<int> energy;        ///< per model core (0 where not allowed): all its nodes, scaled
        std::vector<int> weight;        ///< per model core: weights it keeps there, scaled
        std::vector<std::size_t> nodes; ///< indices into SlotInstance::nodes
        /// Stream's split counts beyond one core: under option s the unit runs on splits[s].cores distinct
        /// cores of `allowed` at once, each core doing one part (1/k of every node of the unit) in the node's
        /// slot. Empty: the unit always runs on one core (the model is exactly today's).
        struct Split {
            int cores = 2; ///< k >= 2, options in ascending k, each k at most once
            std::vector<int>
                energy; ///< per model core: one part's energy there (all the unit's nodes), scaled; 0 where not allowed
            std::vector<int> weight; ///< per model core: the weights one part keeps there, scaled
        };
        std::vector<Split> splits{};
    };
    struct Node {
        std::size_t problem_node = 0;
        std::size_t unit = 0; ///< index into SlotInstance::units
        std::int64_t layer = 0;
        std::vector<int> latency; ///< per model core (0 where not allowed), scaled
        /// split_latency[s][c]: one part's latency on model core c under the unit's option s (scaled; 0 where not
        /// allowed).
        std::vector<std::vector<int>> split_latency{};
    };
    /// Cores sharing one weight memory (usually one core).
    struct Capacity {
        std::vector<int> cores; ///< model core indices
        int limit = 0;          ///< scaled, rounded down
        std::int64_t bits = 0;
    };

    std::int64_t stack = 0;
    std::int64_t iterations = 1;        ///< N
    std::vector<std::int64_t> core_ids; ///< model core index -> accelerator core id
    std::vector<Unit> units;
    std::vector<Node> nodes;
    std::vector<std::pair<std::size_t, std::size_t>> edges; ///< producer -> consumer, node indices
    std::vector<Capacity> capacities;                       ///< empty when weights cannot overflow (or one node only)
    double cycles_per_latency_unit = 1;
    double pj_per_energy_unit = 1;
    double bits_per_weight_unit = 1;

    int slots() const { return static_cast<int>(nodes.size()); }
    /// Sum over nodes of their largest latency (whole or part): a bound on one wave's period.
    long long period_bound() const;
    /// Sum over units of their largest energy: one core's, or per split option the k largest parts'.
    long long energy_bound() const;
    /// Whether some unit has a split option (else the model is the one-core model).
    bool has_splits() const;
};

/// A core (or, split, k cores) per unit and a slot per node.
struct Assignment {
    std::vector<int> unit_core;
    std::vector<int> node_slot;
    /// Per unit: 0 = one core (unit_core), s + 1 = option splits[s]. Empty = all 0.
    std::vector<int> unit_split;
    /// Per unit under a split option: its k cores, ascending, distinct, all in `allowed`; unit_core[u] is then
    /// the first of them. Empty vector for a unit on one core. The whole member may be empty when no unit splits.
    std::vector<std::vector<int>> unit_cores;
    bool operator==(const Assignment&) const = default;
};

/// Empties unit_split and unit_cores when no unit of `a` splits, so that an assignment without
/// splits compares equal however it was produced (solver, brute force, or built by hand).
void drop_unsplit(Assignment& a);

/// The model's quantities for one assignment, in model units.
struct ModelValue {
    long long total = 0; ///< N * period - (N - 1) * idle_min
    long long energy = 0;
    long long period = 0;
    long long idle_min = 0;
};

/// The model's value of `a`, or nothing when `a` breaks a constraint.
std::optional<ModelValue> evaluate(const SlotInstance& instance, const Assignment& a);

/// The minimised quantity: total, energy, or total * energy.
long long objective_value(Objective objective, const ModelValue& v);
/// The same in cycles, pJ or cycles * pJ.
double real_objective(const SlotInstance& instance, Objective objective, long long value);
/// Strictly better: the objective, then (latency and energy only) the other quantity.
bool better(Objective objective, const ModelValue& a, const ModelValue& b);

/// Classes of model cores (each ascending, classes by first member) that the model cannot
/// tell apart: every unit allows all or none of a class, with equal energy and weight on
/// each (on one core and under every split option), every node has equal latency on each
/// (whole and per part), and none has a weight-memory bound or all
/// have their own with equal limits. Swapping such cores maps solutions onto solutions.
std::vector<std::vector<int>> interchangeable_cores(const SlotInstance& instance);

/// Builds the model data of one stack from the problem tables and its steady state.
SlotInstance build_instance(const ProblemTables& tables, const SteadyState& steady, std::int64_t stack);

} // namespace stream::plugins::gecode_alloc
