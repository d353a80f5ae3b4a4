// End-to-end: the four allocators are swapped by one pipeline value, and on
// Stream's own ResNet-18 example both the licence-free Gecode allocator and our
// GA, with their defaults, reach an EDP at least as good as Stream's genetic
// algorithm did.
#include "cli_run.hpp"
#include "shared_dir.hpp"
#include "temp_dir.hpp"

#include <chrono>
#include <doctest/doctest.h>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>

namespace fs = std::filesystem;
using namespace stream::test;

namespace {

/// Runs `allocator` on the inputs of Stream's GA reference run (ResNet-18 fused on tpu_like_quad_core,
/// Stream's layer stacks, every allocator key at its default) and checks that it reaches an EDP no higher
/// than Stream's GA did (stream.json, run tpu_resnet18_fused_g4i4_s0).
void check_beats_stream_ga(const fs::path& ref, const std::string& allocator) {
    auto expected = nlohmann::json::parse(slurp(ref / "expected/stream.json"));
    const nlohmann::json* ga = nullptr;
    for (const auto& r : expected["runs"])
        if (r["name"] == "tpu_resnet18_fused_g4i4_s0") ga = &r;
    REQUIRE(ga);
    TempDir out;
    Run r = run("run --compat stream --workload " + (ref / (*ga)["workload"].get<std::string>()).string() + " --hardware " +
                (ref / (*ga)["hardware"].get<std::string>()).string() + " --mapping " +
                (ref / (*ga)["mapping"].get<std::string>()).string() +
                " --mode fused --layer-stacks 0-10,11-21 --cost dataflow --scheduler stream --allocator " + allocator +
                " --quiet -o " + out.path().string());
    REQUIRE_MESSAGE(r.exit_code == 0, r.err);
    auto j = results_of(out.path());
    // Gecode's split counts re-tile the layers they split (more nodes, as in Stream's own CO).
    if (j["allocator"]["summary"].get<std::string>().find("better than one core per unit") != std::string::npos)
        CHECK(j["n_cns"].get<int>() > (*ga)["n_cns"].get<int>());
    else
        CHECK(j["n_cns"] == (*ga)["n_cns"]);
    CHECK(j["edp"].get<double>() <= (*ga)["edp"].get<double>());
}


/// One of Stream's example systems with the example mapping written for it, and the cores that
/// mapping lets an operator run on (its core_allocation lists, read off the YAML files).
struct ExampleSystem {
    const char* hardware;
    const char* mapping;
    std::set<int> (*candidates)(const std::string& op);
};

std::set<int> tpu_like_quad_candidates(const std::string& op) {
    if (op.find("Pool") != std::string::npos) return {4}; // Pool, MaxPool, AveragePool, GlobalAveragePool
    if (op == "Add") return {5};
    return {0, 1, 2, 3};
}
std::set<int> simba_small_candidates(const std::string&) { return {0, 1, 2, 3}; }
std::set<int> simba_small_fixed_candidates(const std::string&) { return {0}; }
std::set<int> simba_candidates(const std::string&) {
    std::set<int> all;
    for (int c = 0; c < 36; ++c) all.insert(c);
    return all;
}

/// Runs `allocator` (plus `extra` flags) on ResNet-18 fused with Stream's layer stacks on `system`,
/// checks that every layer runs on cores its mapping allows, and returns results.json.
nlohmann::json run_on_example(const fs::path& ref, const ExampleSystem& system, const std::string& allocator,
                              const std::string& extra = "") {
    const fs::path examples = ref / "stream-inputs/examples";
    TempDir out;
    const auto start = std::chrono::steady_clock::now();
    Run r = run("run --compat stream --workload " + (examples / "workload/resnet18.onnx").string() + " --hardware " +
                (examples / "hardware" / system.hardware).string() + " --mapping " +
                (examples / "mapping" / system.mapping).string() +
                " --mode fused --layer-stacks 0-10,11-21 --cost dataflow --scheduler stream --allocator " + allocator +
                extra + " --quiet -o " + out.path().string());
    const double wall_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    REQUIRE_MESSAGE(r.exit_code == 0, r.err);
    auto j = results_of(out.path());
    // Reported, not asserted: timings belong to bench/.
    MESSAGE(std::string(system.hardware) << " + " << std::string(system.mapping) << ", " << allocator << extra << ": " << wall_s
                            << " s wall, EDP " << j["edp"].get<double>() << ", " << j["allocator"]["summary"].get<std::string>());
    for (const auto& layer : j["layers"]) {
        const std::string name = layer["name"];
        const std::set<int> allowed = system.candidates(layer["op"].get<std::string>());
        CHECK_MESSAGE(!layer["cores"].empty(), name);
        for (const auto& core : layer["cores"])
            CHECK_MESSAGE(allowed.count(core.get<int>()) == 1, name << " on core " << core.get<int>());
    }
    return j;
}

} // namespace

