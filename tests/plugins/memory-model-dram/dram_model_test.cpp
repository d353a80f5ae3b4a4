// The DRAM memory model through its C entry point: each standard's cited
// pJ/bit, the GB/s -> bits/cycle conversion, and refusal of bad keys.
#include "fake_memory_host.hpp"

#include <doctest/doctest.h>

#include <string>

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

TEST_CASE("dram model: each standard gives its cited pJ/bit times word_bits, and its source") {
    struct Expected {
        const char* standard;
        double pj_per_bit;
        const char* source_mentions;
        bool verified;
    };
    // Figures and references: plugins/memory-model-dram/dram_standards.hpp.
    const Expected cases[] = {
        {"DDR4", 15.0, "JESD79-4", false},
        {"LPDDR4", 5.0, "JESD209-4", false},
        {"LPDDR5", 4.0, "JESD209-5", false},
        {"HBM2", 3.9, "O'Connor et al., MICRO 2017", true},
        {"HBM3", 3.9, "JESD238", false},
    };
    for (const Expected& e : cases) {
        CAPTURE(e.standard);
        const auto out = ok(dram(e.standard, 512));
        CHECK(out.costs.read_energy_pj == doctest::Approx(e.pj_per_bit * 512));
        CHECK(out.costs.write_energy_pj == doctest::Approx(e.pj_per_bit * 512));
        CHECK(out.source.find(e.source_mentions) != std::string::npos);
        // A figure that was not checked against its source says so where the user sees it.
        CHECK((out.source.find("unverified") == std::string::npos) == e.verified);
        CHECK(out.costs.area_mm2 == 0.0);
        CHECK(out.costs.leakage_mw == 0.0);
        CHECK(out.costs.latency_cycles == 1.0);
    }
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
    CHECK(ok(dram("hbm2")).costs.read_energy_pj == doctest::Approx(3.9 * 64));
    CHECK(ok(dram("LpDdr4")).costs.read_energy_pj == doctest::Approx(5.0 * 64));
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
