#include "sram_model.hpp"

#include "sram_data.hpp"
#include "sram_fit.hpp"

#include <cmath>
#include <limits>
#include <string>

namespace stream::plugins {

namespace {

std::string memory_name(const stream_memory_spec_v1& spec) {
    return spec.name ? std::string("memory '") + spec.name + "'" : std::string("memory");
}

std::string number(double value) {
    std::string text = std::to_string(value);
    if (text.find('.') != std::string::npos) {
        while (text.back() == '0') text.pop_back();
        if (text.back() == '.') text.pop_back();
    }
    return text;
}

// The key's value if given, else `fallback`; it must be finite and within [lo, hi].
double optional_in_range(const sdk::Config& config, const stream_memory_spec_v1& spec, const char* key,
                         double fallback, double lo, double hi) {
    if (!config.has(key)) return fallback;
    const double value = config.get_float(key);
    if (!std::isfinite(value) || value < lo || value > hi)
        throw sdk::Error(STREAM_ERROR_INVALID_CONFIG,
                         memory_name(spec) + ": '" + key + "' is " + number(value) + ", expected " +
                             (std::isinf(hi) ? "a number >= " + number(lo) : "a number from " + number(lo) + " to " + number(hi)),
                         sdk::Item::config_key(key));
    return value;
}

void require_input(bool ok, const stream_memory_spec_v1& spec, const std::string& what) {
    if (!ok) throw sdk::Error(STREAM_ERROR_INVALID_INPUT, memory_name(spec) + ": " + what);
}

} // namespace

SramMemoryModel::SramMemoryModel(sdk::Host) {}

stream_memory_costs_v1 SramMemoryModel::describe(const stream_memory_spec_v1& spec) {
    const sdk::Config config{spec.model_config};
    constexpr double inf = std::numeric_limits<double>::infinity();
    require_input(spec.size_bits > 0, spec, "the sram model needs a size > 0 bits");
    require_input(spec.word_bits > 0, spec, "the sram model needs word_bits > 0");
    require_input(spec.word_bits <= spec.size_bits, spec,
                  "word_bits (" + std::to_string(spec.word_bits) + ") exceeds the size (" +
                      std::to_string(spec.size_bits) + " bits)");
    const uint32_t read_ports = spec.read_ports + spec.read_write_ports;
    const uint32_t write_ports = spec.write_ports + spec.read_write_ports;
    require_input(read_ports > 0 && write_ports > 0, spec,
                  "the sram model needs at least one read and one write (or read/write) port");

    // The model's own key wins over the memory entry's node; 28 nm when neither is given.
    const double entry_node = spec.technology_nm > 0 ? spec.technology_nm : default_technology_nm;
    const double node = config.has("technology_nm") ? config.get_float("technology_nm") : entry_node;
    if (!std::isfinite(node) || node < sram::min_technology_nm || node > sram::max_technology_nm)
        throw sdk::Error(STREAM_ERROR_INVALID_CONFIG,
                         memory_name(spec) + ": 'technology_nm' is " + number(node) + ", expected a node from " +
                             number(sram::min_technology_nm) + " to " + number(sram::max_technology_nm) +
                             " nm (the span of the sram model's published bit-cell data)",
                         sdk::Item::config_key("technology_nm"));
    const double exponent = optional_in_range(config, spec, "energy_node_exponent", sram::default_node_exponent, 0.0, 3.0);

    const double capacity = static_cast<double>(spec.size_bits);
    const double word = static_cast<double>(spec.word_bits);
    const double energy = sram::access_energy_pj(capacity, word, node, exponent);

    stream_memory_costs_v1 costs{};
    costs.struct_size = sizeof costs;
    costs.read_energy_pj = optional_in_range(config, spec, "read_energy_pj", energy, 0.0, inf);
    costs.write_energy_pj = optional_in_range(config, spec, "write_energy_pj", energy, 0.0, inf);
    costs.read_bw_bits_per_cycle = word * read_ports;
    costs.write_bw_bits_per_cycle = word * write_ports;
    costs.area_mm2 = optional_in_range(
        config, spec, "area_mm2",
        sram::macro_area_mm2(capacity, node, spec.read_ports + spec.write_ports + spec.read_write_ports), 0.0, inf);
    costs.leakage_mw = optional_in_range(config, spec, "leakage_mw", 0.0, 0.0, inf);
    costs.latency_cycles = optional_in_range(config, spec, "latency_cycles", 1.0, 0.0, inf);
    costs.source = source;
    return costs;
}

} // namespace stream::plugins
