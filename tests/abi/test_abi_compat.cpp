// Plugins built some other way than the host keep loading: against the frozen
// v1.0 header, for a newer minor, by another compiler, with their own C++
// runtime linked in, or stripped. Each is a fixture built by tests/abi/CMakeLists.txt.
#include "abi_test_support.hpp"

#include "plugin_host/Diagnostics.hpp"

#include <stream/plugin.h>

#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <string>

using namespace stream;
using namespace stream::test;
namespace fs = std::filesystem;

namespace {

// The toy conv's cost under the fixture model of c_model.c: 10368 iterations on 16 MAC units,
// ceil(10368 / 16) = 648 cycles; 10368 * 0.5 pJ = 5184 pJ.
constexpr double kToyConvCycles = 648;
constexpr double kToyConvEnergyPj = 5184;

/// A DRAM as core models see it: `bits_per_cycle` wide, `pj_per_access` per access of that width.
MemoryLevel dram(double bits_per_cycle, double pj_per_access) {
    MemoryLevel m;
    m.name = "dram";
    m.size_bits = std::int64_t{1} << 32;
    m.read_bw_bits_per_cycle = m.write_bw_bits_per_cycle = bits_per_cycle;
    m.read_energy_pj = m.write_energy_pj = pj_per_access;
    m.operands = {"I", "W", "O"};
    return m;
}

/// A convolution with the given loop sizes and no operands: what a table-driven model looks at.
Layer conv_shape(std::int64_t k, std::int64_t c, std::int64_t oy) {
    Layer l;
    l.name = "conv";
    l.op_type = "Conv";
    l.loop_dims = {{"B", 1}, {"K", k}, {"C", c}, {"OY", oy}, {"OX", 16}, {"FY", 3}, {"FX", 3}};
    return l;
}

std::string table_config(const std::string& file) { return "table = \"" + file + "\"\n"; }

} // namespace

