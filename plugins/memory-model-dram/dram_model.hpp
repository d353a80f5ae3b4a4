// The "dram" memory model: off-chip DRAM of a named standard. Energy per
// access is the standard's pJ/bit (read or write) times word_bits; bandwidth
// is the channels' peak in bits per accelerator cycle:
//     bits/cycle = channels * GB/s per channel * 8 / clock_ghz
// (GB/s = 1e9 bytes/s and GHz = 1e9 cycles/s, so the 1e9 cancels). Reads and
// writes share the channels; each direction is given the full figure.
// Figures, their sources and what each includes: dram_standards.hpp. A
// standard without a published energy (HBM3) needs energy_pj_per_bit. Area and
// leakage are 0 (off-chip; background power is not modelled); latency is 1
// cycle unless given.
#pragma once

#include <stream/plugin.hpp>

namespace stream::plugins {

class DramMemoryModel {
public:
    static constexpr stream_plugin_kind kind = STREAM_KIND_MEMORY_MODEL;
    static constexpr sdk::Info info{"dram", "DRAM standards", "1.0.0",
                                    "Off-chip DRAM energy per bit and bandwidth for DDR4, LPDDR4/5, HBM2/3.",
                                    STREAM_PLUGIN_THREAD_SAFE};
    static constexpr stream_config_key keys[] = {
        sdk::key("standard", STREAM_VALUE_STRING, nullptr, nullptr,
                 "DRAM standard: DDR4, LPDDR4, LPDDR5, HBM2 or HBM3.", STREAM_KEY_REQUIRED),
        sdk::key("channels", STREAM_VALUE_INT, "1", nullptr, "Channels used in parallel."),
        sdk::key("clock_ghz", STREAM_VALUE_FLOAT, "1.0", "GHz",
                 "Accelerator clock, to turn GB/s into bits per cycle."),
        sdk::key("energy_pj_per_bit", STREAM_VALUE_FLOAT, nullptr, "pJ/bit",
                 "Energy per bit read or written; replaces the standard's figures (required for HBM3)."),
        sdk::key("latency_cycles", STREAM_VALUE_FLOAT, "1.0", "cycles", "Access latency."),
    };

    static constexpr const char* override_source = "dram: energy per bit given in the hardware file; bandwidth from the standard";

    explicit DramMemoryModel(sdk::Host host);

    stream_memory_costs_v1 describe(const stream_memory_spec_v1& spec);
};

} // namespace stream::plugins
