// The DRAM memory model through its C entry point: each standard's published
// pJ/bit reproduced, the GB/s -> bits/cycle conversion, and refusal of bad keys.
#include "fake_memory_host.hpp"

#include "dram_standards.hpp"

#include <doctest/doctest.h>

#include <string>
#include <utility>

using memtest::Memory;

namespace {

Memory dram(const std::string& standard, int64_t word_bits = 64) {
    Memory m;
    m.name = "dram";
    m.size_bits = int64_t{1} << 33;
    m.word_bits = word_bits;
    m.keys = {{"standard", standard}};
    return m;
}

memtest::Outcome ok(const Memory& m) {
    auto out = memtest::describe(m);
    REQUIRE(out.status == STREAM_OK);
    REQUIRE(out.submitted == 1);
    return out;
}

} // namespace

TEST_CASE("dram model: the descriptor is a thread-safe memory model with id dram") {
    const stream_plugin_descriptor& d = memtest::descriptor();
    CHECK(d.kind == STREAM_KIND_MEMORY_MODEL);
    CHECK(std::string(d.id) == "dram");
    CHECK((d.flags & STREAM_PLUGIN_THREAD_SAFE) != 0);
}

TEST_CASE("dram model: each standard reproduces its published energy per bit, read and write, and names its source") {
    struct Expected {
        const char* standard;
        double read_pj_per_bit;
        double write_pj_per_bit;
        const char* source_mentions;
    };
    // Derivations (sources in plugins/memory-model-dram/dram_standards.hpp):
    //   DDR4: Micron 4Gb DDR4-2400 x8 IDDs, pJ/bit = V * (IDD4x - IDD3N) * 500 / (MHz * width)
    //     read  1.2 * (184.5 - 44)  * 500 / (1200 * 8) = 84300 / 9600  = 8.78125
    //     write 1.2 * (168.75 - 44) * 500 / (1200 * 8) = 74850 / 9600  = 7.796875
    //   LPDDR4: Micron 6Gb LPDDR4-3200 x16 channel, VDD2
    //     read  1.1 * (275 - 30) * 500 / (1600 * 16) = 134750 / 25600 = 5.263671875
    //     write 1.1 * (210 - 30) * 500 / (1600 * 16) =  99000 / 25600 = 3.8671875
    //   LPDDR5: LPDDR4 less 21 % (read) and 33 % (write), JSSC LPDDR5 paper vs LPDDR4X
    //     read  5.263671875 * 0.79 = 4.15830078125,  write 3.8671875 * 0.67 = 2.591015625
    //   HBM2: 3.97 pJ/bit, O'Connor et al., MICRO 2017.
    const Expected cases[] = {
        {"DDR4", 8.78125, 7.796875, "Micron 4Gb DDR4-2400"},
        {"LPDDR4", 5.263671875, 3.8671875, "Micron 6Gb LPDDR4-3200"},
        {"LPDDR5", 4.15830078125, 2.591015625, "JSSC"},
        {"HBM2", 3.97, 3.97, "O'Connor et al., Fine-Grained DRAM, MICRO 2017"},
    };
    for (const Expected& e : cases) {
        CAPTURE(e.standard);
        const auto out = ok(dram(e.standard, 512));
        CHECK(out.costs.read_energy_pj == doctest::Approx(e.read_pj_per_bit * 512).epsilon(1e-12));
        CHECK(out.costs.write_energy_pj == doctest::Approx(e.write_pj_per_bit * 512).epsilon(1e-12));
        CHECK(out.source.find(e.source_mentions) != std::string::npos);
        CHECK(out.costs.area_mm2 == 0.0);
        CHECK(out.costs.leakage_mw == 0.0);
        CHECK(out.costs.latency_cycles == 1.0);
    }
}

TEST_CASE("dram model: the datasheet burst formula is the TN-40-07 energy over the bits moved") {
    // Long form for DDR4-2400 x8 reads: a BL8 burst lasts 4 clocks of 1/1200 MHz = 3.3333 ns and
    // draws 1.2 V * 140.5 mA = 168.6 mW, i.e. 562.0 pJ for 8 beats x 8 bits = 64 bits: 8.78125 pJ/bit.
    const double burst_pj = 1.2 * 140.5e-3 * (4.0 / 1200e6) * 1e12;
    CHECK(burst_pj / 64.0 == doctest::Approx(8.78125));
    const auto& ddr4 = stream::plugins::dram::micron_ddr4_2400_x8;
    CHECK(stream::plugins::dram::burst_pj_per_bit(ddr4, ddr4.read_ma) == doctest::Approx(burst_pj / 64.0));
}

TEST_CASE("dram model: every source names the JEDEC standard its bandwidth comes from") {
    const std::pair<const char*, const char*> cases[] = {
        {"DDR4", "JESD79-4"}, {"LPDDR4", "JESD209-4"}, {"LPDDR5", "JESD209-5"}, {"HBM2", "JESD235A"}};
    for (const auto& c : cases) {
        CAPTURE(c.first);
        const std::string source = ok(dram(c.first)).source;
        CHECK(source.find(c.second) != std::string::npos);
    }
}

TEST_CASE("dram model: HBM3 has no published energy, so energy_pj_per_bit is required") {
    const auto refused = memtest::describe(dram("HBM3"));
    CHECK(refused.status == STREAM_ERROR_INVALID_CONFIG);
    CHECK(refused.submitted == 0);
    REQUIRE(refused.error_names_key("energy_pj_per_bit"));
    CHECK(refused.errors.front().message.find("no published energy per bit for HBM3") != std::string::npos);

    Memory given = dram("HBM3", 64);
    given.keys["energy_pj_per_bit"] = 2.0;
    const auto out = ok(given);
    CHECK(out.costs.read_energy_pj == doctest::Approx(128.0));
    CHECK(out.costs.write_energy_pj == doctest::Approx(128.0));
    CHECK(out.source.find("given in the hardware file") != std::string::npos);
}

