// The table memory model through its C entry point: given values come back
// unchanged, defaults follow the ports, and missing or bad keys are refused
// with the key named.
#include "fake_memory_host.hpp"

#include <doctest/doctest.h>

#include <string>

using memtest::Memory;

namespace {

Memory entry() {
    Memory m;
    m.name = "sram_32KB";
    m.size_bits = 32 * 1024 * 8;
    m.word_bits = 256;
    m.read_ports = 1;
    m.write_ports = 1;
    m.read_write_ports = 0;
    m.keys = {{"read_energy_pj", 13.28}, {"write_energy_pj", 15.4}};
    return m;
}

} // namespace

TEST_CASE("table model: the descriptor is a thread-safe memory model with id table") {
    const stream_plugin_descriptor& d = memtest::descriptor();
    CHECK(d.abi_major == STREAM_ABI_MAJOR);
    CHECK(d.kind == STREAM_KIND_MEMORY_MODEL);
    CHECK(std::string(d.id) == "table");
    CHECK((d.flags & STREAM_PLUGIN_THREAD_SAFE) != 0);
    CHECK(memtest::vtable().struct_size == sizeof(stream_memory_model_v1));
}

TEST_CASE("table model: every given value comes back unchanged") {
    Memory m = entry();
    m.keys = {{"read_energy_pj", 416.16},         {"write_energy_pj", 378.4},
              {"read_bw_bits_per_cycle", 2048.0}, {"write_bw_bits_per_cycle", 1024.0},
              {"area_mm2", 1.5},                  {"leakage_mw", 0.25},
              {"latency_cycles", 3.0}};
    const auto out = memtest::describe(m);
    REQUIRE(out.status == STREAM_OK);
    CHECK(out.submitted == 1);
    CHECK(out.costs.struct_size == sizeof(stream_memory_costs_v1));
    CHECK(out.costs.read_energy_pj == 416.16);
    CHECK(out.costs.write_energy_pj == 378.4);
    CHECK(out.costs.read_bw_bits_per_cycle == 2048.0);
    CHECK(out.costs.write_bw_bits_per_cycle == 1024.0);
    CHECK(out.costs.area_mm2 == 1.5);
    CHECK(out.costs.leakage_mw == 0.25);
    CHECK(out.costs.latency_cycles == 3.0);
    CHECK(out.source == "given in the hardware file");
}

TEST_CASE("table model: integer values are accepted as floats") {
    Memory m = entry();
    m.keys = {{"read_energy_pj", int64_t{700}}, {"write_energy_pj", int64_t{750}}};
    const auto out = memtest::describe(m);
    REQUIRE(out.status == STREAM_OK);
    CHECK(out.costs.read_energy_pj == 700.0);
    CHECK(out.costs.write_energy_pj == 750.0);
}

TEST_CASE("table model: bandwidths default to word_bits times the ports of each direction") {
    Memory m = entry(); // 256-bit words, 1 read port, 1 write port
    auto out = memtest::describe(m);
    REQUIRE(out.status == STREAM_OK);
    CHECK(out.costs.read_bw_bits_per_cycle == 256.0);
    CHECK(out.costs.write_bw_bits_per_cycle == 256.0);
    CHECK(out.costs.area_mm2 == 0.0);
    CHECK(out.costs.leakage_mw == 0.0);
    CHECK(out.costs.latency_cycles == 1.0);

    // 2 read + 1 write + 2 read/write ports: reads 4 words, writes 3 words a cycle.
    m.read_ports = 2;
    m.write_ports = 1;
    m.read_write_ports = 2;
    out = memtest::describe(m);
    REQUIRE(out.status == STREAM_OK);
    CHECK(out.costs.read_bw_bits_per_cycle == 4 * 256.0);
    CHECK(out.costs.write_bw_bits_per_cycle == 3 * 256.0);
}

TEST_CASE("table model: a missing energy is refused, naming the key") {
    for (const char* key : {"read_energy_pj", "write_energy_pj"}) {
        CAPTURE(key);
        Memory m = entry();
        m.keys.erase(key);
        const auto out = memtest::describe(m);
        CHECK(out.status == STREAM_ERROR_INVALID_CONFIG);
        CHECK(out.submitted == 0);
        REQUIRE(out.error_names_key(key));
        CHECK(out.errors.front().message.find(key) != std::string::npos);
        CHECK(out.errors.front().message.find("sram_32KB") != std::string::npos);
    }
}

TEST_CASE("table model: negative, zero or non-numeric values are refused, naming the key") {
    struct Bad {
        const char* key;
        memtest::Value value;
        stream_status status;
    };
    const Bad cases[] = {
        {"read_energy_pj", -1.0, STREAM_ERROR_INVALID_CONFIG},
        {"write_energy_pj", -0.5, STREAM_ERROR_INVALID_CONFIG},
        {"read_bw_bits_per_cycle", 0.0, STREAM_ERROR_INVALID_CONFIG},
        {"write_bw_bits_per_cycle", -64.0, STREAM_ERROR_INVALID_CONFIG},
        {"area_mm2", -1.0, STREAM_ERROR_INVALID_CONFIG},
        {"leakage_mw", -2.0, STREAM_ERROR_INVALID_CONFIG},
        {"latency_cycles", -1.0, STREAM_ERROR_INVALID_CONFIG},
        {"read_energy_pj", std::string("lots"), STREAM_ERROR_TYPE_MISMATCH},
    };
    for (const Bad& bad : cases) {
        CAPTURE(bad.key);
        Memory m = entry();
        m.keys[bad.key] = bad.value;
        const auto out = memtest::describe(m);
        CHECK(out.status == bad.status);
        CHECK(out.submitted == 0);
        CHECK(out.error_names_key(bad.key));
    }
}

TEST_CASE("table model: a default bandwidth needs a port of that direction") {
    Memory m = entry();
    m.write_ports = 0; // read-only memory, no write bandwidth given
    auto out = memtest::describe(m);
    CHECK(out.status == STREAM_ERROR_INVALID_CONFIG);
    CHECK(out.error_names_key("write_bw_bits_per_cycle"));

    m.keys["write_bw_bits_per_cycle"] = 128.0; // given explicitly: fine
    out = memtest::describe(m);
    CHECK(out.status == STREAM_OK);
    CHECK(out.costs.write_bw_bits_per_cycle == 128.0);
}
