// Reads an accelerator (system) TOML file and the core-type files it refers
// to into the Accelerator IR, validating as it goes; every error names
// file:line:col and the key.
//
// System file:                          Core-type file:
//   name = "dual_core"                    name = "tpu_like"
//   [[cores]]                             [operational_array]
//   id = 0                                dimensions = [{ name = "D1", size = 32 }]
//   type = "cores/tpu_like.toml"          mac_energy_pj = 0.5
//   [offchip]                             [[memories]]
//   type = "cores/dram.toml"              name = "sram"; size_bits = 1048576; ...
//   bandwidth_bits_per_cycle = 64         [model]            # optional
//   [[links]]                             plugin = "roofline"; peak_fraction = 0.9
//   from = 0; to = 1; bandwidth_bits_per_cycle = 32
#pragma once

#include "ir/Accelerator.hpp"

#include <filesystem>

namespace stream {

Accelerator load_accelerator(const std::filesystem::path& system_file);
/// One core-type file (shared by every core that names it).
CoreType load_core_type(const std::filesystem::path& core_file, bool* is_offchip = nullptr);

} // namespace stream
