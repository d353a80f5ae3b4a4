#include "ir/Mapping.hpp"

namespace stream {

const MappingEntry* Mapping::lookup(const Layer& layer) const {
    if (auto it = by_layer_name.find(layer.name); it != by_layer_name.end()) return &it->second;
    if (auto it = by_op_type.find(layer.op_type); it != by_op_type.end()) return &it->second;
    return default_entry ? &*default_entry : nullptr;
}

std::optional<ResolvedMapping> Mapping::resolve(const Layer& layer) const {
    const MappingEntry* e = lookup(layer);
    if (!e) return std::nullopt;
    const MappingEntry* d = default_entry ? &*default_entry : nullptr;
    ResolvedMapping r;
    r.where = e->where;
    r.cores = !e->cores.empty() ? e->cores : d ? d->cores : std::vector<std::int64_t>{};
    if (r.cores.empty()) return std::nullopt;
    r.fixed = e->fixed.value_or(d && d->fixed ? *d->fixed : false);
    // An empty tiling list inherits too, as in Stream, so a default can give the tiling of every entry.
    auto inherit = [&](const std::optional<std::vector<TilingFactor>>& mine,
                       const std::optional<std::vector<TilingFactor>>& def) {
        if (mine && !mine->empty()) return *mine;
        return def ? *def : std::vector<TilingFactor>{};
    };
    r.intra_core_tiling = inherit(e->intra_core_tiling, d ? d->intra_core_tiling : std::nullopt);
    r.inter_core_tiling = inherit(e->inter_core_tiling, d ? d->inter_core_tiling : std::nullopt);
    return r;
}

} // namespace stream
