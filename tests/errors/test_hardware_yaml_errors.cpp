// The Stream/ZigZag YAML importer rejects the values the TOML loader rejects, at the YAML's own
// file:line:col (not at the converted TOML the user never wrote). Rows edit one small valid ZigZag
// core; each row's comment derives its line and column by hand (both count from 1; a value's
// column is where the value starts).
#include "config/AcceleratorFile.hpp"
#include "error_test_support.hpp"
#include "import/StreamYamlHardware.hpp"

#include <doctest/doctest.h>

#include <filesystem>
#include <string>
#include <vector>

using namespace stream;
using namespace stream::test;

namespace {

// 16 lines: the memory's fields are lines 4-11, the array's lines 13-16.
const std::string kCoreYaml = "name: c\n"
                              "memories:\n"
                              "  rf:\n"
                              "    size: 1024\n"
                              "    r_bw: 64\n"
                              "    w_bw: 64\n"
                              "    r_cost: 1\n"
                              "    w_cost: 1\n"
                              "    area: 0\n"
                              "    operands: [I1, I2, O]\n"
                              "    served_dimensions: [D1]\n"
                              "operational_array:\n"
                              "  unit_energy: 0.04\n"
                              "  unit_area: 1\n"
                              "  dimensions: [D1]\n"
                              "  sizes: [4]\n";

// A memory field inserted after "area" lands on line 10.
std::string with_memory_field(const std::string& field) { return edited(kCoreYaml, "    area: 0\n", "    area: 0\n    " + field + "\n"); }

} // namespace

