// The DRAM standards the "dram" model knows: energy per bit read and written
// and per-channel peak bandwidth, each traced to a publication. Where no
// published energy could be found the table says so (energy 0) and the model
// asks the hardware file for energy_pj_per_bit instead of guessing.
//
// Bandwidth: the standard's top data rate times the channel width
// (1 GB/s = 1e9 bytes/s), from the JEDEC standards:
//   DDR4-3200   (JESD79-4):  64-bit channel x 3.2 GT/s     / 8 = 25.6 GB/s
//   LPDDR4-4266 (JESD209-4): 16-bit channel x 4.266 GT/s   / 8 = 8.532 GB/s
//   LPDDR5-6400 (JESD209-5): 16-bit channel x 6.4 GT/s     / 8 = 12.8 GB/s
//   HBM2        (JESD235A): 128-bit channel x 2.0 Gb/s/pin / 8 = 32 GB/s (8 channels: 256 GB/s a stack)
//   HBM3        (JESD238):   64-bit channel x 6.4 Gb/s/pin / 8 = 51.2 GB/s (16 channels: 819.2 GB/s a stack)
//
// Energy. The figures do not all draw the same boundary, and the source
// string of each standard says which one it draws:
//
//   DDR4, LPDDR4: a column burst to an open row, from the vendor datasheet's
//   IDD currents with Micron's method (TN-40-07, "Calculating Memory Power
//   for DDR4 SDRAM"): the burst draws V * (IDD4R - IDD3N) (IDD4W for writes)
//   over its BL/2 clocks and moves BL * width bits, so
//       pJ/bit = V[V] * dI[mA] * 1e-3 * (BL/2) / (f[MHz] * 1e6) * 1e12 / (BL * width)
//              = V * dI * 500 / (f[MHz] * width)          (BL cancels).
//   Row activation and precharge (they depend on the row-hit rate), the I/O
//   supply VDDQ and bus termination, background and refresh are NOT in it.
//   The IDD values are those of the Micron datasheets as transcribed in
//   DRAMPower's memspecs (tukl-msd/DRAMPower, memspecs/*.json); the datasheets
//   themselves were not opened for this table.
//     DDR4-2400 x8, 4 Gb, die A (MICRON_4Gb_DDR4-2400_8bit_A): VDD 1.2 V,
//       IDD4R 184.5, IDD4W 168.75, IDD3N 44.0 mA, 1200 MHz:
//       read  1.2 * 140.5  * 500 / 9600 = 8.78125 pJ/bit
//       write 1.2 * 124.75 * 500 / 9600 = 7.796875 pJ/bit
//     LPDDR4-3200 x16 channel, 6 Gb (MICRON_6Gb_LPDDR4-3200_32bit_A): VDD2 1.1 V,
//       IDD4R2 275, IDD4W2 210, IDD3N2 30 mA, 1600 MHz (VDD1's IDD4R = IDD3N = 2.25 mA
//       adds nothing; VDDQ left out as above):
//       read  1.1 * 245 * 500 / 25600 = 5.263671875 pJ/bit
//       write 1.1 * 180 * 500 / 25600 = 3.8671875 pJ/bit
//   The datasheet parts are DDR4-2400 and LPDDR4-3200; the bandwidth above is
//   the standard's top rate. Energy per bit at the top rate was not derived.
//
//   LPDDR5: "A 7.5 Gb/s/pin 8-Gb LPDDR5 SDRAM With Various High-Speed and
//   Low-Power Techniques", IEEE Journal of Solid-State Circuits (read in its
//   abstract; authors, year and pages were not confirmed for this table):
//   "Read and write power decrease by 21% and 33% compared to LPDDR4X at
//   4.266 Gb/s". LPDDR4X differs from LPDDR4 only in VDDQ, which the LPDDR4
//   figure leaves out, so the LPDDR4 burst energies are scaled:
//       read  5.263671875 * 0.79 = 4.15830078125 pJ/bit
//       write 3.8671875   * 0.67 = 2.591015625 pJ/bit
//   An estimate: the paper's percentages are for its whole device power.
//
//   HBM2: 3.97 pJ/bit read or written. M. O'Connor, N. Chatterjee, D. Lee,
//   J. Wilson, A. Agrawal, S. W. Keckler, W. J. Dally, "Fine-Grained DRAM:
//   Energy-Efficient DRAM for Extreme Bandwidth Systems", MICRO-50, 2017,
//   pp. 41-54, doi:10.1145/3123939.3124545: "The energy to access a bit in
//   HBM2 is approximately 3.97 pJ/bit" (row activation ~1.21, on-die data
//   movement ~2.24, I/O ~0.30 pJ/bit at the paper's GPU workloads' row
//   locality). The sentence was read in two independent quotations of the
//   paper, not in the PDF itself.
//
//   HBM3: no published energy per bit was found (vendors state ratios to
//   their previous parts, not pJ/bit). The table leaves it 0: the hardware
//   file must give energy_pj_per_bit. A second search (HBM3 pJ/bit, ISSCC
//   HBM3 papers, HBM3 vs HBM2E energy, HBM3 IDD currents in DRAMPower and
//   Ramulator) found only ratios (e.g. Micron's "2.5x performance per watt"
//   of HBM3 Gen2 over its HBM2E, which is a product claim, not a figure for
//   the standard), secondary summaries naming no primary source, and
//   simulators whose HBM3 models carry timings but no currents.
#pragma once

