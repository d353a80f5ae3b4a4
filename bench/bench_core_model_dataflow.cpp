// The dataflow core model's LOMA temporal mapping search (plugins/core-model-dataflow) on tile
// shapes of the fused ResNet-18 run on Stream's quad-core (tpu_like cores, the SIMD core, DRAM):
// orderings searched per second by search_temporal_mapping (search-specialised allocator and
// cost model, costing stopped once an ordering cannot win), against
// search_temporal_mapping_exhaustive, the previous implementation (allocate_ordering() and
// evaluate() on every ordering), timed in the same run. Both return the same mapping (the
// tests check it); `speedup` is the ratio of their times.
//
//   cmake -S . -B build-bench -DSTREAM_DSE_BENCH=ON -DCMAKE_BUILD_TYPE=Release
//   cmake --build build-bench --target bench_core_model_dataflow && build-bench/bin/bench_core_model_dataflow
#include "dataflow_model.hpp"
#include "mapping_search.hpp"
#include "offchip_streaming.hpp"

#include <benchmark/benchmark.h>

#include <chrono>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace {

using namespace stream::dataflow;

PortUse use(const char* op, const char* flow, const char* port) { return PortUse{op, flow, port}; }

MemoryLevel memory(const char* name, int64_t size_bits, double bw, double rc, double wc, std::vector<std::string> ops,
                   std::vector<std::string> served, unsigned r, unsigned w, unsigned rw, std::vector<PortUse> uses,
                   int64_t min_bits = 0) {
    MemoryLevel m;
    m.name = name;
    m.size_bits = size_bits;
    m.read_bw = m.write_bw = bw;
    m.read_energy_pj = rc;
    m.write_energy_pj = wc;
    m.min_read_bits = m.min_write_bits = min_bits;
    m.operands = std::move(ops);
    m.served_dims = std::move(served);
    m.read_ports = r;
    m.write_ports = w;
    m.read_write_ports = rw;
    m.port_uses = std::move(uses);
    return m;
}

// Every flow of I, W (fh, tl) and O (fh, tl, fl, th) on the given ports.
std::vector<PortUse> all_flows(const char* write, const char* read, const char* o_fl, const char* o_th) {
    return {use("I", "fh", write), use("I", "tl", read),  use("W", "fh", write), use("W", "tl", read),
            use("O", "fh", write), use("O", "tl", read), use("O", "fl", o_fl),  use("O", "th", o_th)};
}

// stream-inputs/examples/hardware/cores/tpu_like.yaml
CoreDescription tpu_like() {
    CoreDescription c;
    c.name = "tpu_like";
    c.array_dims = {{"D1", 32}, {"D2", 32}};
    c.mac_energy_pj = 0.04;
    c.memories = {memory("rf_128B", 1024, 8, 0.095, 0.095, {"W"}, {}, 1, 1, 0,
                         {use("W", "fh", "w_port_1"), use("W", "tl", "r_port_1")}),
                  memory("rf_2B", 16, 16, 0.021, 0.021, {"O"}, {"D2"}, 2, 2, 0,
                         {use("O", "fh", "w_port_1"), use("O", "tl", "r_port_1"), use("O", "fl", "w_port_2"),
                          use("O", "th", "r_port_2")}),
                  memory("sram_2MB", 16777216, 2048, 416.16, 378.4, {"I", "W", "O"}, {"D1", "D2"}, 1, 1, 0,
                         all_flows("w_port_1", "r_port_1", "w_port_1", "r_port_1"), 64)};
    return c;
}

// stream-inputs/examples/hardware/cores/simd.yaml
CoreDescription simd() {
    CoreDescription c;
    c.name = "simd";
    c.array_dims = {{"D1", 64}};
    c.mac_energy_pj = 0.1;
    c.memories = {memory("sram_128KB_2rw", 1048576, 512, 60, 75, {"I", "W", "O"}, {"D1"}, 0, 0, 2,
                         all_flows("rw_port_1", "rw_port_2", "rw_port_1", "rw_port_2"))};
    return c;
}

// stream-inputs/examples/hardware/cores/offchip.yaml
MemoryLevel dram() {
    return memory("dram", 10000000000LL, 64, 1000, 1000, {"I", "W", "O"}, {}, 0, 0, 1,
                  all_flows("rw_port_1", "rw_port_1", "rw_port_1", "rw_port_1"));
}

// B K C OY OX FY FX convolution; I[c][s*oy+fy][s*ox+fx] of `in` rows and columns.
LoopNest conv(int64_t k, int64_t c, int64_t oy, int64_t ox, int64_t f, int64_t stride, int64_t in_y, int64_t in_x) {
    std::vector<LoopDim> dims{{"B", 1}, {"K", k}, {"C", c}, {"OY", oy}, {"OX", ox}, {"FY", f}, {"FX", f}};
    enum { B, K, C, OY, OX, FY, FX };
    std::vector<Operand> ops;
    ops.push_back({"I", OperandRole::Input, 8, 0,
                   {TensorAxis{{{B, 1}}, 1}, TensorAxis{{{C, 1}}, c}, TensorAxis{{{OY, stride}, {FY, 1}}, in_y},
                    TensorAxis{{{OX, stride}, {FX, 1}}, in_x}}});
    ops.push_back({"W", OperandRole::Constant, 8, 0,
                   {TensorAxis{{{K, 1}}, k}, TensorAxis{{{C, 1}}, c}, TensorAxis{{{FY, 1}}, f}, TensorAxis{{{FX, 1}}, f}}});
    ops.push_back({"O", OperandRole::Output, 8, 16,
                   {TensorAxis{{{B, 1}}, 1}, TensorAxis{{{K, 1}}, k}, TensorAxis{{{OY, 1}}, oy}, TensorAxis{{{OX, 1}}, ox}}});
    return LoopNest(dims, ops);
}

