// Evaluates points of a mapping space completely — tiling, costs (every
// distinct tile shape asked once per run, through the run's cost cache), the
// pipeline's allocator and scheduler — and remembers every answer, so an equal
// point costs nothing the second time and the search's result is the best
// point ever evaluated. Owns the budget: evaluations and seconds.
#pragma once

#include "explore/MappingSpace.hpp"
#include "explore/SearchSettings.hpp"
#include "pipeline/AllocationServices.hpp"
#include "pipeline/CostTable.hpp"
#include "plugin_host/Diagnostics.hpp"
#include "plugin_host/PluginInstance.hpp"

#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace stream {

/// One evaluated point.
struct CandidateRecord {
    MappingPoint point;
    bool feasible = false;
    std::string why_infeasible;
    Metrics metrics;
    double objective = 0;
    std::size_t cns = 0;
    /// What reproduces the schedule without searching again: the allocator's answer and the
    /// split counts of the problem it was for (an allocator may re-tile).
    Allocation allocation;
    std::vector<std::int64_t> star_split;
    std::size_t schedules = 0; ///< schedules the allocator asked for
};

/// Everything a candidate is built from; every pointer must outlive the evaluator.
struct CandidateInputs {
    const Workload* workload = nullptr;
    const Mapping* mapping = nullptr;
    const Accelerator* accelerator = nullptr;
    FusionOptions fusion;
    const CostModelsOfCores* cost_models = nullptr;
    const std::vector<const stream_config_v1*>* core_model_configs = nullptr;
    bool compat_stream = false;
    Diagnostics* diag = nullptr;
    const PluginInstance<stream_allocator_v1>* allocator = nullptr;
    const PluginInstance<stream_scheduler_v1>* scheduler = nullptr;
};

/// Evaluates point `p` of `space` completely, allocating with `allocator` (the candidates' or the
/// pipeline's own): a record that is infeasible when the hardware cannot run the mapping. Throws
/// when a plugin fails.
CandidateRecord evaluate_candidate(const CandidateInputs& in, const MappingSpace& space, const SearchSettings& s,
                                   const MappingPoint& p, const PluginInstance<stream_allocator_v1>& allocator);

class CandidateEvaluator {
public:
    enum class Outcome { Evaluated, Infeasible, OutOfBudget };

    CandidateEvaluator(CandidateInputs inputs, const MappingSpace& space, const SearchSettings& settings);

    /// Evaluates `p` (normalised first) or answers from memory; `record` is set unless out of budget.
    /// Throws for a point outside the space and for plugin failures.
    Outcome evaluate(const MappingPoint& p, const CandidateRecord** record);
    /// True once the budget is spent or the user asked to stop.
    bool out_of_budget() const;
    /// The part of the budget left, in [0, 1].
    double budget_left() const;

    const std::vector<CandidateRecord>& records() const { return records_; }
    /// Index into records() of the best feasible point (ties: the first evaluated); none when none is feasible.
    std::optional<std::size_t> best() const { return best_; }
    double seconds() const;
    std::size_t schedules() const { return schedules_; }
    bool interrupted() const { return inputs_.diag->cancelled(); }

private:
    CandidateInputs inputs_;
    const MappingSpace& space_;
    const SearchSettings& settings_;
    std::chrono::steady_clock::time_point start_ = std::chrono::steady_clock::now();
    std::vector<CandidateRecord> records_;
    std::map<std::vector<std::uint32_t>, std::size_t> memo_;
    std::optional<std::size_t> best_;
    std::size_t schedules_ = 0;
};

} // namespace stream
