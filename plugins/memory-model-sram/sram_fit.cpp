#include "sram_fit.hpp"

#include "sram_data.hpp"

#include <cmath>

namespace stream::plugins::sram {

double energy_per_bit_45nm_pj(double capacity_bits) {
    return fit_a_pj_per_bit + fit_b_pj_per_bit_per_sqrt_bit * std::sqrt(capacity_bits);
}

double node_energy_factor(double technology_nm, double exponent) {
    return std::pow(technology_nm / fit_technology_nm, exponent);
}

double access_energy_pj(double capacity_bits, double word_bits, double technology_nm, double exponent) {
    return word_bits * energy_per_bit_45nm_pj(capacity_bits) * node_energy_factor(technology_nm, exponent);
}

double bit_cell_area_um2(double technology_nm) {
    if (technology_nm <= bit_cells.front().technology_nm) return bit_cells.front().area_um2;
    for (std::size_t i = 1; i < bit_cells.size(); ++i) {
        const BitCell& lo = bit_cells[i - 1];
        const BitCell& hi = bit_cells[i];
        if (technology_nm <= hi.technology_nm) {
            const double t = std::log(technology_nm / lo.technology_nm) / std::log(hi.technology_nm / lo.technology_nm);
            return lo.area_um2 * std::pow(hi.area_um2 / lo.area_um2, t);
        }
    }
    return bit_cells.back().area_um2;
}

double macro_area_mm2(double capacity_bits, double technology_nm, uint32_t ports) {
    const double extra_ports = ports > 1 ? static_cast<double>(ports - 1) : 0.0;
    const double cell_um2 = bit_cell_area_um2(technology_nm) * (1.0 + extra_port_cell_fraction * extra_ports);
    return capacity_bits * cell_um2 / array_efficiency * 1e-6;
}

} // namespace stream::plugins::sram
