// The library's one export: the stream scheduler's descriptor.
#include "stream_scheduler_plugin.hpp"

#include "ScheduleInvariants.hpp"

#include <string>
#include <utility>

namespace stream::plugins::stream_scheduler {

namespace {

#ifdef NDEBUG
constexpr bool kDebugBuild = false;
#else
constexpr bool kDebugBuild = true;
#endif

} // namespace

StreamSchedulerPlugin::StreamSchedulerPlugin(sdk::Host host) : host_(host) {
    const sdk::Config config = host_.config();
    if (config.has("check_invariants")) check_invariants_ = config.get_bool("check_invariants");
}

sdk::ScheduleResult StreamSchedulerPlugin::schedule(const stream_problem_v1& problem,
                                                    const stream_allocation_v1& allocation, bool metrics_only) {
    const bool check = check_invariants_ || kDebugBuild;
    ScheduleOutcome out = scheduler_.schedule(problem, allocation, {metrics_only, check, &host_});
    if (check) {
        const std::vector<std::string> broken = check_schedule_invariants(problem, allocation, out.result, out.trace);
        if (!broken.empty()) {
            std::string message = "the schedule breaks " + std::to_string(broken.size()) + " invariant(s):";
            for (const std::string& b : broken) message += "\n  " + b;
            throw sdk::Error(STREAM_ERROR_INTERNAL, message);
        }
        if (metrics_only) {
            // The caller asked for the metrics only; the arrays were built just for the check.
            sdk::ScheduleResult metrics;
            metrics.metrics = out.result.metrics;
            metrics.energy = std::move(out.result.energy);
            return metrics;
        }
    }
    return std::move(out.result);
}

} // namespace stream::plugins::stream_scheduler

STREAM_DSE_PLUGIN(stream::plugins::stream_scheduler::StreamSchedulerPlugin)
