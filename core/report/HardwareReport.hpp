// What `stream-dse hardware show` prints: cores with their memory
// hierarchies (and which model produced each cost), links and topology.
#pragma once

#include "ir/Accelerator.hpp"

#include <nlohmann/json.hpp>

#include <string>

namespace stream {

/// Stable keys: name, cores[] (id, name, offchip, mac_units, memories[] with name, size_bits, operands,
/// bandwidths, energies, cost_source), links[] (id, from, to, bus_cores, bandwidth_bits_per_cycle, ...),
/// totals (cores, links, onchip_bits).
nlohmann::json hardware_json(const Accelerator& acc);
std::string hardware_table(const Accelerator& acc);

} // namespace stream
