// One test per configuration mistake a user can make, each asserting the exact
// message and the exact file:line:col it points at (lines and columns count
// from 1, in the text written by the test).
#include "config/AcceleratorFile.hpp"
#include "config/MappingFile.hpp"
#include "config/PluginConfig.hpp"
#include "config/TomlFile.hpp"
#include "fusion/LayerStacks.hpp"
#include "pipeline/Pipeline.hpp"
#include "pipeline/Stages.hpp"
#include "error_test_support.hpp"

#include <doctest/doctest.h>

using namespace stream;
using namespace stream::test;

namespace {

std::vector<ConfigKey> allocator_keys() {
    ConfigKey t{"time_limit_s", STREAM_VALUE_FLOAT, true, std::nullopt, "s", "stop searching after this long"};
    ConfigKey th{"threads", STREAM_VALUE_INT, false, std::string{"1"}, "", "search threads"};
    ConfigKey obj{"objective", STREAM_VALUE_STRING, false, std::string{"\"edp\""}, "", "latency | energy | edp"};
    return {t, th, obj};
}

} // namespace

TEST_SUITE("errors") {

TEST_CASE("a TOML syntax error names the file, line and column") {
    TempDir d;
    auto p = d.write("p.toml", "[cost]\nplugin = \"roofline\n");
    std::string msg = error_of([&] { Pipeline::load(p, {}); });
    // The unterminated string starts on line 2 at column 10; toml++ reports where the line ends.
    CHECK(msg.rfind(p.string() + ":2:", 0) == 0);
    CHECK(msg.find("Error while parsing string") != std::string::npos);
}

TEST_CASE("a misspelt stage is an unknown key with a suggestion") {
    TempDir d;
    auto p = d.write("p.toml", "name = \"x\"\n[alocator]\nplugin = \"fixed\"\n");
    CHECK(error_of([&] { Pipeline::load(p, {}); }) ==
          p.string() + ":2:2: unknown key 'alocator' (did you mean 'allocator'?)");
}

TEST_CASE("a plugin stage key the plugin did not declare is rejected with its location") {
    TempDir d;
    auto p = d.write("p.toml", "[allocator]\nplugin = \"x\"\nthreads = 2\ntime_limt_s = 5\n");
    auto keys = allocator_keys();
    Pipeline pipe = Pipeline::load(p, {});
    PluginStage s = pipe.stage("allocator");
    CHECK(error_of([&] { PluginConfig(s.table, s.where, keys, "allocator", Pipeline::host_keys("allocator")); }) ==
          p.string() + ":4:1: unknown key 'allocator.time_limt_s' (did you mean 'time_limit_s'?)");
}

TEST_CASE("a value of the wrong type names the key and both types") {
    TempDir d;
    auto p = d.write("p.toml", "[allocator]\nplugin = \"x\"\ntime_limit_s = 5\nthreads = \"four\"\n");
    auto keys = allocator_keys();
    Pipeline pipe = Pipeline::load(p, {});
    PluginStage s = pipe.stage("allocator");
    CHECK(error_of([&] { PluginConfig(s.table, s.where, keys, "allocator", Pipeline::host_keys("allocator")); }) ==
          p.string() + ":4:11: key 'allocator.threads': expected integer, got string");
}

TEST_CASE("a missing required key points at its stage and says what it needs") {
    TempDir d;
    auto p = d.write("p.toml", "name = \"x\"\n\n[allocator]\nplugin = \"x\"\n");
    auto keys = allocator_keys();
    Pipeline pipe = Pipeline::load(p, {});
    PluginStage s = pipe.stage("allocator");
    CHECK(error_of([&] { PluginConfig(s.table, s.where, keys, "allocator", Pipeline::host_keys("allocator")); }) ==
          p.string() + ":3:1: missing required key 'allocator.time_limit_s' (float: stop searching after this long)");
}

TEST_CASE("defaults fill in and remember where they came from") {
    TempDir d;
    auto p = d.write("p.toml", "[allocator]\ntime_limit_s = 2\n");
    auto keys = allocator_keys();
    Pipeline pipe = Pipeline::load(p, {});
    PluginStage s = pipe.stage("allocator");
    PluginConfig cfg(s.table, s.where, keys, "allocator");
    REQUIRE(cfg.find("threads"));
    CHECK(cfg.find("threads")->integer == 1);
    CHECK(cfg.location("threads").str() == "(default)");
    // An integer where a float is declared is accepted (2 -> 2.0).
    CHECK(cfg.find("time_limit_s")->number == 2.0);
}

TEST_CASE("a --set override that has the wrong type is located on the command line") {
    TempDir d;
    auto p = d.write("p.toml", "[allocator]\nplugin = \"x\"\ntime_limit_s = 5\n");
    auto keys = allocator_keys();
    Pipeline pipe = Pipeline::load(p, {"allocator.threads=[1, 2]"});
    PluginStage s = pipe.stage("allocator");
    // "v = [1, 2]" is what gets parsed: the value starts at column 5.
    CHECK(error_of([&] { PluginConfig(s.table, s.where, keys, "allocator", Pipeline::host_keys("allocator")); }) ==
          "<command line>:1:5: key 'allocator.threads': expected integer, got array");
}

TEST_CASE("a --set through a value that is not a table is refused") {
    TempDir d;
    auto p = d.write("p.toml", "[workload]\nfile = \"m.onnx\"\n");
    CHECK(error_of([&] { Pipeline::load(p, {"workload.file.name=3"}); }) ==
          "<command line>: --set workload.file.name: 'file' is a string, not a table");
    CHECK(error_of([&] { Pipeline::load(p, {"novalue"}); }) ==
          "<command line>: --set expects KEY=VALUE (e.g. allocator.time_limit_s=5), got 'novalue'");
}

TEST_CASE("an invalid mapping mode names the accepted values") {
    TempDir d;
    auto p = d.write("p.toml", "[mapping]\nfile = \"m.toml\"\nmode = \"fusion\"\n");
    CHECK(error_of([&] { Pipeline::load(p, {}); }) ==
          p.string() + ":3:8: key 'mapping.mode': expected \"fused\" or \"layer_by_layer\", got \"fusion\"");
}

TEST_CASE("a missing input file is reported at the key that names it") {
    TempDir d;
    auto p = d.write("p.toml", "[workload]\nfile = \"absent.onnx\"\n");
    Pipeline pipe = Pipeline::load(p, {});
    PluginRegistry reg = PluginRegistry::discover({});
    RecordingDiagnostics diag;
    CHECK(error_of([&] { load_workload(pipe, reg, diag); }) ==
          p.string() + ":2:8: workload file '" + (d.path() / "absent.onnx").string() + "' does not exist");
}

TEST_CASE("a stage without a plugin says how to name one") {
    TempDir d;
    auto p = d.write("p.toml", "[workload]\nfile = \"w.onnx\"\n");
    d.write("w.onnx", "not really");
    Pipeline pipe = Pipeline::load(p, {});
    PluginRegistry reg = PluginRegistry::discover({});
    RecordingDiagnostics diag;
    // With no frontend plugin on the search path, none can accept the file.
    CHECK(error_of([&] { load_workload(pipe, reg, diag); }) ==
          p.string() + ":2:8: no frontend plugin reads '" + (d.path() / "w.onnx").string() +
              "' (asked: none found); name one with [workload] plugin = \"<id>\"");
}

TEST_CASE("accelerator: a link to a core that does not exist") {
    TempDir d;
    auto hw = two_core_system(d, "[[links]]\nfrom = 0\nto = 5\nbandwidth_bits_per_cycle = 8\n");
    // two_core_system() writes 10 lines before [[links]] (line 11); "to = 5" is line 13, its value at column 6.
    CHECK(error_of([&] { load_accelerator(hw); }) == hw.string() + ":13:6: key 'links.to': no core 5 (cores are 0..2)");
}

TEST_CASE("accelerator: core ids must be dense") {
    TempDir d;
    d.write("cores/c.toml", kCore);
    auto hw = d.write("hw.toml", "[[cores]]\nid = 0\ntype = \"cores/c.toml\"\n[[cores]]\nid = 2\ntype = \"cores/c.toml\"\n");
    // The second [[cores]] header is line 4.
    CHECK(error_of([&] { load_accelerator(hw); }) ==
          hw.string() + ":4:1: core ids must be dense from 0: expected id 1, found 2");
}

TEST_CASE("accelerator: a bandwidth must be positive") {
    TempDir d;
    auto hw = two_core_system(d, "[[links]]\nfrom = 0\nto = 1\nbandwidth_bits_per_cycle = -8\n");
    // Line 14 (see above); "bandwidth_bits_per_cycle = " is 27 characters, so the value starts at column 28.
    CHECK(error_of([&] { load_accelerator(hw); }) ==
          hw.string() + ":14:28: key 'links.bandwidth_bits_per_cycle': must be > 0, got -8");
}

TEST_CASE("accelerator: a core type file that does not exist is reported where it is named") {
    TempDir d;
    auto hw = d.write("hw.toml", "[[cores]]\nid = 0\ntype = \"cores/nope.toml\"\n");
    CHECK(error_of([&] { load_accelerator(hw); }) == hw.string() + ":3:8: key 'cores.type': core-type file '" +
                                                         (d.path() / "cores/nope.toml").string() + "' does not exist");
}

TEST_CASE("accelerator: an unknown key inside a core type file") {
    TempDir d;
    d.write("cores/c.toml", kCore + "size_bitz = 3\n");
    auto hw = d.write("hw.toml", "[[cores]]\nid = 0\ntype = \"cores/c.toml\"\n");
    // kCore has 11 lines, so the misspelt key appended inside its [[memories]] table is on line 12.
    CHECK(error_of([&] { load_accelerator(hw); }) ==
          (d.path() / "cores/c.toml").string() + ":12:1: unknown key 'memories[0].size_bitz' (did you mean 'size_bits'?)");
}

TEST_CASE("accelerator: a core with no memory for its outputs") {
    TempDir d;
    d.write("cores/c.toml", edited(kCore, "operands = [\"I\", \"W\", \"O\"]", "operands = [\"I\", \"W\"]"));
    auto hw = d.write("hw.toml", "[[cores]]\nid = 0\ntype = \"cores/c.toml\"\n");
    CHECK(error_of([&] { load_accelerator(hw); }) ==
          (d.path() / "cores/c.toml").string() + ":1:1: core type 'c': no memory stores the output operand O");
}

TEST_CASE("accelerator: weights and activations may have different outermost memories") {
    TempDir d;
    d.write("cores/c.toml", R"(name = "c"
[operational_array]
dimensions = [{ name = "D1", size = 4 }]
[[memories]]
name = "w_sram"
size_bits = 4096
read_bw_bits_per_cycle = 64
write_bw_bits_per_cycle = 64
read_energy_pj = 1.0
write_energy_pj = 1.0
operands = ["W"]
[[memories]]
name = "act_sram"
size_bits = 8192
read_bw_bits_per_cycle = 64
write_bw_bits_per_cycle = 64
read_energy_pj = 1.0
write_energy_pj = 1.0
operands = ["I", "O"]
)");
    auto hw = d.write("hw.toml", "[[cores]]\nid = 0\ntype = \"cores/c.toml\"\n");
    CHECK(load_accelerator(hw).cores[0].type->memories.size() == 2);
}

TEST_CASE("accelerator: a memory with no energy and no model") {
    TempDir d;
    d.write("cores/c.toml", "name = \"c\"\n[operational_array]\ndimensions = [{ name = \"D1\", size = 4 }]\n"
                            "[[memories]]\nname = \"m\"\nsize_bits = 1024\nread_bw_bits_per_cycle = 64\n"
                            "write_bw_bits_per_cycle = 64\noperands = [\"I\", \"W\", \"O\"]\n");
    auto hw = d.write("hw.toml", "[[cores]]\nid = 0\ntype = \"cores/c.toml\"\n");
    // The [[memories]] header is line 4: a silent zero energy would be a wrong number, so it is an error.
    CHECK(error_of([&] { load_accelerator(hw); }) ==
          (d.path() / "cores/c.toml").string() +
              ":4:1: 'memories[0]': memory 'm' gives no read_energy_pj (give it, or name a memory model, e.g. model = \"sram\")");
}

TEST_CASE("accelerator: buses, meshes and off-chip ports become links") {
    TempDir d;
    d.write("cores/c.toml", kCore);
    d.write("cores/dram.toml", kDram);
    std::string cores;
    for (int i = 0; i < 4; ++i) cores += "[[cores]]\nid = " + std::to_string(i) + "\ntype = \"cores/c.toml\"\n";
    auto hw = d.write("hw.toml", cores +
                                     "[offchip]\ntype = \"cores/dram.toml\"\nports = \"separate\"\n"
                                     "[[meshes]]\nrows = 2\ncols = 2\ncores = [0, 1, 2, 3]\nbandwidth_bits_per_cycle = 32\n"
                                     "[[links]]\ncores = [0, 3]\nbandwidth_bits_per_cycle = 16\n");
    Accelerator acc = load_accelerator(hw);
    // [[links]] first (the bus), then the 2x2 mesh's 2 horizontal + 2 vertical neighbour pairs, then a read and
    // a write port.
    REQUIRE(acc.links.size() == 1 + 4 + 2);
    CHECK(acc.links[0].bus_cores == std::vector<std::int64_t>{0, 3});
    CHECK(acc.links[1].from_core == 0);
    CHECK(acc.links[1].to_core == 1);
    CHECK(acc.links[2].to_core == 2); // 0's vertical neighbour
    CHECK(acc.links[5].from_core == 4); // read port: sent by DRAM (core 4) only
    CHECK(acc.links[5].bus_cores.size() == 5);
    CHECK(acc.links[6].to_core == 4); // write port: received by DRAM only
    // Without a bandwidth in [offchip], the ports take the DRAM memory's read and write bandwidth (64).
    CHECK(acc.links[5].bandwidth_bits_per_cycle == 64);
}

TEST_CASE("accelerator: cores sharing a memory must have the same outermost memory") {
    TempDir d;
    d.write("cores/c.toml", kCore);
    std::string other = kCore;
    other.replace(other.find("size_bits = 1024"), 16, "size_bits = 2048");
    d.write("cores/c2.toml", other);
    auto hw = d.write("hw.toml", "[[cores]]\nid = 0\ntype = \"cores/c.toml\"\n[[cores]]\nid = 1\ntype = \"cores/c2.toml\"\n"
                                 "[[shared_memories]]\ncores = [0, 1]\n");
    CHECK(error_of([&] { load_accelerator(hw); }) ==
          hw.string() + ":8:9: key 'shared_memories.cores': cores 0 and 1 cannot share their outermost memory: 'm' and 'm' differ");
    auto ok = d.write("ok.toml", "[[cores]]\nid = 0\ntype = \"cores/c.toml\"\n[[cores]]\nid = 1\ntype = \"cores/c.toml\"\n"
                                 "[[shared_memories]]\ncores = [0, 1]\n");
    Accelerator acc = load_accelerator(ok);
    CHECK(acc.cores[1].top_memory_owner == 0);
}

TEST_CASE("accelerator: an unknown off-chip port arrangement") {
    TempDir d;
    d.write("cores/c.toml", kCore);
    d.write("cores/dram.toml", kDram);
    auto hw = d.write("hw.toml", "[[cores]]\nid = 0\ntype = \"cores/c.toml\"\n[offchip]\ntype = \"cores/dram.toml\"\nports = \"dual\"\n");
    CHECK(error_of([&] { load_accelerator(hw); }) ==
          hw.string() + ":6:9: key 'offchip.ports': expected \"per_core\", \"shared\" or \"separate\", got \"dual\"");
}

TEST_CASE("accelerator: a memory naming a model where no models are available") {
    TempDir d;
    d.write("cores/c.toml", kCore + "model = \"sram\"\n");
    auto hw = d.write("hw.toml", "[[cores]]\nid = 0\ntype = \"cores/c.toml\"\n");
    CHECK(error_of([&] { load_accelerator(hw); }) ==
          (d.path() / "cores/c.toml").string() + ":12:9: key 'memories[0].model': memory models are not available here");
}

TEST_CASE("mapping: a core id the accelerator does not have") {
    TempDir d;
    Accelerator acc = load_accelerator(two_core_system(d));
    auto m = d.write("m.toml", "[default]\ncores = [0, 7]\n");
    CHECK(error_of([&] { load_mapping(m, acc); }) ==
          m.string() + ":2:13: key 'default.cores': no core 7 in accelerator 'two' (cores are 0..2)");
}

TEST_CASE("mapping: the off-chip core cannot compute") {
    TempDir d;
    Accelerator acc = load_accelerator(two_core_system(d));
    auto m = d.write("m.toml", "[op_types.Conv]\ncores = [2]\n");
    CHECK(error_of([&] { load_mapping(m, acc); }) ==
          m.string() + ":2:10: key 'op_types.Conv.cores': core 2 is the off-chip core; it cannot compute");
}

TEST_CASE("layer stacks: ranges outside the workload and overlaps") {
    Workload w;
    for (int i = 0; i < 4; ++i) {
        Layer l;
        l.id = i;
        l.name = "l"; // two statements: GCC 12 warns falsely (-Wrestrict) on "l" + std::to_string(i) in Release
        l.name += std::to_string(i);
        w.layers.push_back(l);
    }
    SourceLoc where{"p.toml", 5, 16};
    Accelerator acc;
    auto assign_stacks = [&](const Workload& wl, const std::string& mode, const std::string& spec, const SourceLoc& at) {
        return stream::assign_stacks(wl, acc, mode, spec, false, at);
    };
    CHECK(error_of([&] { assign_stacks(w, "fused", "0-2,3-9", where); }) ==
          "p.toml:5:16: layer stacks: '3-9' is outside the workload's layer ids 0..3");
    CHECK(error_of([&] { assign_stacks(w, "fused", "0-2,2-3", where); }) == "p.toml:5:16: layer stacks: layer 2 is in two stacks");
    CHECK(error_of([&] { assign_stacks(w, "fused", "0-x", where); }) ==
          "p.toml:5:16: layer stacks: '0-x' is neither a layer id range (\"0-10\") nor a layer name (or one of \"pack\", "
          "\"weights\", \"all\")");
    // Layers not listed each form their own stack, after the listed ones.
    CHECK(assign_stacks(w, "fused", "0-1", where) == std::vector<std::int64_t>{0, 0, 1, 2});
    CHECK(assign_stacks(w, "layer_by_layer", "", where) == std::vector<std::int64_t>{0, 1, 2, 3});
}

} // TEST_SUITE
