// The published numbers the SRAM model is fitted to, and the fit's constants.
// Every entry names its source; sram_model.hpp explains the model built on them.
#pragma once

#include <array>

namespace stream::plugins::sram {

/// One published per-access SRAM energy.
struct EnergyPoint {
    double capacity_bytes;
    double word_bits;
    double technology_nm;
    double energy_pj; ///< per access of word_bits
};

/// M. Horowitz, "Computing's energy problem (and what we can do about it)",
/// ISSCC 2014, paper 1.1, doi:10.1109/ISSCC.2014.6757323, the energy table of
/// Figure 1.1.9 ("rough energy costs for various operations in 45nm 0.9V"), row
/// "Memory / Cache (64bit)": 8KB 10 pJ, 32KB 20 pJ, 1MB 100 pJ. These are cache
/// accesses (array plus tag), so they sit above a bare SRAM macro of the same
/// capacity. How far the figures were checked: the table's digits are not in
/// the paper's text layer, so they were taken as the paper is commonly
/// reproduced; its text agrees ("an internal cache access ... (10pJ)", "a cache
/// fetch is 20pJ", read in a quotation of the text, not the PDF).
inline constexpr std::array<EnergyPoint, 3> horowitz_isscc2014 = {{
    {8.0 * 1024, 64, 45, 10.0},
    {32.0 * 1024, 64, 45, 20.0},
    {1024.0 * 1024, 64, 45, 100.0},
}};

/// Energy per accessed bit at 45 nm: a + b * sqrt(capacity in bits), in pJ.
/// a and b are the minimax (equal relative error) fit to the three points above,
/// rounded: the exact solution is a = 0.020557, b = 5.50126e-4, error 3.289 %.
inline constexpr double fit_a_pj_per_bit = 0.0206;
inline constexpr double fit_b_pj_per_bit_per_sqrt_bit = 0.00055;
/// Largest relative error of the rounded fit on the points above (+3.30 %, -3.30 %, +3.27 %).
inline constexpr double fit_max_relative_error = 0.0330;
/// The node the energy points were measured at.
inline constexpr double fit_technology_nm = 45.0;
/// Default exponent k of the node scaling energy ~ (node / 45)^k (see sram_model.hpp).
inline constexpr double default_node_exponent = 1.0;

/// One published high-density 6T SRAM bit-cell area.
struct BitCell {
    double technology_nm;
    double area_um2;
};

/// Bit-cell areas of logic processes, smallest node first. Values recalled from
/// the cited papers (five of them state the cell size in their title); they
/// were not re-read from the PDFs for this table.
///  65 nm 0.570  P. Bai et al., "A 65nm logic technology featuring 35nm gate lengths, enhanced
///               channel strain, 8 Cu interconnect layers, low-k ILD and 0.57 um2 SRAM cell", IEDM 2004 (Intel)
///  45 nm 0.346  K. Mistry et al., "A 45nm logic technology with high-k+metal gate transistors,
///               strained silicon, 9 Cu interconnect layers, ...", IEDM 2007 (Intel)
///  32 nm 0.171  S. Natarajan et al., "A 32nm logic technology featuring 2nd-generation high-k +
///               metal-gate transistors, enhanced channel strain and 0.171um2 SRAM cell size in a
///               291Mb array", IEDM 2008 (Intel)
///  28 nm 0.127  S.-Y. Wu et al., 28nm low-power platform with a 64Mb SRAM, VLSI Technology 2009 (TSMC)
///  22 nm 0.092  C. Auth et al., "A 22nm high performance and low-power CMOS technology featuring
///               fully-depleted tri-gate transistors, ...", VLSI Technology 2012 (Intel, HD cell)
///  16 nm 0.070  S.-Y. Wu et al., "A 16nm FinFET CMOS technology for mobile SoC and computing
///               applications", IEDM 2013 (TSMC)
///  14 nm 0.0588 S. Natarajan et al., "A 14nm logic technology featuring 2nd-generation FinFET,
///               air-gapped interconnects, self-aligned double patterning and a 0.0588 um2 SRAM
///               cell size", IEDM 2014 (Intel)
///   7 nm 0.027  S.-Y. Wu et al., "A 7nm CMOS platform technology featuring 4th generation FinFET
///               transistors with a 0.027um2 high density 6-T SRAM cell for mobile SoC
///               applications", IEDM 2016 (TSMC)
///   5 nm 0.021  G. Yeap et al., "5nm CMOS production technology platform featuring full-fledged
///               EUV, and high mobility channel FinFETs with densest 0.021um2 SRAM cells for mobile
///               SoC and high performance computing applications", IEDM 2019 (TSMC)
inline constexpr std::array<BitCell, 9> bit_cells = {{
    {5, 0.021}, {7, 0.027}, {14, 0.0588}, {16, 0.070}, {22, 0.092},
    {28, 0.127}, {32, 0.171}, {45, 0.346}, {65, 0.570},
}};

/// Fraction of a macro's area taken by bit cells (the rest: decoders, sense
/// amplifiers, I/O). An assumption, not fitted to a published macro.
inline constexpr double array_efficiency = 0.7;
/// Bit-cell area added per port beyond the first, as a fraction of the 6T cell.
/// An assumption, not fitted to published multi-port cells.
inline constexpr double extra_port_cell_fraction = 0.5;

} // namespace stream::plugins::sram
