// GA allocator throughput on the real problem: ResNet-18 fused on Stream's
// tpu_like_quad_core (Stream's own YAML and ONNX files under ../shared/reference/
// stream-inputs, --compat stream, layer stacks 0-10 and 11-21, 1118 CNs), every
// evaluation a schedule by the "stream" scheduler through the host, as in
// `stream-dse run`. Stream needs ~1.7 s per schedule of this problem
// (reference/expected/README.md), about 0.6 evaluations per second.
//
// Each iteration runs the whole pipeline twice with the GA at a fixed budget
// (population 32, 6 generations, no time limit, seed 0): once on one thread with
// the framework's timer paused, the baseline, then on `threads` threads, timed.
// Only the allocation stage counts (the host times it apart from loading and
// costing). vs_1_thread = the run's evaluations per second / the single-thread
// run's in the same iteration; interleaving the two keeps the ratio honest on a
// shared machine whose load changes during the run.
//
//   cmake -S . -B build-bench -DSTREAM_DSE_BENCH=ON -DCMAKE_BUILD_TYPE=Release
//   cmake --build build-bench --target bench_allocator_ga && build-bench/bin/bench_allocator_ga
#include "stream_resnet18.hpp"

#include <benchmark/benchmark.h>

#include <cstdint>
#include <exception>
#include <filesystem>
#include <string>

namespace {

struct AllocationRun {
    std::size_t evaluations = 0;
    double seconds = 0;
};

AllocationRun run_ga(std::int64_t threads) {
    const stream::RunResult r = bench_resnet18::run_stream_resnet18({
        "allocator.plugin=ga",
        "allocator.population=32",
        "allocator.generations=6",
        "allocator.time_limit_s=0",
        "allocator.seed=0",
        "allocator.threads=" + std::to_string(threads),
    });
    AllocationRun out;
    out.evaluations = r.evaluations;
    for (const stream::StageTiming& t : r.timings)
        if (t.stage == "allocation") out.seconds = t.seconds;
    return out;
}

void BM_ga_resnet18(benchmark::State& state) {
    if (const auto inputs = bench_resnet18::stream_examples(); !std::filesystem::is_directory(inputs)) {
        state.SkipWithError(("Stream's reference inputs are not at " + inputs.string()).c_str());
        return;
    }
    const std::int64_t threads = state.range(0);
    std::size_t evaluations = 0, baseline_evaluations = 0;
    double seconds = 0, baseline_seconds = 0;
    try {
        for (auto _ : state) {
            state.PauseTiming();
            const AllocationRun baseline = run_ga(1);
            state.ResumeTiming();
            const AllocationRun run = run_ga(threads);
            state.SetIterationTime(run.seconds);
            baseline_evaluations += baseline.evaluations;
            baseline_seconds += baseline.seconds;
            evaluations += run.evaluations;
            seconds += run.seconds;
        }
    } catch (const std::exception& e) {
        state.SkipWithError(e.what());
        return;
    }
    const double rate = static_cast<double>(evaluations) / seconds;
    state.counters["evals_per_s"] = rate;
    state.counters["evals_per_run"] =
        benchmark::Counter(static_cast<double>(evaluations), benchmark::Counter::kAvgIterations);
    state.counters["vs_1_thread"] = rate / (static_cast<double>(baseline_evaluations) / baseline_seconds);
}

BENCHMARK(BM_ga_resnet18)->ArgName("threads")->Arg(1)->Arg(2)->UseManualTime()->Iterations(2)->Unit(benchmark::kMillisecond);

} // namespace

BENCHMARK_MAIN();
