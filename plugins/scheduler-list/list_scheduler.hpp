// The "list" scheduler: a plain list scheduler, honest about what it leaves out.
//
// Models:
//  - one node at a time per core, nodes taken in list order: among the nodes
//    whose predecessors are all scheduled, the smallest (priority, id);
//  - communication over the accelerator's links, fewest-hop routes, with link
//    contention (each link carries one transfer at a time, first come first
//    served): core-to-core tensors, graph inputs and weights fetched from the
//    off-chip core (weights once per layer and core), final outputs written back;
//  - memory use of each core's top memory level over time, for reporting.
// Leaves out:
//  - memory capacity: nothing is ever evicted and a core may hold more than
//    its memory (the peak shows by how much);
//  - overlap of a core's compute with its own incoming transfers beyond what
//    the dependencies allow, and any reordering to hide latency.
// The memory-aware Stream scheduler (capacity, eviction, stack-wise fetching)
// is a separate plugin.
#pragma once

#include <stream/plugin.hpp>

namespace stream::plugins {

class ListScheduler {
public:
    static constexpr stream_plugin_kind kind = STREAM_KIND_SCHEDULER;
    static constexpr sdk::Info info{"list", "List scheduler", "1.0.0",
                                    "Priority list scheduling with link contention; no memory limits or eviction."};

    explicit ListScheduler(sdk::Host host) : host_(host) {}

    sdk::ScheduleResult schedule(const stream_problem_v1& problem, const stream_allocation_v1& allocation,
                                 bool metrics_only);

private:
    sdk::Host host_;
};

} // namespace stream::plugins
