// Reads ZigZag's mapping YAML (zigzag-inputs/mapping/*.yaml): per layer name,
// op type or default, the spatial mapping (array dimension -> [loop, factor]
// unrollings) that replaces the core's dataflow for those layers. Memory
// operand links are checked against the convention Stream-DSE's cores use
// (I -> I1, W -> I2, O -> O). A temporal ordering is handed to the core model,
// which allocates it instead of searching; spatial mapping hints are handed to the core
// model's spatial-mapping generator, which fills the array dimensions the entry leaves out.
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
    struct Entry {
        std::vector<SpatialUnrolling> spatial;
        /// "OX 112, OY 112, K 2": loops innermost first, as the core model's temporal_ordering key
        /// takes them; empty when the entry gives none.
        std::string temporal_ordering;
        /// "D1: K; D2: C, FX, FY": the layer dims each array dimension may unroll, as the core
        /// model's spatial_mapping_hint key takes them; empty when the entry gives none.
        std::string spatial_mapping_hint;
    };
    std::map<std::string, Entry> by_name;
    std::map<std::string, Entry> by_op_type;
    std::optional<Entry> default_entry;
    std::vector<std::string> notes; ///< fields accepted but not used

    /// The entry for `layer` (name, then op type — ZigZag's "Pooling" matches every pooling
    /// operator — then default); nullptr when none applies.
    const Entry* lookup(const Layer& layer) const;
};

ZigZagMapping load_zigzag_mapping(const std::filesystem::path& file);

} // namespace stream
