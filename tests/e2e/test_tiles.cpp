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

TEST_CASE("tiles: K and V feed every query-row tile; tiled by heads, attention stays within a head") {
    // tests/e2e/data/tiny_attention.onnxtxt: 2 heads, 4 tokens, head size 2; q, k, v, kt
    // (layout-only), scores, p (Softmax), context; one stack on one core.
    const fs::path workload = kData / "tiny_attention.onnxtxt";
    const std::string system = " --hardware " + (kData / "single_core.toml").string() + " --layer-stacks all";
    auto edges_in = [](const nlohmann::json& j, const std::string& layer) {
        for (const auto& l : j["layers"])
            if (l["name"] == layer) return l["edges_in"].get<int>();
        FAIL("no layer " << layer);
        return -1;
    };
    // One tile per output row (token), both heads in each. Query-row tile i of scores reads q's row
    // i (1 edge) and k^T whole, which the transpose maps back to all 4 row tiles of k: 4 x (1 + 4)
    // = 20 edges. p's row tile i reads scores' row i: 4. context's row tile i reads p's row i and v
    // whole: 4 x (1 + 4) = 20.
    auto rows = tiles("--workload " + workload.string() + system + " --mapping " + (kData / "one_conv_mapping.toml").string());
    CHECK(edges_in(rows, "scores") == 20);
    CHECK(edges_in(rows, "p") == 4);
    CHECK(edges_in(rows, "context") == 20);
    // Two tiles, one per head: head h of scores reads head h of q and of k only: 2 x (1 + 1) = 4
    // edges; p 2; context 2 x (1 + 1) = 4. No tile waits for the other head.
    auto heads = tiles("--workload " + workload.string() + system + " --mapping " + (kData / "heads_mapping.toml").string());
    CHECK(edges_in(heads, "scores") == 4);
    CHECK(edges_in(heads, "p") == 2);
    CHECK(edges_in(heads, "context") == 4);
    // The schedule fetches each operand once either way: K and V stay resident for every query
    // tile that reads them. x is 1x2x4x2 floats (16 x 32 bits = 512) and the three 2x2 weights 3 x 4 x
    // 32 = 384: 896 bits in; the 1x2x4x2 context out, 512 bits; nothing evicted (64 kbit memory).
    for (const char* mapping : {"one_conv_mapping.toml", "heads_mapping.toml"}) {
        CAPTURE(mapping);
        TempDir out;
        Run r = run("run --workload " + workload.string() + system + " --mapping " + (kData / mapping).string() +
                    " --cost roofline --allocator fixed --scheduler stream --json -q -o " + out.path().string());
        REQUIRE_MESSAGE(r.exit_code == 0, r.err);
        const auto dram = nlohmann::json::parse(r.out)["dram_traffic_bits"];
        CHECK(dram["input_fetch"] == 896);
        CHECK(dram["eviction"] == 0);
        CHECK(dram["final_output"] == 512);
    }
}

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
