// Scheduling throughput of the "stream" scheduler plugin, with the "list"
// scheduler plugin as the baseline measured in the same run. Both are loaded
// from the build tree and called through their real ABI entry, metrics only,
// as an allocator's evaluation calls them (the stream scheduler then keeps the
// problem's graph between calls); the *_full variant asks for the whole
// schedule, as the pipeline's final schedule does (graph rebuilt, arrays built).
//
//  - resnet: a ResNet-18-sized fused workload: 22 layers x 50 tiles (1,100
//    nodes), each tile reading 46 tiles of the layer before (about 50,000
//    edges), 6 cores on a ring, one DRAM port shared by all; in schedules/s.
//  - chain: 1,000,000 nodes, each reading its predecessor's output and its
//    layer's weights, layers of 1,000 nodes on the 6 cores in turn; in nodes/s.
// Each stream benchmark also times the list scheduler on the same problem just
// before and reports list_time / stream_time as "speed_vs_list" (> 1: faster).
//
//   cmake -S . -B build-bench -DSTREAM_DSE_BENCH=ON -DCMAKE_BUILD_TYPE=Release
//   cmake --build build-bench --target bench_scheduler_stream && build-bench/bin/bench_scheduler_stream
//   STREAM_DSE_BENCH_PLUGIN_DIR=/elsewhere/lib/stream-dse/plugins build-bench/bin/bench_scheduler_stream
#include <stream/plugin.h>

#include "LoadedScheduler.hpp"

#include <benchmark/benchmark.h>

#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

