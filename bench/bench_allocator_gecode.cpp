// The gecode allocator's slot model, on a toy and on the real problem.
//
// The toy, a two-stack problem on four cores: time to
// the first solution and to the proof of optimality, each as a ratio to a brute
// -force enumeration of the same model measured in the same run, and the whole
// plugin call (steady states, search, step C order, one evaluation) against
// brute-forcing both stacks.
//
// The toy: stack 0 is two residual blocks a -> {b, c} -> d -> {e, f} -> x over
// 12 rows with row-to-row dependencies (steady state: one row of each, 7 nodes,
// N = 12); stack 1 is a chain of five 3x3 convolutions over 16 rows (steady
// state: one row of each, 5 nodes, N = 12). 12 steady-state nodes in all. Two array cores, a vector core and a larger
// array with a small weight memory; latencies and energies from a fixed seed.
//
// The real problem: ResNet-18 fused on Stream's tpu_like_quad_core (Stream's inputs under
// ../shared/reference/stream-inputs, --compat stream, layer stacks 0-10 and 11-21), built
// by the host as `stream-dse run` builds it. Stacks 0 and 1 have steady states of 13 nodes
// (51 and 24 waves); the model of each is solved with a 30 s deadline, reporting the time to
// the first solution and to the proof (proof_s = 0 with proven = 0 when the deadline came
// first). The baseline is the fastest of ten schedules of the same problem by the "stream"
// scheduler (every unit on its first candidate core), measured in the same run:
// first/schedule says how many evaluations a GA could have made in the time Gecode needs
// for its first allocation.
// Skipped with a message when ../shared is absent.
#include "BruteForce.hpp"
#include "ProblemTables.hpp"
#include "SlotInstance.hpp"
#include "SlotSearch.hpp"
#include "SteadyState.hpp"

#include "plugin_host/AbiViews.hpp"

#include "LoadedScheduler.hpp"
#include "stream_resnet18.hpp"

#include <fake_gecode_host.hpp>

#include <benchmark/benchmark.h>

#include <algorithm>
#include <chrono>
#include <exception>
#include <filesystem>
#include <map>
#include <memory>
#include <random>
#include <stdexcept>
#include <string>
#include <vector>

