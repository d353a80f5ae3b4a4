// How one layer is cut into computation nodes (stream.md §3.2–3.3): the outer
// loops taken out of its loop nest (intra-core tiling, then inter-core tiling,
// the first listed varying fastest), which of them separate tile groups that
// may run on different cores, and the tiles themselves.
#pragma once

#include "ir/CnGraph.hpp"
#include "ir/Mapping.hpp"
#include "ir/Workload.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace stream {

struct OuterLoop {
    std::uint32_t dim = 0; ///< index into Layer::loop_dims
    std::int64_t factor = 1;
    bool inter_core = false;
};

struct LayerTiling {
    std::vector<OuterLoop> loops; ///< fastest-varying first
    std::int64_t groups = 1;      ///< product of the inter-core factors
    /// Stream rounds a dimension up to a multiple of a factor that does not
    /// divide it (every tile equal, the last one overhanging); by default the
    /// tiles are balanced instead and nothing overhangs.
    bool round_up = false;
};

struct TilingContext {
    bool layer_by_layer = false;
    std::size_t stack_size = 1;
    bool compat_stream = false;
    std::size_t cores = 1; ///< candidate cores of the layer: what "*" splits over
    std::int64_t star_split = 0; ///< > 0: "*" splits over this many of them instead (at most all; also under compat_stream)
};

struct Tile {
    std::vector<Range> loops;
    std::int64_t group = 0;
    std::int64_t sub_id = 0;
};

/// The loop a tiling entry names: the layer's own dimension names, and
/// Stream's positional names for element-wise and matrix layers (D: rows,
/// H: heads, K: last axis of an element-wise output).
std::optional<std::uint32_t> find_tiling_dim(const Layer& layer, std::string_view name, bool compat_stream);

/// The loop fused layers are cut along when the mapping gives no intra-core
/// tiling: the rows of the output (its second-to-last axis).
std::optional<std::uint32_t> default_fusion_dim(const Layer& layer, bool compat_stream);

/// `warnings` collects entries that were dropped or adjusted, with the reason.
LayerTiling resolve_tiling(const Layer& layer, const ResolvedMapping& mapping, const TilingContext& ctx,
                           std::vector<std::string>& warnings);

std::vector<Tile> make_tiles(const Layer& layer, const LayerTiling& tiling);

} // namespace stream