namespace {

// ---- synthetic problems, as flat ABI arrays ----

const char* const kOperands[] = {"I", "W", "O"};

struct Synthetic {
    std::vector<stream_memory_level_v1> memories; // one per core
    std::vector<stream_core_v1> cores;
    std::vector<std::int64_t> bus_members;
    std::vector<stream_link_v1> links;
    stream_accelerator_v1 accelerator{};
    std::vector<stream_core_cost_v1> costs; // one per layer: all its tiles cost the same
    std::vector<std::int64_t> unit_nodes;
    std::vector<stream_alloc_unit_v1> units; // one per layer
    std::vector<stream_tensor_v1> tensors;
    std::vector<stream_node_input_v1> inputs;
    std::vector<stream_node_v1> nodes;
    std::vector<stream_edge_v1> edges;
    std::vector<std::int64_t> unit_core;
    stream_problem_v1 problem{};
    stream_allocation_v1 allocation{};
};

constexpr int kCores = 6;

/// 6 cores with one SRAM each on a bidirectional ring, and DRAM on one shared port.
void add_accelerator(Synthetic& s, std::int64_t sram_bits) {
    for (int c = 0; c <= kCores; ++c) {
        stream_memory_level_v1 m{};
        m.struct_size = sizeof m;
        m.name = c < kCores ? "sram" : "dram";
        m.size_bits = c < kCores ? sram_bits : 0;
        m.read_bw_bits_per_cycle = m.write_bw_bits_per_cycle = c < kCores ? 2048 : 64;
        m.read_energy_pj = c < kCores ? 416.16 : 1000;
        m.write_energy_pj = c < kCores ? 378.4 : 1000;
        m.operands = kOperands;
        m.operand_count = 3;
        s.memories.push_back(m);
    }
    for (int c = 0; c <= kCores; ++c) {
        stream_core_v1 core{};
        core.struct_size = sizeof core;
        core.id = c;
        core.name = c < kCores ? "tpu_like" : "dram";
        core.is_offchip = c == kCores;
        core.memories = &s.memories[static_cast<std::size_t>(c)];
        core.memory_count = 1;
        core.top_memory_owner = c;
        s.cores.push_back(core);
    }
    for (int c = 0; c < kCores; ++c) {
        stream_link_v1 l{};
        l.struct_size = sizeof l;
        l.id = c;
        l.from_core = c;
        l.to_core = (c + 1) % kCores;
        l.bandwidth_bits_per_cycle = 128;
        l.energy_pj_per_bit = 0.01;
        l.bidirectional = 1;
        s.links.push_back(l);
    }
    for (int c = 0; c <= kCores; ++c) s.bus_members.push_back(c);
    stream_link_v1 dram{};
    dram.struct_size = sizeof dram;
    dram.id = kCores;
    dram.from_core = dram.to_core = -1;
    dram.bandwidth_bits_per_cycle = 64;
    dram.energy_pj_per_bit = 0.1;
    dram.bidirectional = 1;
    dram.bus_cores = s.bus_members.data();
    dram.bus_core_count = static_cast<std::uint32_t>(s.bus_members.size());
    s.links.push_back(dram);
    s.accelerator = {sizeof s.accelerator, "bench", s.cores.data(), static_cast<std::uint32_t>(s.cores.size()), kCores,
                     s.links.data(), static_cast<std::uint32_t>(s.links.size())};
}

/// Layer l on core l % 6, tiles of a layer in a chain of ordering edges; `reads(l, t, emit)`
/// names the nodes whose outputs tile t of layer l reads.
template <class Reads>
std::unique_ptr<Synthetic> layered(int layers, int tiles, std::int64_t sram_bits, std::int64_t tile_bits,
                                   std::int64_t weight_bits, double latency_cycles, Reads&& reads) {
    auto s = std::make_unique<Synthetic>();
    add_accelerator(*s, sram_bits);
    const std::size_t n_nodes = static_cast<std::size_t>(layers) * static_cast<std::size_t>(tiles);
    for (int l = 0; l < layers; ++l) {
        stream_core_cost_v1 c{};
        c.struct_size = sizeof c;
        c.core = l % kCores;
        c.latency_cycles = c.latency_no_offload_cycles = latency_cycles;
        c.energy_pj = 1e4;
        c.constant_bits = weight_bits;
        s->costs.push_back(c);
    }
    // Tensors: one output per node, then one weight tile per layer, then one input tile per first-layer node.
    auto weight_tensor = [&](int l) { return static_cast<std::int64_t>(n_nodes) + l; };
    auto input_tensor = [&](int t) { return static_cast<std::int64_t>(n_nodes) + layers + t; };
    for (std::size_t n = 0; n < n_nodes; ++n)
        s->tensors.push_back({sizeof(stream_tensor_v1), static_cast<std::int64_t>(n), STREAM_TENSOR_ACTIVATION,
                              static_cast<std::int64_t>(n) / tiles, "O", tile_bits, static_cast<std::int64_t>(n)});
    for (int l = 0; l < layers; ++l)
        s->tensors.push_back({sizeof(stream_tensor_v1), weight_tensor(l), STREAM_TENSOR_CONSTANT, l, "W", weight_bits, -1});
    for (int t = 0; t < tiles; ++t)
        s->tensors.push_back({sizeof(stream_tensor_v1), input_tensor(t), STREAM_TENSOR_GRAPH_INPUT, 0, "I", tile_bits / 2, -1});

    std::vector<std::uint32_t> first_input(n_nodes + 1, 0);
    for (int l = 0; l < layers; ++l)
        for (int t = 0; t < tiles; ++t) {
            const std::int64_t id = static_cast<std::int64_t>(l) * tiles + t;
            first_input[static_cast<std::size_t>(id)] = static_cast<std::uint32_t>(s->inputs.size());
            s->inputs.push_back({sizeof(stream_node_input_v1), weight_tensor(l), "W"});
            if (l == 0) s->inputs.push_back({sizeof(stream_node_input_v1), input_tensor(t), "I"});
            if (t > 0) s->edges.push_back({sizeof(stream_edge_v1), id - 1, id, 0, -1});
            reads(l, t, [&](std::int64_t producer) {
                s->inputs.push_back({sizeof(stream_node_input_v1), producer, "I"});
                s->edges.push_back({sizeof(stream_edge_v1), producer, id, tile_bits, producer});
            });
        }
    first_input[n_nodes] = static_cast<std::uint32_t>(s->inputs.size());
    for (int l = 0; l < layers; ++l) s->unit_nodes.push_back(static_cast<std::int64_t>(l) * tiles);
    for (int l = 0; l < layers; ++l) {
        stream_alloc_unit_v1 u{};
        u.struct_size = sizeof u;
        u.layer = l;
        u.nodes = &s->unit_nodes[static_cast<std::size_t>(l)]; // first node only: nothing here reads the list
        u.node_count = 1;
        u.costs = &s->costs[static_cast<std::size_t>(l)];
        u.cost_count = 1;
        u.fixed_core = l % kCores;
        s->units.push_back(u);
        s->unit_core.push_back(l % kCores);
    }
    for (std::size_t n = 0; n < n_nodes; ++n) {
        const auto l = static_cast<std::int64_t>(n) / tiles;
        stream_node_v1 v{};
        v.struct_size = sizeof v;
        v.id = static_cast<std::int64_t>(n);
        v.layer = l;
        v.unit = l;
        // One fusion stack, deepest layer first among ready tiles (Stream's fused order).
        v.priority = (layers - 1 - l) * static_cast<std::int64_t>(tiles) + static_cast<std::int64_t>(n) % tiles;
        v.produces_final_output = l == layers - 1;
        v.output_bits = tile_bits;
        v.dram_input_bits = l == 0 ? tile_bits / 2 : 0;
        v.costs = &s->costs[static_cast<std::size_t>(l)];
        v.cost_count = 1;
        v.sub_id = static_cast<std::int64_t>(n) % tiles;
        v.inputs = s->inputs.data() + first_input[n];
        v.input_count = first_input[n + 1] - first_input[n];
        v.output_tensor = static_cast<std::int64_t>(n);
        s->nodes.push_back(v);
    }
    s->problem = {};
    s->problem.struct_size = sizeof s->problem;
    s->problem.accelerator = &s->accelerator;
    s->problem.units = s->units.data();
    s->problem.unit_count = static_cast<std::uint32_t>(s->units.size());
    s->problem.nodes = s->nodes.data();
    s->problem.node_count = static_cast<std::uint32_t>(s->nodes.size());
    s->problem.edges = s->edges.data();
    s->problem.edge_count = static_cast<std::uint32_t>(s->edges.size());
    s->problem.tensors = s->tensors.data();
    s->problem.tensor_count = static_cast<std::uint32_t>(s->tensors.size());
    s->problem.compat = "";
    s->allocation = {sizeof s->allocation, s->unit_core.data(), static_cast<std::uint32_t>(s->unit_core.size()), nullptr, 0};
    return s;
}

constexpr int kResnetLayers = 22;
constexpr int kResnetTiles = 50;
constexpr int kResnetReads = 46;
constexpr int kChainLayers = 1000;
constexpr int kChainTiles = 1000;

const char* const kStream = "stream-scheduler-stream.so";
const char* const kList = "stream-scheduler-list.so";

double seconds_per_run(LoadedScheduler& scheduler, const Synthetic& s, int runs, bool metrics_only) {
    const auto start = std::chrono::steady_clock::now();
    for (int i = 0; i < runs; ++i) benchmark::DoNotOptimize(scheduler.run(s.problem, s.allocation, metrics_only));
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count() / runs;
}

void report(benchmark::State& state, const stream_metrics_v1& m, double nodes) {
    state.counters["nodes_per_s"] = benchmark::Counter(nodes, benchmark::Counter::kIsIterationInvariantRate);
    state.counters["schedules_per_s"] = benchmark::Counter(1, benchmark::Counter::kIsIterationInvariantRate);
    state.counters["latency_Mcycles"] = m.latency_cycles / 1e6;
}

void run_benchmark(benchmark::State& state, const char* plugin, const Synthetic& problem, int baseline_runs,
                   bool metrics_only = true) {
    try {
        LoadedScheduler scheduler(plugin);
        double list_seconds = 0;
        if (baseline_runs > 0) {
            LoadedScheduler list(kList);
            list_seconds = seconds_per_run(list, problem, baseline_runs, metrics_only);
        }
        stream_metrics_v1 metrics{};
        const auto start = std::chrono::steady_clock::now();
        std::int64_t runs = 0;
        for (auto _ : state) {
            metrics = scheduler.run(problem.problem, problem.allocation, metrics_only);
            ++runs;
        }
        const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count() / runs;
        report(state, metrics, static_cast<double>(problem.nodes.size()));
        if (baseline_runs > 0) state.counters["speed_vs_list"] = list_seconds / seconds;
    } catch (const std::exception& e) {
        state.SkipWithError(e.what());
    }
}

// 2 KiB output tiles, 300 kbit weight tiles, 2.5 Mbit of SRAM per core: a layer's outputs and
// their copies on the next layer's core crowd the memories, so some tensors get evicted.
const Synthetic& resnet() {
    static const std::unique_ptr<Synthetic> s =
        layered(kResnetLayers, kResnetTiles, 2'500'000, 16384, 300'000, 2000.0, [](int l, int t, auto&& emit) {
            if (l == 0) return;
            for (int k = 0; k < kResnetReads; ++k)
                emit(static_cast<std::int64_t>(l - 1) * kResnetTiles + (t + k) % kResnetTiles);
        });
    return *s;
}

