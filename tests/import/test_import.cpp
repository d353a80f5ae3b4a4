// The Stream/ZigZag hardware YAML importer against the original tools' reference inputs:
// every file either imports to valid TOML or fails naming a field our schema cannot hold.
#include "import/StreamYamlHardware.hpp"

#include "config/AcceleratorFile.hpp"
#include "error/Error.hpp"

#include "shared_dir.hpp"
#include "temp_dir.hpp"

#include <doctest/doctest.h>
#include <toml++/toml.h>

#include <algorithm>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

namespace fs = std::filesystem;
using stream::test::TempDir;

namespace {

/// The top-level *.yaml of every hardware folder under stream-inputs (the system files).
std::vector<fs::path> stream_system_files(const fs::path& ref) {
    std::vector<fs::path> out;
    for (const auto& e : fs::recursive_directory_iterator(ref / "stream-inputs")) {
        if (!e.is_directory() || e.path().filename() != "hardware") continue;
        for (const auto& f : fs::directory_iterator(e.path()))
            if (f.is_regular_file() && f.path().extension() == ".yaml") out.push_back(f.path());
    }
    std::sort(out.begin(), out.end());
    return out;
}

std::vector<fs::path> zigzag_core_files(const fs::path& ref) {
    std::vector<fs::path> out;
    for (const auto& f : fs::directory_iterator(ref / "zigzag-inputs" / "hardware"))
        if (f.is_regular_file() && f.path().extension() == ".yaml") out.push_back(f.path());
    std::sort(out.begin(), out.end());
    return out;
}

/// Files that cannot be imported, and the field their error must name (why: see the report in the header).
const std::map<std::string, std::string> kExpectedFailures = {
    {"simple_example_hw.yaml", "graph.simd_core_id"},                          // infinite-bandwidth SIMD links
    {"aimc.yaml", "operational_array.is_imc"},                                  // in-memory compute
    {"dimc.yaml", "operational_array.is_imc"},                                  // in-memory compute
    {"generic_array_cacti.yaml", "memories.rf_I.auto_cost_extraction"},         // needs CACTI
    {"eyeriss_like.yaml", "memories.sram_1M.ports[0].tl"},                      // typo 'wr_port_2' (ZigZag's port regex rejects it too)
};

/// Checks the written files parse back as TOML; returns the system table.
toml::table write_and_reparse(const stream::ImportedHardware& hw, const fs::path& dir) {
    stream::write_imported(hw, dir);
    fs::path system = dir / (hw.system_name + ".toml");
    REQUIRE(fs::exists(system));
    toml::table sys;
    try {
        sys = toml::parse_file(system.string());
        for (const auto& [file, table] : hw.core_types) {
            toml::table back = toml::parse_file((dir / file).string());
            CHECK(back == table);
        }
    } catch (const toml::parse_error& e) {
        FAIL("written TOML does not parse: " << e.what());
    }
    CHECK(sys == hw.system);
    // The header comment says where it came from.
    std::ifstream in(system);
    std::string first;
    std::getline(in, first);
    CHECK(first.find("Imported from " + hw.source.string()) != std::string::npos);
    return sys;
}

toml::node_view<const toml::node> view(const toml::node& n) { return toml::node_view<const toml::node>(n); }

/// Loads a written system with the real loader: every imported file must load.
void load_back(const fs::path& system_file) {
    try {
        (void)stream::load_accelerator(system_file);
    } catch (const stream::Error& e) {
        FAIL_CHECK("load_accelerator(" << system_file.string() << "): " << std::string(e.what()));
    }
}

const toml::table& memory_named(const toml::table& core, const std::string& name) {
    const toml::array* mems = core["memories"].as_array();
    REQUIRE(mems);
    for (const auto& m : *mems)
        if (m.as_table() && (*m.as_table())["name"].value_or(std::string()) == name) return *m.as_table();
    FAIL("no memory " << name);
    throw;
}

const toml::table& core_type(const stream::ImportedHardware& hw, const std::string& file) {
    for (const auto& [f, t] : hw.core_types)
        if (f == file) return t;
    FAIL("no core type " << file);
    throw;
}

void check_import_or_expected_failure(const fs::path& file, bool system, int& imported, int& loaded) {
    CAPTURE(file.string());
    auto expected = kExpectedFailures.find(file.filename().string());
    try {
        stream::ImportedHardware hw = system ? stream::import_stream_system(file) : stream::import_zigzag_core(file);
        CHECK_MESSAGE(expected == kExpectedFailures.end(), "expected a failure naming " << expected->second);
        TempDir out;
        write_and_reparse(hw, out.path());
        ++imported;
        load_back(out.path() / (hw.system_name + ".toml"));
        ++loaded;
    } catch (const stream::Error& e) {
        INFO("error: " << std::string(e.what()));
        REQUIRE(expected != kExpectedFailures.end());
        CHECK(e.message().find("'" + expected->second + "'") != std::string::npos);
        // Located in the YAML that holds the field.
        CHECK(e.where().line > 0);
        CHECK(e.where().column > 0);
    }
}

} // namespace