LoopNest add(int64_t k, int64_t oy, int64_t ox) {
    std::vector<LoopDim> dims{{"K", k}, {"OY", oy}, {"OX", ox}};
    auto axes = [&] { return std::vector<TensorAxis>{{{{0, 1}}, k}, {{{1, 1}}, oy}, {{{2, 1}}, ox}}; };
    return LoopNest(dims, {{"I", OperandRole::Input, 8, 0, axes()},
                           {"W", OperandRole::Input, 8, 0, axes()},
                           {"O", OperandRole::Output, 8, 0, axes()}});
}

struct Problem {
    LoopNest nest;
    CoreDescription core;
    SpatialMapping spatial;
};

// The core extended with DRAM for the operands it cannot hold, as the plugin does.
Problem problem(LoopNest nest, CoreDescription core, std::vector<std::pair<std::string, std::pair<std::string, double>>> flow) {
    SpatialMapping user;
    for (auto& [ad, loop] : flow) user.dims.push_back({ad, {{loop.first, loop.second}}});
    SpatialMapping sm = SpatialMapping::normalized(nest, core, user);
    StreamingPlan plan = plan_streaming(nest, core);
    if (!plan.empty()) {
        std::vector<std::string> names;
        for (std::size_t o : plan.streamed) names.push_back(nest.operands()[o].name);
        core = with_offchip_level(core, dram(), names);
    }
    return Problem{std::move(nest), std::move(core), std::move(sm)};
}

const std::vector<std::pair<std::string, std::pair<std::string, double>>> kKC{{"D1", {"K", 32}}, {"D2", {"C", 32}}};

Problem shape(int which) {
    switch (which) {
    case 0: return problem(conv(64, 3, 1, 112, 7, 2, 7, 224), tpu_like(), kKC);      // conv1, one fused row
    case 1: return problem(conv(64, 64, 1, 56, 3, 1, 3, 56), tpu_like(), kKC);       // layer1 conv, one row
    case 2: return problem(conv(128, 128, 28, 28, 3, 1, 28, 28), tpu_like(), kKC);   // layer2 conv, whole
    case 3: return problem(conv(512, 512, 7, 7, 3, 1, 7, 7), tpu_like(), kKC);       // layer4 conv: W streamed
    case 4: return problem(add(128, 28, 28), simd(), {{"D1", {"K", 64}}});           // Add: all streamed
    default: return problem(conv(1000, 512, 1, 1, 1, 1, 1, 1), tpu_like(), kKC);     // fc: K 31.25 per column
    }
}

const char* kNames[] = {"conv1_row", "layer1_conv_row", "layer2_conv", "layer4_conv_W_streamed", "simd_add_streamed",
                        "fc"};

template <class Search>
double seconds_per_search(const Problem& p, Search&& search, int runs) {
    const auto start = std::chrono::steady_clock::now();
    for (int i = 0; i < runs; ++i) benchmark::DoNotOptimize(search(p.nest, p.core, p.spatial, SearchOptions{}));
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count() / runs;
}

void BM_search(benchmark::State& state) {
    const Problem p = shape(static_cast<int>(state.range(0)));
    state.SetLabel(kNames[state.range(0)]);
    const SearchResult fast = search_temporal_mapping(p.nest, p.core, p.spatial);
    const SearchResult ref = search_temporal_mapping_exhaustive(p.nest, p.core, p.spatial);
    if (!fast.mapping || !ref.mapping || fast.cost.latency_total2 != ref.cost.latency_total2 ||
        fast.cost.energy_total != ref.cost.energy_total) {
        state.SkipWithError("the search and its exhaustive baseline disagree");
        return;
    }
    const double baseline = seconds_per_search(p, search_temporal_mapping_exhaustive, 3);
    const auto start = std::chrono::steady_clock::now();
    int runs = 0;
    for (auto _ : state) {
        benchmark::DoNotOptimize(search_temporal_mapping(p.nest, p.core, p.spatial));
        ++runs;
    }
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count() / runs;
    const auto orderings = static_cast<double>(fast.stats.orderings);
    state.counters["orderings"] = orderings;
    state.counters["pruned_pct"] = 100.0 * static_cast<double>(fast.stats.pruned) /
                                   static_cast<double>(std::max<std::size_t>(1, fast.stats.allocated));
    state.counters["orderings_per_s"] = benchmark::Counter(orderings, benchmark::Counter::kIsIterationInvariantRate);
    state.counters["baseline_orderings_per_s"] = orderings / baseline;
    state.counters["speedup"] = baseline / seconds;
}

BENCHMARK(BM_search)->DenseRange(0, 5)->Unit(benchmark::kMillisecond);

} // namespace

BENCHMARK_MAIN();