#include <array>
#include <string_view>

namespace stream::plugins::dram {

/// A datasheet's supply and currents for one burst to an open row (see above).
struct DatasheetBurst {
    double supply_v;
    double read_ma;    ///< IDD4R of that supply
    double write_ma;   ///< IDD4W of that supply
    double standby_ma; ///< IDD3N of that supply (active standby, subtracted)
    double clock_mhz;
    double width_bits; ///< DQ width the burst moves per beat
};

/// pJ per bit moved by a burst drawing `burst_ma` above standby.
constexpr double burst_pj_per_bit(const DatasheetBurst& d, double burst_ma) {
    return d.supply_v * (burst_ma - d.standby_ma) * 500.0 / (d.clock_mhz * d.width_bits);
}

inline constexpr DatasheetBurst micron_ddr4_2400_x8{1.2, 184.5, 168.75, 44.0, 1200.0, 8.0};
inline constexpr DatasheetBurst micron_lpddr4_3200_x16{1.1, 275.0, 210.0, 30.0, 1600.0, 16.0};

/// LPDDR5's read and write power relative to LPDDR4X (the JSSC paper above: -21 %, -33 %).
inline constexpr double lpddr5_read_ratio = 1.0 - 0.21;
inline constexpr double lpddr5_write_ratio = 1.0 - 0.33;

struct Standard {
    std::string_view name;    ///< as written in `standard = "..."`
    double read_pj_per_bit;   ///< 0 when no published figure was found
    double write_pj_per_bit;  ///< 0 when no published figure was found
    double channel_gb_per_s;  ///< peak, one channel
    const char* source;       ///< what the `source` field reports (static)

    constexpr bool has_energy() const { return read_pj_per_bit > 0.0 && write_pj_per_bit > 0.0; }
};

inline constexpr std::array<Standard, 5> standards = {{
    {"DDR4", burst_pj_per_bit(micron_ddr4_2400_x8, micron_ddr4_2400_x8.read_ma),
     burst_pj_per_bit(micron_ddr4_2400_x8, micron_ddr4_2400_x8.write_ma), 25.6,
     "DDR4-3200 (JESD79-4) 25.6 GB/s per 64-bit channel; 8.78 pJ/bit read, 7.80 written: open-row burst "
     "from Micron 4Gb DDR4-2400 x8 datasheet IDDs (TN-40-07 method), without activation, I/O, background"},
    {"LPDDR4", burst_pj_per_bit(micron_lpddr4_3200_x16, micron_lpddr4_3200_x16.read_ma),
     burst_pj_per_bit(micron_lpddr4_3200_x16, micron_lpddr4_3200_x16.write_ma), 8.532,
     "LPDDR4-4266 (JESD209-4) 8.532 GB/s per 16-bit channel; 5.26 pJ/bit read, 3.87 written: open-row burst "
     "from Micron 6Gb LPDDR4-3200 datasheet IDDs (TN-40-07 method), without activation, VDDQ I/O, background"},
    {"LPDDR5", burst_pj_per_bit(micron_lpddr4_3200_x16, micron_lpddr4_3200_x16.read_ma) * lpddr5_read_ratio,
     burst_pj_per_bit(micron_lpddr4_3200_x16, micron_lpddr4_3200_x16.write_ma) * lpddr5_write_ratio, 12.8,
     "LPDDR5-6400 (JESD209-5) 12.8 GB/s per 16-bit channel; 4.16 pJ/bit read, 2.59 written: the LPDDR4 burst "
     "energies less 21%/33% (read/write power vs LPDDR4X, 8-Gb LPDDR5 SDRAM paper, IEEE JSSC); an estimate"},
    {"HBM2", 3.97, 3.97, 32.0,
     "HBM2 (JESD235A) 32 GB/s per 128-bit channel; 3.97 pJ/bit per access incl. activation and I/O, "
     "O'Connor et al., Fine-Grained DRAM, MICRO 2017"},
    {"HBM3", 0.0, 0.0, 51.2,
     "HBM3 (JESD238) 51.2 GB/s per 64-bit channel; no published energy per bit found"},
}};

/// The standard named `name` (case-insensitive), or nullptr.
const Standard* find_standard(std::string_view name);

/// "DDR4, LPDDR4, LPDDR5, HBM2, HBM3", for error messages.
std::string_view supported_list();

} // namespace stream::plugins::dram
