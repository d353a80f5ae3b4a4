// The SRAM cost formulas over the published data of sram_data.hpp: energy per
// bit from capacity and node, bit-cell area by node, macro area.
#pragma once

#include <cstdint>

namespace stream::plugins::sram {

/// Technology nodes the bit-cell table covers; the model refuses others.
inline constexpr double min_technology_nm = 5.0;
inline constexpr double max_technology_nm = 65.0;

/// Energy of one accessed bit at 45 nm for an SRAM of `capacity_bits`, in pJ.
double energy_per_bit_45nm_pj(double capacity_bits);

/// Factor from 45 nm to `technology_nm`: (technology_nm / 45)^exponent.
double node_energy_factor(double technology_nm, double exponent);

/// Energy of one access of `word_bits` to an SRAM of `capacity_bits` at `technology_nm`, in pJ.
double access_energy_pj(double capacity_bits, double word_bits, double technology_nm, double exponent);

/// 6T bit-cell area at `technology_nm` (log-log interpolation between published nodes), in um^2.
double bit_cell_area_um2(double technology_nm);

/// Macro area: cells (grown for extra ports) divided by the array efficiency, in mm^2.
double macro_area_mm2(double capacity_bits, double technology_nm, uint32_t ports);

} // namespace stream::plugins::sram
