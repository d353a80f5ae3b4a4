// GA allocator throughput: evaluations per second of a whole NSGA-II run
// (population 32, 20 generations) on a synthetic 48-unit, 4-core problem,
// with the analytic fake evaluator of tests/support. Every iteration also
// runs the same GA on one thread, with the framework's timer paused, and the
// benchmark reports vs_1_thread = its own rate / that single-thread rate.
// Interleaving the two keeps the ratio honest on a shared machine whose load
// changes during the run.
//
// `work` is busy arithmetic per evaluation standing in for a scheduler: at 0
// the run measures the GA's own overhead (operators, ranking, memo, thread
// hand-offs); at 20000 an evaluation costs tens of microseconds, the regime
// where parallel evaluation pays.
//
//   cmake -S . -B build-bench -DSTREAM_DSE_BENCH=ON -DCMAKE_BUILD_TYPE=Release
//   cmake --build build-bench --target bench_allocator_ga && build-bench/bin/bench_allocator_ga
#include <fake_allocator_host.hpp>

#include <benchmark/benchmark.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

namespace {

using namespace alloctest;

constexpr int kUnits = 48;
constexpr int kCores = 4;

/// 48 units with 2 to 4 candidate cores each, fixed costs from a fixed LCG.
void synthetic_problem(FakeProblem& p) {
    std::uint64_t state = 12345;
    auto draw = [&](int n) {
        state = state * 6364136223846793005ull + 1442695040888963407ull;
        return static_cast<int>((state >> 33) % static_cast<std::uint64_t>(n));
    };
    for (int u = 0; u < kUnits; ++u) {
        const int count = 2 + draw(kCores - 1);
        const int first = draw(kCores);
        std::vector<Candidate> candidates;
        for (int k = 0; k < count; ++k)
            candidates.push_back({(first + k) % kCores, 100.0 + draw(900), 10.0 + draw(90), 0});
        p.add_unit(std::move(candidates));
    }
}

/// One GA run; returns how many evaluations it made.
std::size_t run_ga(FakeProblem& problem, FakeEvaluator& evaluator, int64_t threads) {
    FakeHost host({{"threads", threads}, {"generations", int64_t{20}}, {"population", int64_t{32}}, {"seed", int64_t{1}}});
    evaluator.clear();
    Run r;
    run_allocator(host, problem, evaluator, r);
    if (r.create_status != STREAM_OK || r.status != STREAM_OK) return 0;
    return evaluator.call_count();
}

double seconds_since(std::chrono::steady_clock::time_point start) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

void BM_ga_evaluations(benchmark::State& state) {
    const int64_t threads = state.range(0);
    FakeProblem problem(kCores);
    synthetic_problem(problem);
    FakeEvaluator evaluator(problem);
    evaluator.work = static_cast<uint64_t>(state.range(1));

    std::size_t evaluations = 0, baseline_evaluations = 0;
    double seconds = 0, baseline_seconds = 0;
    for (auto _ : state) {
        state.PauseTiming();
        auto start = std::chrono::steady_clock::now();
        baseline_evaluations += run_ga(problem, evaluator, 1);
        baseline_seconds += seconds_since(start);
        state.ResumeTiming();

        start = std::chrono::steady_clock::now();
        const std::size_t n = run_ga(problem, evaluator, threads);
        seconds += seconds_since(start);
        if (n == 0) {
            state.SkipWithError("the GA run failed");
            return;
        }
        evaluations += n;
    }
    state.counters["evals_per_s"] = benchmark::Counter(static_cast<double>(evaluations), benchmark::Counter::kIsRate);
    state.counters["evals_per_run"] =
        benchmark::Counter(static_cast<double>(evaluations), benchmark::Counter::kAvgIterations);
    state.counters["vs_1_thread"] = (static_cast<double>(evaluations) / seconds) /
                                    (static_cast<double>(baseline_evaluations) / baseline_seconds);
}

BENCHMARK(BM_ga_evaluations)
    ->ArgNames({"threads", "work"})
    ->ArgsProduct({{1, 2, 4}, {0, 20000}})
    ->UseRealTime()
    ->Unit(benchmark::kMillisecond);

} // namespace

BENCHMARK_MAIN();
