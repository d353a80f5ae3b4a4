// Sweep throughput: points per second of the example sweep
// configs/sweeps/small_cnn_dram_fusion.toml (12 points of the default
// pipeline, in process, with the real plugins), on 1 and on 2 threads, and
// the share of tile costs the cost cache answered. Every iteration starts
// from an empty output folder and an empty cache, so the hit rate is what one
// sweep gets from its own repeated questions. Each iteration also runs the
// sweep on one thread with the timer paused: vs_1_thread is the measured rate
// over that rate, interleaved so that a shared machine's load affects both.
//
//   cmake -S . -B build-bench -DSTREAM_DSE_BENCH=ON -DCMAKE_BUILD_TYPE=Release
//   cmake --build build-bench --target bench_sweep && build-bench/bin/bench_sweep
#include "sweep/SweepRunner.hpp"

#include <benchmark/benchmark.h>

#include <chrono>
#include <filesystem>
#include <random>

namespace {

namespace fs = std::filesystem;
using namespace stream::sweep;

class Quiet : public stream::Diagnostics {
public:
    void log(stream_log_level, std::string_view, std::string_view) override {}
    void progress(std::string_view, double, double, std::string_view) override {}
};

struct Timed {
    SweepSummary summary;
    double seconds = 0;
};

/// One whole sweep into a fresh folder with a fresh cache.
Timed sweep_once(std::size_t jobs) {
    std::random_device rd;
    const fs::path dir = fs::temp_directory_path() / ("stream-dse-bench-sweep-" + std::to_string(rd()));
    SweepOptions o;
    o.output_dir = dir;
    o.jobs = jobs;
    const SweepContext context(load_sweep(fs::path(STREAM_DSE_SOURCE_DIR) / "configs/sweeps/small_cnn_dram_fusion.toml"), o);
    Quiet quiet;
    const auto start = std::chrono::steady_clock::now();
    Timed t{run_sweep(context, o, quiet), 0};
    t.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    fs::remove_all(dir);
    return t;
}

void BM_Sweep(benchmark::State& state) {
    const auto jobs = static_cast<std::size_t>(state.range(0));
    double points = 0, seconds = 0, baseline_points = 0, baseline_seconds = 0, hits = 0, questions = 0;
    for (auto _ : state) {
        const Timed t = sweep_once(jobs);
        points += static_cast<double>(t.summary.run);
        seconds += t.seconds;
        hits += static_cast<double>(t.summary.cost_cache_hits);
        questions += static_cast<double>(t.summary.cost_questions);
        state.PauseTiming();
        const Timed base = sweep_once(1);
        baseline_points += static_cast<double>(base.summary.run);
        baseline_seconds += base.seconds;
        state.ResumeTiming();
    }
    state.counters["points_per_s"] = points / seconds;
    state.counters["vs_1_thread"] = (points / seconds) / (baseline_points / baseline_seconds);
    state.counters["cost_cache_hit_rate"] = questions > 0 ? hits / questions : 0;
}

BENCHMARK(BM_Sweep)->Arg(1)->Arg(2)->Unit(benchmark::kMillisecond)->UseRealTime()->Iterations(3);

} // namespace

BENCHMARK_MAIN();
