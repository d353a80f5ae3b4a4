#include "sweep/SweepRunner.hpp"

#include "pipeline/Pipeline.hpp"
#include "pipeline/Stages.hpp"
#include "report/AtomicFile.hpp"
#include "sweep/CostCacheFolder.hpp"
#include "sweep/PointMetrics.hpp"
#include "sweep/PointsLog.hpp"

#include <fmt/format.h>

#include <atomic>
#include <charconv>
#include <chrono>
#include <mutex>
#include <thread>

namespace stream::sweep {

namespace fs = std::filesystem;

namespace {

/// A point's run says nothing on the terminal: its outcome is its record.
class SilentDiagnostics : public Diagnostics {
public:
    void log(stream_log_level, std::string_view, std::string_view) override {}
    void progress(std::string_view, double, double, std::string_view) override {}
};

std::string status_of(ErrorKind kind) {
    switch (kind) {
    case ErrorKind::BadInput: return "invalid";
    case ErrorKind::Infeasible: return "infeasible";
    default: return "failed";
    }
}

std::string duration_text(double seconds) {
    const auto s = static_cast<long long>(seconds + 0.5);
    if (s >= 3600) return fmt::format("{}h{:02}m", s / 3600, (s % 3600) / 60);
    if (s >= 60) return fmt::format("{}m{:02}s", s / 60, s % 60);
    return fmt::format("{}s", s);
}

} // namespace

SweepContext::SweepContext(SweepSpec spec, const SweepOptions& options) : spec_(std::move(spec)) {
    points_ = sweep_points(spec_);
    // The base pipeline is checked once here, so a broken base fails the sweep instead of every point.
    Pipeline base = Pipeline::load(spec_.pipeline, {});
    std::vector<fs::path> extra = options.plugin_paths;
    for (const fs::path& d : base.plugin_paths()) extra.push_back(d);
    registry_ = std::make_unique<PluginRegistry>(PluginRegistry::discover(PluginRegistry::default_search_path(extra)));
    if (options.use_cost_cache)
        cache_ = std::make_unique<CostCacheFolder>(options.cache_dir.empty() ? options.output_dir / "cost-cache" : options.cache_dir);
    // Workloads are read here, on one thread, before the pool starts: a frontend then runs in a
    // single-threaded process (the ONNX frontend isolates shape inference in a forked child only
    // there), and a workload shared by many points is parsed once. A point whose pipeline or
    // workload fails here is left to evaluate(), which reports it in its record.
    for (const SweepPoint& point : points_) {
        try {
            Pipeline p = Pipeline::load(spec_.pipeline, {}, point.overrides());
            const std::string key = workload_key(p);
            if (workloads_.count(key)) continue;
            SilentDiagnostics quiet;
            auto loaded = std::make_shared<LoadedWorkload>();
            loaded->workload = load_workload(p, *registry_, quiet, &loaded->frontend);
            workloads_.emplace(key, std::move(loaded));
        } catch (const Error&) {
        }
    }
}

std::vector<std::size_t> SweepContext::pending(const std::set<std::string>& finished, const SweepOptions& options) const {
    std::vector<std::size_t> out;
    for (std::size_t i = 0; i < points_.size(); ++i)
        if (shard_of(points_[i].key, options.shard_count) == options.shard_index && !finished.count(points_[i].key)) out.push_back(i);
    return out;
}

nlohmann::json SweepContext::evaluate(const SweepPoint& point, PointCosts* costs) const {
    nlohmann::json record = {{"key", point.key}, {"params", point.params_json()}};
    try {
        Pipeline p = Pipeline::load(spec_.pipeline, {}, point.overrides());
        SilentDiagnostics quiet;
        RunOptions options;
        options.cost_cache = cache_.get();
        if (auto it = workloads_.find(workload_key(p)); it != workloads_.end()) options.workload = it->second.get();
        RunResult r = run_pipeline(p, *registry_, quiet, options);
        record["status"] = "ok";
        record["metrics"] = run_metrics(r, spec_.metrics);
        if (costs) *costs = {r.cost_stats.evaluations, r.cost_stats.cache_hits};
    } catch (const Error& e) {
        record["status"] = status_of(e.kind());
        record["reason"] = e.what();
    } catch (const std::exception& e) {
        record["status"] = "failed";
        record["reason"] = fmt::format("internal error: {}", e.what());
    }
    return record;
}

nlohmann::json SweepContext::manifest(const SweepOptions& options) const {
    nlohmann::json keys = nlohmann::json::array();
    for (const Axis& a : spec_.axes)
        for (const std::string& k : a.keys) keys.push_back(k);
    return {{"name", spec_.name},
            {"sweep_file", fs::absolute(spec_.file).lexically_normal().string()},
            {"pipeline", spec_.pipeline.string()},
            {"metrics", spec_.metrics},
            {"parameters", keys},
            {"points", points_.size()},
            {"shard", fmt::format("{}/{}", options.shard_index, options.shard_count)}};
}

void parse_shard(const std::string& text, SweepOptions& options) {
    const auto slash = text.find('/');
    auto number = [&](std::string_view s, std::uint64_t& out) {
        auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
        return ec == std::errc{} && ptr == s.data() + s.size() && !s.empty();
    };
    std::uint64_t i = 0, n = 0;
    if (slash == std::string::npos || !number(std::string_view(text).substr(0, slash), i) ||
        !number(std::string_view(text).substr(slash + 1), n) || n == 0 || i >= n)
        fail_input({"<command line>"}, fmt::format("--shard {}: expected I/N with 0 <= I < N, e.g. 0/4", text));
    options.shard_index = i;
    options.shard_count = n;
}

SweepSummary run_sweep(const SweepContext& context, const SweepOptions& options, Diagnostics& progress) {
    const auto start = std::chrono::steady_clock::now();
    PointsLog log(options.output_dir);
    write_file_atomically(options.output_dir / "sweep.json", context.manifest(options).dump(2) + "\n");
    SweepSummary summary;
    summary.points = context.points().size();
    const std::vector<std::size_t> todo = context.pending(log.finished(), options);
    summary.in_shard = context.pending({}, options).size();
    summary.skipped = summary.in_shard - todo.size();

    std::atomic<std::size_t> next{0};
    std::mutex mutex; // guards summary and the first error
    std::optional<Error> failure;
    auto work = [&] {
        for (std::size_t i = next++; i < todo.size(); i = next++) {
            PointCosts costs;
            nlohmann::json record = context.evaluate(context.points()[todo[i]], &costs);
            std::lock_guard lock(mutex);
            if (failure) return;
            try {
                log.append(record);
            } catch (const Error& e) {
                failure = e;
                return;
            }
            ++summary.run;
            if (record["status"] == "ok") ++summary.ok;
            summary.cost_questions += costs.questions;
            summary.cost_cache_hits += costs.cache_hits;
            const double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
            const double eta = elapsed / static_cast<double>(summary.run) * static_cast<double>(todo.size() - summary.run);
            progress.progress("sweep", static_cast<double>(summary.run), static_cast<double>(todo.size()),
                              fmt::format("points (ETA {})", duration_text(eta)));
        }
    };
    const std::size_t threads = std::max<std::size_t>(1, std::min(options.jobs, todo.size()));
    std::vector<std::thread> pool;
    for (std::size_t t = 1; t < threads; ++t) pool.emplace_back(work);
    work();
    for (std::thread& t : pool) t.join();
    if (failure) throw *failure;
    summary.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    return summary;
}

} // namespace stream::sweep
