// The cost table: every distinct (tile shape, core type) pair evaluated once
// through the core's model plugin — in parallel when the plugin is
// thread-safe — and copied to every node and allocation unit.
#pragma once

#include "ir/Accelerator.hpp"
#include "pipeline/CostCache.hpp"
#include "ir/CnGraph.hpp"
#include "ir/Workload.hpp"
#include "plugin_host/Diagnostics.hpp"
#include "plugin_host/PluginInstance.hpp"

#include <stream/plugin.h>

#include <vector>

namespace stream {

struct CostModelsOfCores {
    std::vector<const PluginInstance<stream_core_model_v1>*> model; ///< per core id; null for off-chip
    std::vector<const stream_config_v1*> config;                    ///< per core id
    std::vector<std::string> config_text;                           ///< per core id, for cache keys (CostKey.hpp)
    const CostCache* cache = nullptr;                               ///< optional: answers shared beyond this run
};

struct CostTableStats {
    std::size_t evaluations = 0; ///< distinct (tile shape, core type) questions
    std::size_t cache_hits = 0;  ///< of those, answered by CostModelsOfCores::cache
    std::size_t pairs = 0;       ///< (node, candidate core) pairs they answered
    std::size_t threads = 1;
};

/// A tile of `layer` as the cost models see it: loop sizes of the tile, and
/// operand extents of the slices it touches.
Layer tile_layer(const Layer& layer, const CnNode& node);

/// Fills CnNode::costs and AllocUnit::costs. Under compat "stream", nodes whose
/// unit is not pinned to one core run for the cost's latency without
/// off-loading, as Stream's allocators use it. A core that cannot run a tile
/// (infeasible) is dropped, with a warning, from the unit's candidates when
/// others remain; otherwise the error names the layer and every core's reason.
CostTableStats evaluate_cost_table(CnGraph& g, const Workload& w, const Accelerator& acc, const CostModelsOfCores& models,
                                   bool compat_stream, Diagnostics& diag);

} // namespace stream
