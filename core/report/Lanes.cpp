#include "report/Lanes.hpp"

#include <algorithm>
#include <functional>
#include <numeric>
#include <queue>
#include <utility>

namespace stream {

LaneAssignment assign_lanes(const std::vector<Interval>& intervals) {
    LaneAssignment a;
    a.lane.assign(intervals.size(), 0);
    std::vector<std::size_t> order(intervals.size());
    std::iota(order.begin(), order.end(), std::size_t{0});
    std::stable_sort(order.begin(), order.end(),
                     [&](std::size_t x, std::size_t y) { return intervals[x].start < intervals[y].start; });
    // Lanes by the end of their last interval; free lanes by index, so the lowest free lane is reused first.
    using Busy = std::pair<double, std::size_t>;
    std::priority_queue<Busy, std::vector<Busy>, std::greater<>> busy;
    std::priority_queue<std::size_t, std::vector<std::size_t>, std::greater<>> free;
    for (std::size_t i : order) {
        const Interval& iv = intervals[i];
        while (!busy.empty() && busy.top().first <= iv.start) {
            free.push(busy.top().second);
            busy.pop();
        }
        std::size_t lane;
        if (!free.empty()) {
            lane = free.top();
            free.pop();
        } else {
            lane = a.lanes++;
        }
        a.lane[i] = lane;
        busy.push({std::max(iv.end, iv.start), lane});
    }
    return a;
}

} // namespace stream
