#include "table_model.hpp"

#include <cmath>
#include <string>

namespace stream::plugins {

namespace {

// A number as a person writes it: 2.5, not 2.500000.
std::string number(double value) {
    std::string text = std::to_string(value);
    if (text.find('.') != std::string::npos) {
        while (text.back() == '0') text.pop_back();
        if (text.back() == '.') text.pop_back();
    }
    return text;
}

std::string memory_name(const stream_memory_spec_v1& spec) {
    return spec.name ? std::string("memory '") + spec.name + "'" : std::string("memory");
}

// A present value must be finite and >= 0 (> 0 when `positive`); the error names the key.
double checked(const sdk::Config& config, const stream_memory_spec_v1& spec, const char* key, bool positive) {
    const double value = config.get_float(key);
    if (!std::isfinite(value) || value < 0.0 || (positive && value == 0.0))
        throw sdk::Error(STREAM_ERROR_INVALID_CONFIG,
                         memory_name(spec) + ": '" + key + "' is " + number(value) + ", expected a " +
                             (positive ? "positive" : "non-negative") + " finite number",
                         sdk::Item::config_key(key));
    return value;
}

double required(const sdk::Config& config, const stream_memory_spec_v1& spec, const char* key, const char* what) {
    if (!config.has(key))
        throw sdk::Error(STREAM_ERROR_INVALID_CONFIG,
                         memory_name(spec) + " uses the table memory model but does not give '" + key + "' (" +
                             what + "); give it, or name another model such as model = \"sram\"",
                         sdk::Item::config_key(key));
    return checked(config, spec, key, false);
}

double optional(const sdk::Config& config, const stream_memory_spec_v1& spec, const char* key, double fallback,
                bool positive) {
    return config.has(key) ? checked(config, spec, key, positive) : fallback;
}

// Default bandwidth of one direction: a word per port per cycle.
double port_bandwidth(const stream_memory_spec_v1& spec, uint32_t ports, const char* key) {
    if (spec.word_bits <= 0 || ports == 0)
        throw sdk::Error(STREAM_ERROR_INVALID_CONFIG,
                         memory_name(spec) + ": cannot derive '" + key + "' from word_bits = " +
                             std::to_string(spec.word_bits) + " and " + std::to_string(ports) +
                             " port(s) of that direction; give it explicitly",
                         sdk::Item::config_key(key));
    return static_cast<double>(spec.word_bits) * ports;
}

} // namespace

TableMemoryModel::TableMemoryModel(sdk::Host) {}

stream_memory_costs_v1 TableMemoryModel::describe(const stream_memory_spec_v1& spec) {
    const sdk::Config config{spec.model_config};
    stream_memory_costs_v1 costs{};
    costs.struct_size = sizeof costs;
    costs.read_energy_pj = required(config, spec, "read_energy_pj", "energy of one read access of word_bits, in pJ");
    costs.write_energy_pj = required(config, spec, "write_energy_pj", "energy of one write access of word_bits, in pJ");
    costs.read_bw_bits_per_cycle =
        config.has("read_bw_bits_per_cycle")
            ? checked(config, spec, "read_bw_bits_per_cycle", true)
            : port_bandwidth(spec, spec.read_ports + spec.read_write_ports, "read_bw_bits_per_cycle");
    costs.write_bw_bits_per_cycle =
        config.has("write_bw_bits_per_cycle")
            ? checked(config, spec, "write_bw_bits_per_cycle", true)
            : port_bandwidth(spec, spec.write_ports + spec.read_write_ports, "write_bw_bits_per_cycle");
    costs.area_mm2 = optional(config, spec, "area_mm2", 0.0, false);
    costs.leakage_mw = optional(config, spec, "leakage_mw", 0.0, false);
    costs.latency_cycles = optional(config, spec, "latency_cycles", 1.0, false);
    costs.source = source;
    return costs;
}

} // namespace stream::plugins