TEST_SUITE("e2e") {

TEST_CASE("allocators: fixed, exhaustive, ga and gecode are one value apart") {
    // The default mapping pins every layer to one core, so every allocator must return that allocation
    // and the schedules must be identical.
    std::optional<double> latency;
    for (const char* allocator : {"fixed", "exhaustive", "ga", "gecode"}) {
        CAPTURE(allocator);
        TempDir out;
        Run r = run("run " + (kSource / "configs/pipelines/small_cnn.toml").string() + " --allocator " + allocator +
                    " --quiet -o " + out.path().string());
        REQUIRE_MESSAGE(r.exit_code == 0, r.err);
        auto j = results_of(out.path());
        CHECK(j["allocation"]["c2"] == 1);
        if (!latency) latency = j["latency_cycles"].get<double>();
        CHECK(j["latency_cycles"].get<double>() == *latency);
    }
}

TEST_CASE("allocators: Gecode's summary counts equal stacks once") {
    // small_cnn layer by layer: each of its 10 computation layers is a stack of one node run once,
    // so the summary says so once with a count instead of repeating "1 node x 1 wave" ten times.
    TempDir out;
    Run r = run("run " + (kSource / "configs/pipelines/small_cnn.toml").string() +
                " --mode layer_by_layer --allocator gecode --quiet -o " + out.path().string());
    REQUIRE_MESSAGE(r.exit_code == 0, r.err);
    const std::string summary = results_of(out.path())["allocator"]["summary"];
    CHECK_MESSAGE(summary.find("10 stacks, steady states 10 x (1 node x 1 wave)") != std::string::npos, summary);
}

TEST_CASE("allocators: the GA's Pareto front reaches results.json") {
    // Convs and the Gemm may run on either 16x16 array. Keeping a layer's tiles on one array saves the
    // 0.5 pJ/bit core-to-core transfers but serialises them, so latency and energy trade off and the
    // front has more than one member.
    TempDir out;
    const fs::path mapping = out.path() / "either_array.toml";
    std::ofstream(mapping) << "[default]\ncores = [2]\n[op_types.Conv]\ncores = [0, 1]\n[op_types.Gemm]\ncores = [0, 1]\n";
    Run r = run("run " + (kSource / "configs/pipelines/small_cnn.toml").string() + " --mapping " + mapping.string() +
                " --allocator ga --set allocator.seed=7 --quiet -o " + out.path().string());
    REQUIRE_MESSAGE(r.exit_code == 0, r.err);
    auto j = results_of(out.path());
    const nlohmann::json front = j["allocator"]["pareto_front"];
    REQUIRE(front.size() >= 2);
    CHECK(front[0]["chosen"] == true);
    CHECK(front[0]["latency_cycles"] == j["latency_cycles"]);
    CHECK(front[0]["energy_pj"] == j["energy_pj"]);
    CHECK(front[0]["allocation"] == j["allocation"]);
    for (std::size_t a = 0; a < front.size(); ++a) {
        if (a > 0) CHECK(front[a]["chosen"] == false);
        for (const auto& item : front[a]["allocation"].items()) {
            const nlohmann::json cores = item.value();
            for (const auto& c : cores.is_array() ? cores : nlohmann::json::array({cores})) CHECK((c == 0 || c == 1 || c == 2));
        }
        for (std::size_t b = 0; b < front.size(); ++b) {
            const double la = front[a]["latency_cycles"], ea = front[a]["energy_pj"];
            const double lb = front[b]["latency_cycles"], eb = front[b]["energy_pj"];
            const bool dominates = la <= lb && ea <= eb && (la < lb || ea < eb);
            CHECK_MESSAGE(!dominates, "front member " << a << " dominates member " << b);
        }
    }
    // The front is drawn too: one highlighted dot per member, and `report` redraws it from results.json.
    const std::string svg = slurp(out.path() / "pareto.svg");
    CHECK(svg.find(std::to_string(front.size()) + " of " + std::to_string(front.size()) + " points on the Pareto front") !=
          std::string::npos);
    fs::remove(out.path() / "pareto.svg");
    Run again = run("report " + (out.path() / "results.json").string() + " --quiet");
    REQUIRE_MESSAGE(again.exit_code == 0, again.err);
    CHECK(slurp(out.path() / "pareto.svg") == svg);
}

TEST_CASE("allocators: Gecode on Stream's ResNet-18 example beats Stream's GA on EDP") {
    auto ref = reference_dir();
    if (!ref) return skip("needs ../shared/reference");
    check_beats_stream_ga(*ref, "gecode");
}

TEST_CASE("allocators: our GA on Stream's ResNet-18 example beats Stream's GA on EDP") {
#ifdef STREAM_DSE_SANITIZED_BUILD
    return skip("schedules ResNet-18 about 1,600 times: about 5 s in a Release build, minutes under sanitizers");
#else
    auto ref = reference_dir();
    if (!ref) return skip("needs ../shared/reference");
    check_beats_stream_ga(*ref, "ga");
#endif
}

// The same bar on Stream's other example systems that have a mapping for ResNet-18 (the
// eyeriss-like quad core shares tpu_like_quad_core's mapping; the single and dual cores and
// the meta prototype have none, fusemax is not a ResNet-18 example). Stream has no numbers
// for them, so the bar is a Stream-sized GA run (4 generations x 4 individuals, seed 0):
// both allocators with their defaults must reach an EDP at most that run's. On
// simba_small_fixed every layer is pinned to chiplet 0, whose 2 Mbit global buffer cannot
// hold the second stack's 4.2 Mbit of weights: Stream's slot model has no solution there,
// and Gecode must still return the (only) allocation rather than call it infeasible.
// Wall times are printed (MESSAGE), not asserted.
TEST_CASE("allocators: ga and gecode on Stream's other example systems beat a Stream-sized GA") {
#ifdef STREAM_DSE_SANITIZED_BUILD
    return skip("runs the GA and Gecode for 5 s each on four systems: minutes under sanitizers");
#else
    auto ref = reference_dir();
    if (!ref) return skip("needs ../shared/reference");
    const ExampleSystem systems[] = {
        {"eyeriss_like_quad_core.yaml", "tpu_like_quad_core.yaml", &tpu_like_quad_candidates},
        {"simba_small.yaml", "simba_small.yaml", &simba_small_candidates},
        {"simba_small.yaml", "simba_small_fixed.yaml", &simba_small_fixed_candidates},
        {"simba.yaml", "simba.yaml", &simba_candidates},
    };
    for (const ExampleSystem& system : systems) {
        const std::string hardware = system.hardware, mapping = system.mapping;
        CAPTURE(hardware);
        CAPTURE(mapping);
        const auto small =
            run_on_example(*ref, system, "ga", " --set allocator.generations=4 --set allocator.population=4 --set allocator.seed=0");
        const auto ga = run_on_example(*ref, system, "ga");
        const auto gecode = run_on_example(*ref, system, "gecode");
        CHECK(ga["n_cns"] == small["n_cns"]);
        // Gecode's split counts re-tile the layers they split: more nodes, never fewer.
        const bool split = gecode["allocator"]["summary"].get<std::string>().find("better than one core per unit") != std::string::npos;
        if (split)
            CHECK(gecode["n_cns"] > small["n_cns"]);
        else
            CHECK(gecode["n_cns"] == small["n_cns"]);
        CHECK(ga["edp"].get<double>() <= small["edp"].get<double>());
        CHECK(gecode["edp"].get<double>() <= small["edp"].get<double>());
        if (small["allocator"]["summary"].get<std::string>().find("no unit has a choice of core") != std::string::npos) {
            // Only the order is left to choose: Gecode submits the better, under its objective
            // (EDP), of the slots' order and the host's order that the GA's one evaluation used.
            CHECK(gecode["allocation"] == small["allocation"]);
        }
    }
#endif
}

// Stream's split counts (stream.md §5.3): on the eyeriss-like quad core under Stream's mapping
// (inter-core "K, *") the host re-tiles layers over 2..4 cores for Gecode's second candidate.
// Measured on this problem: EDP 1.65e17 with splits against 2.40e17 with one core per unit
// (max_split = 1), so the split candidate wins by far more than search noise; the split layers
// then run on several cores and the problem has more nodes than Stream's 1118.
TEST_CASE("allocators: gecode splits layers over several cores when that evaluates better") {
#ifdef STREAM_DSE_SANITIZED_BUILD
    return skip("two 5 s Gecode searches with re-tiling: minutes under sanitizers");
#else
    auto ref = reference_dir();
    if (!ref) return skip("needs ../shared/reference");
    const ExampleSystem eyeriss{"eyeriss_like_quad_core.yaml", "tpu_like_quad_core.yaml", &tpu_like_quad_candidates};
    const auto whole = run_on_example(*ref, eyeriss, "gecode", " --set allocator.max_split=1");
    const auto split = run_on_example(*ref, eyeriss, "gecode");
    CHECK(whole["n_cns"] == 1118);
    CHECK(whole["allocator"]["summary"].get<std::string>().find("split counts") == std::string::npos);
    const std::string summary = split["allocator"]["summary"];
    CHECK_MESSAGE(summary.find("evaluated better than one core per unit") != std::string::npos, summary);
    CHECK(split["n_cns"].get<int>() > 1118);
    CHECK(split["edp"].get<double>() < whole["edp"].get<double>());
    int layers_on_several_cores = 0;
    for (const auto& layer : split["layers"])
        if (layer["cores"].size() > 1) ++layers_on_several_cores;
    CHECK(layers_on_several_cores > 0);
    for (const auto& layer : whole["layers"])
        CHECK(layer["cores"].size() == 1);
#endif
}

TEST_CASE("scheduler-stream: Stream's fixed-split ResNet-18 run, fused and layer by layer") {
    auto ref = reference_dir();
    if (!ref) return skip("needs ../shared/reference");
    auto expected = nlohmann::json::parse(slurp(*ref / "expected/stream.json"));
    int checked = 0;
    for (const auto& run_ref : expected["runs"]) {
        if (run_ref["mapping"] != "stream-inputs/examples/mapping/tpu_like_quad_core_resnet18_fixed_split.yaml") continue;
        CAPTURE(run_ref["name"].get<std::string>());
        const bool fused = run_ref["mode"] == "fused";
        TempDir out;
        Run r = run("run --compat stream --workload " + (*ref / run_ref["workload"].get<std::string>()).string() + " --hardware " +
                    (*ref / run_ref["hardware"].get<std::string>()).string() + " --mapping " +
                    (*ref / run_ref["mapping"].get<std::string>()).string() + " --mode " + (fused ? "fused --layer-stacks 0-10,11-21" : "layer_by_layer") +
                    " --cost dataflow --scheduler stream --allocator fixed --quiet -o " + out.path().string());
        REQUIRE_MESSAGE(r.exit_code == 0, r.err);
        auto j = results_of(out.path());
        CHECK(j["n_cns"] == run_ref["n_cns"]);
        // The final outputs (the classifier's 1000 values) are written to DRAM exactly as Stream does.
        CHECK(j["energy_breakdown_pj"]["final_output_memory"].get<double>() ==
              doctest::Approx(run_ref["energy_breakdown_pJ"]["sink_layer_output_offchip_memory"].get<double>()).epsilon(1e-6));
        // Every layer runs on the core Stream's allocation gives it.
        for (const auto& item : run_ref["allocation_layer_to_core"].items()) {
            // Plain copies: clang 14 cannot capture structured bindings in doctest's assertion lambdas.
            const std::string layer = item.key();
            const nlohmann::json core = item.value();
            bool found = false;
            for (const auto& l : j["layers"])
                if (std::to_string(l["id"].get<int>()) == layer) {
                    found = true;
                    CHECK(l["cores"][0] == core);
                }
            CHECK_MESSAGE(found, layer);
        }
        // Issue 7's bar: latency and energy within 5% of Stream's (stream.json's latency_cycles and
        // energy_pJ); what still differs is listed in docs/compat-stream.md.
        CHECK(j["latency_cycles"].get<double>() == doctest::Approx(run_ref["latency_cycles"].get<double>()).epsilon(0.05));
        CHECK(j["energy_pj"].get<double>() == doctest::Approx(run_ref["energy_pJ"].get<double>()).epsilon(0.05));
        ++checked;
    }
    CHECK(checked == 2);
}

} // TEST_SUITE
