// Reads Stream's mapping YAML directly (stream.md §2.3): a list of entries
//   - name: default | <ONNX op type> | <ONNX node name>
//     core_allocation: [0, 1]          core_allocation_is_fixed: false
//     intra_core_tiling: ["OY, all"]   inter_core_tiling: ["K, *"]
// `spatial_mapping`, `memory_operand_links`, `spatial_mapping_hint` and
// `temporal_ordering` are accepted and ignored, as Stream ignores them (the
// core's dataflow decides the spatial mapping). An entry named like an ONNX
// op type (first letter upper case, no '/') is an op-type entry, otherwise a
// layer-name entry; Stream looks names up before op types, and so do we.
#pragma once

#include "ir/Accelerator.hpp"
#include "ir/Mapping.hpp"

#include <filesystem>

namespace stream {

Mapping load_stream_yaml_mapping(const std::filesystem::path& file, const Accelerator& acc);

} // namespace stream