TEST_CASE("every Stream system YAML imports or names a field the schema cannot hold") {
    auto ref = stream::test::reference_dir();
    if (!ref) return stream::test::skip("no ../shared/reference");
    std::vector<fs::path> files = stream_system_files(*ref);
    REQUIRE(files.size() >= 10);
    int imported = 0, loaded = 0;
    for (const auto& f : files) {
        CHECK(stream::is_stream_system_yaml(f));
        CHECK_FALSE(stream::is_core_yaml(f));
        check_import_or_expected_failure(f, true, imported, loaded);
    }
    CHECK(imported == static_cast<int>(files.size()) - 1); // all but simple_example_hw.yaml
    CHECK(loaded == imported); // every imported system loads
}

TEST_CASE("every ZigZag core YAML imports or names a field the schema cannot hold") {
    auto ref = stream::test::reference_dir();
    if (!ref) return stream::test::skip("no ../shared/reference");
    std::vector<fs::path> files = zigzag_core_files(*ref);
    REQUIRE(files.size() >= 9);
    int imported = 0, loaded = 0;
    for (const auto& f : files) {
        CHECK(stream::is_core_yaml(f));
        CHECK_FALSE(stream::is_stream_system_yaml(f));
        check_import_or_expected_failure(f, false, imported, loaded);
    }
    CHECK(imported == static_cast<int>(files.size()) - 4); // all but aimc, dimc, generic_array_cacti, eyeriss_like
    CHECK(loaded == imported);
}

TEST_CASE("tpu_like numbers survive exactly") {
    auto ref = stream::test::reference_dir();
    if (!ref) return stream::test::skip("no ../shared/reference");
    auto hw = stream::import_stream_system(*ref / "stream-inputs/examples/hardware/tpu_like_quad_core.yaml");
    TempDir out;
    write_and_reparse(hw, out.path());
    // Read back from disk so the printed numbers are what is checked.
    toml::table tpu = toml::parse_file((out.path() / "cores/tpu_like.toml").string());
    const toml::table& sram = memory_named(tpu, "sram_2MB");
    CHECK(sram["size_bits"].value<std::int64_t>() == 16777216);
    CHECK(sram["read_energy_pj"].value<double>() == 416.16);
    CHECK(sram["write_energy_pj"].value<double>() == 378.4);
    CHECK(sram["min_read_bits"].value<std::int64_t>() == 64);
    CHECK(sram["min_write_bits"].value<std::int64_t>() == 64);
    CHECK(sram["read_bw_bits_per_cycle"].value<std::int64_t>() == 2048);
    CHECK(sram["read_ports"].value<std::int64_t>() == 1);
    CHECK(sram["read_write_ports"].value<std::int64_t>() == 0);
    const toml::array* ops = sram["operands"].as_array();
    REQUIRE(ops);
    CHECK(ops->size() == 3);
    CHECK((*ops)[0].value<std::string>() == "I");
    CHECK((*ops)[1].value<std::string>() == "W");
    CHECK((*ops)[2].value<std::string>() == "O");
    CHECK(sram["ports"]["O"]["fl"].value<std::string>() == "w_port_1");
    CHECK(sram["ports"]["W"]["tl"].value<std::string>() == "r_port_1");
    const toml::table& rf = memory_named(tpu, "rf_128B");
    CHECK(rf["read_energy_pj"].value<double>() == 0.095);
    CHECK(rf["served_dims"].as_array()->empty());
    // Memory order is the YAML's, innermost first.
    CHECK(tpu["memories"][0]["name"].value<std::string>() == "rf_128B");
    CHECK(tpu["memories"][2]["name"].value<std::string>() == "sram_2MB");
    // Operational array and dataflow.
    CHECK(tpu["operational_array"]["mac_energy_pj"].value<double>() == 0.04);
    CHECK(tpu["operational_array"]["mac_area_mm2"].value<double>() == 1.0);
    CHECK(tpu["operational_array"]["dimensions"][1]["size"].value<std::int64_t>() == 32);
    CHECK(tpu["dataflow"][0]["array_dim"].value<std::string>() == "D1");
    CHECK(tpu["dataflow"][0]["loop_dim"].value<std::string>() == "K");
    CHECK(tpu["dataflow"][0]["factor"].value<std::int64_t>() == 32);
    CHECK(tpu["dataflow"][1]["loop_dim"].value<std::string>() == "C");
}