TEST_SUITE("errors") {

TEST_CASE("hardware YAML: each bad value in a core file names its line, column and field") {
    const std::vector<ErrorRow> rows = {
        {"zero read bandwidth", edited(kCoreYaml, "r_bw: 64", "r_bw: 0"),
         // Line 5; "    r_bw: " is 10 characters.
         "5:11: 'memories.rf.r_bw': must be > 0, got 0"},
        {"negative write bandwidth", edited(kCoreYaml, "w_bw: 64", "w_bw: -64"),
         "6:11: 'memories.rf.w_bw': must be > 0, got -64"},
        {"negative read cost", edited(kCoreYaml, "r_cost: 1", "r_cost: -1"),
         // Line 7; "    r_cost: " is 12 characters.
         "7:13: 'memories.rf.r_cost': must be >= 0, got -1"},
        {"negative write cost", edited(kCoreYaml, "w_cost: 1", "w_cost: -0.5"),
         "8:13: 'memories.rf.w_cost': must be >= 0, got -0.5"},
        {"negative area", edited(kCoreYaml, "area: 0", "area: -0.5"),
         // Line 9; "    area: " is 10 characters.
         "9:11: 'memories.rf.area': must be >= 0, got -0.5"},
        {"zero size", edited(kCoreYaml, "size: 1024", "size: 0"),
         // Line 4; "    size: " is 10 characters.
         "4:11: 'memories.rf.size': must be > 0"},
        {"negative latency", with_memory_field("latency: -1"),
         // Line 10; "    latency: " is 13 characters.
         "10:14: 'memories.rf.latency': must be >= 0, got -1"},
        {"negative port count", with_memory_field("r_port: -1"),
         // "    r_port: " is 12 characters.
         "10:13: 'memories.rf.r_port': must be >= 0"},
        {"negative minimum read granularity", with_memory_field("min_r_granularity: -8"),
         // "    min_r_granularity: " is 23 characters.
         "10:24: 'memories.rf.min_r_granularity': must be >= 0, got -8"},
        {"a minimum write wider than the write bandwidth", with_memory_field("min_w_granularity: 128"),
         "10:24: 'memories.rf.min_w_granularity': 128 bits is more than w_bw = 64; the minimum access cannot be wider than a "
         "full one"},
        {"served_dimensions naming a dimension the array does not have",
         edited(kCoreYaml, "served_dimensions: [D1]", "served_dimensions: [D1, D7]"),
         // Line 11; "    served_dimensions: [D1, " is 28 characters.
         "11:29: 'memories.rf.served_dimensions': 'D7' is not a dimension of the operational array"},
        {"served_dimensions listing a dimension twice", edited(kCoreYaml, "served_dimensions: [D1]", "served_dimensions: [D1, D1]"),
         "11:29: 'memories.rf.served_dimensions': 'D1' is listed twice"},
        {"negative MAC energy", edited(kCoreYaml, "unit_energy: 0.04", "unit_energy: -0.04"),
         // Line 13; "  unit_energy: " is 15 characters.
         "13:16: 'operational_array.unit_energy': must be >= 0, got -0.04"},
        {"negative MAC area", edited(kCoreYaml, "unit_area: 1", "unit_area: -1"),
         // Line 14; "  unit_area: " is 13 characters.
         "14:14: 'operational_array.unit_area': must be >= 0, got -1"},
        {"a negative array size", edited(kCoreYaml, "sizes: [4]", "sizes: [-4]"),
         // Line 16; "  sizes: [" is 10 characters.
         "16:11: 'operational_array.sizes': size -4 of dimension D1 (only an all-zero array, Stream's off-chip core, may have "
         "zeros)"},
        {"a dataflow factor of 0 as a flow list", kCoreYaml + "dataflows:\n  D1: [K, 0]\n",
         // Line 18; "  D1: [" is 7 characters and the error points at the loop, K.
         "18:8: 'dataflows.D1': factor must be >= 1, got 0"},
        {"a negative dataflow factor as a string", kCoreYaml + "dataflows:\n  D1: [\"K, -2\"]\n",
         "18:8: 'dataflows.D1': factor must be >= 1, got -2"},
        {"a fractional dataflow factor", kCoreYaml + "dataflows:\n  D1: [\"K, 2.5\"]\n",
         "18:8: 'dataflows.D1': factor '2.5' is not an integer"},
    };
    check_error_rows(rows, "c.yaml", [](const std::filesystem::path& file) { import_zigzag_core(file); });
}

TEST_CASE("hardware YAML: loading a bad YAML reports the YAML's location, not the converted TOML's") {
    TempDir d;
    auto file = d.write("c.yaml", edited(kCoreYaml, "r_cost: 1", "r_cost: -1"));
    // load_accelerator imports into a temporary TOML first; the error must come from the import.
    CHECK(error_of([&] { load_accelerator(file); }) == file.string() + ":7:13: 'memories.rf.r_cost': must be >= 0, got -1");
}

TEST_CASE("hardware YAML: each bad value in a system file names its line, column and field") {
    // Stream's current format; "name: s", "cores:", two core lines, then what a row appends from line 5.
    const std::string cores = "name: s\ncores:\n  0: c.yaml\n  1: c.yaml\n";
    const std::vector<ErrorRow> rows = {
        {"zero link bandwidth", cores + "core_connectivity:\n  - 0, 1\nbandwidth: 0\n",
         // Line 7; "bandwidth: " is 11 characters.
         "7:12: 'bandwidth': must be > 0, got 0"},
        {"negative link energy", cores + "core_connectivity:\n  - 0, 1\nbandwidth: 8\nunit_energy_cost: -1\n",
         // Line 8; "unit_energy_cost: " is 18 characters.
         "8:19: 'unit_energy_cost': must be >= 0, got -1"},
        {"negative mesh link energy (older graph format)",
         "name: s\ncores: [c.yaml, c.yaml]\ngraph:\n  type: 2d_mesh\n  nb_rows: 1\n  nb_cols: 2\n  bandwidth: 8\n"
         "  unit_energy_cost: -1\n",
         // Line 8; "  unit_energy_cost: " is 20 characters.
         "8:21: 'graph.unit_energy_cost': must be >= 0, got -1"},
        {"a mesh so large its size overflows (older graph format)",
         "name: s\ncores: [c.yaml, c.yaml]\ngraph:\n  type: 2d_mesh\n  nb_rows: 4611686018427387904\n  nb_cols: 4\n  bandwidth: 8\n",
         // 2^62 x 4 does not fit an int64 (UBSan would catch the multiplication). The error points at the graph
         // mapping, which starts at its first key: line 4, column 3.
         "4:3: 'graph': a 4611686018427387904x4 mesh for 2 mesh cores"},
        {"a mesh with zero rows (older graph format)",
         "name: s\ncores: [c.yaml, c.yaml]\ngraph:\n  type: 2d_mesh\n  nb_rows: 0\n  nb_cols: 2\n  bandwidth: 8\n",
         "4:3: 'graph': a 0x2 mesh for 2 mesh cores"},
        {"negative mesh bandwidth (older graph format)",
         "name: s\ncores: [c.yaml, c.yaml]\ngraph:\n  type: 2d_mesh\n  nb_rows: 1\n  nb_cols: 2\n  bandwidth: -8\n",
         // Line 7; "  bandwidth: " is 13 characters.
         "7:14: 'graph.bandwidth': must be > 0, got -8"},
    };
    check_error_rows(rows, "sys.yaml", [](const std::filesystem::path& file) { import_stream_system(file); },
                     [](const TempDir& d) { d.write("c.yaml", kCoreYaml); });
}

TEST_CASE("hardware YAML: a folder where a YAML file is expected is named as a folder") {
    TempDir d;
    d.write("hw.yaml/c.yaml", kCoreYaml);
    auto folder = d.path() / "hw.yaml";
    CHECK(error_of([&] { load_accelerator(folder); }) == folder.string() + ": is a directory, not a YAML file");
    // A system naming a folder as a core file: "  0: " is 5 characters, so the id key 0 is at 3:3.
    auto sys = d.write("sys.yaml", "name: s\ncores:\n  0: ./hw.yaml\ncore_connectivity: []\nbandwidth: 8\n");
    CHECK(error_of([&] { import_stream_system(sys); }) ==
          sys.string() + ":3:3: 'cores.0': core file '" + folder.string() + "' is a directory, not a YAML file");
}

} // TEST_SUITE
