// The mapping space a search explores, as the explorer ABI describes it
// (stream_mapping_space_v1): per computation layer, in layer order, whether a
// stack starts there, how the layer is cut into intra-core tiles, and over how
// many cores it is split. A point of the space turns into what the fusion
// engine takes — a Mapping and FusionOptions — so a candidate is tiled, costed
// and scheduled exactly like a mapping written by hand.
#pragma once

#include "explore/SearchSettings.hpp"
#include "fusion/CnGraphBuilder.hpp"
#include "ir/Accelerator.hpp"
#include "ir/Mapping.hpp"
#include "ir/Workload.hpp"

#include <cstdint>
#include <string>
#include <vector>

namespace stream {

struct TilingOption {
    std::string dim; ///< empty: the layer whole
    std::int64_t tiles = 1;
    bool operator==(const TilingOption&) const = default;
};

struct LayerChoices {
    std::int64_t layer = 0;
    std::vector<TilingOption> tilings; ///< [0] is the layer whole
    std::uint32_t max_split = 1;
    std::int32_t stack_start_fixed = -1; ///< -1 searched; 0 or 1 fixed
    /// The inter-core loop a split cuts ("K", "G", ...), empty when the layer is not split by the search.
    std::string split_dim;
    std::int64_t weight_bits = 0;
    std::int64_t output_bits = 0;
    double macs = 0;
};

/// One point: three arrays with one entry per LayerChoices.
struct MappingPoint {
    std::vector<std::uint8_t> stack_start;
    std::vector<std::uint32_t> tiling;
    std::vector<std::uint32_t> split;
    bool operator==(const MappingPoint&) const = default;
};

struct MappingSpace {
    std::vector<LayerChoices> choices;
    /// Index into `choices` of each layer id; -1 for layout-only layers.
    std::vector<std::int64_t> choice_of_layer;
    MappingPoint layer_by_layer;
    MappingPoint as_written; ///< the pipeline's own mapping (its stacks, one tile per output row)
    /// Evaluated before the explorer runs: layer by layer, the mapping as written, Stream's
    /// "weights" stacks (when the stacks are searched); duplicates removed.
    std::vector<MappingPoint> seeds;

    /// Why `p` is not a point of the space (sizes, indices, fixed entries), empty when it is one.
    std::string problem_with(const MappingPoint& p) const;
    /// Tiling choices of layers alone in their stack set to 0: equal schedules, one point.
    MappingPoint normalised(MappingPoint p) const;
    /// The layer stacks of `p` as the pipeline writes them ("0-5,6-6,7-20"), covering every layer.
    std::string stacks_text(const MappingPoint& p, std::size_t layer_count) const;
    /// Stack index of every layer id.
    std::vector<std::int64_t> stack_of_layer(const MappingPoint& p, std::size_t layer_count) const;
};

/// The space of `w` under the pipeline's mapping: tile options per layer from `s` (loops, max_tiles,
/// tile_options) and the mapping's "search" factors; stacks fixed to `fixed_stacks` (per layer id)
/// when `s.stacks_searched` is false.
MappingSpace build_mapping_space(const Workload& w, const Mapping& m, const Accelerator& acc, const SearchSettings& s,
                                 const std::vector<std::int64_t>& fixed_stacks, bool compat_stream);

/// The stacks of the mapping as written: [search] start_stacks when the stacks are searched and it
/// is given, else `pipeline_stacks` (what the pipeline's layer_stacks gave).
std::vector<std::int64_t> stacks_as_written(const SearchSettings& s, const Workload& w, const Accelerator& acc,
                                            const std::vector<std::int64_t>& pipeline_stacks, bool compat_stream);

/// What the fusion engine takes for point `p`.
struct PointMapping {
    Mapping mapping;
    FusionOptions fusion;
};
PointMapping apply_point(const MappingSpace& space, const MappingPoint& p, const Workload& w, const Mapping& base,
                         const FusionOptions& base_fusion);

/// "OY/8" per tiled layer, "x2" per split layer: a compact description for reports.
std::string describe_layer_choice(const MappingSpace& space, const MappingPoint& p, std::size_t choice);

} // namespace stream
