#include "ir/Accelerator.hpp"

#include <fmt/format.h>

namespace stream {

std::int64_t CoreType::mac_units() const {
    std::int64_t n = array_dims.empty() ? 0 : 1;
    for (const ArrayDim& d : array_dims) n *= d.size;
    return n;
}

bool MemoryLevel::same_instance_as(const MemoryLevel& o) const {
    return name == o.name && size_bits == o.size_bits && read_bw_bits_per_cycle == o.read_bw_bits_per_cycle &&
           write_bw_bits_per_cycle == o.write_bw_bits_per_cycle && read_energy_pj == o.read_energy_pj &&
           write_energy_pj == o.write_energy_pj && operands == o.operands && read_ports == o.read_ports &&
           write_ports == o.write_ports && read_write_ports == o.read_write_ports;
}

std::string Core::label() const { return fmt::format("core {} '{}'", id, type ? type->name : std::string{}); }

} // namespace stream