TEST_SUITE("abi") {

TEST_CASE("a plugin compiled against the frozen v1.0 header loads and answers") {
    auto lib = load_ok(fixture("v1_0_model"));
    CHECK(lib->info().abi_major == 1);
    CHECK(lib->info().abi_minor == 0);
    RecordingDiagnostics diag;
    PluginInstance<stream_core_model_v1> inst(lib, config_for(*lib, ""), diag);
    CostCapture c = evaluate(inst);
    CHECK(c.latency == kToyConvCycles);
    CHECK(c.energy == kToyConvEnergyPj);
}

TEST_CASE("a plugin built for a newer minor loads when it needs nothing the host lacks") {
    auto lib = load_ok(fixture("newer_minor"));
    CHECK(lib->info().abi_minor == STREAM_ABI_MINOR + 1);
    RecordingDiagnostics diag;
    PluginInstance<stream_core_model_v1> inst(lib, config_for(*lib, ""), diag);
    // One cycle per iteration of the toy conv: 8*4*6*6*3*3 = 10368.
    CHECK(evaluate(inst).latency == 10368);
}

TEST_CASE("a plugin built for a newer minor that needs a newer host is refused with its reason") {
    CHECK(refusal_of(fixture("newer_minor_needy")) ==
          "the plugin refused to load: needs a host of plugin ABI 1." + std::to_string(STREAM_ABI_MINOR + 1) +
              " or later for batched evaluation");
}

TEST_CASE("a plugin stripped of every symbol but the entry loads and answers") {
    auto lib = load_ok(fixture("stripped"));
    RecordingDiagnostics diag;
    PluginInstance<stream_core_model_v1> inst(lib, config_for(*lib, ""), diag);
    CHECK(evaluate(inst).latency == kToyConvCycles);
}

#ifdef STREAM_DSE_CLANG_EXAMPLE
TEST_CASE("the C example, built with clang, is bound by compute or by DRAM bandwidth") {
    auto lib = load_ok(STREAM_DSE_CLANG_EXAMPLE);
    CHECK(lib->info().id == "dram_roofline");
    RecordingDiagnostics diag;
    // Toy conv: 10368 MACs on 16 units = 648 compute cycles. Operand tiles: I 4*8*8, W 8*4*3*3 and
    // O 8*6*6 elements of 8 bits = 2048 + 2304 + 2304 = 6656 bits.
    SUBCASE("bandwidth-bound") {
        PluginInstance<stream_core_model_v1> inst(lib, config_for(*lib, ""), diag);
        MemoryLevel narrow = dram(8, 2.0);
        CostCapture c = evaluate(inst, toy_core(), toy_conv(), &narrow);
        // 6656 bits / 8 bits per cycle = 832 cycles > 648.
        CHECK(c.latency == 832);
        // 10368 * 0.5 pJ + 832 accesses * 2 pJ = 5184 + 1664.
        CHECK(c.energy == 6848);
        CHECK(c.mapping_text.rfind("bandwidth-bound", 0) == 0);
    }
    SUBCASE("compute-bound") {
        PluginInstance<stream_core_model_v1> inst(lib, config_for(*lib, ""), diag);
        MemoryLevel wide = dram(64, 8.0);
        CostCapture c = evaluate(inst, toy_core(), toy_conv(), &wide);
        // 6656 / 64 = 104 cycles < 648; energy 5184 + 104 accesses * 8 pJ.
        CHECK(c.latency == 648);
        CHECK(c.energy == 6016);
        CHECK(c.mapping_text.rfind("compute-bound", 0) == 0);
    }
    SUBCASE("dram_efficiency scales the bandwidth") {
        PluginInstance<stream_core_model_v1> inst(lib, config_for(*lib, "dram_efficiency = 0.125\n"), diag);
        MemoryLevel wide = dram(64, 8.0);
        // 64 * 0.125 = 8 bits per cycle: 6656 / 8 = 832 cycles.
        CHECK(evaluate(inst, toy_core(), toy_conv(), &wide).latency == 832);
    }
    SUBCASE("a core without DRAM is refused, naming the core") {
        PluginInstance<stream_core_model_v1> inst(lib, config_for(*lib, ""), diag);
        std::string msg = error_of([&] { evaluate(inst); });
        CHECK(msg.rfind("core 0 'toy': this model needs an off-chip DRAM", 0) == 0);
    }
    SUBCASE("an efficiency out of range points at the key") {
        std::string msg = error_of([&] { PluginInstance<stream_core_model_v1> inst(lib, config_for(*lib, "dram_efficiency = 0.0\n"), diag); });
        CHECK(msg.rfind("stage.toml:1:19: key 'cost.dram_efficiency': dram_efficiency must be in (0, 1]", 0) == 0);
    }
}
#endif

TEST_CASE("the vendor example, linked with its own C++ runtime, answers from its table and refuses the rest") {
    auto lib = load_ok(fixture("static_runtime_lut"));
    CHECK(lib->info().id == "vendor_lut");
    RecordingDiagnostics diag;
    const std::string table = STREAM_DSE_LUT_TABLE;
    PluginInstance<stream_core_model_v1> inst(lib, config_for(*lib, table_config(table)), diag);
    SUBCASE("a measured shape is taken as measured") {
        // measured_costs.csv line 5: Conv K16 C8 OY2 OX16 FY3 FX3, 700 cycles, 52000 pJ.
        CostCapture c = evaluate(inst, toy_core(), conv_shape(16, 8, 2));
        CHECK(c.latency == 700);
        CHECK(c.energy == 52000);
        CHECK(c.mapping_text == "measured: " + table + " line 5");
    }
    SUBCASE("a shape between two measurements is interpolated along OY") {
        // OY 4 between lines 5 (OY 2) and 6 (OY 8), a third of the way: 700 + (2500 - 700) / 3 = 1300 cycles,
        // 52000 + (196000 - 52000) / 3 = 100000 pJ.
        CostCapture c = evaluate(inst, toy_core(), conv_shape(16, 8, 4));
        CHECK(c.latency == doctest::Approx(1300));
        CHECK(c.energy == doctest::Approx(100000));
        CHECK(c.mapping_text == "interpolated along OY between " + table + " lines 5 and 6");
    }
    SUBCASE("a shape beyond the measured range is refused with the range") {
        std::string msg = error_of([&] { evaluate(inst, toy_core(), conv_shape(16, 8, 16)); });
        CHECK(msg.rfind("core 0 'toy': Conv B=1 C=8 FX=3 FY=3 K=16 OX=16 OY=16 is outside " + table +
                            ": it has OY 2..8 for this shape", 0) == 0);
    }
    SUBCASE("a shape the table never measured is refused") {
        std::string msg = error_of([&] { evaluate(inst, toy_core(), conv_shape(12, 8, 4)); });
        CHECK(msg.rfind("core 0 'toy': no measurement of Conv B=1 C=8 FX=3 FY=3 K=12 OX=16 OY=4 in " + table, 0) == 0);
    }
}

TEST_CASE("the vendor example points at the line of a malformed table") {
    auto lib = load_ok(fixture("static_runtime_lut"));
    fs::path bad = fs::temp_directory_path() / "stream-dse-bad-costs.csv";
    {
        std::ofstream out(bad);
        out << "op_type,K,latency_cycles,energy_pj\nConv,16,fast,52000\n";
    }
    RecordingDiagnostics diag;
    std::string msg = error_of([&] { PluginInstance<stream_core_model_v1> inst(lib, config_for(*lib, table_config(bad.string())), diag); });
    CHECK(msg.rfind(bad.string() + ":2: 'fast' is not a number", 0) == 0);
    fs::remove(bad);
}

} // TEST_SUITE