TEST_CASE("quad core: 12 connectivity pairs become 24 directed links and the DRAM port is shared") {
    auto ref = stream::test::reference_dir();
    if (!ref) return stream::test::skip("no ../shared/reference");
    auto hw = stream::import_stream_system(*ref / "stream-inputs/examples/hardware/tpu_like_quad_core.yaml");
    CHECK(hw.system_name == "tpu_like_quad_core");
    const toml::array* links = hw.system["links"].as_array();
    REQUIRE(links);
    CHECK(links->size() == 24);
    int from0to1 = 0, from1to0 = 0;
    for (const auto& l : *links) {
        const toml::table& t = *l.as_table();
        CHECK(t["bidirectional"].value<bool>() == false);
        CHECK(t["bandwidth_bits_per_cycle"].value<std::int64_t>() == 32);
        CHECK(t["energy_pj_per_bit"].value<double>() == 0.0);
        from0to1 += t["from"].value<std::int64_t>() == 0 && t["to"].value<std::int64_t>() == 1;
        from1to0 += t["from"].value<std::int64_t>() == 1 && t["to"].value<std::int64_t>() == 0;
    }
    CHECK(from0to1 == 1);
    CHECK(from1to0 == 1);
    CHECK(hw.system["offchip"]["ports"].value<std::string>() == "shared");
    CHECK(hw.system["offchip"]["type"].value<std::string>() == "cores/offchip.toml");
    CHECK_FALSE(hw.system["offchip"]["bandwidth_bits_per_cycle"]); // the DRAM's, by default
    // Six cores, four sharing one type file; simd.yaml is also named "pooling", so it gets its stem.
    const toml::array* cores = hw.system["cores"].as_array();
    REQUIRE(cores);
    CHECK(cores->size() == 6);
    CHECK(view((*cores)[0])["type"].value<std::string>() == "cores/tpu_like.toml");
    CHECK(view((*cores)[3])["type"].value<std::string>() == "cores/tpu_like.toml");
    CHECK(view((*cores)[4])["type"].value<std::string>() == "cores/pooling.toml");
    CHECK(view((*cores)[5])["type"].value<std::string>() == "cores/simd.toml");
    CHECK(hw.core_types.size() == 4);
    const toml::table& dram = core_type(hw, "cores/offchip.toml");
    CHECK(dram["offchip"].value<bool>() == true);
    CHECK_FALSE(dram.contains("operational_array"));
    CHECK(memory_named(dram, "dram")["size_bits"].value<std::int64_t>() == 10000000000);
}

