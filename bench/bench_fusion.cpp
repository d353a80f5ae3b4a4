// Building the CN graph of a finely tiled network: a chain of 3x3 convs, each
// cut into single output pixels (OY all, OX all), so a 16-layer chain on
// 256x256 maps gives 1,048,576 CNs and ~9.4M dependency edges. Throughput is
// (CNs + edges) per second. The baseline, on a smaller chain in the same run,
// finds the same edges by testing every producer tile against every consumer
// tile (what a tool without a spatial index does); the ratio of the two rates
// is what the R-tree buys.
//
//   cmake -S . -B build-bench -DSTREAM_DSE_BENCH=ON -DCMAKE_BUILD_TYPE=Release
//   cmake --build build-bench --target bench_fusion && build-bench/bin/bench_fusion
#include "fusion_builders.hpp"

#include "fusion/Box.hpp"
#include "fusion/DependencyFinder.hpp"

#include <benchmark/benchmark.h>

#include <sys/resource.h>

namespace {

using namespace fusion_test;

Workload chain(int layers, std::int64_t size) {
    Workload w;
    for (int i = 0; i < layers; ++i) w.layers.push_back(conv(i, ConvSpec{8, 8, size, size, 3, 3, 1, 1, i - 1}));
    return w;
}

const Mapping kPixels = mapping({0}, {all("OY"), all("OX")});

void report(benchmark::State& state, std::size_t items) {
    state.counters["cns_edges_per_s"] = benchmark::Counter(static_cast<double>(items), benchmark::Counter::kIsIterationInvariantRate);
    rusage u{};
    getrusage(RUSAGE_SELF, &u);
    state.counters["peak_rss_MiB"] = static_cast<double>(u.ru_maxrss) / 1024.0;
}

void BM_build_cn_graph(benchmark::State& state) {
    const Workload w = chain(static_cast<int>(state.range(0)), state.range(1));
    const Accelerator acc = one_core_accelerator();
    std::size_t items = 0;
    for (auto _ : state) {
        FusionResult f = build(w, kPixels, acc);
        items = f.graph.nodes.size() + f.graph.edges.size();
        state.counters["cns"] = static_cast<double>(f.graph.nodes.size());
        benchmark::DoNotOptimize(f);
    }
    report(state, items);
}

// The same edges by all-pairs box tests: O(producers x consumers) per layer pair.
void BM_all_pairs_baseline(benchmark::State& state) {
    const Workload w = chain(static_cast<int>(state.range(0)), state.range(1));
    const Accelerator acc = one_core_accelerator();
    const FusionResult f = build(w, kPixels, acc);
    const CnGraph& g = f.graph;
    std::size_t items = 0;
    for (auto _ : state) {
        std::size_t edges = 0;
        for (const CnNode& c : g.nodes) {
            if (c.layer == 0) continue;
            const Layer& cl = w.layers[static_cast<std::size_t>(c.layer)];
            Box read = operand_box(cl.operands[0], c.loop_ranges, true);
            for (const CnNode& p : g.nodes) {
                if (p.layer != c.layer - 1) continue;
                Box wrote = operand_box(w.layers[static_cast<std::size_t>(p.layer)].operands[2], p.loop_ranges, true);
                bool hit = true;
                for (std::size_t a = 0; a < read.axes.size() && hit; ++a)
                    hit = read.axes[a].lo < wrote.axes[a].hi && wrote.axes[a].lo < read.axes[a].hi;
                edges += hit;
            }
        }
        items = g.nodes.size() + edges;
        benchmark::DoNotOptimize(edges);
    }
    report(state, items);
}

} // namespace

// The baseline and the R-tree on the same small chain, then the R-tree on the 1M-CN chain.
BENCHMARK(BM_all_pairs_baseline)->Args({4, 48})->Unit(benchmark::kMillisecond)->Iterations(1);
BENCHMARK(BM_build_cn_graph)->Args({4, 48})->Unit(benchmark::kMillisecond);
BENCHMARK(BM_build_cn_graph)->Args({16, 256})->Unit(benchmark::kMillisecond)->Iterations(1);
BENCHMARK_MAIN();