namespace {

using namespace stream::plugins::gecode_alloc;
using Clock = std::chrono::steady_clock;

struct Toy {
    gecodetest::ProblemBuilder builder;
    const stream_problem_v1* problem = nullptr;
    ProblemTables tables;
    std::vector<SlotInstance> stacks;
};

std::unique_ptr<Toy> make_toy() {
    auto toy = std::make_unique<Toy>();
    gecodetest::ProblemBuilder& b = toy->builder;
    for (int c = 0; c < 3; ++c)
        b.add_core("core" + std::to_string(c), 4'000'000);
    b.add_core("big", 3'000'000);
    std::mt19937 rng(11);
    std::uniform_int_distribution<int> latency(20, 120), energy(5, 40);
    auto layer = [&](const std::string& name, int64_t rows, int64_t stack) {
        const int64_t l = b.add_layer(name, {{"K", 32}, {"C", 32}, {"OY", rows}});
        std::vector<gecodetest::UnitCost> costs;
        for (int c = 0; c < 4; ++c)
            costs.push_back({c, static_cast<double>(latency(rng)), static_cast<double>(energy(rng)), 1'200'000});
        const int64_t u = b.add_unit(l, costs);
        std::vector<int64_t> nodes;
        for (int64_t r = 0; r < rows; ++r)
            nodes.push_back(b.add_node(u, stack, r));
        return nodes;
    };
    auto row_to_row = [&](const std::vector<int64_t>& from, const std::vector<int64_t>& to) {
        for (std::size_t r = 0; r < to.size(); ++r)
            b.add_edge(from[r], to[r]);
    };
    auto halo = [&](const std::vector<int64_t>& from, const std::vector<int64_t>& to) {
        const std::size_t rows = to.size();
        for (std::size_t r = 0; r < rows; ++r)
            for (std::size_t p = r == 0 ? 0 : r - 1; p <= std::min(rows - 1, r + 1); ++p)
                b.add_edge(from[p], to[r]);
    };
    const auto a = layer("a", 12, 0), bb = layer("b", 12, 0), c = layer("c", 12, 0), d = layer("d", 12, 0),
               e = layer("e", 12, 0), f = layer("f", 12, 0), x = layer("x", 12, 0);
    row_to_row(a, bb);
    row_to_row(a, c);
    row_to_row(bb, d);
    row_to_row(c, d);
    row_to_row(d, e);
    row_to_row(d, f);
    row_to_row(e, x);
    row_to_row(f, x);
    const auto g = layer("g", 16, 1), h = layer("h", 16, 1), i = layer("i", 16, 1), j = layer("j", 16, 1),
               k = layer("k", 16, 1);
    halo(g, h);
    halo(h, i);
    halo(i, j);
    halo(j, k);
    b.chain_units();
    toy->problem = &b.build();
    toy->tables = read_problem(*toy->problem);
    std::map<int64_t, std::vector<std::size_t>> stacks;
    for (std::size_t n = 0; n < toy->tables.nodes.size(); ++n)
        stacks[toy->tables.nodes[n].stack].push_back(n);
    for (const auto& [stack, nodes] : stacks)
        toy->stacks.push_back(build_instance(toy->tables, find_steady_state(toy->tables.nodes, nodes), stack));
    return toy;
}

// The fastest of a few brute-force runs (repeated until 0.5 s are spent): one short run is
// too noisy a baseline, and one long run is already a stable one.
double brute_force_seconds(const SlotInstance& in, Objective objective, long long* optimum) {
    double best = 0, spent = 0;
    for (int run = 0; run == 0 || (spent < 0.5 && run < 100); ++run) {
        const Clock::time_point start = Clock::now();
        const BruteForceResult r = brute_force(in, objective);
        const double s = std::chrono::duration<double>(Clock::now() - start).count();
        if (!r.best) throw std::runtime_error("the toy is infeasible");
        if (optimum) *optimum = objective_value(objective, r.value);
        best = run == 0 ? s : std::min(best, s);
        spent += s;
    }
    return best;
}

// Arguments: stack (0 or 1), objective (0 latency, 1 energy, 2 edp), restarts (0 or 1).
void BM_SlotModel(benchmark::State& state) {
    const auto toy = make_toy();
    const SlotInstance& in = toy->stacks.at(static_cast<std::size_t>(state.range(0)));
    const Objective objective = static_cast<Objective>(state.range(1));
    long long optimum = 0;
    const double baseline = brute_force_seconds(in, objective, &optimum);
    SearchSettings settings;
    settings.objective = objective;
    settings.restarts = state.range(2) != 0;
    double first = 0, proof = 0;
    std::int64_t runs = 0;
    for (auto _ : state) {
        const SearchResult r = solve(in, settings);
        if (r.status != SearchStatus::optimal || r.objective != optimum) {
            state.SkipWithError("the slot model did not prove the brute-force optimum");
            return;
        }
        first += r.seconds_to_first;
        proof += r.seconds;
        ++runs;
    }
    first /= static_cast<double>(runs);
    proof /= static_cast<double>(runs);
    state.counters["nodes"] = static_cast<double>(in.nodes.size());
    state.counters["first_s"] = first;
    state.counters["proof_s"] = proof;
    state.counters["brute_force_s"] = baseline;
    state.counters["first/brute"] = first / baseline;
    state.counters["proof/brute"] = proof / baseline;
    state.SetLabel(std::string(objective_name(objective)) + (settings.restarts ? ", restarts" : ""));
}
BENCHMARK(BM_SlotModel)
    ->ArgNames({"stack", "objective", "restarts"})
    ->Args({0, 0, 0})
    ->Args({1, 0, 0})
    ->Args({0, 0, 1})
    ->Args({1, 0, 1})
    ->Args({0, 1, 0})
    ->Args({0, 2, 0})
    ->Unit(benchmark::kMillisecond);

// The whole plugin call against brute-forcing both stacks' models.
void BM_PluginAllocate(benchmark::State& state) {
    const auto toy = make_toy();
    double baseline = 0;
    for (const SlotInstance& in : toy->stacks)
        baseline += brute_force_seconds(in, Objective::latency, nullptr);
    double total = 0;
    std::int64_t runs = 0;
    for (auto _ : state) {
        gecodetest::FakeHost host;
        gecodetest::Run r;
        const Clock::time_point start = Clock::now();
        gecodetest::run(host, *toy->problem, r);
        total += std::chrono::duration<double>(Clock::now() - start).count();
        ++runs;
        if (r.status != STREAM_OK || r.submitted.proven_optimal != 1) {
            state.SkipWithError("the plugin did not prove its allocation optimal");
            return;
        }
    }
    state.counters["allocate_s"] = total / static_cast<double>(runs);
    state.counters["brute_force_s"] = baseline;
    state.counters["allocate/brute"] = total / static_cast<double>(runs) / baseline;
}
BENCHMARK(BM_PluginAllocate)->Unit(benchmark::kMillisecond);

// ---- ResNet-18 on Stream's tpu_like_quad_core ----

namespace fs = std::filesystem;

struct Resnet18 {
    stream::RunResult run;
    std::vector<const stream_config_v1*> no_model_configs; // the scheduler reads no core-model keys
    std::unique_ptr<stream::ProblemView> view;
    ProblemTables tables;
    std::map<std::int64_t, SlotInstance> stacks; ///< stacks with a steady state of more than one node
    std::vector<std::int64_t> first_candidates;   ///< the baseline schedule's allocation
};

std::unique_ptr<Resnet18> build_resnet18() {
    auto r = std::make_unique<Resnet18>();
    // The run's own allocation is not used; a GA without generations keeps the set-up short.
    r->run = bench_resnet18::run_stream_resnet18(
        {"allocator.plugin=ga", "allocator.population=2", "allocator.generations=0"});
    r->no_model_configs.assign(r->run.accelerator.cores.size(), nullptr);
    r->view = std::make_unique<stream::ProblemView>(r->run.accelerator, r->no_model_configs, r->run.workload,
                                                    r->run.graph, "stream");
    r->tables = read_problem(r->view->c());
    std::map<std::int64_t, std::vector<std::size_t>> stacks;
    for (std::size_t n = 0; n < r->tables.nodes.size(); ++n)
        stacks[r->tables.nodes[n].stack].push_back(n);
    for (const auto& [stack, nodes] : stacks) {
        const SteadyState steady = find_steady_state(r->tables.nodes, nodes);
        if (!steady.empty() && steady.nodes().size() > 1)
            r->stacks.emplace(stack, build_instance(r->tables, steady, stack));
    }
    for (const UnitInfo& u : r->tables.units)
        r->first_candidates.push_back(u.fixed_core >= 0 ? u.fixed_core : u.costs.front().core);
    return r;
}

const Resnet18& resnet18() {
    static const std::unique_ptr<Resnet18> r = build_resnet18();
    return *r;
}

// Arguments: stack (0 or 1), objective (0 latency, 2 edp).
void BM_SlotModel_resnet18(benchmark::State& state) {
    if (const fs::path inputs = bench_resnet18::stream_examples(); !fs::is_directory(inputs)) {
        state.SkipWithError(("Stream's reference inputs are not at " + inputs.string()).c_str());
        return;
    }
    try {
        const Resnet18& r = resnet18();
        const auto it = r.stacks.find(state.range(0));
        if (it == r.stacks.end()) throw std::runtime_error("the stack has no steady state to model");
        const SlotInstance& in = it->second;
        LoadedScheduler scheduler("stream-scheduler-stream.so", "stream");
        const stream_allocation_v1 allocation{sizeof(stream_allocation_v1), r.first_candidates.data(),
                                              static_cast<std::uint32_t>(r.first_candidates.size()), nullptr, 0};
        // The fastest of ten schedules: one alone is a noisy baseline on a shared machine.
        double schedule_s = 0;
        for (int k = 0; k < 10; ++k) {
            const Clock::time_point start = Clock::now();
            benchmark::DoNotOptimize(scheduler.run(r.view->c(), allocation));
            const double s = std::chrono::duration<double>(Clock::now() - start).count();
            schedule_s = k == 0 ? s : std::min(schedule_s, s);
        }

        SearchSettings settings;
        settings.objective = static_cast<Objective>(state.range(1));
        double first = 0, proof = 0;
        bool proven = true;
        std::int64_t runs = 0;
        for (auto _ : state) {
            settings.deadline = Clock::now() + std::chrono::seconds(30);
            const SearchResult result = solve(in, settings);
            if (!result.assignment) throw std::runtime_error("no solution within 30 s");
            first += result.seconds_to_first;
            proof += result.seconds;
            proven = proven && result.status == SearchStatus::optimal;
            ++runs;
        }
        first /= static_cast<double>(runs);
        proof /= static_cast<double>(runs);
        state.counters["nodes"] = static_cast<double>(in.nodes.size());
        state.counters["waves"] = static_cast<double>(in.iterations);
        state.counters["first_s"] = first;
        state.counters["proof_s"] = proven ? proof : 0.0;
        state.counters["proven"] = proven ? 1 : 0;
        state.counters["schedule_s"] = schedule_s;
        state.counters["first/schedule"] = first / schedule_s;
        state.SetLabel(std::string(objective_name(settings.objective)));
    } catch (const std::exception& e) {
        state.SkipWithError(e.what());
    }
}
BENCHMARK(BM_SlotModel_resnet18)
    ->ArgNames({"stack", "objective"})
    ->Args({0, 0})
    ->Args({1, 0})
    ->Args({0, 2})
    ->Iterations(1)
    ->Unit(benchmark::kMillisecond);

} // namespace

BENCHMARK_MAIN();
