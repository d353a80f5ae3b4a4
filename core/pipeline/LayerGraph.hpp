// Builds the computation-node graph at whole-layer granularity: one node and
// one allocation unit per computation layer, edges from producers (followed
// through layout-only layers) to consumers, and layer stacks deciding which
// outputs must go to DRAM. The fusion engine will refine this into tiles.
#pragma once

#include "ir/CnGraph.hpp"
#include "ir/Mapping.hpp"
#include "ir/Workload.hpp"

#include <string>
#include <vector>

namespace stream {

/// The stack of every layer (indexed by layer id). In "layer_by_layer" mode
/// each computation layer is its own stack; in "fused" mode `stacks` lists
/// stacks as "0-10,11-21" (layer ids, or single layer names), layers not
/// listed each form their own stack, and an empty `stacks` fuses the whole
/// network into one stack.
std::vector<std::int64_t> assign_stacks(const Workload& w, const std::string& mode, const std::string& stacks,
                                        const SourceLoc& where);

/// Nodes, edges and units, without costs (CnNode::costs lists the candidate
/// cores with zero cost; the cost stage fills them in).
CnGraph build_layer_graph(const Workload& w, const Mapping& m, const std::vector<std::int64_t>& stack_of_layer);

} // namespace stream
