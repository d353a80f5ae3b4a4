#include "pipeline/AllocationStage.hpp"

#include "plugin_host/AbiViews.hpp"

#include <fmt/format.h>

#include <cstddef>
#include <optional>

namespace stream {

namespace {

struct AllocationCapture {
    std::optional<Allocation> allocation;
    const stream_problem_v1* problem = nullptr; ///< the problem the allocation is for (ABI 1.1); null: the run's own
    std::vector<std::pair<std::vector<std::int64_t>, Metrics>> alternatives;
};

void allocation_submit(void* ctx, const stream_allocation_result_v1* r) {
    auto& cap = *static_cast<AllocationCapture*>(ctx);
    if (!r || r->struct_size < offsetof(stream_allocation_result_v1, summary) + sizeof(const char*)) return;
    Allocation a;
    if (r->allocation.unit_core && r->allocation.unit_count)
        a.unit_core.assign(r->allocation.unit_core, r->allocation.unit_core + r->allocation.unit_count);
    if (r->allocation.struct_size >= offsetof(stream_allocation_v1, node_priority_count) + sizeof(uint32_t) &&
        r->allocation.node_priority && r->allocation.node_priority_count)
        a.node_priority.assign(r->allocation.node_priority, r->allocation.node_priority + r->allocation.node_priority_count);
    if (STREAM_HAS_FIELD(stream_allocation_result_v1, r->struct_size, problem)) cap.problem = r->problem;
    a.proven_optimal = r->proven_optimal != 0;
    a.objective = r->objective;
    a.best_bound = r->best_bound;
    if (r->summary) a.summary = r->summary;
    cap.allocation = std::move(a);
}

void allocation_alternative(void* ctx, const stream_allocation_v1* a, const stream_metrics_v1* m) {
    auto& cap = *static_cast<AllocationCapture*>(ctx);
    if (!a || !m) return;
    std::vector<std::int64_t> cores;
    if (a->unit_core && a->unit_count) cores.assign(a->unit_core, a->unit_core + a->unit_count);
    cap.alternatives.emplace_back(std::move(cores), metrics_from_c(*m));
}

} // namespace

AllocationOutcome run_allocator(const PluginInstance<stream_allocator_v1>& allocator, AllocationServices& services,
                                const Workload& w) {
    const PluginLibrary& lib = allocator.library();
    AllocationCapture acap;
    stream_allocation_sink_v1 asink{sizeof(stream_allocation_sink_v1), &acap, &allocation_submit, &allocation_alternative};
    try {
        allocator.call("allocate", [&](const stream_allocator_v1& vt, void* h) {
            return vt.allocate(h, &services.own().view->c(), &services.own().evaluator, &asink);
        });
    } catch (const Error&) {
        if (auto e = services.error()) throw *e; // the scheduler's failure explains the allocator's
        throw;
    }
    if (!acap.allocation)
        throw Error(ErrorKind::Plugin, fmt::format("{} returned success without submitting an allocation", lib.describe()));
    AllocationOutcome out;
    out.chosen = services.find(acap.problem);
    if (!out.chosen)
        throw Error(ErrorKind::Plugin, fmt::format("{} submitted an allocation for a problem the host did not give it", lib.describe()));
    if (out.chosen != &services.own() && !acap.alternatives.empty())
        throw Error(ErrorKind::Plugin, fmt::format("{} submitted a re-tiled problem together with alternatives (those are for the "
                                                   "problem it was given)", lib.describe()));
    if (auto why = allocation_problem(out.chosen->graph, w, acap.allocation->unit_core))
        throw Error(ErrorKind::Plugin, fmt::format("{} returned an invalid allocation: {}", lib.describe(), *why));
    out.allocation = *acap.allocation;
    for (auto& [cores, metrics] : acap.alternatives) {
        if (auto why = allocation_problem(out.chosen->graph, w, cores))
            throw Error(ErrorKind::Plugin, fmt::format("{} offered an invalid alternative allocation: {}", lib.describe(), *why));
        out.allocation.alternatives.push_back({std::move(cores), metrics.latency_cycles, metrics.energy_pj, metrics.edp});
    }
    return out;
}

stream_allocation_v1 allocation_view(const Allocation& a) {
    return {sizeof(stream_allocation_v1), a.unit_core.data(), static_cast<std::uint32_t>(a.unit_core.size()),
            a.node_priority.empty() ? nullptr : a.node_priority.data(), static_cast<std::uint32_t>(a.node_priority.size())};
}

} // namespace stream
