// The "table" memory model (the default): a memory entry that states its own
// costs. The entry's keys are taken as given; only the bandwidths and the
// latency have defaults (word_bits times the ports of each direction, and one
// cycle). A missing energy is an error naming the key.
#pragma once

#include <stream/plugin.hpp>

namespace stream::plugins {

class TableMemoryModel {
public:
    static constexpr stream_plugin_kind kind = STREAM_KIND_MEMORY_MODEL;
    static constexpr sdk::Info info{"table", "Memory costs as given", "1.0.0",
                                    "Per-access energies, bandwidths, area and leakage stated in the hardware file.",
                                    STREAM_PLUGIN_THREAD_SAFE};
    static constexpr stream_config_key keys[] = {
        sdk::key("read_energy_pj", STREAM_VALUE_FLOAT, nullptr, "pJ",
                 "Energy of one read access of word_bits.", STREAM_KEY_REQUIRED),
        sdk::key("write_energy_pj", STREAM_VALUE_FLOAT, nullptr, "pJ",
                 "Energy of one write access of word_bits.", STREAM_KEY_REQUIRED),
        sdk::key("read_bw_bits_per_cycle", STREAM_VALUE_FLOAT, nullptr, "bits/cycle",
                 "Read bandwidth; default word_bits x (read ports + read/write ports)."),
        sdk::key("write_bw_bits_per_cycle", STREAM_VALUE_FLOAT, nullptr, "bits/cycle",
                 "Write bandwidth; default word_bits x (write ports + read/write ports)."),
        sdk::key("area_mm2", STREAM_VALUE_FLOAT, "0.0", "mm2", "Silicon area of the memory."),
        sdk::key("leakage_mw", STREAM_VALUE_FLOAT, "0.0", "mW", "Static (leakage) power."),
        sdk::key("latency_cycles", STREAM_VALUE_FLOAT, "1.0", "cycles", "Access latency."),
    };

    /// What `source` says for every memory this model describes.
    static constexpr const char* source = "given in the hardware file";

    explicit TableMemoryModel(sdk::Host host);

    stream_memory_costs_v1 describe(const stream_memory_spec_v1& spec);
};

} // namespace stream::plugins