// Every node reads the output of the node before it (across layers too).
const Synthetic& chain() {
    static const std::unique_ptr<Synthetic> s =
        layered(kChainLayers, kChainTiles, 4'000'000, 4096, 8192, 100.0, [](int l, int t, auto&& emit) {
            const std::int64_t id = static_cast<std::int64_t>(l) * kChainTiles + t;
            if (id > 0) emit(id - 1);
        });
    return *s;
}

void BM_resnet_stream(benchmark::State& state) { run_benchmark(state, kStream, resnet(), 20); }
void BM_resnet_stream_full(benchmark::State& state) { run_benchmark(state, kStream, resnet(), 20, false); }
void BM_resnet_list(benchmark::State& state) { run_benchmark(state, kList, resnet(), 0); }
void BM_chain_stream(benchmark::State& state) { run_benchmark(state, kStream, chain(), 1); }
void BM_chain_list(benchmark::State& state) { run_benchmark(state, kList, chain(), 0); }

BENCHMARK(BM_resnet_stream)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_resnet_stream_full)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_resnet_list)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_chain_stream)->Unit(benchmark::kMillisecond)->Iterations(3);
BENCHMARK(BM_chain_list)->Unit(benchmark::kMillisecond)->Iterations(3);

} // namespace

BENCHMARK_MAIN();
