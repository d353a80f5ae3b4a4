// The [search] stage of a pipeline: which explorer plugin searches the mapping,
// for what objective, within which budget, and which parts of the mapping it
// may change. The explorer's own keys sit in the same table; these are the
// host's (Pipeline::host_keys("search")).
//
//   [mapping] layer_stacks = "search"        the stacks are searched
//   [search]  plugin = "greedy"  objective = "edp"  time_budget_s = 20
//             max_tiles = 64  tile_options = 4  max_split = 1  loops = ["OY", "H"]
//   [search.allocator] time_limit_s = 0.1     the pipeline's [allocator] keys changed for the candidates
// Each candidate is allocated by the pipeline's [allocator] plugin with [search.allocator]'s keys
// over its own; the few best are allocated again with the [allocator] as written.
#pragma once

#include "error/Error.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace stream {

class Pipeline;

struct SearchSettings {
    bool enabled = false;        ///< layer_stacks = "search", or a tiling factor "search" in the mapping
    bool stacks_searched = false; ///< layer_stacks = "search" (else the pipeline's stacks are kept)
    std::string objective = "edp"; ///< "latency", "energy", "edp" or "peak_memory"
    double time_budget_s = 20.0;   ///< 0: none
    std::int64_t max_evaluations = 0; ///< 0: none
    std::uint64_t seed = 1;
    std::vector<std::string> loops; ///< loops tiles may cut; empty: the output's rows and outer axes
    std::int64_t max_tiles = 64;     ///< most tiles along one loop
    std::int64_t tile_options = 4;   ///< tile counts offered per loop (besides the layer whole)
    std::int64_t max_split = 1;      ///< most cores one layer may be split over
    std::optional<double> peak_memory_limit_bits; ///< a mapping whose schedule needs more is infeasible
    /// With searched stacks: the stacks of the mapping as written, a seed of the search ("0-33");
    /// empty: the default packing.
    std::string start_stacks;
    SourceLoc start_stacks_where;
    SourceLoc where;
};

/// The host's keys of the [search] stage (the explorer plugin owns the rest).
const std::vector<std::string>& search_host_keys();

/// Reads [search] and [mapping] layer_stacks; `mapping_has_search_factor`: some tiling factor of the
/// mapping file is "search". Throws a located input error on a bad value.
SearchSettings read_search_settings(const Pipeline& p, bool mapping_has_search_factor);

/// The objective's value of a run's metrics (lower is better).
struct Metrics;
double objective_value(const std::string& objective, const Metrics& m);

} // namespace stream
