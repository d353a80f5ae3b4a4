#include "ir/Accelerator.hpp"

#include <fmt/format.h>

namespace stream {

std::int64_t CoreType::mac_units() const {
    std::int64_t n = array_dims.empty() ? 0 : 1;
    for (const ArrayDim& d : array_dims) n *= d.size;
    return n;
}

std::string Core::label() const { return fmt::format("core {} '{}'", id, type ? type->name : std::string{}); }

} // namespace stream
