// The accelerator IR: cores (each an instance of a core type with its own
// operational array, memory hierarchy, dataflow and core-model plugin), an
// off-chip DRAM core, and the links between cores.
#pragma once

#include "error/Error.hpp"

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace toml {
inline namespace v3 {
class table;
}
} // namespace toml

namespace stream {

struct ArrayDim {
    std::string name;
    std::int64_t size = 1;
    bool operator==(const ArrayDim&) const = default;
};

struct PortUse {
    std::string operand;
    std::string flow; ///< fh, tl, fl, th
    std::string port; ///< e.g. r_port_1
    bool operator==(const PortUse&) const = default;
};

struct MemoryLevel {
    std::string name;
    std::int64_t size_bits = 0;
    double read_bw_bits_per_cycle = 0;
    double write_bw_bits_per_cycle = 0;
    double read_energy_pj = 0;
    double write_energy_pj = 0;
    double area_mm2 = 0;
    double leakage_mw = 0;
    double latency_cycles = 0;
    std::int64_t min_read_bits = 0;
    std::int64_t min_write_bits = 0;
    std::vector<std::string> operands;
    std::vector<std::string> served_dims;
    std::uint32_t read_ports = 1;
    std::uint32_t write_ports = 1;
    std::uint32_t read_write_ports = 0;
    std::vector<PortUse> port_uses;
    /// Which memory model produced the costs ("given in the hardware file" when none did).
    std::string cost_source = "given in the hardware file";
    SourceLoc where;

    bool same_instance_as(const MemoryLevel& o) const;
};

struct SpatialUnrolling {
    std::string array_dim;
    std::string loop_dim;
    std::int64_t factor = 1;
};

struct CoreType {
    std::string name;
    std::vector<ArrayDim> array_dims;
    double mac_energy_pj = 0;
    double mac_area_mm2 = 0;
    std::vector<MemoryLevel> memories; ///< innermost first
    std::vector<SpatialUnrolling> dataflow;
    /// The core-model plugin this core type names (empty: the pipeline's [cost] plugin).
    std::string model_plugin;
    /// That plugin's own keys, validated once the plugin is known.
    std::shared_ptr<const toml::table> model_table;
    SourceLoc where;

    std::int64_t mac_units() const;
};

struct Core {
    std::int64_t id = 0;
    std::shared_ptr<const CoreType> type;
    bool is_offchip = false;
    /// The core whose outermost memory this core uses (itself unless it shares one).
    std::int64_t top_memory_owner = 0;
    SourceLoc where;
    std::string label() const; ///< "core 2 'simd'"
};

struct Link {
    std::int64_t id = 0;
    std::int64_t from_core = 0;
    std::int64_t to_core = 0;
    double bandwidth_bits_per_cycle = 0;
    double energy_pj_per_bit = 0;
    double latency_cycles = 0;
    bool bidirectional = true;
    /// Non-empty for a bus; from/to then restrict it to one sender or one receiver when >= 0.
    std::vector<std::int64_t> bus_cores;
    SourceLoc where;
};

struct Accelerator {
    std::string name;
    std::vector<Core> cores; ///< indexed by id
    std::int64_t offchip_core = -1;
    std::vector<Link> links;
    SourceLoc where;
};

} // namespace stream
