// Stream's memory- and communication-aware list scheduler (stream.md §6),
// on data structures that keep it near-linear in nodes + edges.
//
// One node at a time, lowest (priority, id) among the nodes whose
// predecessors are scheduled (a heap, not a list search). For each node:
//  1. clear the core's memories of operands it streams from DRAM (writing
//     back what DRAM does not hold);
//  2. bring every other input to the memory of the core that reads it,
//     smallest first: from the copy available earliest, over the fewest-hop
//     route, in the earliest window where every link of the route is idle
//     (or already carries the same tensor from the same sender: a
//     broadcast), after making room by evicting the copies with the fewest
//     remaining uses x size (written back to DRAM unless DRAM has them);
//  3. make room for its output, and hold the DRAM links at the bandwidth its
//     streamed operands need for its whole runtime (Stream does these two
//     the other way round, see below);
//  4. run; inputs with no remaining use anywhere are freed after their last
//     read, final outputs are written back to DRAM.
// Memory use is a step function per top-level memory instance (shared
// instances once), link activity one timeline per link. Energy is kept in
// Stream's nine components; latency is the last node or transfer end.
//
// With problem->compat == "stream" each [quirk] of stream.md §6 is
// reproduced; otherwise it is fixed. docs/compat-stream.md lists both.
//
//   StreamScheduler scheduler;                 // keeps its buffers between calls
//   ScheduleOutcome out = scheduler.schedule(problem, allocation, {.record_trace = true});
//   auto problems = check_schedule_invariants(problem, allocation, out.result, out.trace);
#pragma once

#include "ScheduleTrace.hpp"

#include <stream/plugin.hpp>

#include <memory>

namespace stream::plugins::stream_scheduler {

struct ScheduleOptions {
    bool metrics_only = false;       ///< leave the schedule's arrays empty (an allocator's evaluation)
    bool record_trace = false;       ///< fill ScheduleOutcome::trace; implies the arrays are built
    const sdk::Host* host = nullptr; ///< asked now and then whether to stop
};

struct ScheduleOutcome {
    sdk::ScheduleResult result;
    ScheduleTrace trace;
    bool reused_graph = false; ///< the problem's graph came from the previous call (metrics-only calls)
};

class StreamScheduler {
public:
    StreamScheduler();
    ~StreamScheduler();
    StreamScheduler(const StreamScheduler&) = delete;
    StreamScheduler& operator=(const StreamScheduler&) = delete;

    /// Throws sdk::Error: STREAM_ERROR_INVALID_INPUT for an inconsistent problem,
    /// STREAM_ERROR_INFEASIBLE when a tensor cannot fit or reach a memory,
    /// STREAM_ERROR_CANCELLED when the host asked to stop.
    ScheduleOutcome schedule(const stream_problem_v1& problem, const stream_allocation_v1& allocation,
                             const ScheduleOptions& options = {});

private:
    class Engine;
    std::unique_ptr<Engine> engine_; ///< the per-call state; its vectors and timelines serve the next call too
};

} // namespace stream::plugins::stream_scheduler
