// The data of one steady-state slot model, in the integers Gecode works with,
// and the model's objective computed in plain C++ (the oracle the tests and the
// brute force use).
//
// Stream's model (stream.md §5.3 step B), with splits fixed to one core: each
// steady-state node gets a core (all nodes of an allocation unit share it) and
// a slot 0..|V|-1; a core runs at most one node per slot; a consumer's slot
// comes after its producer's; the weights of the units on a core fit its
// weight memory. A slot lasts as long as its slowest node; one wave lasts
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
    };
    struct Node {
        std::size_t problem_node = 0;
        std::size_t unit = 0; ///< index into SlotInstance::units
        std::int64_t layer = 0;
        std::vector<int> latency; ///< per model core (0 where not allowed), scaled
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
    /// Sum over nodes of their largest latency: a bound on one wave's period.
    long long period_bound() const;
    long long energy_bound() const;
};

/// A core per unit and a slot per node.
struct Assignment {
    std::vector<int> unit_core;
    std::vector<int> node_slot;
    bool operator==(const Assignment&) const = default;
};

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
/// each, every node has equal latency on each, and none has a weight-memory bound or all
/// have their own with equal limits. Swapping such cores maps solutions onto solutions.
std::vector<std::vector<int>> interchangeable_cores(const SlotInstance& instance);

/// Builds the model data of one stack from the problem tables and its steady state.
SlotInstance build_instance(const ProblemTables& tables, const SteadyState& steady, std::int64_t stack);

} // namespace stream::plugins::gecode_alloc
