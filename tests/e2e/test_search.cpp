// End-to-end: the mapping search (docs/fusion.md, "Searching the mapping") as a
// user runs it: the strategies against the exhaustive optimum, the seeds it must
// never be worse than, its budget, its determinism, --save-mapping, and its errors.
#include "cli_run.hpp"
#include "temp_dir.hpp"

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>
#include <string>

namespace fs = std::filesystem;
using stream::test::kSource;
using stream::test::results_of;
using stream::test::run;
using stream::test::TempDir;

namespace {

/// two_conv (conv1, relu1, conv2, features: 4 computation layers) on the edge system with the
/// roofline model, the fixed allocator and the list scheduler: about a millisecond a mapping.
/// Tiles cut OY only, 2 counts per layer: options whole, OY/2, OY/32 (divisors of 32 up to 32,
/// spread in log scale) and the mapping's own one tile per row (OY/32 again): 3 options a layer,
/// 3 free stack boundaries. So at most 2^3 * 3^4 = 648 points, fewer after singleton stacks'
/// tilings are merged: small enough for the exhaustive strategy.
fs::path write_pipeline(const TempDir& dir, const std::string& search_table, const std::string& allocator = "plugin = \"fixed\"") {
    const fs::path configs = kSource / "configs";
    const fs::path file = dir.path() / "search.toml";
    std::ofstream(file) << "name = \"search test\"\n"
                        << "[workload]\nfile = \"" << (configs / "workloads" / "two_conv.onnxtxt").string() << "\"\nplugin = \"onnx\"\n"
                        << "[accelerator]\nfile = \"" << (configs / "hardware" / "edge_dual_array_vector.toml").string() << "\"\n"
                        << "[mapping]\nfile = \"" << (configs / "mappings" / "small_cnn_on_edge.toml").string()
                        << "\"\nmode = \"fused\"\nlayer_stacks = \"search\"\n"
                        << "[cost]\nplugin = \"roofline\"\n[allocator]\n" << allocator << "\n[scheduler]\nplugin = \"list\"\n"
                        << "[search]\nloops = [\"OY\"]\ntile_options = 2\nmax_tiles = 32\n"
                        // No time budget unless the test gives one: the strategies end by themselves.
                        << (search_table.find("time_budget_s") == std::string::npos ? "time_budget_s = 0\n" : "")
                        << search_table << "\n"
                        << "[output]\ndir = \"" << (dir.path() / "out").string() << "\"\n";
    return file;
}

nlohmann::json search_run(const std::string& strategy, const std::string& extra = "") {
    TempDir dir;
    const fs::path pipeline = write_pipeline(dir, "plugin = \"" + strategy + "\"\n" + extra);
    auto r = run("run " + pipeline.string() + " -q");
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    return results_of(dir.path() / "out");
}

} // namespace

