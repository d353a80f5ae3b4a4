// Turns (workload, mapping, accelerator, fusion settings) into the CN graph
// that allocators and schedulers work on: layer stacks, tiles of every
// computation layer, the tensors they read and write, producer-to-consumer
// edges, tile groups as allocation units, a depth-first scheduling order, and
// the distinct tile shapes the cost models are asked about.
#pragma once

#include "fusion/LayerTiling.hpp"
#include "ir/Accelerator.hpp"
#include "ir/CnGraph.hpp"
#include "ir/Mapping.hpp"
#include "ir/Workload.hpp"

#include <string>
#include <vector>

namespace stream {

struct FusionOptions {
    std::string mode = "fused";  ///< "fused" or "layer_by_layer"
    std::string layer_stacks;    ///< see assign_stacks
    bool compat_stream = false;  ///< reproduce Stream's tiling (docs/compat-stream.md)
    SourceLoc stacks_where;      ///< where layer_stacks was written, for errors
    /// Per layer id: the number of cores its inter-core "*" tiling splits over, as an allocator
    /// choosing Stream's split counts asks (0 or missing: one group per candidate core, or one
    /// group under compat_stream).
    std::vector<std::int64_t> star_split_of_layer;
};

struct FusionResult {
    CnGraph graph;
    std::vector<std::int64_t> stack_of_layer;
    std::vector<LayerTiling> tiling_of_layer; ///< empty tiling for layout-only layers
    std::vector<std::string> warnings;        ///< tiling entries dropped or adjusted
};

/// Node costs list each candidate core with zero cost and the node's weight
/// bits; the cost stage fills in the rest.
FusionResult build_cn_graph(const Workload& w, const Mapping& m, const Accelerator& acc, const FusionOptions& options);

} // namespace stream
