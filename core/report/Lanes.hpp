// Packing time intervals into lanes so that no two overlapping intervals share
// a lane: a core running two CNs at once, or a link carrying several
// transfers that split its bandwidth, gets one lane per concurrent item, both
// in the Gantt chart and as separate tracks in the trace (whose viewers
// require the slices of one track to nest).
#pragma once

#include <cstddef>
#include <vector>

namespace stream {

struct Interval {
    double start = 0;
    double end = 0;
};

struct LaneAssignment {
    std::vector<std::size_t> lane; ///< per interval, in input order
    std::size_t lanes = 0;         ///< number of lanes used (0 for no intervals)
};

/// Greedy first-fit in start order: optimal (the number of lanes is the largest
/// number of intervals alive at one time). Touching intervals share a lane.
LaneAssignment assign_lanes(const std::vector<Interval>& intervals);

} // namespace stream