TEST_CASE("memory sharing, link energy per bit and Stream-relative core paths") {
    auto ref = stream::test::reference_dir();
    if (!ref) return stream::test::skip("no ../shared/reference");
    // fusemax.yaml names its cores "stream/inputs/examples/hardware/cores/...", relative to Stream's checkout.
    auto hw = stream::import_stream_system(*ref / "stream-inputs/examples/hardware/fusemax.yaml");
    const toml::array* shared = hw.system["shared_memories"].as_array();
    REQUIRE(shared);
    REQUIRE(shared->size() == 1);
    CHECK(view((*shared)[0])["cores"][1].value<std::int64_t>() == 1);
    CHECK_FALSE(hw.system.contains("links"));
    // Three rw ports on the DRAM: separate read and write links; 512 pJ per active cycle over 3200 bits.
    CHECK(hw.system["offchip"]["ports"].value<std::string>() == "separate");
    CHECK(hw.system["offchip"]["energy_pj_per_bit"].value<double>() == doctest::Approx(512.0 / 3200.0));
    CHECK(memory_named(core_type(hw, "cores/offchip.toml"), "dram")["size_bits"].value<std::int64_t>() == 10000000000000000);
    CHECK(memory_named(core_type(hw, "cores/generic_array.toml"), "sram")["size_bits"].value<std::int64_t>() == 16777216);
}

TEST_CASE("older graph format: a column-major 2-D mesh of directed links") {
    auto ref = stream::test::reference_dir();
    if (!ref) return stream::test::skip("no ../shared/reference");
    auto hw = stream::import_stream_system(*ref / "stream-inputs/testing/hardware/quad_testing_core_offchip.yaml");
    CHECK(hw.system["cores"].as_array()->size() == 4);
    CHECK(hw.system["offchip"]["type"].value<std::string>() == "cores/offchip.toml");
    const toml::array* links = hw.system["links"].as_array();
    REQUIRE(links);
    CHECK(links->size() == 8); // 2x2 mesh: 4 neighbour pairs, two directions each
    // Column-major: 0 1 / ... is (0,0)=0, (1,0)=1, (0,1)=2, (1,1)=3, so 0-2 is horizontal and 0-3 is absent.
    bool has02 = false, has03 = false;
    for (const auto& l : *links) {
        auto from = (*l.as_table())["from"].value<std::int64_t>(), to = (*l.as_table())["to"].value<std::int64_t>();
        has02 |= from == 0 && to == 2;
        has03 |= from == 0 && to == 3;
    }
    CHECK(has02);
    CHECK_FALSE(has03);
}

TEST_CASE("ZigZag core: a one-core system keeping its DRAM as a memory") {
    auto ref = stream::test::reference_dir();
    if (!ref) return stream::test::skip("no ../shared/reference");
    auto hw = stream::import_zigzag_core(*ref / "zigzag-inputs/hardware/tpu_like.yaml");
    CHECK(hw.system_name == "tpu_like");
    CHECK_FALSE(hw.system.contains("offchip"));
    REQUIRE(hw.core_types.size() == 1);
    const toml::table& core = hw.core_types[0].second;
    CHECK(hw.core_types[0].first == "cores/tpu_like.toml");
    const toml::table& dram = memory_named(core, "dram");
    CHECK(dram["read_write_ports"].value<std::int64_t>() == 1);
    CHECK(dram["served_dims"].as_array()->size() == 2);
    // ascend_like carries input_precision on a non-IMC array: accepted, noted, not written.
    auto ascend = stream::import_zigzag_core(*ref / "zigzag-inputs/hardware/ascend_like.yaml");
    REQUIRE(ascend.notes.size() == 1);
    CHECK(ascend.notes[0].find("input_precision") != std::string::npos);
}

