// Which cores may run each layer: by layer name, by operator type, or by default.
// (Tiling and layer stacks join this value when the fusion engine lands.)
#pragma once

#include "error/Error.hpp"
#include "ir/Workload.hpp"

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace stream {

struct MappingEntry {
    std::vector<std::int64_t> cores; ///< candidate cores
    SourceLoc where;
};

struct Mapping {
    std::map<std::string, MappingEntry> by_layer_name;
    std::map<std::string, MappingEntry> by_op_type;
    std::optional<MappingEntry> default_entry;
    SourceLoc where;

    /// The most specific entry for `layer`: its name, then its op type, then the default.
    const MappingEntry* lookup(const Layer& layer) const;
};

} // namespace stream
