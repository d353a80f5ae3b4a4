// The host side of what an allocator may ask while it allocates: "evaluate this
// allocation" (the pipeline's scheduler, metrics only) and, since ABI 1.1,
// "re-tile": the problem again with chosen layers' inter-core "*" tiling split
// over k cores, tiled and costed exactly like the run's own problem (Stream's
// split counts, stream.md §5.3). Every problem the allocator sees — the run's
// own and each re-tiled one — is a ProblemVariant that lives, at a fixed
// address, as long as the AllocationServices.
//
//   AllocationServices services(scheduler, inputs, std::move(own));
//   allocator.allocate(&services.own().view->c(), &services.own().evaluator, &sink);
//   const ProblemVariant* chosen = services.find(submitted.problem);
#pragma once

#include "error/Error.hpp"
#include "fusion/CnGraphBuilder.hpp"
#include "ir/Accelerator.hpp"
#include "ir/CnGraph.hpp"
#include "ir/Mapping.hpp"
#include "ir/Workload.hpp"
#include "pipeline/CostTable.hpp"
#include "plugin_host/AbiViews.hpp"
#include "plugin_host/Diagnostics.hpp"
#include "plugin_host/PluginInstance.hpp"

#include <stream/plugin.h>

#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace stream {

/// Why `unit_core` is not an allocation of `g` (a unit without an entry, or given a core
/// that is not among its candidates); nothing when it is one.
std::optional<std::string> allocation_problem(const CnGraph& g, const Workload& w, const std::vector<std::int64_t>& unit_core);

/// Runs `scheduler` on one allocation of `problem` (`metrics_only`: the schedule may leave out
/// its trace). Throws when the scheduler fails or submits nothing.
Schedule run_scheduler(const PluginInstance<stream_scheduler_v1>& scheduler, const stream_problem_v1& problem,
                       const stream_allocation_v1& allocation, bool metrics_only);

/// One problem an allocator may allocate: its CN graph with costs, and the C views of it.
struct ProblemVariant {
    std::vector<std::int64_t> star_split; ///< per layer id, as asked; empty for the run's own problem
    CnGraph graph;
    std::vector<std::int64_t> stack_of_layer;
    std::vector<std::string> warnings; ///< tiling entries dropped or adjusted
    CostTableStats cost_stats;
    std::unique_ptr<ProblemView> view;
    stream_evaluator_v1 evaluator{};
};

/// What re-tiling needs: everything the run's own problem was built from. All pointers
/// must outlive the AllocationServices.
struct RetileInputs {
    const Workload* workload = nullptr;
    const Mapping* mapping = nullptr;
    const Accelerator* accelerator = nullptr;
    FusionOptions fusion;
    const CostModelsOfCores* cost_models = nullptr; ///< its cache should be a RunCostCache
    const std::vector<const stream_config_v1*>* core_model_configs = nullptr;
    bool compat_stream = false;
    Diagnostics* diag = nullptr;
};

class AllocationServices {
public:
    /// `own` is the run's problem (graph and costs); its view and evaluator are made here.
    AllocationServices(const PluginInstance<stream_scheduler_v1>& scheduler, RetileInputs inputs, ProblemVariant own);
    AllocationServices(const AllocationServices&) = delete;
    AllocationServices& operator=(const AllocationServices&) = delete;

    ProblemVariant& own() { return slots_.front()->variant; }
    /// The variant whose view is `problem` (null means the run's own); null when none is.
    ProblemVariant* find(const stream_problem_v1* problem);
    std::size_t variant_count() const { return slots_.size(); }

    /// Schedules the allocator asked for, over all variants.
    std::size_t evaluations() const;
    /// The first failure behind an error status returned to the allocator (it explains the
    /// allocator's own failure).
    std::optional<Error> error() const;

private:
    static stream_status evaluate(void* ctx, const stream_allocation_v1* a, stream_metrics_v1* out);
    static stream_status retile(void* ctx, const std::int64_t* layer_split, std::uint32_t layer_count,
                                const stream_problem_v1** problem, const stream_evaluator_v1** evaluator);

    /// A variant and the services it reports to: the context of its evaluator.
    struct Slot {
        AllocationServices* owner = nullptr;
        ProblemVariant variant;
    };
    ProblemVariant& add(ProblemVariant variant);
    ProblemVariant& retiled(const std::vector<std::int64_t>& star_split);
    void record(const Error& e);

    const PluginInstance<stream_scheduler_v1>* scheduler_;
    RetileInputs inputs_;
    std::deque<std::unique_ptr<Slot>> slots_;
    mutable std::mutex mutex_; // serialises calls into a scheduler that is not thread-safe; guards the counters
    std::optional<Error> error_;
    std::size_t evaluations_ = 0;
};

} // namespace stream
