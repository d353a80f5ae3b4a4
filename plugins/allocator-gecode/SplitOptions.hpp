// Stream's split counts (stream.md §5.3): a steady-state node may run on k
// cores at once, each core doing one k-th of it in the node's slot. Stream
// guesses the parts' latency as floor(latency / k), allowed when k divides the
// temporal iterations of the split dimension. Here the host re-tiles the layer
// with its inter-core "*" split k ways (the evaluator's `retile`, ABI 1.1) and
// costs the parts with the core models, so a split that leaves an array half
// idle costs what it really costs, and no divisibility rule is needed.
//
//   std::vector<SplitProblem> splits = {{2, read_problem(*p2), p2}, {4, ...}};
//   SlotInstance in = build_instance(base, steady, stack);
//   add_split_options(in, base, splits);
#pragma once

#include "ProblemTables.hpp"
#include "SlotInstance.hpp"

#include <stream/plugin.h>

#include <vector>

namespace stream::plugins::gecode_alloc {

/// The problem with every splittable layer split over `cores` cores.
struct SplitProblem {
    int cores = 2;
    ProblemTables tables;
    const stream_problem_v1* problem = nullptr;
};

/// Adds a split option per problem in `splits` (ascending cores) to every unit of `in` that
/// can take it: `in` was built from `base`, in which the unit is its layer's only unit and not
/// pinned to a core; the split problem tiles that layer in exactly `cores` groups with the same
/// rows as the unit, each group costed on every core the unit allows; and the unit allows at
/// least `cores` cores. A part's latency, energy and weights on a core are the largest over the
/// groups (equal unless the split does not divide the dimension), in the instance's scales.
void add_split_options(SlotInstance& in, const ProblemTables& base, const std::vector<SplitProblem>& splits);

} // namespace stream::plugins::gecode_alloc
