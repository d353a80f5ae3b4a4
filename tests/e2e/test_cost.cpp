// End-to-end: `stream-dse cost` (ZigZag's job on its own) against the numbers
// ZigZag 3.8 produced on its own inputs (../shared/reference/expected/zigzag.json).
#include "cli_run.hpp"
#include "shared_dir.hpp"
#include "temp_dir.hpp"

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include <set>
#include <span>

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
// Rows within 0.15% of ZigZag, from a mapping choice or latency term not found yet (the issue's
// bound for searched rows is 5%); docs/compat-stream.md, dataflow section, lists them.
constexpr double kSearched = 0.05;

// ../shared/docs/algorithms/zigzag.md §7.3, rows "origin" (test_origin: complete user spatial
// mappings, LOMA with lpf_limit 6, latency objective).
constexpr SuiteRow kOriginRows[] = {
    {"ascend_like", "ascend_like", "resnet18.onnx", 1940385435.76, 3032311.0, kExact},
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

// Every row of one test folder, with that folder's flags; skipped without the reference inputs.
void check_suite(std::span<const SuiteRow> rows, const std::string& flags) {
    auto ref = reference_dir();
    if (!ref) return skip("needs ../shared/reference");
    for (const SuiteRow& row : rows) {
        CAPTURE(row.hardware);
        CAPTURE(row.workload);
        check_suite_row(*ref, row, flags);
    }
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
    check_suite(kOriginRows, "");
#endif
}

namespace {

// ../shared/docs/algorithms/zigzag.md §7.3, rows "locality" (test_with_exploit_data_locality: the
// origin inputs with exploit_data_locality, pipeline/DataLocality.hpp). The two rows off by up to
// 0.03% are the two origin rows that are: meta onnx energy, meta yaml latency. The locality levels
// add no error of their own.
constexpr SuiteRow kLocalityRows[] = {
    {"ascend_like", "ascend_like", "resnet18.onnx", 1813915548.47, 3017312.0, kExact},
    {"ascend_like", "ascend_like", "resnet18.yaml", 2338798423.04, 3961239.0, kExact},
    {"edge_tpu_like", "edge_tpu_like", "resnet18.onnx", 1783892066.11, 2957953.5, kExact},
    {"edge_tpu_like", "edge_tpu_like", "resnet18.yaml", 2115121959.87, 3706985.0, kExact},
    {"meta_prototype", "meta_prototype_like", "resnet18.onnx", 1710966136.48, 2689737.0, kSearched}, // energy -0.030%
    {"meta_prototype", "meta_prototype_like", "resnet18.yaml", 2204158604.12, 3295822.0, kSearched},  // latency -0.012%
    {"tesla_npu_like", "tesla_npu_like", "resnet18.onnx", 1725111410.78, 2709223.75, kExact},
    {"tesla_npu_like", "tesla_npu_like", "resnet18.yaml", 2213422347.76, 3296500.58, kExact},
    {"tpu_like", "tpu_like", "resnet18.onnx", 1735241704.22, 3762552.5, kExact},
    {"tpu_like", "tpu_like", "resnet18.yaml", 2302362179.97, 5548138.0, kExact},
};

} // namespace

TEST_CASE("cost: ZigZag's test_with_exploit_data_locality rows, five cores by two workloads") {
#ifdef STREAM_DSE_SANITIZED_BUILD
    return skip("ten full ResNet-18 searches: about 3 s in a Release build, minutes under sanitizers");
#else
    check_suite(kLocalityRows, "--exploit-data-locality");
#endif
}

TEST_CASE("cost: with data locality, tpu_like keeps a layer's output on chip and its input and weights in DRAM") {
    auto ref = reference_dir();
    if (!ref) return skip("needs ../shared/reference");
    const fs::path in = *ref / "zigzag-inputs";
    auto j = cost("--compat stream --exploit-data-locality --layers mac --layer 3 --hardware " + (in / "hardware/tpu_like.yaml").string() +
                  " --workload " + (in / "workload/resnet18.onnx").string() + " --mapping " + (in / "mapping/tpu_like.yaml").string());
    REQUIRE(j["layers"].size() == 1);
    // layer1.0/conv1 (ONNX node 3) has one successor, layer1.0/conv2, which has one predecessor: its
    // output and conv2's input (I 64*56*56*8 = 1605632 + O 64*56*56*16 = 3211264 bits) stay in
    // sram_2MB (16777216 bits, one instance), the lowest memory serving both. Its input is conv1's
    // output, which through the max-pool and the residual Adds (not costed) reaches four convs: a
    // branch start, kept in DRAM. The only memory serving the whole array below DRAM, sram_2MB, stores
    // no W, so weights keep DRAM.
    std::set<std::string> dram_operands;
    for (const auto& e : j["layers"][0]["energy_by_level"])
        if (e["memory"] == "dram") dram_operands.insert(e["operand"].get<std::string>());
    CHECK(dram_operands == std::set<std::string>{"I", "W"});
}

namespace {

// ../shared/docs/algorithms/zigzag.md §7.3, rows "mix" (test_with_mix_spatial_mapping:
// enable_mix_spatial_mapping, which implies exploit_data_locality; <hw>_mixed.yaml mappings: mixed
// unrollings, hints, incomplete mappings left to the spatial-mapping generator).
// ascend onnx and tpu_like onnx (+1.20% and +5.98% energy before) match since the ONNX frontend,
// under --compat stream, lists a convolution's loops in ZigZag's order: LOMA's factor merging breaks
// ties by that order (docs/compat-stream.md, dataflow section).
constexpr SuiteRow kMixRows[] = {
    {"ascend_like", "ascend_like_mixed", "resnet18.onnx", 1811468387.52, 3119977.33, kExact},
    {"ascend_like", "ascend_like_mixed", "resnet18.yaml", 2349013378.88, 3718548.66, kExact},
    {"edge_tpu_like", "edge_tpu_like_mixed", "resnet18.onnx", 1735517943.87, 3834226.0, kSearched}, // energy -0.15%
    {"edge_tpu_like", "edge_tpu_like_mixed", "resnet18.yaml", 2029477205.31, 4586293.0, kExact},
    {"meta_prototype", "meta_prototype_like_mixed", "resnet18.onnx", 1746642408.16, 2688913.66, kSearched}, // energy -0.029%
    {"meta_prototype", "meta_prototype_like_mixed", "resnet18.yaml", 2249214190.04, 3278925.33, kSearched}, // latency -0.012%
    {"tesla_npu_like", "tesla_npu_like_mixed", "resnet18.onnx", 1599110638.5, 2318166.5, kExact},
    {"tesla_npu_like", "tesla_npu_like_mixed", "resnet18.yaml", 2084306723.24, 2889873.0, kExact},
    {"tpu_like", "tpu_like_mixed", "resnet18.onnx", 1759424218.32, 4256300.0, kExact},
    {"tpu_like", "tpu_like_mixed", "resnet18.yaml", 2191903732.78, 4657608.0, kExact},
};

// ZigZag's test_with_mix_spatial_mapping flags: enable_mix_spatial_mapping and exploit_data_locality.
void check_mix_row(const std::filesystem::path& ref, const SuiteRow& row) {
    CAPTURE(row.hardware);
    CAPTURE(row.workload);
    check_suite_row(ref, row, "--exploit-data-locality --set cost.mix_spatial_mapping=true");
}

} // namespace

TEST_CASE("cost: ZigZag's test_with_mix_spatial_mapping rows, five cores by two workloads") {
#ifdef STREAM_DSE_SANITIZED_BUILD
    return skip("ten full ResNet-18 searches, some over three spatial mappings per layer: minutes under sanitizers");
#else
    auto ref = reference_dir();
    if (!ref) return skip("needs ../shared/reference");
    for (const SuiteRow& row : kMixRows) check_mix_row(*ref, row);
#endif
}

TEST_CASE("cost: a ZigZag mapping entry with only hints leaves the spatial mapping to the generator") {
    auto ref = reference_dir();
    if (!ref) return skip("needs ../shared/reference");
    const fs::path in = *ref / "zigzag-inputs";
    // tesla_npu_like_mixed.yaml's default entry has hints D1: [K], D2: [OX, OY] and no spatial_mapping;
    // D3 (size 4) may take any layer dim, but the per-MAC weight register (rf_1B, 8 b/cycle, served
    // over D2 and D3) allows no weight-relevant dim there. ResNet-18's conv1 (K64 OX112 OY112) ranks
    // K32 x OX32 x OY4 and K32 x OY32 x OX4 first (U 4096, largest total 32: 4096 + 127), then the
    // first U 2048 one generated, K32 x OX32 x OY2 (2048 + 63); OX 32 is costed as 112 / ceil(112 / 32) = 28.
    auto conv1 = [&](int nb) {
        auto j = cost("--compat stream --layers mac --layer 0 --set cost.nb_mappings_generated=" + std::to_string(nb) +
                      " --hardware " + (in / "hardware/tesla_npu_like.yaml").string() + " --workload " +
                      (in / "workload/resnet18.onnx").string() + " --mapping " + (in / "mapping/tesla_npu_like_mixed.yaml").string());
        REQUIRE(j["layers"].size() == 1);
        return j["layers"][0];
    };
    const auto first = conv1(1);
    const std::string first_mapping = first["mapping"];
    CHECK(first_mapping.ends_with("\nspatial {D1: [(K, 32)], D2: [(OX, 28)], D3: [(OY, 4)]}"));
    // Of the three, the best latency is kept: never worse than the first alone.
    const auto best = conv1(3);
    const std::string best_mapping = best["mapping"];
    const std::string spatial = best_mapping.substr(best_mapping.find("\nspatial ") + 9);
    CHECK((spatial == "{D1: [(K, 32)], D2: [(OX, 28)], D3: [(OY, 4)]}" || spatial == "{D1: [(K, 32)], D2: [(OY, 28)], D3: [(OX, 4)]}" ||
           spatial == "{D1: [(K, 32)], D2: [(OX, 28)], D3: [(OY, 2)]}"));
    CHECK(best["latency_cycles"].get<double>() <= first["latency_cycles"].get<double>());
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

TEST_CASE("cost: spatial_mapping_hint of a ZigZag mapping reaches the generator") {
    TempDir dir;
    // one_conv (K4 C2 OY4 OX4) on tiny (D1 2 x D2 2, one memory): hints K on D1, C on D2 give D1
    // {K2, K1} x D2 {C2, C1}; K2 x C2 ranks first (U 4 + (4 / 2 - 1) = 5, the others 2 or 1), so
    // with one candidate the cost is that of the explicit mapping D1: K 2, D2: C 2.
    const fs::path hinted =
        dir.write("hinted.yaml", "- name: default\n  spatial_mapping_hint:\n    D1: [K]\n    D2: [C]\n");
    Run generated = run("cost --hardware " + (kData / "single_core.toml").string() + " --workload " +
                        (kData / "one_conv.onnxtxt").string() + " --mapping " + hinted.string() +
                        " --set cost.nb_mappings_generated=1 --json --quiet");
    REQUIRE_MESSAGE(generated.exit_code == 0, generated.err);
    const fs::path given = dir.write("given.yaml", "- name: default\n  spatial_mapping:\n    D1:\n      - K, 2\n    D2:\n      - C, 2\n");
    Run explicit_mapping = cost_one_conv(given);
    REQUIRE_MESSAGE(explicit_mapping.exit_code == 0, explicit_mapping.err);
    const auto g = nlohmann::json::parse(generated.out)["layers"][0];
    const auto e = nlohmann::json::parse(explicit_mapping.out)["layers"][0];
    CHECK(g["mapping"].get<std::string>() == e["mapping"].get<std::string>() + "\nspatial {D1: [(K, 2)], D2: [(C, 2)]}");
    CHECK(g["latency_cycles"].get<double>() == e["latency_cycles"].get<double>());
    CHECK(g["energy_pj"].get<double>() == doctest::Approx(e["energy_pj"].get<double>()).epsilon(1e-12));
}

TEST_CASE("cost: a malformed spatial_mapping_hint is refused at its line") {
    TempDir dir;
    Run r = cost_one_conv(dir.write("m.yaml", "- name: default\n  spatial_mapping_hint:\n    D1: K\n"));
    CHECK(r.exit_code == 1);
    CHECK(r.err.find("m.yaml:3:9: entry 'default': spatial_mapping_hint.D1 must be a list like [K, C]") != std::string::npos);
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
