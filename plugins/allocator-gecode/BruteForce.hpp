// Plain enumeration of the slot model: every option and core (k-subset of
// candidates under a split option) of every unit and every slot of every node,
// each complete assignment scored by evaluate(). The oracle that the Gecode
// model is checked against on small instances, and the baseline the benchmark
// compares with. Exponential: (core choices)^units x |V|^|V| leaves, pruned
// only where a partial assignment already breaks "one node per core per slot"
// or a precedence.
#pragma once

#include "SlotInstance.hpp"

#include <cstdint>
#include <optional>

namespace stream::plugins::gecode_alloc {

struct BruteForceResult {
    std::optional<Assignment> best; ///< empty when the instance is infeasible
    ModelValue value;
    std::uint64_t leaves = 0; ///< complete assignments scored
};

/// The best assignment under `objective` (ties: better() order, then first found).
BruteForceResult brute_force(const SlotInstance& instance, Objective objective);

} // namespace stream::plugins::gecode_alloc
