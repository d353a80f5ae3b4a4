// The allocation stage: one call of an allocator plugin on a problem, with the
// host's services (evaluate, re-tile), the submitted allocation checked against
// the problem it names. Used by a run and by every candidate of a mapping search.
#pragma once

#include "ir/CnGraph.hpp"
#include "ir/Workload.hpp"
#include "pipeline/AllocationServices.hpp"
#include "plugin_host/PluginInstance.hpp"

#include <stream/plugin.h>

namespace stream {

struct AllocationOutcome {
    Allocation allocation;
    ProblemVariant* chosen = nullptr; ///< the run's own problem or a re-tiled one, owned by the services
};

/// Runs `allocator` on the services' own problem. Throws the scheduler's failure when it explains
/// the allocator's, and a plugin error for an allocation that is not one of the problem it names.
AllocationOutcome run_allocator(const PluginInstance<stream_allocator_v1>& allocator, AllocationServices& services,
                                const Workload& w);

/// The allocation as the C view a scheduler takes (valid while `a` lives).
stream_allocation_v1 allocation_view(const Allocation& a);

} // namespace stream
