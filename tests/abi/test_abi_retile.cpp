// ABI 1.1's re-tiling, end to end through the host: a plain-C allocator
// (fixtures/retiling_allocator.c) asks for the problem with every inter-core
// "*" split a given number of ways and submits an allocation for it; the run
// must then schedule and report the re-tiled graph. Wrong requests are refused
// with the host's own reason.
#include "abi_test_support.hpp"

#include "error/Error.hpp"
#include "pipeline/Pipeline.hpp"
#include "pipeline/Stages.hpp"
#include "plugin_host/Diagnostics.hpp"

#include <doctest/doctest.h>

#include "../support/temp_dir.hpp"

#include <filesystem>
#include <fstream>
#include <map>
#include <string>

using namespace stream;
using namespace stream::test;
namespace fs = std::filesystem;

namespace {

const fs::path kConfigs = fs::path(STREAM_DSE_SOURCE_DIR) / "configs";

/// small_cnn on edge_dual_array_vector with its three convolutions split over the two array
/// cores ("K, *"), allocated by the fixture with the given keys.
RunResult run_retiling(const TempDir& dir, const std::string& allocator_keys) {
    {
        std::ofstream m(dir.path() / "mapping.toml");
        m << "[default]\ncores = [2]\n\n[op_types.Conv]\ncores = [0, 1]\ninter_core_tiling = [[\"K\", \"*\"]]\n\n"
             "[op_types.Gemm]\ncores = [1]\n";
        std::ofstream p(dir.path() / "pipeline.toml");
        p << "name = \"retiling\"\nplugin_paths = [\"" << fixture("retiling").parent_path().string() << "\"]\n\n"
          << "[workload]\nfile = \"" << (kConfigs / "workloads/small_cnn.onnxtxt").string()
          << "\"\nplugin = \"onnx\"\nweight_bits = 8\nactivation_bits = 8\n\n"
          << "[accelerator]\nfile = \"" << (kConfigs / "hardware/edge_dual_array_vector.toml").string() << "\"\n\n"
          << "[mapping]\nfile = \"mapping.toml\"\nmode = \"fused\"\n\n"
          << "[cost]\nplugin = \"roofline\"\n\n[allocator]\nplugin = \"retiling\"\n" << allocator_keys << "\n\n"
          << "[scheduler]\nplugin = \"list\"\n";
    }
    Pipeline p = Pipeline::load(dir.path() / "pipeline.toml", {});
    RecordingDiagnostics diag;
    return run_pipeline(p, discover_plugins(p), diag);
}

std::map<std::int64_t, int> units_per_layer(const CnGraph& g) {
    std::map<std::int64_t, int> n;
    for (const AllocUnit& u : g.units) ++n[u.layer];
    return n;
}

} // namespace

// small_cnn has 138 nodes in 10 units with every layer whole (`stream-dse tiles
// configs/pipelines/small_cnn.toml`); its convolutions c1, c2, c3 (layers 0, 3, 6) have 32, 16
// and 8 row tiles. Split over 2 cores each becomes 2 units and twice the tiles: 13 units and
// 138 + 32 + 16 + 8 = 194 nodes.
TEST_CASE("an allocator built against ABI 1.1 re-tiles the problem, and the run schedules the re-tiled graph") {
    TempDir dir;
    const RunResult whole = run_retiling(dir, "split = 1");
    CHECK(whole.graph.units.size() == 10);
    CHECK(whole.graph.nodes.size() == 138);
    CHECK(whole.allocation.unit_core.size() == 10);
    CHECK(whole.schedule.nodes.size() == 138);
    CHECK(whole.evaluations == 1);
    CHECK(units_per_layer(whole.graph)[0] == 1);

    const RunResult split = run_retiling(dir, "split = 2");
    CHECK(split.graph.units.size() == 13);
    CHECK(split.graph.nodes.size() == 194);
    CHECK(split.schedule.nodes.size() == 194);
    const std::map<std::int64_t, int> units = units_per_layer(split.graph);
    CHECK(units.at(0) == 2);
    CHECK(units.at(3) == 2);
    CHECK(units.at(6) == 2);
    CHECK(units.at(1) == 1);
    // The fixture puts every unit on its first candidate: both halves of a convolution on core 0.
    for (std::size_t u = 0; u < split.graph.units.size(); ++u)
        if (split.graph.units[u].layer == 0) CHECK(split.allocation.unit_core[u] == 0);
}

TEST_CASE("the host refuses a re-tiling request with the wrong number of split counts, or a negative one") {
    TempDir dir;
    try {
        run_retiling(dir, "split = 2\nlayer_count_offset = 1");
        FAIL("a request with one count too many was accepted");
    } catch (const Error& e) {
        CHECK_MESSAGE(std::string(e.what()).find("retile asked with 12 split counts for a workload of 11 layers") !=
                          std::string::npos,
                      e.what());
    }
    try {
        run_retiling(dir, "split = -1");
        FAIL("a negative split count was accepted");
    } catch (const Error& e) {
        CHECK_MESSAGE(std::string(e.what()).find("over -1 cores") != std::string::npos, e.what());
    }
}
