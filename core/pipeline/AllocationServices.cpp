#include "pipeline/AllocationServices.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>

namespace stream {

namespace {

struct ScheduleCapture {
    std::optional<Schedule> schedule;
};

void schedule_submit(void* ctx, const stream_schedule_v1* s) {
    auto& cap = *static_cast<ScheduleCapture*>(ctx);
    if (!s || s->struct_size < offsetof(stream_schedule_v1, energy_count) + sizeof(uint32_t)) return;
    cap.schedule = schedule_from_c(*s);
}

} // namespace

Schedule run_scheduler(const PluginInstance<stream_scheduler_v1>& scheduler, const stream_problem_v1& problem,
                       const stream_allocation_v1& allocation, bool metrics_only) {
    ScheduleCapture cap;
    stream_schedule_sink_v1 sink{sizeof(stream_schedule_sink_v1), &cap, &schedule_submit, metrics_only ? 1 : 0};
    scheduler.call("schedule", [&](const stream_scheduler_v1& vt, void* h) { return vt.schedule(h, &problem, &allocation, &sink); });
    if (!cap.schedule)
        throw Error(ErrorKind::Plugin, fmt::format("{} returned success without submitting a schedule", scheduler.library().describe()));
    return std::move(*cap.schedule);
}

std::optional<std::string> allocation_problem(const CnGraph& g, const Workload& w, const std::vector<std::int64_t>& unit_core) {
    if (unit_core.size() != g.units.size())
        return fmt::format("the allocation has {} entries for {} allocation units", unit_core.size(), g.units.size());
    for (std::size_t i = 0; i < g.units.size(); ++i) {
        const AllocUnit& u = g.units[i];
        bool ok = std::any_of(u.costs.begin(), u.costs.end(), [&](const CoreCost& c) { return c.core == unit_core[i]; });
        if (!ok) {
            std::vector<std::int64_t> cands;
            for (const CoreCost& c : u.costs) cands.push_back(c.core);
            return fmt::format("{} is allocated to core {}, which is not among its candidate cores [{}]",
                               w.layers[static_cast<std::size_t>(u.layer)].label(), unit_core[i], fmt::join(cands, ", "));
        }
    }
    return std::nullopt;
}

AllocationServices::AllocationServices(const PluginInstance<stream_scheduler_v1>& scheduler, RetileInputs inputs, ProblemVariant own)
    : scheduler_(&scheduler), inputs_(std::move(inputs)) {
    add(std::move(own));
}

ProblemVariant& AllocationServices::add(ProblemVariant variant) {
    auto slot = std::make_unique<Slot>();
    slot->owner = this;
    slot->variant = std::move(variant);
    ProblemVariant& v = slot->variant;
    v.view = std::make_unique<ProblemView>(*inputs_.accelerator, *inputs_.core_model_configs, *inputs_.workload, v.graph,
                                           inputs_.compat_stream ? "stream" : "");
    v.evaluator = {sizeof(stream_evaluator_v1), slot.get(), &AllocationServices::evaluate, &AllocationServices::retile};
    slots_.push_back(std::move(slot));
    return v;
}

ProblemVariant* AllocationServices::find(const stream_problem_v1* problem) {
    if (!problem) return &own();
    for (auto& slot : slots_)
        if (&slot->variant.view->c() == problem) return &slot->variant;
    return nullptr;
}

std::size_t AllocationServices::evaluations() const {
    std::lock_guard lock(mutex_);
    return evaluations_;
}

std::optional<Error> AllocationServices::error() const {
    std::lock_guard lock(mutex_);
    return error_;
}

void AllocationServices::record(const Error& e) {
    std::lock_guard lock(mutex_);
    if (!error_) error_ = e;
}

ProblemVariant& AllocationServices::retiled(const std::vector<std::int64_t>& star_split) {
    // Splits of 0 everywhere ask for the run's own problem.
    if (std::all_of(star_split.begin(), star_split.end(), [](std::int64_t k) { return k == 0; })) return own();
    for (auto& slot : slots_)
        if (slot->variant.star_split == star_split) return slot->variant;
    ProblemVariant v;
    v.star_split = star_split;
    FusionOptions options = inputs_.fusion;
    options.star_split_of_layer = star_split;
    FusionResult fusion = build_cn_graph(*inputs_.workload, *inputs_.mapping, *inputs_.accelerator, options);
    v.graph = std::move(fusion.graph);
    v.stack_of_layer = std::move(fusion.stack_of_layer);
    v.warnings = std::move(fusion.warnings);
    v.cost_stats = evaluate_cost_table(v.graph, *inputs_.workload, *inputs_.accelerator, *inputs_.cost_models,
                                       inputs_.compat_stream, *inputs_.diag);
    return add(std::move(v));
}

stream_status AllocationServices::evaluate(void* ctx, const stream_allocation_v1* a, stream_metrics_v1* out) {
    auto& slot = *static_cast<Slot*>(ctx);
    AllocationServices& self = *slot.owner;
    const ProblemVariant& v = slot.variant;
    std::unique_lock lock(self.mutex_, std::defer_lock);
    if (!self.scheduler_->library().info().thread_safe()) lock.lock();
    try {
        if (!a || !out) throw Error(ErrorKind::Plugin, "evaluate called with a NULL allocation or result");
        std::vector<std::int64_t> cores;
        if (a->unit_core && a->unit_count) cores.assign(a->unit_core, a->unit_core + a->unit_count);
        if (auto why = allocation_problem(v.graph, *self.inputs_.workload, cores)) {
            if (lock.owns_lock()) lock.unlock();
            self.record(Error(ErrorKind::Plugin, "the allocator asked to evaluate an invalid allocation: " + *why));
            return STREAM_ERROR_INVALID_INPUT;
        }
        const Metrics m = run_scheduler(*self.scheduler_, v.view->c(), *a, true).metrics;
        *out = {sizeof(stream_metrics_v1), m.latency_cycles, m.energy_pj, m.edp, m.peak_memory_bits};
        if (!lock.owns_lock()) lock.lock();
        ++self.evaluations_;
        return STREAM_OK;
    } catch (const Error& e) {
        if (lock.owns_lock()) lock.unlock();
        self.record(e);
        return e.kind() == ErrorKind::Infeasible ? STREAM_ERROR_INFEASIBLE : STREAM_ERROR_INVALID_INPUT;
    }
}

stream_status AllocationServices::retile(void* ctx, const std::int64_t* layer_split, std::uint32_t layer_count,
                                         const stream_problem_v1** problem, const stream_evaluator_v1** evaluator) {
    auto& slot = *static_cast<Slot*>(ctx);
    AllocationServices& self = *slot.owner;
    try {
        if (!problem || !evaluator) throw Error(ErrorKind::Plugin, "retile called with a NULL result");
        const std::size_t layers = self.inputs_.workload->layers.size();
        if (layer_count != layers || (layer_count && !layer_split))
            throw Error(ErrorKind::Plugin, fmt::format("retile asked with {} split counts for a workload of {} layers", layer_count, layers));
        std::vector<std::int64_t> split(layer_split, layer_split + layer_count);
        // A count is relative to the variant asked: 0 keeps that variant's choice for the layer.
        const std::vector<std::int64_t>& base = slot.variant.star_split;
        for (std::size_t l = 0; l < split.size(); ++l) {
            if (split[l] < 0)
                throw Error(ErrorKind::Plugin, fmt::format("retile asked to split {} over {} cores",
                                                           self.inputs_.workload->layers[l].label(), split[l]));
            if (split[l] == 0 && l < base.size()) split[l] = base[l];
        }
        ProblemVariant& v = self.retiled(split);
        *problem = &v.view->c();
        *evaluator = &v.evaluator;
        return STREAM_OK;
    } catch (const Error& e) {
        self.record(e);
        return e.kind() == ErrorKind::Infeasible ? STREAM_ERROR_INFEASIBLE : STREAM_ERROR_INVALID_INPUT;
    }
}

} // namespace stream
