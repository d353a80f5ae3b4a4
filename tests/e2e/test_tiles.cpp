// End-to-end: `stream-dse tiles` on real ONNX models — dependencies through
// layout-only layers, and Stream's own ResNet-18 inputs against the CN and
// edge counts Stream reported.
#include "cli_run.hpp"
#include "shared_dir.hpp"

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include <string>

namespace fs = std::filesystem;
using namespace stream::test;

namespace {

nlohmann::json tiles(const std::string& args) {
    Run r = run("tiles " + args + " --json");
    REQUIRE_MESSAGE(r.exit_code == 0, r.err);
    return nlohmann::json::parse(r.out);
}

std::string single_core_flags(const fs::path& workload) {
    return "--workload " + workload.string() + " --hardware " + (kData / "single_core.toml").string() + " --mapping " +
           (kData / "one_conv_mapping.toml").string() + " --layer-stacks all";
}

} // namespace

TEST_SUITE("e2e") {

TEST_CASE("tiles: a concat joins two producers, row by row") {
    auto j = tiles(single_core_flags(kData / "concat.onnxtxt"));
    // Three 1x1 convs on 4x4 maps, one stack, cut into 4 rows each: 12 CNs. Row j of the last conv reads
    // channels 0-1 from row j of conv a and channels 2-4 from row j of conv b: 8 data edges; plus the
    // three 4-tile chains (3 edges each): 17 edges.
    CHECK(j["n_cns"] == 12);
    CHECK(j["n_data_edges"] == 8);
    CHECK(j["n_edges"] == 17);
    CHECK(j["layers"][2]["edges_in"] == 8); // "layers" lists computation layers: the concat makes no CNs
}

TEST_CASE("tiles: attention head, through a transpose") {
    auto ref = reference_dir();
    if (!ref) return skip("needs ../shared/reference (attention_head.onnx)");
    fs::path model = *ref / "stream-inputs/testing/workload/attention_head.onnx";
    auto j = tiles(single_core_flags(model));
    // Q, K, V (128x512 by 512x64), scores = Q Kt (128x128), softmax, Y = attn V: six layers cut into
    // their 128 output rows = 768 CNs. scores row i reads Q row i and all of Kt, i.e. every row of K
    // through the transpose (1 + 128 edges); softmax row i reads scores row i (1); Y row i reads attn
    // row i and all of V (1 + 128): 128 * (129 + 1 + 129) = 33152 data edges, plus 6 * 127 chain edges.
    CHECK(j["n_cns"] == 768);
    CHECK(j["n_data_edges"] == 33152);
    CHECK(j["n_edges"] == 33152 + 6 * 127);
}

TEST_CASE("tiles: ResNet-18 with Stream's inputs gives Stream's CN and edge counts under --compat stream") {
    auto found = reference_dir();
    if (!found) return skip("needs ../shared/reference");
    const fs::path ref = *found;
    auto expected = nlohmann::json::parse(slurp(ref / "expected/stream.json"));
    int checked = 0;
    for (const auto& run_ref : expected["runs"]) {
        CAPTURE(run_ref["name"].get<std::string>());
        const std::string mode = run_ref["mode"] == "lbl" ? "layer_by_layer" : "fused";
        std::string args = "--compat stream --workload " + (ref / run_ref["workload"].get<std::string>()).string() + " --hardware " +
                           (ref / run_ref["hardware"].get<std::string>()).string() + " --mapping " +
                           (ref / run_ref["mapping"].get<std::string>()).string() + " --mode " + mode;
        if (mode == "fused") args += " --layer-stacks 0-10,11-21"; // settings.layer_stacks of these runs
        auto j = tiles(args);
        CHECK(j["n_cns"] == run_ref["n_cns"]);
        CHECK(j["n_edges"] == run_ref["n_cn_graph_edges"]);
        ++checked;
    }
    CHECK(checked == 4);
}

TEST_CASE("tiles: a stack that does not exist is an error at the flag") {
    Run r = run("tiles " + single_core_flags(kData / "two_conv.onnxtxt") + " --layer-stacks 0-7");
    CHECK(r.exit_code == 1);
    CHECK(r.err.find("layer stacks: '0-7' is outside the workload's layer ids 0..1") != std::string::npos);
}

} // TEST_SUITE
