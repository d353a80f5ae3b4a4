// The real problem for the allocator and scheduler benchmarks: ResNet-18 fused
// on Stream's tpu_like_quad_core (Stream's YAML and ONNX files under
// ../shared/reference/stream-inputs, --compat stream, layer stacks 0-10 and
// 11-21, 1118 CNs), run through the host exactly as `stream-dse run` does.
//
//   if (!fs::is_directory(stream_examples())) skip;
//   stream::RunResult r = run_stream_resnet18({"allocator.plugin=ga", "allocator.threads=1"});
#pragma once

#include "pipeline/Pipeline.hpp"
#include "pipeline/Stages.hpp"

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace bench_resnet18 {

/// Stream's example inputs beside the checkout.
inline std::filesystem::path stream_examples() {
    return std::filesystem::path(STREAM_DSE_SOURCE_DIR) / "../shared/reference/stream-inputs/examples";
}

/// Swallows the run's log and progress: a benchmark prints only its table.
class Quiet : public stream::Diagnostics {
public:
    void log(stream_log_level, std::string_view, std::string_view) override {}
    void progress(std::string_view, double, double, std::string_view) override {}
};

/// Runs the whole pipeline on Stream's ResNet-18 example; `allocator` sets the allocator stage
/// (plugin and keys) as `--set` would, and comes after the problem's own settings.
inline stream::RunResult run_stream_resnet18(const std::vector<std::string>& allocator) {
    const std::filesystem::path examples = stream_examples();
    std::vector<std::string> overrides = {
        "workload.file=" + (examples / "workload/resnet18.onnx").string(),
        "accelerator.file=" + (examples / "hardware/tpu_like_quad_core.yaml").string(),
        "mapping.file=" + (examples / "mapping/tpu_like_quad_core.yaml").string(),
        "mapping.mode=fused",
        "mapping.layer_stacks=\"0-10,11-21\"",
        "compat=stream",
        "cost.plugin=dataflow",
        "scheduler.plugin=stream",
    };
    overrides.insert(overrides.end(), allocator.begin(), allocator.end());
    const stream::Pipeline p =
        stream::Pipeline::load(std::filesystem::path(STREAM_DSE_SOURCE_DIR) / "configs/pipelines/defaults.toml", overrides);
    Quiet quiet;
    return stream::run_pipeline(p, stream::discover_plugins(p), quiet);
}

} // namespace bench_resnet18
