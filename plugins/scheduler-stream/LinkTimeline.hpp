// The activity of one link (or, in Stream's bus model, of one pair of a bus)
// over time: when it is idle enough for a transfer or a streaming block.
//
// A transfer needs the link's full bandwidth for its whole duration (Stream
// does not model store-and-forward), so it fits only where nothing else is
// active: an IntervalSet of transfer time answers that in one descent. A block
// (an operand streamed from DRAM while a node runs) needs part of the
// bandwidth: it may share time with other blocks as long as their sum fits,
// but never with a transfer. Blocks are rare, so they are kept apart (their
// busy time in a second IntervalSet, their partial activity in a step
// function) and only looked at on the few links that carry them: each
// transfer is inserted once, and a transfer's window on such a link is the
// first start both sets leave idle.
#pragma once

#include "IntervalSet.hpp"
#include "StepFunction.hpp"

#include <cstdint>

namespace stream::plugins::stream_scheduler {

class LinkTimeline {
public:
    void reset(double bandwidth_bits_per_cycle);

    double bandwidth_bits_per_cycle() const { return bandwidth_bits_per_cycle_; }

    /// The earliest s >= `from` where a transfer of `duration` cycles finds the link idle.
    std::int64_t earliest_transfer_start(std::int64_t from, std::int64_t duration) const {
        return has_blocks_ ? earliest_idle_start(from, duration) : transfers_.earliest_gap(from, duration);
    }

    /// The earliest s >= `from` where `activity` bits/cycle fit beside other blocks for
    /// `duration` cycles, with no transfer in that time.
    std::int64_t earliest_block_start(std::int64_t from, std::int64_t duration, double activity) const;

    void add_transfer(std::int64_t start, std::int64_t end);
    void add_block(std::int64_t start, std::int64_t end, double activity);

private:
    std::int64_t earliest_idle_start(std::int64_t from, std::int64_t duration) const;

    double bandwidth_bits_per_cycle_ = 0;
    IntervalSet transfers_;
    IntervalSet block_time_; // when any block is active
    StepFunction<double> blocks_;
    bool has_blocks_ = false;
};

} // namespace stream::plugins::stream_scheduler
