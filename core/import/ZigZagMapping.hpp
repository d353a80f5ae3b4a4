// Reads ZigZag's mapping YAML (zigzag-inputs/mapping/*.yaml): per layer name,
// op type or default, the spatial mapping (array dimension -> [loop, factor]
// unrollings) that replaces the core's dataflow for those layers. Memory
// operand links are checked against the convention Stream-DSE's cores use
// (I -> I1, W -> I2, O -> O); temporal orderings and hints are accepted and
// reported as ignored, because the mapping search chooses the temporal mapping.
#pragma once

#include "ir/Accelerator.hpp"
#include "ir/Workload.hpp"

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace stream {

struct ZigZagMapping {
    std::map<std::string, std::vector<SpatialUnrolling>> by_name;
    std::map<std::string, std::vector<SpatialUnrolling>> by_op_type;
    std::optional<std::vector<SpatialUnrolling>> default_entry;
    std::vector<std::string> notes; ///< fields accepted but not used

    /// The spatial mapping for `layer` (name, then op type — ZigZag's "Pooling" matches every
    /// pooling operator — then default); nullptr when none applies.
    const std::vector<SpatialUnrolling>* lookup(const Layer& layer) const;
};

ZigZagMapping load_zigzag_mapping(const std::filesystem::path& file);

} // namespace stream
