// End-to-end: `stream-dse cost` (ZigZag's job on its own) against the numbers
// ZigZag 3.8 produced on its own inputs (../shared/reference/expected/zigzag.json).
#include "cli_run.hpp"
#include "shared_dir.hpp"
#include "temp_dir.hpp"

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

namespace fs = std::filesystem;
using namespace stream::test;

namespace {

nlohmann::json cost(const std::string& args) {
    Run r = run("cost " + args + " --json --quiet");
    REQUIRE_MESSAGE(r.exit_code == 0, r.err);
    return nlohmann::json::parse(r.out);
}

// One row of ZigZag 3.8.0's test suite: hardware and mapping under zigzag-inputs/, a workload,
// ZigZag's network totals (Σ energy_total in pJ, Σ latency_total2 in cycles) and the relative
// tolerance we hold them to.
struct SuiteRow {
    const char* hardware;
    const char* mapping;
    const char* workload;
    double energy_pj;
    double latency_cycles;
    double tolerance;
};

// Rows matched to the printed digits.
constexpr double kExact = 1e-6;
// Rows within 0.03% of ZigZag, from a mapping choice or latency term not found yet (the issue's
// bound for searched rows is 5%); docs/compat-stream.md, dataflow section, lists them.
constexpr double kSearched = 0.05;

// ../shared/docs/algorithms/zigzag.md §7.3, rows "origin" (test_origin: complete user spatial
// mappings, LOMA with lpf_limit 6, latency objective).
constexpr SuiteRow kOriginRows[] = {
    {"ascend_like", "ascend_like", "resnet18.onnx", 1940385435.76, 3032311.0, kSearched}, // ours -0.028% / +0.0009%
    {"ascend_like", "ascend_like", "resnet18.yaml", 2449578483.76, 3980000.0, kExact},
    {"edge_tpu_like", "edge_tpu_like", "resnet18.onnx", 1903229377.55, 2887804.5, kExact},
    {"edge_tpu_like", "edge_tpu_like", "resnet18.yaml", 2413348670.67, 3741293.0, kExact},
    {"meta_prototype", "meta_prototype_like", "resnet18.onnx", 1863284164.16, 2700449.66, kSearched}, // energy -0.027%
    {"meta_prototype", "meta_prototype_like", "resnet18.yaml", 2373454257.72, 3316037.0, kSearched},  // latency -0.024%
    {"tesla_npu_like", "tesla_npu_like", "resnet18.onnx", 1859923747.33, 2719709.75, kExact},
    {"tesla_npu_like", "tesla_npu_like", "resnet18.yaml", 2363901208.14, 3313105.91, kExact},
    {"tpu_like", "tpu_like", "resnet18.onnx", 1871436380.66, 3703960.5, kExact},
    // layer 0 carries the mapping's complete temporal_ordering, which is allocated, not searched
    {"tpu_like", "tpu_like", "resnet18.yaml", 2615172831.38, 5584991.0, kExact},
};

void check_suite_row(const std::filesystem::path& ref, const SuiteRow& row, const std::string& flags) {
    const fs::path in = ref / "zigzag-inputs";
    const bool onnx = std::string(row.workload).ends_with(".onnx");
    // ZigZag's ONNX parser costs only the 21 Conv/Gemm layers; its YAML workload has all 31 (pooling, Add).
    auto j = cost("--compat stream " + flags + (onnx ? " --layers mac" : "") + " --hardware " +
                  (in / "hardware" / (std::string(row.hardware) + ".yaml")).string() + " --workload " +
                  (in / "workload" / row.workload).string() + " --mapping " +
                  (in / "mapping" / (std::string(row.mapping) + ".yaml")).string());
    CHECK(j["layers"].size() == (onnx ? 21u : 31u));
    CHECK(j["total"]["energy_pj"].get<double>() == doctest::Approx(row.energy_pj).epsilon(row.tolerance));
    CHECK(j["total"]["latency_cycles"].get<double>() == doctest::Approx(row.latency_cycles).epsilon(row.tolerance));
}

} // namespace

