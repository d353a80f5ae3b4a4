// Where and how each layer runs: candidate cores, whether the list pins tile
// groups to cores, and the intra- and inter-core tiling that cuts the layer
// into computation nodes. Entries are looked up by layer name, then op type,
// then default; an entry's unset fields come from the default entry.
#pragma once

#include "error/Error.hpp"
#include "ir/Workload.hpp"

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace stream {

/// One outer loop cut out of a layer: split loop `dim` into `factor` tiles.
struct TilingFactor {
    enum class Kind {
        Count, ///< `factor` tiles
        All,   ///< one tile per iteration ("all")
        Star,  ///< inter-core only: as many tiles as the layer gets cores ("*")
        Search, ///< chosen by the mapping search ("search"); the fusion engine never sees it
    };
    std::string dim;
    Kind kind = Kind::Count;
    std::int64_t factor = 1;
    SourceLoc where;
    bool operator==(const TilingFactor& o) const { return dim == o.dim && kind == o.kind && factor == o.factor; }
};

struct MappingEntry {
    std::vector<std::int64_t> cores; ///< candidate cores (empty: from the default entry)
    /// Entry i of `cores` is the core of tile group i (Stream's core_allocation_is_fixed).
    std::optional<bool> fixed;
    std::optional<std::vector<TilingFactor>> intra_core_tiling;
    std::optional<std::vector<TilingFactor>> inter_core_tiling;
    SourceLoc where;
};

/// An entry with every field resolved against the default entry.
struct ResolvedMapping {
    std::vector<std::int64_t> cores;
    bool fixed = false;
    std::vector<TilingFactor> intra_core_tiling;
    std::vector<TilingFactor> inter_core_tiling;
    SourceLoc where;
};

struct Mapping {
    std::map<std::string, MappingEntry> by_layer_name;
    std::map<std::string, MappingEntry> by_op_type;
    std::optional<MappingEntry> default_entry;
    SourceLoc where;

    /// The most specific entry for `layer`: its name, then its op type, then the default.
    const MappingEntry* lookup(const Layer& layer) const;
    /// That entry with unset fields taken from the default; nullopt when no entry applies
    /// or no entry gives candidate cores.
    std::optional<ResolvedMapping> resolve(const Layer& layer) const;
};

} // namespace stream
