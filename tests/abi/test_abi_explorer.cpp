// ABI 1.2's explorer kind, end to end through the host: a plain-C explorer
// (fixtures/probing_explorer.c) searches small_cnn's mapping through the
// host's evaluator; the host answers a seed from memory, evaluates a new
// point, keeps the best, and names the explorer when it breaks the contract.
#include "abi_test_support.hpp"

#include "error/Error.hpp"
#include "pipeline/Pipeline.hpp"
#include "pipeline/Stages.hpp"
#include "plugin_host/Diagnostics.hpp"

#include <doctest/doctest.h>

#include "../support/temp_dir.hpp"

#include <filesystem>
#include <fstream>
#include <string>

using namespace stream;
using namespace stream::test;
namespace fs = std::filesystem;

namespace {

const fs::path kConfigs = fs::path(STREAM_DSE_SOURCE_DIR) / "configs";

/// small_cnn's own pipeline with the stacks searched by the fixture.
RunResult run_probe(const TempDir& dir, const std::string& behaviour) {
    {
        std::ofstream p(dir.path() / "pipeline.toml");
        p << "name = \"probe\"\nplugin_paths = [\"" << fixture("probe").parent_path().string() << "\"]\n\n"
          << "[workload]\nfile = \"" << (kConfigs / "workloads/small_cnn.onnxtxt").string()
          << "\"\nplugin = \"onnx\"\nweight_bits = 8\nactivation_bits = 8\n\n"
          << "[accelerator]\nfile = \"" << (kConfigs / "hardware/edge_dual_array_vector.toml").string() << "\"\n\n"
          << "[mapping]\nfile = \"" << (kConfigs / "mappings/small_cnn_on_edge.toml").string()
          << "\"\nmode = \"fused\"\nlayer_stacks = \"search\"\n\n"
          << "[cost]\nplugin = \"roofline\"\n\n[allocator]\nplugin = \"fixed\"\n\n[scheduler]\nplugin = \"list\"\n\n"
          << "[search]\nplugin = \"probe\"\ntime_budget_s = 0\nbehaviour = \"" << behaviour << "\"\n";
    }
    Pipeline p = Pipeline::load(dir.path() / "pipeline.toml", {});
    RecordingDiagnostics diag;
    return run_pipeline(p, discover_plugins(p), diag);
}

} // namespace

TEST_CASE("a plain-C explorer searches through the host: seeds from memory, new points evaluated, the best kept") {
    TempDir dir;
    const RunResult r = run_probe(dir, "one_stack");
    REQUIRE(r.exploration);
    const ExplorationResult& e = *r.exploration;
    // small_cnn has 10 computation layers (11 layers, Flatten is layout-only). The host's seeds:
    // layer by layer, and the mapping as written ("pack": the chip holds all weights, so one
    // stack, one tile per output row); Stream's "weights" stacks give that same point. The
    // fixture adds one: one stack, every layer whole. The seed it asks again is not counted.
    CHECK(e.space.choices.size() == 10);
    CHECK(e.space.seeds.size() == 2);
    CHECK(e.records.size() == 3);
    CHECK(e.strategy == "probe");
    CHECK(e.strategy_summary == "one stack, every layer whole (C fixture)");
    // The run reports the best of the three, whichever it is.
    double best = e.records.front().objective;
    for (const CandidateRecord& c : e.records)
        if (c.feasible && c.objective < best) best = c.objective;
    CHECK(r.schedule.metrics.edp == doctest::Approx(best).epsilon(1e-12));
    CHECK(e.best().objective == best);
}

TEST_CASE("an explorer that breaks the contract is named, not obeyed") {
    TempDir dir;
    CHECK(error_of([&] { run_probe(dir, "wrong_count"); }).find("mapping outside the space: a mapping has 11 entries, the space 10") !=
          std::string::npos);
    CHECK(error_of([&] { run_probe(dir, "bad_tiling"); }).find("entry 0 (layer 0): tiling option") != std::string::npos);
    const std::string no_submit = error_of([&] { run_probe(dir, "no_submit"); });
    CHECK(no_submit.find("explorer") != std::string::npos);
    CHECK(no_submit.find("without submitting its summary") != std::string::npos);
}
