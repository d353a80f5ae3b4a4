// Reads an accelerator (system) TOML file and the core-type files it refers
// to into the Accelerator IR, validating as it goes; every error names
// file:line:col and the key. The schema is documented in docs/hardware.md.
#pragma once

#include "config/ConfigKey.hpp"
#include "ir/Accelerator.hpp"

#include <filesystem>
#include <string>
#include <vector>

namespace toml {
inline namespace v3 {
class table;
}
} // namespace toml

namespace stream {

/// What a memory-model plugin is asked about one memory entry.
struct MemorySpec {
    std::string name;
    std::int64_t size_bits = 0;
    std::int64_t word_bits = 0;
    std::uint32_t read_ports = 0;
    std::uint32_t write_ports = 0;
    std::uint32_t read_write_ports = 0;
    double technology_nm = 0;
};

/// What it answers.
struct MemoryCosts {
    double read_energy_pj = 0;
    double write_energy_pj = 0;
    double read_bw_bits_per_cycle = 0;
    double write_bw_bits_per_cycle = 0;
    double area_mm2 = 0;
    double leakage_mw = 0;
    double latency_cycles = 0;
    std::string source;
};

/// Costs memory entries that name a model (`model = "sram"`) through memory-model plugins.
class MemoryModelResolver {
public:
    virtual ~MemoryModelResolver() = default;
    /// The keys `model` declares; throws Error (at `where`) if there is no such model.
    virtual std::vector<ConfigKey> keys_of(const std::string& model, const SourceLoc& where) const = 0;
    /// Runs the model on `spec` with the entry's own keys (`entry`, minus `host_keys`).
    virtual MemoryCosts describe(const std::string& model, const MemorySpec& spec, const toml::table& entry,
                                 const std::vector<std::string>& host_keys, const std::string& context) const = 0;
};

/// `resolver` may be null when no memory names a model. A Stream system YAML or a ZigZag core
/// YAML is imported first (core/import) into a private temporary folder and loaded from there.
/// `overrides` (a pipeline's [hardware] table, see AcceleratorOverrides.hpp) edits the files'
/// values as they are read.
Accelerator load_accelerator(const std::filesystem::path& system_file, const MemoryModelResolver* resolver = nullptr,
                             const toml::table* overrides = nullptr);
/// One core-type file (shared by every core that names it).
CoreType load_core_type(const std::filesystem::path& core_file, bool* is_offchip = nullptr,
                        const MemoryModelResolver* resolver = nullptr, const toml::table* overrides = nullptr);

} // namespace stream