TEST_CASE("dram model: bandwidth is channels x GB/s per channel x 8 / clock_ghz bits per cycle") {
    // By hand (GB/s = 1e9 B/s, GHz = 1e9 cycles/s):
    //   DDR4-3200, 1 channel, 1 GHz:    1 x 25.6 x 8 / 1   = 204.8
    //   LPDDR4-4266, 2 channels, 1 GHz: 2 x 8.532 x 8 / 1  = 136.512
    //   LPDDR5-6400, 4 channels, 0.8:   4 x 12.8 x 8 / 0.8 = 512
    //   HBM2, 8 channels, 0.5 GHz:      8 x 32 x 8 / 0.5   = 4096   (256 GB/s stack)
    //   HBM3, 16 channels, 1.6 GHz:     16 x 51.2 x 8 / 1.6 = 4096  (819.2 GB/s stack)
    struct Case {
        const char* standard;
        int64_t channels;
        double clock_ghz;
        double bits_per_cycle;
    };
    const Case cases[] = {
        {"DDR4", 1, 1.0, 204.8},  {"LPDDR4", 2, 1.0, 136.512}, {"LPDDR5", 4, 0.8, 512.0},
        {"HBM2", 8, 0.5, 4096.0}, {"HBM3", 16, 1.6, 4096.0},
    };
    for (const Case& c : cases) {
        CAPTURE(c.standard);
        Memory m = dram(c.standard);
        m.keys["energy_pj_per_bit"] = 1.0; // HBM3 needs one; bandwidth does not depend on it
        m.keys["channels"] = c.channels;
        m.keys["clock_ghz"] = c.clock_ghz;
        const auto out = ok(m);
        CHECK(out.costs.read_bw_bits_per_cycle == doctest::Approx(c.bits_per_cycle));
        CHECK(out.costs.write_bw_bits_per_cycle == doctest::Approx(c.bits_per_cycle));
    }
}

TEST_CASE("dram model: channels and clock default to 1 and 1 GHz") {
    const auto out = ok(dram("DDR4"));
    CHECK(out.costs.read_bw_bits_per_cycle == doctest::Approx(204.8));
}

TEST_CASE("dram model: the standard's name is case-insensitive") {
    // 3.97 and 5.263671875 pJ/bit: see the published-energy test above.
    CHECK(ok(dram("hbm2")).costs.read_energy_pj == doctest::Approx(3.97 * 64));
    CHECK(ok(dram("LpDdr4")).costs.read_energy_pj == doctest::Approx(5.263671875 * 64));
}

TEST_CASE("dram model: energy_pj_per_bit overrides the standard's figure and the source says so") {
    Memory m = dram("HBM3", 256);
    m.keys["energy_pj_per_bit"] = 2.5;
    m.keys["latency_cycles"] = 100.0;
    const auto out = ok(m);
    CHECK(out.costs.read_energy_pj == doctest::Approx(2.5 * 256));
    CHECK(out.costs.latency_cycles == 100.0);
    CHECK(out.source.find("given in the hardware file") != std::string::npos);
}

TEST_CASE("dram model: an unknown standard is refused, listing the supported ones") {
    const auto out = memtest::describe(dram("GDDR6"));
    CHECK(out.status == STREAM_ERROR_INVALID_CONFIG);
    CHECK(out.submitted == 0);
    REQUIRE(out.error_names_key("standard"));
    const std::string& message = out.errors.front().message;
    CHECK(message.find("GDDR6") != std::string::npos);
    for (const char* name : {"DDR4", "LPDDR4", "LPDDR5", "HBM2", "HBM3"}) CHECK(message.find(name) != std::string::npos);
}

TEST_CASE("dram model: a missing standard is refused, naming the key") {
    Memory m = dram("DDR4");
    m.keys.clear();
    const auto out = memtest::describe(m);
    CHECK(out.status == STREAM_ERROR_INVALID_CONFIG);
    CHECK(out.error_names_key("standard"));
}

TEST_CASE("dram model: bad channels, clock, energy or latency are refused with INVALID_CONFIG naming the key") {
    struct Bad {
        const char* key;
        memtest::Value value;
        stream_status status;
    };
    const Bad cases[] = {
        {"channels", int64_t{0}, STREAM_ERROR_INVALID_CONFIG},
        {"channels", int64_t{-2}, STREAM_ERROR_INVALID_CONFIG},
        {"clock_ghz", 0.0, STREAM_ERROR_INVALID_CONFIG},
        {"clock_ghz", -1.0, STREAM_ERROR_INVALID_CONFIG},
        {"energy_pj_per_bit", 0.0, STREAM_ERROR_INVALID_CONFIG},
        {"latency_cycles", -1.0, STREAM_ERROR_INVALID_CONFIG},
        {"channels", 1.5, STREAM_ERROR_TYPE_MISMATCH},
        {"standard", int64_t{4}, STREAM_ERROR_TYPE_MISMATCH},
    };
    for (const Bad& bad : cases) {
        CAPTURE(bad.key);
        Memory m = dram("LPDDR4");
        m.keys[bad.key] = bad.value;
        const auto out = memtest::describe(m);
        CHECK(out.status == bad.status);
        CHECK(out.submitted == 0);
        CHECK(out.error_names_key(bad.key));
    }
}
