// The "stream" scheduler plugin: StreamScheduler behind the ABI, with an
// optional self-check of every schedule it submits.
#pragma once

#include "StreamScheduler.hpp"

#include <stream/plugin.hpp>

namespace stream::plugins::stream_scheduler {

class StreamSchedulerPlugin {
public:
    static constexpr stream_plugin_kind kind = STREAM_KIND_SCHEDULER;
    static constexpr sdk::Info info{
        "stream", "Stream scheduler", "0.1.0",
        "Stream's memory- and communication-aware list scheduler: memory capacity with eviction, link and DRAM "
        "contention, broadcasts, streamed operands."};
    static constexpr stream_config_key keys[] = {
        sdk::key("check_invariants", STREAM_VALUE_BOOL, "false", nullptr,
                 "Check every schedule (inputs on time, one node per core, memories and links within capacity, "
                 "energy adds up) and fail on a violation; always on in debug builds."),
    };

    explicit StreamSchedulerPlugin(sdk::Host host);

    sdk::ScheduleResult schedule(const stream_problem_v1& problem, const stream_allocation_v1& allocation,
                                 bool metrics_only);

private:
    sdk::Host host_;
    bool check_invariants_ = false;
    StreamScheduler scheduler_;
};

} // namespace stream::plugins::stream_scheduler
