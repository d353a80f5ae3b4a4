// End-to-end: `stream-dse cost` (ZigZag's job on its own) against the numbers
// ZigZag 3.8 produced on its own inputs (../shared/reference/expected/zigzag.json).
#include "cli_run.hpp"
#include "shared_dir.hpp"

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
