// `stream-dse merge`: the points of one or more sweep output folders (shards,
// reruns, MPI runs) joined by point key, with the Pareto front over the
// sweep's metrics, written as points.csv, points.json, pareto.svg and
// pareto.html.
#pragma once

#include <nlohmann/json.hpp>

#include <filesystem>
#include <string>
#include <vector>

namespace stream::sweep {

struct MergedSweep {
    std::string name;
    std::vector<std::string> parameters;
    std::vector<std::string> metrics;
    std::vector<nlohmann::json> points; ///< sorted by key, each key once
    std::vector<std::size_t> front;     ///< indices into points: the Pareto front of the "ok" points
};

/// Reads <dir>/sweep.json and <dir>/points.jsonl of each folder; the folders must come from
/// the same sweep (same metrics and parameters).
MergedSweep merge_sweeps(const std::vector<std::filesystem::path>& dirs);

/// points.csv, points.json, pareto.svg and pareto.html in `out` (created if needed).
std::vector<std::filesystem::path> write_merged(const MergedSweep& merged, const std::filesystem::path& out);

/// The CSV text: key, status, the parameters, the metrics, pareto (1 on the front), reason.
std::string merged_csv(const MergedSweep& merged);

} // namespace stream::sweep
