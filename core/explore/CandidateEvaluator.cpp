#include "explore/CandidateEvaluator.hpp"

#include "pipeline/AllocationStage.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace stream {

CandidateEvaluator::CandidateEvaluator(CandidateInputs inputs, const MappingSpace& space, const SearchSettings& settings)
    : inputs_(std::move(inputs)), space_(space), settings_(settings) {}

double CandidateEvaluator::seconds() const {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
}

bool CandidateEvaluator::out_of_budget() const {
    if (inputs_.diag->cancelled()) return true;
    if (settings_.max_evaluations > 0 && static_cast<std::int64_t>(records_.size()) >= settings_.max_evaluations) return true;
    return settings_.time_budget_s > 0 && seconds() >= settings_.time_budget_s;
}

double CandidateEvaluator::budget_left() const {
    if (inputs_.diag->cancelled()) return 0;
    double left = 1;
    if (settings_.max_evaluations > 0)
        left = std::min(left, 1.0 - static_cast<double>(records_.size()) / static_cast<double>(settings_.max_evaluations));
    if (settings_.time_budget_s > 0) left = std::min(left, 1.0 - seconds() / settings_.time_budget_s);
    return std::clamp(left, 0.0, 1.0);
}

CandidateEvaluator::Outcome CandidateEvaluator::evaluate(const MappingPoint& given, const CandidateRecord** record) {
    if (std::string why = space_.problem_with(given); !why.empty())
        throw Error(ErrorKind::Plugin, "the explorer asked to evaluate a mapping outside the space: " + why);
    const MappingPoint p = space_.normalised(given);
    std::vector<std::uint32_t> key;
    key.reserve(p.stack_start.size() * 3);
    for (std::size_t i = 0; i < p.stack_start.size(); ++i) {
        key.push_back(p.stack_start[i]);
        key.push_back(p.tiling[i]);
        key.push_back(p.split[i]);
    }
    // Out of budget ends the search even for points already known: an explorer that kept asking
    // for those (an annealer walking a small space) would otherwise run past the budget.
    if (out_of_budget()) return Outcome::OutOfBudget;
    if (auto it = memo_.find(key); it != memo_.end()) {
        *record = &records_[it->second];
        return records_[it->second].feasible ? Outcome::Evaluated : Outcome::Infeasible;
    }
    records_.push_back(evaluate_candidate(inputs_, space_, settings_, p, *inputs_.allocator));
    const std::size_t index = records_.size() - 1;
    memo_.emplace(std::move(key), index);
    const CandidateRecord& r = records_[index];
    schedules_ += r.schedules;
    if (r.feasible && (!best_ || r.objective < records_[*best_].objective)) best_ = index;
    *record = &r;
    const double total = settings_.max_evaluations > 0 ? static_cast<double>(settings_.max_evaluations) : 0.0;
    std::string best_text = best_ ? fmt::format("best {} {:.4g}", settings_.objective, records_[*best_].objective) : "nothing feasible yet";
    inputs_.diag->progress("search", static_cast<double>(records_.size()), total,
                           fmt::format("{} mappings evaluated, {}", records_.size(), best_text));
    return r.feasible ? Outcome::Evaluated : Outcome::Infeasible;
}

CandidateRecord evaluate_candidate(const CandidateInputs& in, const MappingSpace& space, const SearchSettings& settings,
                                   const MappingPoint& p, const PluginInstance<stream_allocator_v1>& allocator) {
    CandidateRecord rec;
    rec.point = p;
    const Workload& w = *in.workload;
    PointMapping pm = apply_point(space, p, w, *in.mapping, in.fusion);
    // Warnings of thousands of candidates (a tile count that does not divide, a core that cannot run
    // a tile) would bury the run's own; the chosen candidate's are shown when it is rebuilt.
    RecordingDiagnostics quiet;
    try {
        FusionResult fusion = build_cn_graph(w, pm.mapping, *in.accelerator, pm.fusion);
        ProblemVariant own;
        own.graph = std::move(fusion.graph);
        own.stack_of_layer = std::move(fusion.stack_of_layer);
        own.star_split = pm.fusion.star_split_of_layer;
        own.cost_stats = evaluate_cost_table(own.graph, w, *in.accelerator, *in.cost_models, in.compat_stream, quiet);
        RetileInputs retile{&w, &pm.mapping, in.accelerator, pm.fusion, in.cost_models, in.core_model_configs,
                            in.compat_stream, &quiet};
        AllocationServices services(*in.scheduler, retile, std::move(own));
        AllocationOutcome out = run_allocator(allocator, services, w);
        const Schedule s = run_scheduler(*in.scheduler, out.chosen->view->c(), allocation_view(out.allocation), true);
        rec.metrics = s.metrics;
        rec.allocation = std::move(out.allocation);
        rec.allocation.alternatives.clear();
        rec.star_split = out.chosen->star_split;
        rec.cns = out.chosen->graph.nodes.size();
        rec.schedules = services.evaluations() + 1;
        rec.objective = objective_value(settings.objective, rec.metrics);
        rec.feasible = true;
        if (settings.peak_memory_limit_bits && rec.metrics.peak_memory_bits > *settings.peak_memory_limit_bits) {
            rec.feasible = false;
            rec.why_infeasible = fmt::format("peak memory {:.4g} bits exceeds search.peak_memory_limit_bits {:.4g}",
                                             rec.metrics.peak_memory_bits, *settings.peak_memory_limit_bits);
        }
    } catch (const Error& e) {
        // A mapping the hardware cannot run (a tile no core can hold, no schedule) is a point the
        // search learns from; a plugin that fails is not.
        if (e.kind() != ErrorKind::Infeasible && e.kind() != ErrorKind::BadInput) throw;
        rec.feasible = false;
        rec.why_infeasible = e.message();
    }
    return rec;
}

} // namespace stream
