#include "dram_model.hpp"

#include "dram_standards.hpp"

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

[[noreturn]] void bad_key(const stream_memory_spec_v1& spec, const char* key, const std::string& what) {
    throw sdk::Error(STREAM_ERROR_INVALID_CONFIG, memory_name(spec) + ": '" + key + "' " + what,
                     sdk::Item::config_key(key));
}

double positive_float(const sdk::Config& config, const stream_memory_spec_v1& spec, const char* key, double fallback) {
    if (!config.has(key)) return fallback;
    const double value = config.get_float(key);
    if (!std::isfinite(value) || value <= 0.0)
        bad_key(spec, key, "is " + number(value) + ", expected a positive number");
    return value;
}

} // namespace

DramMemoryModel::DramMemoryModel(sdk::Host) {}

stream_memory_costs_v1 DramMemoryModel::describe(const stream_memory_spec_v1& spec) {
    const sdk::Config config{spec.model_config};
    if (!config.has("standard"))
        bad_key(spec, "standard", std::string("is missing; give one of ") + std::string(dram::supported_list()));
    const std::string name = config.get_string("standard");
    const dram::Standard* standard = dram::find_standard(name);
    if (!standard)
        bad_key(spec, "standard",
                "is \"" + name + "\", which the dram model does not know; supported: " +
                    std::string(dram::supported_list()));

    int64_t channels = 1;
    if (config.has("channels")) {
        channels = config.get_int("channels");
        if (channels < 1) bad_key(spec, "channels", "is " + std::to_string(channels) + ", expected at least 1");
    }
    const double clock_ghz = positive_float(config, spec, "clock_ghz", 1.0);
    const bool overridden = config.has("energy_pj_per_bit");
    // Without a published figure a default would be a guess that looks like data; the user must say.
    if (!overridden && !standard->has_energy())
        bad_key(spec, "energy_pj_per_bit",
                "is missing; the dram model has no published energy per bit for " + std::string(standard->name) +
                    ", so give one");
    const double read_pj_per_bit = positive_float(config, spec, "energy_pj_per_bit", standard->read_pj_per_bit);
    const double write_pj_per_bit = overridden ? read_pj_per_bit : standard->write_pj_per_bit;
    double latency = 1.0;
    if (config.has("latency_cycles")) {
        latency = config.get_float("latency_cycles");
        if (!std::isfinite(latency) || latency < 0.0)
            bad_key(spec, "latency_cycles", "is " + number(latency) + ", expected a number >= 0");
    }
    if (spec.word_bits <= 0)
        throw sdk::Error(STREAM_ERROR_INVALID_INPUT, memory_name(spec) + ": the dram model needs word_bits > 0");

    const double word = static_cast<double>(spec.word_bits);
    const double bits_per_cycle = static_cast<double>(channels) * standard->channel_gb_per_s * 8.0 / clock_ghz;
    stream_memory_costs_v1 costs{};
    costs.struct_size = sizeof costs;
    costs.read_energy_pj = read_pj_per_bit * word;
    costs.write_energy_pj = write_pj_per_bit * word;
    costs.read_bw_bits_per_cycle = bits_per_cycle;
    costs.write_bw_bits_per_cycle = bits_per_cycle;
    costs.area_mm2 = 0.0;
    costs.leakage_mw = 0.0;
    costs.latency_cycles = latency;
    costs.source = overridden ? override_source : standard->source;
    return costs;
}

} // namespace stream::plugins
