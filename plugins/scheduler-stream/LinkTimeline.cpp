#include "LinkTimeline.hpp"

#include <stdexcept>
#include <string>

namespace stream::plugins::stream_scheduler {

namespace {

// Block activities are whole bits per cycle; the slack only absorbs a fractional bandwidth.
constexpr double kSlack = 1e-9;

} // namespace

void LinkTimeline::reset(double bandwidth_bits_per_cycle) {
    bandwidth_bits_per_cycle_ = bandwidth_bits_per_cycle;
    transfers_.clear();
    block_time_.clear();
    blocks_.clear();
    has_blocks_ = false;
}

std::int64_t LinkTimeline::earliest_idle_start(std::int64_t from, std::int64_t duration) const {
    // Each set's earliest gap from s is at most the answer when s is, so alternating between
    // them only moves forward and stops at the first start both leave idle.
    std::int64_t s = from;
    for (;;) {
        s = transfers_.earliest_gap(s, duration);
        const std::int64_t after_blocks = block_time_.earliest_gap(s, duration);
        if (after_blocks == s) return s;
        s = after_blocks;
    }
}

std::int64_t LinkTimeline::earliest_block_start(std::int64_t from, std::int64_t duration, double activity) const {
    if (!has_blocks_) return transfers_.earliest_gap(from, duration);
    const double room = bandwidth_bits_per_cycle_ - activity + kSlack;
    std::int64_t s = from;
    // Alternate between the two constraints until one start satisfies both; each step
    // only moves forward, and after the last event everything is idle.
    auto level_drops = [&](std::int64_t after) {
        const std::optional<std::int64_t> next = blocks_.first_at_most_after(after, room);
        // Every block ends, so the level comes back to zero.
        if (!next) throw std::logic_error("link activity never drops back after cycle " + std::to_string(after));
        return *next;
    };
    for (;;) {
        s = transfers_.earliest_gap(s, duration);
        if (blocks_.value_at(s) > room) {
            s = level_drops(s);
            continue;
        }
        const std::optional<std::int64_t> crowded = blocks_.first_above_after(s, room);
        if (crowded && *crowded < s + duration) {
            s = level_drops(*crowded);
            continue;
        }
        return s;
    }
}

void LinkTimeline::add_transfer(std::int64_t start, std::int64_t end) { transfers_.insert(start, end); }

void LinkTimeline::add_block(std::int64_t start, std::int64_t end, double activity) {
    if (end <= start) return;
    has_blocks_ = true;
    block_time_.insert(start, end);
    blocks_.add(start, activity);
    blocks_.add(end, -activity);
}

} // namespace stream::plugins::stream_scheduler
