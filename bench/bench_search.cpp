// Mapping-search throughput: candidate mappings evaluated per second (each one
// tiled, costed through the run's cost cache, allocated and scheduled) on
// ResNet-18 (default.toml) and the Llama block (llama_block_search.toml), in
// process with the real plugins, against a full pipeline run of the same
// pipeline without searching, with the same allocator keys, in the same
// iteration. vs_full_run is how many candidates fit in the time of one full
// run; retile_ms is the tiling stage of that run (what every candidate redoes).
//
//   cmake -S . -B build-bench -DSTREAM_DSE_BENCH=ON -DCMAKE_BUILD_TYPE=Release
//   cmake --build build-bench --target bench_search && build-bench/bin/bench_search
#include "pipeline/Pipeline.hpp"
#include "pipeline/Stages.hpp"

#include <benchmark/benchmark.h>

#include <chrono>
#include <filesystem>
#include <string>
#include <vector>

namespace {

namespace fs = std::filesystem;

class Quiet : public stream::Diagnostics {
public:
    void log(stream_log_level, std::string_view, std::string_view) override {}
    void progress(std::string_view, double, double, std::string_view) override {}
};

// The candidates' allocator keys, also given to the full run so both allocate alike.
const std::vector<std::string> kAllocator = {"allocator.time_limit_s=0.1", "allocator.max_split=1"};

double seconds_since(std::chrono::steady_clock::time_point t) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - t).count();
}

void search_bench(benchmark::State& state, const char* pipeline, const char* fixed_stacks) {
    const fs::path file = fs::path(STREAM_DSE_SOURCE_DIR) / "configs/pipelines" / pipeline;
    std::vector<std::string> search = kAllocator;
    for (const char* o : {"mapping.layer_stacks=\"search\"", "search.plugin=\"greedy\"", "search.time_budget_s=0",
                          "search.max_evaluations=40"})
        search.emplace_back(o);
    std::vector<std::string> full = kAllocator;
    full.push_back(std::string("mapping.layer_stacks=\"") + fixed_stacks + "\"");
    const stream::Pipeline searched = stream::Pipeline::load(file, search);
    const stream::Pipeline plain = stream::Pipeline::load(file, full);
    const stream::PluginRegistry registry = stream::discover_plugins(searched);
    Quiet quiet;
    double candidates = 0, search_s = 0, runs = 0, run_s = 0, retile_s = 0;
    for (auto _ : state) {
        const stream::RunResult r = stream::run_pipeline(searched, registry, quiet);
        candidates += static_cast<double>(r.exploration->records.size());
        search_s += r.exploration->seconds;
        state.PauseTiming();
        const auto start = std::chrono::steady_clock::now();
        const stream::RunResult base = stream::run_pipeline(plain, registry, quiet);
        run_s += seconds_since(start);
        runs += 1;
        for (const stream::StageTiming& t : base.timings)
            if (t.stage == "tiling") retile_s += t.seconds;
        state.ResumeTiming();
    }
    state.counters["candidates_per_s"] = candidates / search_s;
    state.counters["full_runs_per_s"] = runs / run_s;
    state.counters["vs_full_run"] = (candidates / search_s) / (runs / run_s);
    state.counters["retile_ms"] = 1e3 * retile_s / runs;
}

void BM_Search_ResNet18(benchmark::State& state) { search_bench(state, "default.toml", "0-33"); }
void BM_Search_LlamaBlock(benchmark::State& state) { search_bench(state, "llama_block_search.toml", "pack"); }

BENCHMARK(BM_Search_ResNet18)->Unit(benchmark::kMillisecond)->UseRealTime()->Iterations(2);
BENCHMARK(BM_Search_LlamaBlock)->Unit(benchmark::kMillisecond)->UseRealTime()->Iterations(2);

} // namespace

BENCHMARK_MAIN();