TEST_CASE("unrepresentable fields are errors at their line and column") {
    TempDir dir;
    const std::string memory = "    size: 1024\n    r_bw: 8\n    w_bw: 8\n    r_cost: 1\n    w_cost: 1\n    area: 0\n"
                               "    operands: [I2]\n    served_dimensions: []\n";
    const std::string array = "operational_array:\n  unit_energy: 0.04\n  unit_area: 1\n  dimensions: [D1]\n  sizes: [4]\n";
    auto expect_error = [&](const std::string& name, const std::string& text, const std::string& field, std::uint32_t line,
                            std::uint32_t col) {
        CAPTURE(name);
        fs::path p = dir.write(name, text);
        try {
            stream::import_zigzag_core(p);
            FAIL("no error");
        } catch (const stream::Error& e) {
            INFO(std::string(e.what()));
            CHECK(e.message().find("'" + field + "'") != std::string::npos);
            CHECK(e.where().file == p.string());
            CHECK(e.where().line == line);
            CHECK(e.where().column == col);
        }
    };
    expect_error("cacti.yaml", "name: c\nmemories:\n  rf:\n    auto_cost_extraction: True\n" + memory + array,
                 "memories.rf.auto_cost_extraction", 4, 5);
    expect_error("memtype.yaml", "name: c\nmemories:\n  rf:\n" + memory + "    mem_type: rf\n" + array, "memories.rf.mem_type", 12, 15);
    expect_error("unknown.yaml", "name: c\nmemories:\n  rf:\n" + memory + "    banks: 4\n" + array, "memories.rf.banks", 12, 5);
    expect_error("imc.yaml", "name: c\nmemories:\n  rf:\n" + memory + array + "  is_imc: True\n", "operational_array.is_imc", 17, 3);
    expect_error("adc.yaml", "name: c\nmemories:\n  rf:\n" + memory + array + "  adc_resolution: 8\n",
                 "operational_array.adc_resolution", 17, 3);
    expect_error("operand.yaml", "name: c\nmemories:\n  rf:\n" + memory + "    ports:\n      - fh: r_port_1\n" + array,
                 "memories.rf.ports[0].fh", 13, 13);
    expect_error("dataflow.yaml", "name: c\nmemories:\n  rf:\n" + memory + array + "dataflows:\n  D2: [K, 4]\n", "dataflows.D2", 18, 3);
    // The well-formed variant imports.
    fs::path ok = dir.write("ok.yaml", "name: c\nmemories:\n  rf:\n" + memory + array + "dataflows:\n  D1: [K, 4]\n");
    auto hw = stream::import_zigzag_core(ok);
    CHECK(hw.core_types[0].second["dataflow"][0]["factor"].value<std::int64_t>() == 4);
}

TEST_CASE("system errors name the field") {
    TempDir dir;
    dir.write("cores/c.yaml", "name: c\nmemories:\n  rf:\n    size: 8\n    r_bw: 8\n    w_bw: 8\n    r_cost: 1\n    w_cost: 1\n"
                              "    area: 0\n    operands: [I1, I2, O]\n"
                              "operational_array:\n  unit_energy: 1\n  unit_area: 0\n  dimensions: [D1]\n  sizes: [2]\n");
    auto expect_error = [&](const std::string& text, const std::string& field) {
        fs::path p = dir.write("sys.yaml", text);
        try {
            stream::import_stream_system(p);
            FAIL("no error");
        } catch (const stream::Error& e) {
            INFO(std::string(e.what()));
            CHECK(e.message().find("'" + field + "'") != std::string::npos);
            CHECK(e.where().line > 0);
        }
    };
    expect_error("name: s\ncores:\n  0: c.yaml\n  1: c.yaml\ncore_connectivity:\n  - 0, 2\nbandwidth: 8\n", "core_connectivity[0]");
    expect_error("name: s\ncores:\n  0: c.yaml\n  2: c.yaml\ncore_connectivity: []\nbandwidth: 8\n", "cores");
    expect_error("name: s\ncores:\n  0: c.yaml\ncore_connectivity: []\nbandwidth: 8\nnoc: mesh\n", "noc");
    expect_error("name: s\ncores:\n  0: missing.yaml\ncore_connectivity: []\nbandwidth: 8\n", "cores.0");
    expect_error("name: s\ncores:\n  0: c.yaml\noffchip_core: c.yaml\ncore_connectivity: []\nbandwidth: 8\n", "offchip_core");
    // A three-core group is a bus.
    fs::path p = dir.write("bus.yaml", "name: s\ncores:\n  0: c.yaml\n  1: c.yaml\n  2: c.yaml\ncore_connectivity:\n  - 0, 1, 2\n"
                                       "bandwidth: 16\nunit_energy_cost: 4\n");
    auto hw = stream::import_stream_system(p);
    REQUIRE(hw.system["links"].as_array()->size() == 1);
    CHECK(hw.system["links"][0]["cores"].as_array()->size() == 3);
    CHECK(hw.system["links"][0]["energy_pj_per_bit"].value<double>() == 0.25);
}
