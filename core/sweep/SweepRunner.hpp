// Runs the points of a sweep in this process, on a pool of threads: each point
// is the base pipeline with the point's overrides, run in memory (no files
// written but points.jsonl), its record appended as soon as it finishes.
// Points already in the output folder are skipped, so rerunning resumes.
#pragma once

#include "pipeline/CostCache.hpp"
#include "pipeline/Stages.hpp"
#include "plugin_host/Diagnostics.hpp"
#include "plugin_host/PluginRegistry.hpp"
#include "sweep/SweepFile.hpp"
#include "sweep/SweepPoint.hpp"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace stream::sweep {

struct SweepOptions {
    std::filesystem::path output_dir;
    std::size_t jobs = 1;
    std::uint64_t shard_index = 0; ///< --shard I/N: this process runs the points whose shard_of is I
    std::uint64_t shard_count = 1;
    /// Shared cost cache folder; empty: <output_dir>/cost-cache. Ignored when use_cost_cache is false.
    std::filesystem::path cache_dir;
    bool use_cost_cache = true;
    std::vector<std::filesystem::path> plugin_paths; ///< besides the base pipeline's own
};

/// What a run of points adds up to; costs are counted over the points run here.
struct SweepSummary {
    std::size_t points = 0;   ///< in the sweep
    std::size_t in_shard = 0; ///< of those, in this shard
    std::size_t skipped = 0;  ///< already in points.jsonl
    std::size_t run = 0;
    std::size_t ok = 0;
    std::size_t cost_questions = 0; ///< distinct (tile, core type) pairs asked, summed over points
    std::size_t cost_cache_hits = 0;
    double seconds = 0;
};

/// Core-model counts of one point's run.
struct PointCosts {
    std::size_t questions = 0;
    std::size_t cache_hits = 0;
};

/// Everything the points of a sweep share: the point list, the plugins and the cost cache.
class SweepContext {
public:
    SweepContext(SweepSpec spec, const SweepOptions& options);
    const SweepSpec& spec() const { return spec_; }
    const std::vector<SweepPoint>& points() const { return points_; }
    /// The points of this shard, by index, that `finished` does not hold.
    std::vector<std::size_t> pending(const std::set<std::string>& finished, const SweepOptions& options) const;
    /// Runs one point. Its own errors (a bad value, nothing fits) become its record's status and
    /// reason: "invalid", "infeasible" or "failed". [any-thread]
    nlohmann::json evaluate(const SweepPoint& point, PointCosts* costs = nullptr) const;
    /// DIR/sweep.json: what merge needs to know about the points (name, metrics, keys).
    nlohmann::json manifest(const SweepOptions& options) const;

private:
    SweepSpec spec_;
    std::vector<SweepPoint> points_;
    std::unique_ptr<PluginRegistry> registry_;
    std::unique_ptr<CostCache> cache_;
    /// Each distinct workload of the points (by workload_key), read once before any point runs.
    std::map<std::string, std::shared_ptr<const LoadedWorkload>> workloads_;
};

/// Parses "I/N" (0 <= I < N).
void parse_shard(const std::string& text, SweepOptions& options);

/// Runs this shard's unfinished points on `options.jobs` threads, appending to
/// <output_dir>/points.jsonl; progress and ETA go to `progress` (source "sweep").
SweepSummary run_sweep(const SweepContext& context, const SweepOptions& options, Diagnostics& progress);

} // namespace stream::sweep