TEST_SUITE("e2e") {

TEST_CASE("cost: ZigZag's test suite row tpu_like + resnet18.onnx, network totals") {
    auto ref = reference_dir();
    if (!ref) return skip("needs ../shared/reference");
    auto expected = nlohmann::json::parse(slurp(*ref / "expected/zigzag.json"));
    const auto& row = expected["test_suite"][0]; // zigzag-inputs tpu_like, tpu_like mapping, resnet18.onnx, lpf 6
    REQUIRE(row["workload"] == "zigzag-inputs/workload/resnet18.onnx");
    // ZigZag's ONNX parser costs the 21 Conv/Gemm layers; --compat stream gives its 8/8/16-bit precisions.
    auto j = cost("--compat stream --layers mac --hardware " + (*ref / row["hardware"].get<std::string>()).string() + " --workload " +
                  (*ref / row["workload"].get<std::string>()).string() + " --mapping " + (*ref / row["mapping"].get<std::string>()).string());
    CHECK(j["layers"].size() == 21);
    CHECK(j["total"]["energy_pj"].get<double>() == doctest::Approx(row["energy_pJ"].get<double>()).epsilon(1e-6));
    CHECK(j["total"]["latency_cycles"].get<double>() == doctest::Approx(row["latency_cycles"].get<double>()).epsilon(1e-6));
}

TEST_CASE("cost: ResNet-18 conv1 on Stream's tpu_like core, latency and energy to the digit") {
    auto ref = reference_dir();
    if (!ref) return skip("needs ../shared/reference");
    auto expected = nlohmann::json::parse(slurp(*ref / "expected/zigzag.json"));
    const auto& layer = expected["layers"][0]; // conv1, spatial K32 x C32 (the core's dataflow), lpf 6
    REQUIRE(layer["name"] == "zigzag_standalone_conv1_on_stream_tpu_like_core");
    auto j = cost("--compat stream --layer 0 --hardware " + (*ref / "stream-inputs/examples/hardware/cores/tpu_like.yaml").string() +
                  " --workload " + (*ref / "stream-inputs/examples/workload/resnet18.onnx").string());
    REQUIRE(j["layers"].size() == 1);
    CHECK(j["layers"][0]["latency_cycles"].get<double>() == layer["latency_cycles"].get<double>());
    CHECK(j["layers"][0]["latency_no_offload_cycles"].get<double>() == layer["latency_total1"].get<double>());
    CHECK(j["layers"][0]["energy_pj"].get<double>() == doctest::Approx(layer["energy_pJ"].get<double>()).epsilon(1e-9));
}

TEST_CASE("cost: ZigZag's test_origin rows, five cores by two workloads") {
#ifdef STREAM_DSE_SANITIZED_BUILD
    return skip("ten full ResNet-18 searches: about 3 s in a Release build, minutes under sanitizers");
#else
    auto ref = reference_dir();
    if (!ref) return skip("needs ../shared/reference");
    for (const SuiteRow& row : kOriginRows) {
        CAPTURE(row.hardware);
        CAPTURE(row.workload);
        check_suite_row(*ref, row, "");
    }
#endif
}

namespace {

// ZigZag's mapping YAML for one_conv (K4 C2 OY4 OX4) on tiny (2 x 2 MACs): K 2 and C 2 spatial leave
// K 2, OY 4, OX 4 temporal; `ordering` is the temporal_ordering's lines.
std::string one_conv_mapping(const std::string& ordering) {
    return "- name: default\n  spatial_mapping:\n    D1:\n      - K, 2\n    D2:\n      - C, 2\n  temporal_ordering:\n" + ordering;
}

Run cost_one_conv(const fs::path& mapping) {
    return run("cost --hardware " + (kData / "single_core.toml").string() + " --workload " + (kData / "one_conv.onnxtxt").string() +
               " --mapping " + mapping.string() + " --json --quiet");
}

} // namespace

TEST_CASE("cost: a mapping's complete temporal_ordering is costed as given, innermost first") {
    TempDir dir;
    Run inner_ox = cost_one_conv(dir.write("ox.yaml", one_conv_mapping("    - [OX, 4]\n    - [OY, 4]\n    - [K, 2]\n")));
    REQUIRE_MESSAGE(inner_ox.exit_code == 0, inner_ox.err);
    Run inner_k = cost_one_conv(dir.write("k.yaml", one_conv_mapping("    - [K, 2]\n    - [OY, 4]\n    - [OX, 4]\n")));
    REQUIRE_MESSAGE(inner_k.exit_code == 0, inner_k.err);
    // the tiny core holds everything in one level, so each operand's single level lists the whole ordering
    CHECK(nlohmann::json::parse(inner_ox.out)["layers"][0]["mapping"] ==
          "{O: [[(OX, 4), (OY, 4), (K, 2)]], W: [[(OX, 4), (OY, 4), (K, 2)]], I: [[(OX, 4), (OY, 4), (K, 2)]]}");
    CHECK(nlohmann::json::parse(inner_k.out)["layers"][0]["mapping"] ==
          "{O: [[(K, 2), (OY, 4), (OX, 4)]], W: [[(K, 2), (OY, 4), (OX, 4)]], I: [[(K, 2), (OY, 4), (OX, 4)]]}");
}

TEST_CASE("cost: an incomplete temporal_ordering is refused, naming the loop") {
    TempDir dir;
    Run r = cost_one_conv(dir.write("m.yaml", one_conv_mapping("    - [OX, 4]\n    - [K, 2]\n")));
    CHECK(r.exit_code == 1);
    CHECK(r.err.find("layer 0 'y': temporal_ordering: the loops of OY multiply to 1, but its temporal size is 4") != std::string::npos);
}

TEST_CASE("cost: a temporal_ordering with LOMA constraints is refused at its line") {
    TempDir dir;
    Run r = cost_one_conv(dir.write("m.yaml", one_conv_mapping("    - [OX, 4]\n    - [K, \"*\"]\n")));
    CHECK(r.exit_code == 1);
    CHECK(r.err.find("m.yaml:9:7: entry 'default': temporal_ordering: \"*\" entries (LOMA constraints) are not supported") !=
          std::string::npos);
}

TEST_CASE("cost: a TOML mapping is refused with the reason") {
    Run r = run("cost --hardware " + (kData / "single_core.toml").string() + " --workload " + (kData / "one_conv.onnxtxt").string() +
                " --mapping " + (kData / "one_conv_mapping.toml").string());
    CHECK(r.exit_code == 1);
    CHECK(r.err.find("takes ZigZag's mapping YAML") != std::string::npos);
}

TEST_CASE("cost: a layer id that is not a computation layer") {
    Run r = run("cost --hardware " + (kData / "single_core.toml").string() + " --workload " + (kData / "one_conv.onnxtxt").string() +
                " --layer 7");
    CHECK(r.exit_code == 1);
    CHECK(r.err.find("--layer 7: no computation layer with that id") != std::string::npos);
}

} // TEST_SUITE
