// End-to-end: the stream-dse binary as a user runs it, its exit codes, its
// output files, and one run small enough that every number is derived by hand.
#include "cli_run.hpp"
#include "shared_dir.hpp"
#include "temp_dir.hpp"

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <sys/wait.h>

namespace fs = std::filesystem;
using stream::test::TempDir;

namespace {

using stream::test::kData;
using stream::test::kSource;
using stream::test::Run;
using stream::test::results_of;
using stream::test::run;
using stream::test::slurp;

} // namespace

TEST_SUITE("e2e") {

TEST_CASE("--version names the plugin ABI") {
    Run r = run("--version");
    CHECK(r.exit_code == 0);
    // STREAM_ABI_MAJOR.MINOR of sdk/include/stream/plugin.h (1.2 added the explorer kind).
    CHECK(r.out.find("(plugin ABI 1.2)") != std::string::npos);
}

TEST_CASE("plugins lists every plugin in the tree with version, ABI and keys") {
    Run r = run("plugins --json");
    REQUIRE(r.exit_code == 0);
    auto j = nlohmann::json::parse(r.out);
    std::map<std::string, nlohmann::json> by_id;
    for (const auto& p : j["plugins"]) by_id[p["kind"].get<std::string>() + "/" + p["id"].get<std::string>()] = p;
    for (const char* id : {"frontend/onnx", "core_model/roofline", "allocator/fixed", "scheduler/list"}) {
        CAPTURE(id);
        REQUIRE(by_id.count(id));
        CHECK(by_id[id]["abi"] == "1.2"); // what each was built against: this tree's header
        CHECK(!by_id[id]["version"].get<std::string>().empty());
    }
    // Declared keys come with their type, default and doc.
    bool found = false;
    for (const auto& k : by_id["core_model/roofline"]["config_keys"])
        if (k["key"] == "peak_fraction") found = k["type"] == "float" && k["default"] == "1.0" && !k["doc"].get<std::string>().empty();
    CHECK(found);
    // Every plugin folder in the source tree (one whose CMakeLists.txt adds a plugin, directly with
    // stream_dse_add_plugin or through a kind's wrapper such as stream_explorer_add_plugin) is listed.
    std::size_t folders = 0;
    for (const auto& e : fs::directory_iterator(kSource / "plugins"))
        if (e.is_directory() && fs::exists(e.path() / "CMakeLists.txt") &&
            slurp(e.path() / "CMakeLists.txt").find("_add_plugin(") != std::string::npos)
            ++folders;
    CHECK(j["plugins"].size() == folders);
}

TEST_CASE("plugins -v lists the search path") {
    Run r = run("plugins -v --kind scheduler");
    CHECK(r.exit_code == 0);
    CHECK(r.out.find("search path:") != std::string::npos);
    CHECK(r.out.find("(beside the executable)") != std::string::npos);
    CHECK(r.out.find("list ") == 0);
}

TEST_CASE("one convolution on one core, every number derived by hand") {
    TempDir out;
    Run r = run("run " + (kData / "one_conv.toml").string() + " --quiet -o " + out.path().string());
    REQUIRE_MESSAGE(r.exit_code == 0, r.err);
    auto j = results_of(out.path());
    // Roofline: 128 MACs on 2x2 = 32 compute cycles; memory: I 2*4*4*32 = 1024 bits, W 4*2*32 = 256,
    // O 4*4*4*32 = 2048 at 64 bits/cycle -> 16 + 4 + 32 = 52 cycles, so the layer takes 52 cycles.
    // Energy: 128 MACs * 1 pJ + reads (16 + 4) * 1 pJ + writes 32 * 2 pJ = 212 pJ.
    CHECK(j["layers"][0]["n_cns"] == 1); // fused, but a stack of one layer is not tiled
    CHECK(j["layers"][0]["latency_cycles"] == 52);
    CHECK(j["layers"][0]["energy_pj"] == 212);
    // List scheduler: x (1024 bits) and w (256 bits) come from DRAM over one 64-bit link, 16 + 4 cycles;
    // the conv runs 20..72; y (2048 bits) goes back in 32 cycles: 72..104.
    CHECK(j["layers"][0]["start_cycle"] == 20);
    CHECK(j["layers"][0]["end_cycle"] == 72);
    CHECK(j["latency_cycles"] == 104);
    // Link energy: (1024 + 256 + 2048) bits * 1 pJ/bit = 3328 pJ; total 3328 + 212 = 3540 pJ.
    CHECK(j["energy_breakdown_pj"]["offchip_link"] == 3328);
    CHECK(j["energy_breakdown_pj"]["compute"] == 212);
    CHECK(j["energy_pj"] == 3540);
    CHECK(j["edp"] == 104.0 * 3540.0);
    CHECK(j["n_cns"] == 1);
    CHECK(j["allocation"]["y"] == 0);
    // Weights (256 bits) and the output (2048 bits) are live together from 20 to 72.
    CHECK(j["peak_memory_bits"]["core0.m"] == 2304);
    // summary.txt says what the terminal says.
    std::string summary = slurp(out.path() / "summary.txt");
    CHECK(summary.find("latency      104 cycles") != std::string::npos);
}

TEST_CASE("the small CNN pipeline runs end to end and its results hold together") {
    TempDir out;
    Run r = run("run " + (kSource / "configs/pipelines/small_cnn.toml").string() + " -o " + out.path().string());
    REQUIRE_MESSAGE(r.exit_code == 0, r.err);
    CHECK(r.out.find("results in " + out.path().string()) != std::string::npos);
    auto j = results_of(out.path());
    for (const char* key : {"latency_cycles", "energy_pj", "edp", "energy_breakdown_pj", "n_cns", "allocation",
                            "peak_memory_bits", "runtime_s", "plugins", "layers", "cores"})
        CHECK_MESSAGE(j.contains(key), key);
    // small_cnn: 11 ONNX nodes, of which Flatten is layout-only. Fused into one stack, each layer is cut
    // into its output rows: c1, r1 32 rows; p1, c2, r2 16; p2, c3, r3 8; the global pool and the Gemm
    // have one row each: 2*32 + 3*16 + 3*8 + 1 + 1 = 138 CNs.
    CHECK(j["workload"]["layers"] == 11);
    CHECK(j["workload"]["compute_layers"] == 10);
    CHECK(j["n_cns"] == 138);
    // Each distinct tile shape is costed once on its layer's one core (13 shapes: see 'stream-dse tiles'),
    // not once per CN.
    CHECK(j["cost"]["evaluations"] == j["n_unique_shapes"]);
    CHECK(j["cost"]["node_core_pairs"] == 138);
    double sum = 0;
    for (const auto& [name, pj] : j["energy_breakdown_pj"].items()) sum += pj.get<double>();
    CHECK(sum == doctest::Approx(j["energy_pj"].get<double>()));
    CHECK(j["edp"].get<double>() == doctest::Approx(j["latency_cycles"].get<double>() * j["energy_pj"].get<double>()));
    CHECK(j["allocation"]["c2"] == 1); // the mapping pins c2 to the second array core
    CHECK(j["allocation"]["r1"] == 2);
    // DRAM traffic: the transfers to and from DRAM, by purpose, add up to the total summary.txt shows.
    std::int64_t dram_bits = 0;
    for (const auto& t : j["schedule"]["transfers"])
        if (t["purpose"] != 2) dram_bits += t["bits"].get<std::int64_t>(); // 2: core to core
    CHECK(dram_bits > 0);
    CHECK(j["dram_traffic_bits"]["total"] == dram_bits);
    CHECK(j["dram_traffic_bits"]["input_fetch"].get<std::int64_t>() + j["dram_traffic_bits"]["streaming"].get<std::int64_t>() +
              j["dram_traffic_bits"]["eviction"].get<std::int64_t>() + j["dram_traffic_bits"]["final_output"].get<std::int64_t>() ==
          dram_bits);
    CHECK(slurp(out.path() / "summary.txt").find("DRAM traffic " + std::to_string(dram_bits) + " bits (") != std::string::npos);
}

TEST_CASE("a run from flags alone, with no pipeline file") {
    TempDir out;
    Run r = run("run --workload " + (kData / "one_conv.onnxtxt").string() + " --hardware " + (kData / "single_core.toml").string() +
                " --mapping " + (kData / "one_conv_mapping.toml").string() + " --quiet -o " + out.path().string());
    REQUIRE_MESSAGE(r.exit_code == 0, r.err);
    CHECK(results_of(out.path())["latency_cycles"] == 104); // the same run as the hand-derived one above
}

TEST_CASE("check validates without running") {
    Run r = run("check " + (kSource / "configs/pipelines/small_cnn.toml").string());
    CHECK(r.exit_code == 0);
    CHECK(r.out.find("ok — 11 layers (10 computation), 4 cores") != std::string::npos);
}

TEST_CASE("exit code 1: a pipeline file that does not exist") {
    Run r = run("run /nonexistent/p.toml");
    CHECK(r.exit_code == 1);
    CHECK(r.err == "stream-dse: error: /nonexistent/p.toml: no such file\n");
}

TEST_CASE("exit code 1: an unknown option suggests the right one") {
    Run r = run("run --hardwar x.toml");
    CHECK(r.exit_code == 1);
    CHECK(r.err == "stream-dse: error: <command line>: 'stream-dse run': unknown option '--hardwar' (did you mean "
                   "'--hardware'?); see 'stream-dse run --help'\n");
}

TEST_CASE("exit code 1: an unknown allocator names the available ones") {
    Run r = run("check " + (kData / "one_conv.toml").string() + " --allocator gecodee");
    CHECK(r.exit_code == 1);
    CHECK(r.err.find("<command line>:1:5: key 'allocator.plugin': no allocator plugin 'gecodee'; available: ") != std::string::npos);
    for (const char* id : {"exhaustive", "fixed", "ga", "gecode"}) CHECK(r.err.find(id) != std::string::npos);
}

TEST_CASE("exit code 2: a schedule that no route allows is infeasible") {
    TempDir out;
    Run r = run("run --workload " + (kData / "two_conv.onnxtxt").string() + " --hardware " + (kData / "one_way.toml").string() +
                " --mapping " + (kData / "backwards_mapping.toml").string() + " --quiet -o " + out.path().string());
    CHECK(r.exit_code == 2);
    CHECK(r.err.find("scheduler plugin 'list'") != std::string::npos);
    CHECK(!fs::exists(out.path() / "results.json")); // nothing half-written on failure
}

TEST_CASE("exit code 3 never comes from a plugin's own bad input: a config error is exit 1") {
    Run r = run("run " + (kData / "one_conv.toml").string() + " --set cost.peak_fraction=1.5");
    CHECK(r.exit_code == 1);
    CHECK(r.err.find("<command line>:1:5: key 'cost.peak_fraction'") != std::string::npos);
}

TEST_CASE("workload show: the shipped small CNN, MACs derived by hand") {
    Run r = run("workload show " + (kSource / "configs/workloads/small_cnn.onnxtxt").string() + " --json");
    REQUIRE_MESSAGE(r.exit_code == 0, r.err);
    auto j = nlohmann::json::parse(r.out);
    // c1 16*3*32*32*9 + c2 32*16*16*16*9 + c3 64*32*8*8*9 + fc 10*64 = 442368 + 1179648 + 1179648 + 640.
    CHECK(j["total_macs"] == 2802304);
    // Relu 16*32*32 + 32*16*16 + 64*8*8, MaxPool 16*16*16*4 + 32*8*8*4, GlobalAveragePool 64*8*8:
    // 16384 + 8192 + 4096 + 16384 + 8192 + 4096 = 57344.
    CHECK(j["total_other_ops"] == 57344);
    CHECK(j["layers"][0]["loop_sizes"]["K"] == 16);
    CHECK(j["layers"][9]["class"] == "propagation");
}

TEST_CASE("workload show: ResNet-18 from Stream's reference inputs") {
    auto ref = stream::test::reference_dir();
    if (!ref) return stream::test::skip("../shared/reference is absent");
    Run r = run("workload show " + (*ref / "stream-inputs/examples/workload/resnet18.onnx").string() + " --json");
    REQUIRE_MESSAGE(r.exit_code == 0, r.err);
    // 1,814,073,344 MACs in its 21 Conv/Gemm layers (the figure the workload issue cites for this file).
    auto j = nlohmann::json::parse(r.out);
    CHECK(j["total_macs"] == 1814073344);
    int mac_layers = 0;
    for (const auto& l : j["layers"]) mac_layers += l["macs"].get<std::int64_t>() > 0;
    CHECK(mac_layers == 21);
}

TEST_CASE("workload show: MAC totals of the small reference models, derived by hand") {
    auto ref = stream::test::reference_dir();
    if (!ref) return stream::test::skip("../shared/reference is absent");
    struct Case {
        const char* file;
        std::int64_t macs;
    };
    const Case cases[] = {
        // Q, K, V: 128*64*512 = 4,194,304 each; Q.K^T 128*128*64 and attn.V 128*64*128 = 1,048,576 each.
        {"stream-inputs/testing/workload/attention_head.onnx", 3 * 4194304 + 2 * 1048576},
        // Conv1 16*8*32*32*3*3 = 1,179,648; Conv2 32*16*32*32*3*3 = 4,718,592.
        {"stream-inputs/testing/workload/2conv_1_8_32_32_16_32_3.onnx", 1179648 + 4718592},
        // Two 8->8 3x3 convs on 56x56: 8*8*56*56*9 = 1,806,336 each.
        {"stream-inputs/testing/workload/2_conv.onnx", 2 * 1806336},
        // SwiGLU, 64 tokens, 128 -> 256 -> 128: gate and up 64*256*128, down 64*128*256 = 2,097,152 each.
        {"stream-inputs/examples/workload/swiglu_64_128_256.onnx", 3 * 2097152},
        // The same at 1 token, 16 -> 32 -> 16: 1*32*16 = 512 each.
        {"stream-inputs/testing/workload/swiglu_1_16_32.onnx", 3 * 512},
    };
    for (const Case& c : cases) {
        CAPTURE(c.file);
        Run r = run("workload show " + (*ref / c.file).string() + " --json");
        REQUIRE_MESSAGE(r.exit_code == 0, r.err);
        CHECK(nlohmann::json::parse(r.out)["total_macs"] == c.macs);
    }
}

TEST_CASE("workload show: resnet18.yaml and resnet18.onnx agree on the convolutions they share") {
    auto ref = stream::test::reference_dir();
    if (!ref) return stream::test::skip("../shared/reference is absent");
    auto show = [&](const char* file) {
        Run r = run("workload show " + (*ref / "stream-inputs/examples/workload" / file).string() + " --json");
        REQUIRE_MESSAGE(r.exit_code == 0, r.err);
        std::vector<nlohmann::json> convs;
        const nlohmann::json j = nlohmann::json::parse(r.out);
        for (const auto& l : j["layers"])
            if (l["macs"].get<std::int64_t>() > 0) convs.push_back(l);
        return convs;
    };
    auto yaml = show("resnet18.yaml");
    auto onnx = show("resnet18.onnx");
    REQUIRE(yaml.size() == 21);
    REQUIRE(onnx.size() == 21);
    int compared = 0;
    for (std::size_t i = 0; i < 20; ++i) {
        CAPTURE(i);
        // The YAML's downsample layers are 3x3 convolutions where torchvision's ONNX has 1x1: different
        // layers, so only K, C and the output size are compared for them.
        bool same_layer = yaml[i]["op"] == "Conv";
        for (const char* dim : {"K", "C", "OY", "OX", "FY", "FX"}) {
            if (!same_layer && (std::string{dim} == "FY" || std::string{dim} == "FX")) continue;
            CHECK(yaml[i]["loop_sizes"][dim] == onnx[i]["loop_sizes"][dim]);
        }
        compared += same_layer;
    }
    CHECK(compared == 17);
    // The classifier: a 1x1 Conv over 1x1 in the YAML, a Gemm in ONNX; both 1000 x 512.
    CHECK(yaml[20]["loop_sizes"]["K"] == onnx[20]["loop_sizes"]["K"]);
    CHECK(yaml[20]["loop_sizes"]["C"] == onnx[20]["loop_sizes"]["C"]);
}

TEST_CASE("hardware show: the shipped system, counted by hand") {
    Run r = run("hardware show " + (kSource / "configs/hardware/edge_dual_array_vector.toml").string() + " --json");
    REQUIRE_MESSAGE(r.exit_code == 0, r.err);
    auto j = nlohmann::json::parse(r.out);
    // Three compute cores and DRAM; a ring of 3 links plus one DRAM port per compute core.
    CHECK(j["totals"]["cores"] == 4);
    CHECK(j["totals"]["links"] == 6);
    // Per array core 512 + 1,048,576 bits, the vector core 262,144: 2 * 1,049,088 + 262,144.
    CHECK(j["totals"]["onchip_bits"] == 2360320);
    CHECK(j["cores"][0]["memories"][1]["name"] == "gb");
    CHECK(j["cores"][0]["memories"][1]["cost_source"] == "given in the hardware file");
}

TEST_CASE("hardware show --svg draws every core and link") {
    TempDir out;
    fs::path svg = out.path() / "topology.svg";
    Run r = run("hardware show " + (kSource / "configs/hardware/edge_dual_array_vector.toml").string() + " --svg " + svg.string());
    REQUIRE_MESSAGE(r.exit_code == 0, r.err);
    std::string text = slurp(svg);
    auto count = [&](const std::string& needle) {
        std::size_t n = 0;
        for (std::size_t at = text.find(needle); at != std::string::npos; at = text.find(needle, at + 1)) ++n;
        return n;
    };
    CHECK(text.rfind("<svg xmlns=\"http://www.w3.org/2000/svg\"", 0) == 0);
    CHECK(text.find("</svg>") != std::string::npos);
    CHECK(count("<rect ") == 4); // 3 compute cores + DRAM
    CHECK(count("<line ") == 6); // 3 ring links + 3 DRAM ports
}

TEST_CASE("hardware show: a memory costed by the sram model says so") {
    Run r = run("hardware show " + (kData / "sram_system.toml").string() + " --json");
    REQUIRE_MESSAGE(r.exit_code == 0, r.err);
    auto j = nlohmann::json::parse(r.out);
    const auto& buf = j["cores"][0]["memories"][0];
    // The model's fit at 45 nm: 64-bit words * (0.0206 + 0.00055 * sqrt(65536)) pJ/bit = 64 * 0.1614 = 10.3296 pJ.
    CHECK(buf["read_energy_pj"].get<double>() == doctest::Approx(10.3296));
    CHECK(buf["cost_source"].get<std::string>().rfind("model 'sram': ", 0) == 0);
    // The DRAM port is one bus shared by the core and DRAM.
    CHECK(j["links"].size() == 1);
    CHECK(j["links"][0]["bus_cores"].size() == 2);
}

TEST_CASE("hardware show: an unknown memory model is located and lists the models") {
    TempDir d;
    std::string core = slurp(kData / "cores/sram_core.toml");
    core.replace(core.find("model = \"sram\""), 14, "model = \"sdram\"");
    d.write("cores/sram_core.toml", core);
    d.write("cores/dram.toml", slurp(kData / "cores/dram.toml"));
    auto hw = d.write("hw.toml", slurp(kData / "sram_system.toml"));
    Run r = run("hardware show " + hw.string());
    CHECK(r.exit_code == 1);
    CHECK(r.err.find((d.path() / "cores/sram_core.toml").string() + ":9:9: key 'model': no memory_model plugin 'sdram'; available: dram, sram, table") !=
          std::string::npos);
}

TEST_CASE("--help explains commands and exit codes") {
    Run r = run("--help");
    CHECK(r.exit_code == 0);
    CHECK(r.out.find("Exit codes:") != std::string::npos);
    Run rr = run("run --help");
    CHECK(rr.exit_code == 0);
    CHECK(rr.out.find("--layer-stacks") != std::string::npos);
}

} // TEST_SUITE
