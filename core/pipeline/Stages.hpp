// Runs a pipeline's stages: workload (frontend plugin), accelerator and
// mapping (host), cost (core-model plugins), allocation and scheduling
// (plugins), and collects everything a report needs into a RunResult.
#pragma once

#include "explore/Exploration.hpp"
#include "fusion/CnGraphBuilder.hpp"
#include "ir/Accelerator.hpp"
#include "pipeline/CostTable.hpp"
#include "ir/CnGraph.hpp"
#include "ir/Mapping.hpp"
#include "ir/Workload.hpp"
#include "pipeline/Pipeline.hpp"
#include "plugin_host/Diagnostics.hpp"
#include "plugin_host/PluginRegistry.hpp"

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace stream {

/// A plugin as a stage used it, with every key's resolved value (defaults filled in).
struct PluginUse {
    std::string stage;
    std::string kind;
    std::string id;
    std::string version;
    std::string file;
    std::map<std::string, std::string> config; ///< key -> TOML literal
};

struct StageTiming {
    std::string stage;
    double seconds = 0;
};

struct RunResult {
    std::string pipeline_name;
    std::filesystem::path pipeline_file;
    std::string mode;
    bool compat_stream = false;
    Workload workload;
    Accelerator accelerator;
    std::vector<std::int64_t> stack_of_layer;
    CnGraph graph;
    Allocation allocation;
    Schedule schedule;
    std::vector<PluginUse> plugins;
    std::vector<StageTiming> timings;
    std::size_t evaluations = 0; ///< schedules the allocator asked for
    std::vector<std::string> warnings; ///< tiling entries dropped or adjusted
    CostTableStats cost_stats;
    std::optional<ExplorationResult> exploration; ///< when the mapping was searched
};

/// True when a tiling factor of `m` is "search".
bool has_search_factor(const Mapping& m);

/// What `check` validated.
struct CheckResult {
    std::string pipeline_name;
    std::size_t layers = 0;
    std::size_t compute_layers = 0;
    std::size_t n_cns = 0;
    std::size_t cores = 0;
    std::vector<PluginUse> plugins;
};

/// The fusion engine's settings from a pipeline.
FusionOptions fusion_options(const Pipeline& p);

/// The plugins a pipeline can use: its plugin_paths, then the standard search path.
PluginRegistry discover_plugins(const Pipeline& p);

/// A workload read once and handed to several runs (a sweep's points), with the frontend that read it.
struct LoadedWorkload {
    Workload workload;
    PluginUse frontend;
};

/// What a caller may add to a run.
struct RunOptions {
    const CostCache* cost_cache = nullptr; ///< core-model answers shared with other runs (a sweep's cache folder)
    /// The pipeline's workload, already read (see workload_key): the run does not ask the frontend again.
    const LoadedWorkload* workload = nullptr;
};

RunResult run_pipeline(const Pipeline& p, const PluginRegistry& registry, Diagnostics& diag, const RunOptions& options = {});
/// The workload and its CN graph (no costs): what `stream-dse tiles` shows.
struct TilingRun {
    Workload workload;
    FusionResult fusion;
};
TilingRun tile_pipeline(const Pipeline& p, const PluginRegistry& registry, Diagnostics& diag);

/// One layer costed whole on one core (`stream-dse cost`).
struct LayerCostRow {
    const Layer* layer = nullptr;
    std::int64_t core = 0;
    CoreCost cost;
    double ideal_cycles = 0;
    double onloading_cycles = 0;
    double offloading_cycles = 0;
    double mac_energy_pj = 0;
    double utilization = 0;
    std::string mapping_text;
    struct LevelEnergy {
        std::string memory;
        std::string operand;
        double reads = 0, writes = 0, energy_pj = 0;
    };
    std::vector<LevelEnergy> energy_by_level;
};

struct SingleCoreRun {
    Workload workload;
    Accelerator accelerator;
    std::vector<LayerCostRow> layers;
    std::vector<std::string> notes;
    std::vector<PluginUse> plugins;
};

struct SingleCoreOptions {
    std::optional<std::int64_t> core;               ///< default: the first compute core
    std::optional<std::int64_t> layer;              ///< default: every computation layer
    std::optional<std::filesystem::path> zigzag_mapping; ///< spatial mappings per layer / op type
    bool mac_layers_only = false; ///< only layers with multiply-accumulates (ZigZag's ONNX parser costs no others)
    /// ZigZag's exploit_data_locality: per layer, memories above where the data can stay between
    /// layers are dropped (pipeline/DataLocality.hpp).
    bool exploit_data_locality = false;
};

/// ZigZag's job on its own: every computation layer, whole, on one core.
SingleCoreRun cost_single_core(const Pipeline& p, const PluginRegistry& registry, Diagnostics& diag, const SingleCoreOptions& options);

/// Validates every input file and every plugin's configuration; runs no model.
CheckResult check_pipeline(const Pipeline& p, const PluginRegistry& registry, Diagnostics& diag);

/// Reads a workload with the pipeline's frontend (named, or the first that accepts the file).
Workload load_workload(const Pipeline& p, const PluginRegistry& registry, Diagnostics& diag, PluginUse* used = nullptr);

/// What decides the workload load_workload reads: the file, the [workload] table and compat.
/// Pipelines with equal keys read equal workloads.
std::string workload_key(const Pipeline& p);

} // namespace stream
