// The "sram" memory model: per-access energy, area and bandwidth of an on-chip
// SRAM from its capacity, word width, ports and technology node, fitted to
// published numbers (the tables, with full citations, are in sram_data.hpp).
//
// Energy. Data: M. Horowitz, "Computing's energy problem (and what we can do
// about it)", ISSCC 2014, energy table (Fig. 1.1.9; how far its digits were
// checked: sram_data.hpp), 45 nm, 0.9 V, 64-bit cache accesses:
//     8 KB  10 pJ     32 KB  20 pJ     1 MB  100 pJ
// Model: E_access = word_bits * (a + b * sqrt(capacity_bits)) * (node / 45)^k,
// a = 0.0206 pJ/bit, b = 0.00055 pJ/bit per sqrt(bit): the minimax fit to the
// three points (equal relative error), rounded. At 45 nm, 64 bits it gives
//     8 KB  10.330 pJ (+3.30 %)   32 KB  19.341 pJ (-3.30 %)   1 MB  103.27 pJ (+3.27 %)
// so every point is reproduced within 3.3 %. Outside 8 KB..1 MB the fit is an
// extrapolation. Horowitz gives one number per access, so a write costs the
// same as a read. Those numbers include a cache's tag lookup; CACTI-generated
// SRAM energies (e.g. ZigZag's example hardware, technology not stated there)
// are lower for wide words, so give read_energy_pj / write_energy_pj when a
// memory compiler's figures are known.
//
// Node scaling, k = 1 by default (key energy_node_exponent): dynamic energy
// is C*V^2; switched capacitance per bit scales with the feature size, and the
// supply is taken as constant (0.9 V in Horowitz's data; nominal core supplies
// at 28..7 nm stay near 0.8..0.9 V). This is a first-order rule stated here,
// not fitted to data: energies at nodes other than 45 nm are not validated.
//
// Area: capacity_bits * cell_area(node) * (1 + 0.5 * (ports - 1)) / 0.7, with
// cell_area the published high-density 6T bit cell of the node (65 nm 0.570
// um^2 ... 5 nm 0.021 um^2, interpolated log-log between nodes; see
// sram_data.hpp). The array efficiency 0.7 and the +50 % per extra port are
// assumptions, not fitted. Nodes outside 5..65 nm are refused.
//
// Leakage: 0 unless the entry gives leakage_mw. No published SRAM macro
// leakage per bit was found. The CACTI outputs that circulate (e.g. 5.75 mW
// for an 8 KB, 28 nm bank, i.e. ~88 nW/bit) are for CACTI's default
// high-performance transistors at 360 K and vary by orders of magnitude with
// the device type and temperature chosen, so a default taken from them would
// dominate the energy of any long schedule with a number nobody measured.
//
// Bandwidth: a word per port per cycle in each direction (read + read/write
// ports, write + read/write ports). Latency: 1 cycle unless given.
#pragma once

#include <stream/plugin.hpp>

namespace stream::plugins {

class SramMemoryModel {
public:
    static constexpr stream_plugin_kind kind = STREAM_KIND_MEMORY_MODEL;
    static constexpr sdk::Info info{"sram", "SRAM fitted to published data", "1.0.0",
                                    "SRAM energy, area and bandwidth from capacity, word width, ports and node.",
                                    STREAM_PLUGIN_THREAD_SAFE};
    static constexpr stream_config_key keys[] = {
        sdk::key("technology_nm", STREAM_VALUE_FLOAT, nullptr, "nm",
                 "Technology node, 5 to 65; default the memory entry's technology_nm, else 28."),
        sdk::key("energy_node_exponent", STREAM_VALUE_FLOAT, "1.0", nullptr,
                 "k in energy ~ (node / 45 nm)^k, 0 to 3."),
        sdk::key("read_energy_pj", STREAM_VALUE_FLOAT, nullptr, "pJ", "Override: energy of one read of word_bits."),
        sdk::key("write_energy_pj", STREAM_VALUE_FLOAT, nullptr, "pJ", "Override: energy of one write of word_bits."),
        sdk::key("area_mm2", STREAM_VALUE_FLOAT, nullptr, "mm2", "Override: macro area."),
        sdk::key("leakage_mw", STREAM_VALUE_FLOAT, "0.0", "mW", "Static power (not modelled; 0 unless given)."),
        sdk::key("latency_cycles", STREAM_VALUE_FLOAT, "1.0", "cycles", "Access latency."),
    };

    /// Node used when neither the key nor the memory entry gives one.
    static constexpr double default_technology_nm = 28.0;
    static constexpr const char* source =
        "sram fit: energy from Horowitz ISSCC 2014 (45 nm caches, 8KB/32KB/1MB) scaled by "
        "(node/45)^k; area from published 6T bit cells; leakage not modelled";

    explicit SramMemoryModel(sdk::Host host);

    stream_memory_costs_v1 describe(const stream_memory_spec_v1& spec);
};

} // namespace stream::plugins
