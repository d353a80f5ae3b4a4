// Schedules per second on the real problem of the scheduler issue: ResNet-18
// fused on Stream's tpu_like_quad_core (Stream's own YAML and ONNX files under
// ../shared/reference/stream-inputs, --compat stream, layer stacks 0-10 and
// 11-21, 1118 CNs). The host builds the problem once (tiling, cost table), then
// the "stream" scheduler plugin is called through its ABI for metrics only, as
// an allocator's evaluation calls it, on 32 allocations drawn uniformly from
// each unit's candidate cores (what a genetic algorithm's first generation
// asks) in turn. The "list" scheduler on the same allocations, measured in the
// same run, is the baseline: speed_vs_list = list time / stream time.
// Stream needs ~1.7 s per schedule of this problem (reference/expected/README.md).
//
//   cmake -S . -B build-bench -DSTREAM_DSE_BENCH=ON -DCMAKE_BUILD_TYPE=Release
//   cmake --build build-bench --target bench_scheduler_resnet18 && build-bench/bin/bench_scheduler_resnet18
#include "stream_resnet18.hpp"
#include "plugin_host/AbiViews.hpp"

#include "LoadedScheduler.hpp"

#include <benchmark/benchmark.h>

#include <chrono>
#include <filesystem>
#include <memory>
#include <random>
#include <string>
#include <vector>

namespace {

namespace fs = std::filesystem;

constexpr std::size_t kAllocations = 32;

/// The host's problem with its ABI view and allocations to schedule.
struct Problem {
    stream::RunResult run;
    std::vector<const stream_config_v1*> no_model_configs; // the schedulers read no core-model keys
    std::unique_ptr<stream::ProblemView> view;
    std::vector<std::vector<std::int64_t>> allocations;
};

std::unique_ptr<Problem> build_problem() {
    auto problem = std::make_unique<Problem>();
    // The allocation of this run is not used; one generation of two keeps the set-up short.
    problem->run = bench_resnet18::run_stream_resnet18({"allocator.plugin=ga", "allocator.population=2", "allocator.generations=0"});
    const stream::RunResult& r = problem->run;
    problem->no_model_configs.assign(r.accelerator.cores.size(), nullptr);
    problem->view = std::make_unique<stream::ProblemView>(r.accelerator, problem->no_model_configs, r.workload, r.graph, "stream");
    std::mt19937_64 rng(0);
    for (std::size_t a = 0; a < kAllocations; ++a) {
        std::vector<std::int64_t> cores;
        for (const stream::AllocUnit& u : r.graph.units) {
            std::uniform_int_distribution<std::size_t> pick(0, u.costs.size() - 1);
            cores.push_back(u.fixed_core >= 0 ? u.fixed_core : u.costs[pick(rng)].core);
        }
        problem->allocations.push_back(std::move(cores));
    }
    return problem;
}

const Problem& problem() {
    static const std::unique_ptr<Problem> p = build_problem();
    return *p;
}

stream_allocation_v1 allocation_of(const std::vector<std::int64_t>& unit_core) {
    return {sizeof(stream_allocation_v1), unit_core.data(), static_cast<std::uint32_t>(unit_core.size()), nullptr, 0};
}

double seconds_per_schedule(LoadedScheduler& scheduler, const Problem& p) {
    const auto start = std::chrono::steady_clock::now();
    for (const auto& a : p.allocations) benchmark::DoNotOptimize(scheduler.run(p.view->c(), allocation_of(a)));
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count() /
           static_cast<double>(p.allocations.size());
}

void run_benchmark(benchmark::State& state, const char* plugin, bool with_baseline) {
    if (!fs::is_directory(bench_resnet18::stream_examples())) {
        state.SkipWithError(("Stream's reference inputs are not at " + bench_resnet18::stream_examples().string()).c_str());
        return;
    }
    try {
        const Problem& p = problem();
        LoadedScheduler scheduler(plugin, "stream");
        double list_seconds = 0;
        if (with_baseline) {
            LoadedScheduler list("stream-scheduler-list.so", "stream");
            list_seconds = seconds_per_schedule(list, p);
        }
        std::size_t next = 0;
        std::int64_t runs = 0;
        const auto start = std::chrono::steady_clock::now();
        for (auto _ : state) {
            benchmark::DoNotOptimize(scheduler.run(p.view->c(), allocation_of(p.allocations[next])));
            next = (next + 1) % p.allocations.size();
            ++runs;
        }
        const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count() /
                               static_cast<double>(runs);
        state.counters["schedules_per_s"] = benchmark::Counter(1, benchmark::Counter::kIsIterationInvariantRate);
        state.counters["n_cns"] = static_cast<double>(p.run.graph.nodes.size());
        if (with_baseline) state.counters["speed_vs_list"] = list_seconds / seconds;
    } catch (const std::exception& e) {
        state.SkipWithError(e.what());
    }
}

void BM_resnet18_stream(benchmark::State& state) { run_benchmark(state, "stream-scheduler-stream.so", true); }
void BM_resnet18_list(benchmark::State& state) { run_benchmark(state, "stream-scheduler-list.so", false); }

BENCHMARK(BM_resnet18_stream)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_resnet18_list)->Unit(benchmark::kMillisecond);

} // namespace

BENCHMARK_MAIN();
