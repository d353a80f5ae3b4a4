// Bits held in each core's top memory over time, built from intervals
// [from, until) and turned into a step function per core.
#pragma once

#include <stream/plugin.h>

#include <cstdint>
#include <map>
#include <vector>

namespace stream::plugins {

class MemoryTimeline {
public:
    /// `bits` live on `core` from `from_cycle` until (not including) `until_cycle`.
    void hold(int64_t core, double from_cycle, double until_cycle, int64_t bits);

    /// One sample per change of a core's total, in core then cycle order; the
    /// memory level of each core's samples is `top_level[core]`.
    std::vector<stream_memory_sample_v1> samples(const std::vector<uint32_t>& top_level) const;

    /// The largest total any core reaches.
    int64_t peak_bits() const;

private:
    struct Change {
        double cycle;
        int64_t delta_bits;
    };
    template <class Visit>
    void walk(Visit&& visit) const;

    std::map<int64_t, std::vector<Change>> changes_by_core_;
};

} // namespace stream::plugins
