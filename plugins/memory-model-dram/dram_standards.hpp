// The DRAM standards the "dram" model knows: energy per bit and per-channel
// peak bandwidth, each with where it comes from.
//
// Per-channel bandwidth is the standard's top data rate times the channel
// width (1 GB/s = 1e9 bytes/s), from the JEDEC standards:
//   DDR4-3200   (JESD79-4):  64-bit channel x 3.2 GT/s   / 8 = 25.6 GB/s
//   LPDDR4-4266 (JESD209-4): 16-bit channel x 4.266 GT/s / 8 = 8.532 GB/s
//   LPDDR5-6400 (JESD209-5): 16-bit channel x 6.4 GT/s   / 8 = 12.8 GB/s
//   HBM2        (JESD235A): 128-bit channel x 2.0 Gb/s/pin / 8 = 32 GB/s (8 channels: 256 GB/s a stack)
//   HBM3        (JESD238):   64-bit channel x 6.4 Gb/s/pin / 8 = 51.2 GB/s (16 channels: 819.2 GB/s a stack)
//
// Energy per bit transferred (array access + I/O, no background/refresh):
//   HBM2   3.9 pJ/bit  M. O'Connor et al., "Fine-Grained DRAM: Energy-Efficient DRAM for Extreme
//                      Bandwidth Systems", MICRO-50, 2017 (HBM2 baseline; FGDRAM halves it). The
//                      exact table/figure of the paper was not re-checked for this file.
//   DDR4  15   pJ/bit  NOT VERIFIED: no primary source was found; this is the low end of the
//                      15-20 pJ/bit commonly quoted. For scale, Horowitz (ISSCC 2014, energy table)
//                      gives 1.3-2.6 nJ per 64-bit DRAM access, i.e. 20-41 pJ/bit, for 45 nm-era DRAM.
//   LPDDR4 5   pJ/bit  NOT VERIFIED: middle of the 4-6 pJ/bit commonly quoted.
//   LPDDR5 4   pJ/bit  NOT VERIFIED: LPDDR4's value less the ~20 % vendors claim for LPDDR5.
//   HBM3   3.9 pJ/bit  NOT VERIFIED: placeholder, HBM2's figure; no published HBM3 figure was verified.
// Give energy_pj_per_bit in the memory entry to replace any of these; `source`
// says which figures are unverified, and `hardware show` prints it.
#pragma once

#include <array>
#include <string_view>

namespace stream::plugins::dram {

struct Standard {
    std::string_view name;        ///< as written in `standard = "..."`
    double energy_pj_per_bit;
    double channel_gb_per_s;      ///< peak, one channel
    bool energy_verified;         ///< the energy figure was checked against its source
    const char* source;           ///< what the `source` field reports (static)
};

inline constexpr std::array<Standard, 5> standards = {{
    {"DDR4", 15.0, 25.6, false,
     "DDR4-3200 (JESD79-4) 25.6 GB/s per 64-bit channel; 15 pJ/bit unverified (commonly quoted 15-20 pJ/bit)"},
    {"LPDDR4", 5.0, 8.532, false,
     "LPDDR4-4266 (JESD209-4) 8.532 GB/s per 16-bit channel; 5 pJ/bit unverified (commonly quoted 4-6 pJ/bit)"},
    {"LPDDR5", 4.0, 12.8, false,
     "LPDDR5-6400 (JESD209-5) 12.8 GB/s per 16-bit channel; 4 pJ/bit unverified (LPDDR4 less ~20% vendor claim)"},
    {"HBM2", 3.9, 32.0, true,
     "HBM2 (JESD235A) 32 GB/s per 128-bit channel; 3.9 pJ/bit from O'Connor et al., MICRO 2017 (Fine-Grained DRAM)"},
    {"HBM3", 3.9, 51.2, false,
     "HBM3 (JESD238) 51.2 GB/s per 64-bit channel; 3.9 pJ/bit unverified placeholder (HBM2 figure)"},
}};

/// The standard named `name` (case-insensitive), or nullptr.
const Standard* find_standard(std::string_view name);

/// "DDR4, LPDDR4, LPDDR5, HBM2, HBM3", for error messages.
std::string_view supported_list();

} // namespace stream::plugins::dram