TEST_SUITE("e2e") {

TEST_CASE("greedy and anneal reach the exhaustive optimum of a 4-layer space, never worse than the seeds") {
    const nlohmann::json oracle = search_run("exhaustive");
    const nlohmann::json& ex = oracle["exploration"];
    const double optimum = ex["chosen"]["objective"].get<double>();
    // The space was enumerated: more points than the seeds, and the optimum fuses something.
    CHECK(ex["evaluations"].get<int>() > 20);
    CHECK(ex["evaluations"].get<int>() <= 648);
    CHECK(ex["chosen"]["layer_stacks"] != "0-0,1-1,2-2,3-3");
    CHECK(optimum < ex["layer_by_layer"]["objective"].get<double>());
    // The run reports the chosen mapping's schedule.
    CHECK(oracle["edp"].get<double>() == doctest::Approx(optimum).epsilon(1e-12));
    for (const char* strategy : {"greedy", "anneal"}) {
        CAPTURE(strategy);
        const nlohmann::json r = search_run(strategy);
        const nlohmann::json& e = r["exploration"];
        CHECK(e["chosen"]["objective"].get<double>() == doctest::Approx(optimum).epsilon(1e-12));
        CHECK(e["chosen"]["objective"].get<double>() <= e["layer_by_layer"]["objective"].get<double>());
        CHECK(e["chosen"]["objective"].get<double>() <= e["as_written"]["objective"].get<double>());
        CHECK(e["strategy"] == strategy);
        CHECK(!e["pareto_front"].empty());
    }
}

TEST_CASE("the same seed gives the same search; the evaluation budget is kept") {
    const nlohmann::json a = search_run("anneal", "seed = 7\nsteps = 300");
    const nlohmann::json b = search_run("anneal", "seed = 7\nsteps = 300");
    CHECK(a["exploration"]["chosen"] == b["exploration"]["chosen"]);
    CHECK(a["exploration"]["evaluations"] == b["exploration"]["evaluations"]);
    CHECK(a["edp"] == b["edp"]);
    // 5 mappings at most, the seeds (layer by layer, as written, Stream's stacks) among them.
    const nlohmann::json c = search_run("greedy", "max_evaluations = 5");
    CHECK(c["exploration"]["evaluations"].get<int>() == 5);
    // A time budget: the candidates stop within one candidate's time of it (about a millisecond
    // here, tens under sanitizers; 10% of the 1 s budget leaves room for both), and the anneal's
    // million steps would run far longer without it.
    const nlohmann::json t = search_run("anneal", "time_budget_s = 1.0\nsteps = 1000000");
    CHECK(t["exploration"]["seconds"].get<double>() >= 1.0);
    CHECK(t["exploration"]["seconds"].get<double>() <= 1.1);
}

TEST_CASE("--save-mapping writes a mapping that reproduces the searched run without searching") {
    TempDir dir;
    const fs::path pipeline = write_pipeline(dir, "plugin = \"greedy\"\n");
    const fs::path saved = dir.path() / "chosen.toml";
    auto r = run("run " + pipeline.string() + " --save-mapping " + saved.string());
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    const nlohmann::json searched = results_of(dir.path() / "out");
    // The report plots the search's front, as a file and in schedule.html.
    const std::string front_svg = stream::test::slurp(dir.path() / "out" / "exploration.svg");
    CHECK(front_svg.find("Pareto front") != std::string::npos);
    CHECK(front_svg.find("chosen") != std::string::npos);
    CHECK(stream::test::slurp(dir.path() / "out" / "schedule.html").find("<h2>Mapping search</h2>") != std::string::npos);
    const std::string stacks = searched["exploration"]["chosen"]["layer_stacks"].get<std::string>();
    // The printed command names the file and the stacks.
    CHECK(r.err.find("--layer-stacks \"" + stacks + "\"") != std::string::npos);
    auto again = run("run " + pipeline.string() + " -q --mapping " + saved.string() + " --layer-stacks \"" + stacks + "\" -o " +
                     (dir.path() / "again").string());
    INFO(again.err);
    REQUIRE(again.exit_code == 0);
    const nlohmann::json replay = results_of(dir.path() / "again");
    CHECK(!replay.contains("exploration"));
    CHECK(replay["edp"].get<double>() == doctest::Approx(searched["edp"].get<double>()).epsilon(1e-12));
    CHECK(replay["n_cns"] == searched["n_cns"]);
    // tiles cannot search: it says so and shows the mapping as written; with the saved flags, the chosen one.
    auto as_written = run("tiles " + pipeline.string());
    REQUIRE(as_written.exit_code == 0);
    CHECK(as_written.err.find("searches its mapping when it runs") != std::string::npos);
    auto chosen = run("tiles " + pipeline.string() + " --mapping " + saved.string() + " --layer-stacks \"" + stacks + "\"");
    REQUIRE(chosen.exit_code == 0);
    CHECK(chosen.err.find("searches its mapping") == std::string::npos);
}

TEST_CASE("candidates allocated with [search.allocator]'s keys; the finalists again by the allocator as written") {
    TempDir dir;
    // Gecode may place the convolutions on either array core (the mapping's default pins the
    // rest to the vector core). The candidates get a tenth of its time limit.
    const fs::path pipeline =
        write_pipeline(dir, "plugin = \"greedy\"\n[search.allocator]\ntime_limit_s = 0.05\nmax_split = 1\n",
                       "plugin = \"gecode\"\ntime_limit_s = 0.5");
    auto r = run("run " + pipeline.string() + " -q");
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    const nlohmann::json j = results_of(dir.path() / "out");
    const nlohmann::json& e = j["exploration"];
    // The run reports the chosen finalist's own schedule, and it is no worse than the seeds,
    // whose records hold the better of their two allocations.
    CHECK(j["edp"].get<double>() == doctest::Approx(e["chosen"]["edp"].get<double>()).epsilon(1e-12));
    CHECK(e["chosen"]["objective"].get<double>() <= e["layer_by_layer"]["objective"].get<double>());
    CHECK(e["chosen"]["objective"].get<double>() <= e["as_written"]["objective"].get<double>());
    // Every schedule the allocations asked for is counted: more than one per mapping evaluated.
    CHECK(e["schedules"].get<int>() > e["evaluations"].get<int>());
    // The search allocates with the pipeline's plugin; [search.allocator] only changes its keys.
    auto other = run("run " + write_pipeline(dir, "plugin = \"greedy\"\n[search.allocator]\nplugin = \"ga\"\n").string());
    CHECK(other.exit_code == 1);
    CHECK(other.err.find("search.allocator.plugin") != std::string::npos);
}

TEST_CASE("start_stacks is the mapping as written; layer by layer searches nothing") {
    // two_conv's layers 0 conv1, 1 relu1, 2 conv2, 3 features: "0-1" fuses the first two and
    // leaves the others alone (docs/fusion.md).
    const nlohmann::json j = search_run("greedy", "start_stacks = \"0-1\"");
    CHECK(j["exploration"]["as_written"]["layer_stacks"] == "0-1,2-2,3-3");
    CHECK(j["exploration"]["chosen"]["objective"].get<double>() <= j["exploration"]["as_written"]["objective"].get<double>());
    TempDir dir;
    const fs::path pipeline = write_pipeline(dir, "plugin = \"greedy\"");
    auto lbl = run("run " + pipeline.string() + " -q --mode layer_by_layer");
    INFO(lbl.err);
    REQUIRE(lbl.exit_code == 0);
    const nlohmann::json l = results_of(dir.path() / "out");
    CHECK(!l.contains("exploration"));
    CHECK(l["pipeline"]["mode"] == "layer_by_layer");
    auto bad = run("run " + write_pipeline(dir, "plugin = \"greedy\"\nstart_stacks = \"0-9\"").string());
    CHECK(bad.exit_code == 1);
    CHECK(bad.err.find("search.toml:") != std::string::npos);
    CHECK(bad.err.find("outside the workload's layer ids 0..3") != std::string::npos);
}

TEST_CASE("Ctrl-C stops a search and keeps the best mapping found so far") {
    TempDir dir;
    // An annealer with a hundred million steps and no budget runs until interrupted; timeout(1)
    // sends SIGINT after a second, as a terminal's Ctrl-C does.
    const fs::path pipeline = write_pipeline(dir, "plugin = \"anneal\"\nsteps = 100000000\n");
    auto r = stream::test::run_command("timeout --preserve-status -s INT 1 " + stream::test::kBinary.string() + " run " + pipeline.string() + " -q");
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    const nlohmann::json j = results_of(dir.path() / "out");
    CHECK(j["exploration"]["interrupted"] == true);
    CHECK(j["exploration"]["evaluations"].get<int>() > 3); // the search ran before it was stopped
    CHECK(j["edp"].get<double>() == doctest::Approx(j["exploration"]["chosen"]["edp"].get<double>()).epsilon(1e-12));
    CHECK(r.err.find("interrupted") != std::string::npos);
}

TEST_CASE("a search's errors name the key") {
    TempDir dir;
    auto bad_objective = run("run " + write_pipeline(dir, "plugin = \"greedy\"\nobjective = \"fast\"").string());
    CHECK(bad_objective.exit_code == 1);
    CHECK(bad_objective.err.find("search.objective") != std::string::npos);
    CHECK(bad_objective.err.find("search.toml:") != std::string::npos);
    auto no_plugin = run("run " + write_pipeline(dir, "").string());
    CHECK(no_plugin.exit_code == 1);
    CHECK(no_plugin.err.find("[search] names no plugin") != std::string::npos);
    CHECK(no_plugin.err.find("greedy") != std::string::npos); // the explorers that exist
    auto no_search = run("run " + write_pipeline(dir, "plugin = \"greedy\"").string() + " --layer-stacks all --save-mapping " +
                         (dir.path() / "x.toml").string());
    CHECK(no_search.exit_code == 1);
    CHECK(no_search.err.find("--save-mapping") != std::string::npos);
}

} // TEST_SUITE
