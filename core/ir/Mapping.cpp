#include "ir/Mapping.hpp"

namespace stream {

const MappingEntry* Mapping::lookup(const Layer& layer) const {
    if (auto it = by_layer_name.find(layer.name); it != by_layer_name.end()) return &it->second;
    if (auto it = by_op_type.find(layer.op_type); it != by_op_type.end()) return &it->second;
    return default_entry ? &*default_entry : nullptr;
}

} // namespace stream
