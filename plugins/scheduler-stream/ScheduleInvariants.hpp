// The rules every schedule of this plugin must keep, checked from the outside:
// given the problem, the allocation, the schedule and the scheduler's trace,
// it recomputes what it can instead of trusting the scheduler's bookkeeping.
//  - every node runs once, on its allocated core, for its runtime, after its
//    predecessors; a core runs one node at a time;
//  - a node starts only once every input is in the memory it reads it from
//    (and, outside Stream's compat, the input stays there until it ends);
//  - a transfer starts only once its data is in the source memory, lasts at
//    least as long as its slowest link needs, and creates the copy it claims;
//    every copy of a tensor comes from a transfer, its producer, or DRAM at 0;
//  - no memory holds more than its capacity; the memory samples are exactly
//    the use the copies add up to;
//  - no link carries more than its bandwidth (broadcasts ride on a transfer
//    of the same tensor from the same sender that starts together);
//  - the energy components add up to the total, EDP is latency x energy,
//    latency is the last node or transfer end, the peak is the largest sample;
//  - outside Stream's compat, conservation: every transfer to or from DRAM
//    pays at least the DRAM's energy per bit, a streaming block's bits fit
//    the share of each link it holds for its time, and no link carries more
//    than bandwidth x latency (per direction and in all).
// Run by the plugin in debug builds and with check_invariants = true, and by
// the tests on every schedule they make.
#pragma once

#include "ScheduleTrace.hpp"

#include <stream/plugin.hpp>

#include <string>
#include <vector>

namespace stream::plugins::stream_scheduler {

/// One message per broken rule (capped per rule); empty when the schedule is sound.
std::vector<std::string> check_schedule_invariants(const stream_problem_v1& problem,
                                                   const stream_allocation_v1& allocation,
                                                   const sdk::ScheduleResult& schedule, const ScheduleTrace& trace);

} // namespace stream::plugins::stream_scheduler
