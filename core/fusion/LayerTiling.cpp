#include "fusion/LayerTiling.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <set>

namespace stream {

namespace {

/// The loop that runs along axis `a` of the layer's output, if one does.
std::optional<std::uint32_t> output_axis_loop(const Layer& layer, std::size_t a) {
    const Operand* out = layer.output();
    if (!out || a >= out->axes.size() || out->axes[a].terms.empty()) return std::nullopt;
    return out->axes[a].terms.front().loop_dim;
}

std::size_t output_rank(const Layer& layer) {
    const Operand* out = layer.output();
    return out ? out->axes.size() : 0;
}

/// Layers whose every loop indexes the output one to one: Stream names their
/// loops by output position (B, H, D, K for rank 4).
bool is_elementwise(const Layer& layer) {
    const Operand* out = layer.output();
    if (!out || layer.loop_dims.size() != out->axes.size()) return false;
    std::set<std::uint32_t> seen;
    for (const TensorAxis& ax : out->axes) {
        if (ax.terms.size() != 1 || ax.terms[0].coefficient != 1) return false;
        seen.insert(ax.terms[0].loop_dim);
    }
    return seen.size() == layer.loop_dims.size();
}

std::optional<std::uint32_t> positional(const Layer& layer, std::string_view name) {
    const std::size_t r = output_rank(layer);
    if (r == 0) return std::nullopt;
    if (name == "K") return output_axis_loop(layer, r - 1);
    if (name == "D" && r >= 2) return output_axis_loop(layer, r - 2);
    if (name == "H" && r >= 4) return output_axis_loop(layer, r - 3);
    if (name == "B" && r >= 3) return output_axis_loop(layer, 0);
    return std::nullopt;
}

std::optional<std::uint32_t> by_name(const Layer& layer, std::string_view name) {
    for (std::uint32_t i = 0; i < layer.loop_dims.size(); ++i)
        if (layer.loop_dims[i].name == name) return i;
    return std::nullopt;
}

/// Stream's fusion-dimension table sends these along K (stream.md §3.2).
bool stream_cuts_along_k(const std::string& op_type) {
    static const std::set<std::string> ops = {"Relu", "Gelu", "Silu", "Sigmoid", "Softmax"};
    return ops.count(op_type) != 0;
}

} // namespace

std::optional<std::uint32_t> find_tiling_dim(const Layer& layer, std::string_view name, bool compat_stream) {
    if (compat_stream && is_elementwise(layer))
        if (auto p = positional(layer, name)) return p;
    if (auto d = by_name(layer, name)) return d;
    if (name == "D" || name == "H") return positional(layer, name);
    return std::nullopt;
}

std::optional<std::uint32_t> default_fusion_dim(const Layer& layer, bool compat_stream) {
    const std::size_t r = output_rank(layer);
    if (r == 0) return std::nullopt;
    // Stream cuts activation functions along K, the last axis of its B,H,D,K naming (columns).
    if (compat_stream && stream_cuts_along_k(layer.op_type))
        return output_axis_loop(layer, r - 1);
    return output_axis_loop(layer, r >= 2 ? r - 2 : r - 1);
}

LayerTiling resolve_tiling(const Layer& layer, const ResolvedMapping& mapping, const TilingContext& ctx,
                           std::vector<std::string>& warnings) {
    LayerTiling t;
    t.round_up = ctx.compat_stream;
    auto add = [&](const TilingFactor& f, bool inter) {
        // A factor the search chooses is replaced before tiling; a run without the search (check,
        // tiles) cuts such a loop as if the factor were absent.
        if (f.kind == TilingFactor::Kind::Search) return;
        auto dim = find_tiling_dim(layer, f.dim, ctx.compat_stream);
        if (!dim) {
            warnings.push_back(fmt::format("{}: {} tiling on '{}' dropped: the layer has no such loop", layer.label(),
                                           inter ? "inter-core" : "intra-core", f.dim));
            return;
        }
        const std::int64_t size = layer.loop_dims[*dim].size;
        std::int64_t factor = f.factor;
        if (f.kind == TilingFactor::Kind::All) factor = size;
        if (f.kind == TilingFactor::Kind::Star) {
            // Stream's allocators decide "*" later and start from one group; we give the allocator one
            // group per candidate core, so it may spread the layer or keep it on one core.
            if (ctx.star_split > 0) factor = std::min<std::int64_t>(ctx.star_split, static_cast<std::int64_t>(ctx.cores));
            else if (ctx.compat_stream) return;
            else factor = static_cast<std::int64_t>(ctx.cores);
        }
        factor = std::min(factor, size);
        if (factor <= 1) return;
        if (size % factor != 0)
            warnings.push_back(fmt::format("{}: {} does not divide {} = {}; {}", layer.label(), factor, layer.loop_dims[*dim].name,
                                           size,
                                           t.round_up ? "rounding the dimension up (as Stream does)"
                                                      : "tiles differ in size by one iteration"));
        t.loops.push_back({*dim, factor, inter});
        if (inter) t.groups *= factor;
    };
    if (!ctx.layer_by_layer && ctx.stack_size > 1) {
        for (const TilingFactor& f : mapping.intra_core_tiling) add(f, false);
        // [["OY", 1]] asks for the layer whole (a mapping search offers it); only a mapping that
        // gives no intra-core tiling gets the default rows. Stream has no such case to keep.
        const bool asked_whole =
            !ctx.compat_stream && !mapping.intra_core_tiling.empty() &&
            std::all_of(mapping.intra_core_tiling.begin(), mapping.intra_core_tiling.end(), [&](const TilingFactor& f) {
                return f.kind == TilingFactor::Kind::Count && f.factor == 1 && find_tiling_dim(layer, f.dim, false);
            });
        if (t.loops.empty() && !asked_whole)
            if (auto d = default_fusion_dim(layer, ctx.compat_stream))
                add(TilingFactor{layer.loop_dims[*d].name, TilingFactor::Kind::All, 1, {}}, false);
    }
    std::vector<TilingFactor> inter = mapping.inter_core_tiling;
    if (inter.empty()) {
        if (layer.group_count > 1 && by_name(layer, "G")) inter.push_back({"G", TilingFactor::Kind::Star, 1, {}});
        else if (by_name(layer, "K")) inter.push_back({"K", TilingFactor::Kind::Star, 1, {}});
    }
    for (const TilingFactor& f : inter) add(f, true);
    return t;
}

std::vector<Tile> make_tiles(const Layer& layer, const LayerTiling& tiling) {
    const std::size_t n_dims = layer.loop_dims.size();
    std::vector<std::int64_t> tiles_on_dim(n_dims, 1);
    for (const OuterLoop& l : tiling.loops) tiles_on_dim[l.dim] *= l.factor;
    std::int64_t count = 1;
    for (const OuterLoop& l : tiling.loops) count *= l.factor;

    std::vector<Tile> out;
    out.reserve(static_cast<std::size_t>(count));
    std::vector<std::int64_t> index_on_dim(n_dims);
    for (std::int64_t n = 0; n < count; ++n) {
        std::fill(index_on_dim.begin(), index_on_dim.end(), 0);
        std::vector<std::int64_t> radix_on_dim(n_dims, 1);
        std::int64_t rest = n, group = 0, group_radix = 1;
        for (const OuterLoop& l : tiling.loops) {
            const std::int64_t v = rest % l.factor;
            rest /= l.factor;
            index_on_dim[l.dim] += v * radix_on_dim[l.dim];
            radix_on_dim[l.dim] *= l.factor;
            if (l.inter_core) {
                group += v * group_radix;
                group_radix *= l.factor;
            }
        }
        Tile t;
        t.sub_id = n;
        t.group = group;
        t.loops.resize(n_dims);
        for (std::size_t d = 0; d < n_dims; ++d) {
            const std::int64_t size = layer.loop_dims[d].size, parts = tiles_on_dim[d], i = index_on_dim[d];
            if (tiling.round_up) {
                const std::int64_t step = (size + parts - 1) / parts;
                t.loops[d] = {i * step, (i + 1) * step};
            } else {
                t.loops[d] = {i * size / parts, (i + 1) * size / parts};
            }
        }
        out.push_back(std::move(t));
    }
    return out;
}

} // namespace stream
