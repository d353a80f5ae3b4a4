// What `stream-dse cost` prints: every layer costed whole on one core, with
// its latency parts, energy by memory level and operand, utilisation and the
// chosen mapping, then the network totals.
#pragma once

#include "pipeline/Stages.hpp"

#include <nlohmann/json.hpp>

#include <string>

namespace stream {

/// Stable keys: total.latency_cycles, total.energy_pj, and layers[] with id, name, op, core,
/// latency_cycles (ZigZag's latency_total2), latency_no_offload_cycles, energy_pj, mac_energy_pj,
/// offchip_energy_pj, utilization, ideal_cycles, onloading_cycles, offloading_cycles,
/// energy_by_level[] (memory, operand, reads, writes, energy_pj) and mapping.
nlohmann::json cost_json(const SingleCoreRun& r);
/// `verbose` adds each layer's energy by level and its mapping.
std::string cost_table(const SingleCoreRun& r, bool verbose);

} // namespace stream
