// Bits held in one top-level memory instance over time, with its capacity.
//
// Use is a right-continuous step function (Stream's MemoryManager keeps the
// same as a sorted breakpoint array): reserving a tensor adds its size from
// the reservation on, releasing subtracts it from the release on. The
// scheduler asks two questions, each answered from the end of the timeline
// (BlockStepFunction: a schedule's changes and questions cluster there):
//   usage_at(t)          bits in use on [t, next change)
//   earliest_fit(t, b)   the earliest t' >= t after which b more bits never
//                        exceed the capacity (Stream's get_timestep_for_tensor_addition)
#pragma once

#include "BlockStepFunction.hpp"

#include <cstdint>
#include <limits>

namespace stream::plugins::stream_scheduler {

class MemoryTimeline {
public:
    /// A capacity this large is never reached: memories whose size is unknown.
    static constexpr std::int64_t kUnlimited = std::numeric_limits<std::int64_t>::max() / 4;

    void reset(std::int64_t capacity_bits) {
        capacity_bits_ = capacity_bits;
        use_.clear();
    }

    std::int64_t capacity_bits() const { return capacity_bits_; }

    void reserve(std::int64_t from_cycle, std::int64_t bits) { use_.add(from_cycle, bits); }
    void release(std::int64_t from_cycle, std::int64_t bits) { use_.add(from_cycle, -bits); }

    std::int64_t usage_at(std::int64_t cycle) const { return use_.value_at(cycle); }
    std::int64_t peak_bits() const { return use_.max_value(); }

    /// The earliest cycle >= `cycle` from which `bits` more fit at every later time.
    /// When even the final level leaves no room, the answer is the cycle use last
    /// rose to that level (or `cycle` if later): the caller must evict from there.
    std::int64_t earliest_fit(std::int64_t cycle, std::int64_t bits) const { return find_fit(cycle, bits).cycle; }

    /// earliest_fit's cycle, and whether `bits` more fit there: false only when use never
    /// drops low enough, which tells the caller to evict without asking usage_at.
    struct Fit {
        std::int64_t cycle;
        bool room;
    };
    Fit find_fit(std::int64_t cycle, std::int64_t bits) const;

    /// Calls visit(cycle, bits) at every breakpoint, in time order (values may repeat).
    template <class Visit>
    void for_each_change(Visit&& visit) const { use_.for_each(visit); }

private:
    std::int64_t capacity_bits_ = kUnlimited;
    BlockStepFunction use_;
};

} // namespace stream::plugins::stream_scheduler
