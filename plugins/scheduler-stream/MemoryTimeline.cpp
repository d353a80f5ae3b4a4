#include "MemoryTimeline.hpp"

#include <algorithm>

namespace stream::plugins::stream_scheduler {

MemoryTimeline::Fit MemoryTimeline::find_fit(std::int64_t cycle, std::int64_t bits) const {
    if (capacity_bits_ >= kUnlimited) return {cycle, true};
    // Stream recurses past the last maximum of the remaining breakpoints until the rest
    // fits; that lands right after the last segment whose use leaves no room.
    const std::int64_t threshold = capacity_bits_ - bits;
    const std::optional<BlockStepFunction::Above> last_full = use_.last_above(threshold);
    if (!last_full) return {cycle, true};
    if (!last_full->next) return {std::max(cycle, last_full->time), false}; // full until the end of time: evict
    return {std::max(cycle, *last_full->next), true};
}

} // namespace stream::plugins::stream_scheduler
