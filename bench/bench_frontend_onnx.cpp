// Loading a 1,000-layer model through the ONNX frontend: parse, shape inference
// and conversion into layers, in layers per second. The baseline is onnx's own
// text parser on the same text (what any ONNX tool pays), so the ratio
// full / parse_only says what shape inference and conversion add on top.
//
//   cmake -S . -B build-bench -DSTREAM_DSE_BENCH=ON -DCMAKE_BUILD_TYPE=Release
//   cmake --build build-bench --target bench_frontend_onnx && build-bench/bin/bench_frontend_onnx
#include "ConversionOptions.hpp"
#include "OnnxModelReader.hpp"
#include "WorkloadConverter.hpp"

#include <benchmark/benchmark.h>
#include <fmt/format.h>

#include <string>

namespace {

using namespace stream::onnx_frontend;

/// A chain of `blocks` (3x3 Conv, Relu) pairs on 1x16x32x32: 2 * blocks layers.
std::string chain_model(int blocks) {
    std::string inits, nodes;
    std::string prev = "x";
    for (int i = 0; i < blocks; ++i) {
        inits += fmt::format("{}float[16,16,3,3] w{} = {{0.0}}", i ? ", " : "", i);
        std::string out = i + 1 == blocks ? "y" : fmt::format("r{}", i);
        nodes += fmt::format("  c{0} = Conv <pads = [1, 1, 1, 1]> ({1}, w{0})\n  {2} = Relu (c{0})\n", i, prev, out);
        prev = out;
    }
    return fmt::format("<\n  ir_version: 8,\n  opset_import: [\"\" : 17]\n>\nchain (float[1,16,32,32] x) => "
                       "(float[1,16,32,32] y)\n<{}>\n{{\n{}}}\n",
                       inits, nodes);
}

stream_status count_layer(void* ctx, const stream_layer_v1*, int64_t* id) {
    *id = (*static_cast<int64_t*>(ctx))++;
    return STREAM_OK;
}
void ignore_name(void*, const char*) {}

constexpr int kBlocks = 500; // 1,000 layers

void BM_parse_only(benchmark::State& state) {
    const std::string text = chain_model(kBlocks);
    for (auto _ : state) benchmark::DoNotOptimize(parse_onnx_text(text, "chain.onnxtxt"));
    state.counters["layers_per_s"] = benchmark::Counter(2.0 * kBlocks, benchmark::Counter::kIsIterationInvariantRate);
}

void BM_full_load(benchmark::State& state) {
    const std::string text = chain_model(kBlocks);
    ConversionOptions options;
    int64_t layers = 0;
    for (auto _ : state) {
        auto model = parse_onnx_text(text, "chain.onnxtxt");
        prepare_onnx_model(model, options, "chain.onnxtxt");
        layers = 0;
        stream_workload_builder_v1 builder{sizeof builder, &layers, count_layer, ignore_name};
        benchmark::DoNotOptimize(convert_model(model, options, "chain.onnxtxt", builder, [](const std::string&) {}));
    }
    if (layers != 2 * kBlocks) state.SkipWithError("unexpected layer count");
    state.counters["layers_per_s"] = benchmark::Counter(2.0 * kBlocks, benchmark::Counter::kIsIterationInvariantRate);
}

BENCHMARK(BM_parse_only)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_full_load)->Unit(benchmark::kMillisecond);

} // namespace

BENCHMARK_MAIN();
