// A mapping search: the host evaluates its seeds (layer by layer, the user's
// mapping), hands the space to the explorer plugin through the C ABI, and
// keeps the best point evaluated under the objective.
#pragma once

#include "explore/CandidateEvaluator.hpp"
#include "explore/MappingSpace.hpp"
#include "explore/SearchSettings.hpp"
#include "plugin_host/PluginInstance.hpp"

#include <optional>
#include <string>
#include <vector>

namespace stream {

/// What a search did and found, for results.json, the summary and the report.
struct ExplorationResult {
    std::string strategy;           ///< the explorer plugin's id
    std::string strategy_summary;   ///< its one line
    SearchSettings settings;
    MappingSpace space;
    std::vector<CandidateRecord> records;
    std::size_t chosen = 0;           ///< index into records
    std::optional<std::size_t> layer_by_layer; ///< the layer-by-layer seed, when it is a point of the space
    std::optional<std::size_t> user_mapping;   ///< the mapping as written, when it is a point of the space
    std::vector<std::size_t> front;   ///< Pareto front of feasible records (latency, energy)
    double seconds = 0;
    std::size_t schedules = 0;        ///< schedules run by all candidates' allocations
    bool interrupted = false;         ///< the user stopped it (Ctrl-C); the best so far was kept
    std::size_t workload_layers = 0;

    const CandidateRecord& best() const { return records[chosen]; }
    std::string stacks_text(const CandidateRecord& r) const { return space.stacks_text(r.point, workload_layers); }
};

/// Runs `explorer` over `space`. Throws an infeasible error naming the reasons when no point
/// evaluated is feasible.
/// The finalists — the chosen point, layer by layer, the mapping as written — allocated again by
/// `allocator` (the pipeline's own, when the candidates had lighter keys): each keeps the better of
/// its two allocations, the best finalist becomes the chosen one and the front is recomputed. So a
/// search is never worse than its seeds under the allocator the pipeline names.
void reallocate_finalists(ExplorationResult& e, const CandidateInputs& in, const PluginInstance<stream_allocator_v1>& allocator);

ExplorationResult explore_mappings(const PluginInstance<stream_explorer_v1>& explorer, CandidateInputs inputs,
                                   MappingSpace space, const SearchSettings& settings);

} // namespace stream
