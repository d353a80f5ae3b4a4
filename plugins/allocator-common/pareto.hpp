// Pareto ranking for minimisation: dominance, Deb's fast non-dominated sort
// and the NSGA-II crowding distance. Points are objective vectors of equal
// length; +infinity marks an infeasible point, which every feasible point
// dominates and which never dominates another infeasible point. Every result
// is deterministic: ties are broken by index, never by sort instability.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <limits>
#include <numeric>
#include <span>
#include <vector>

namespace stream::plugins::alloc {

/// True when `a` is no worse than `b` in every objective and better in one.
inline bool dominates(std::span<const double> a, std::span<const double> b) noexcept {
    bool better = false;
    for (std::size_t i = 0; i < a.size(); ++i) {
        if (a[i] > b[i]) return false;
        if (a[i] < b[i]) better = true;
    }
    return better;
}

/// Fronts of indices into `points`: front 0 is non-dominated, front k is
/// non-dominated once fronts < k are removed. Each front is in ascending index order.
inline std::vector<std::vector<std::size_t>> non_dominated_sort(const std::vector<std::vector<double>>& points) {
    const std::size_t n = points.size();
    std::vector<std::vector<std::size_t>> dominated(n); // indices each point dominates
    std::vector<std::size_t> dominators(n, 0);          // how many points dominate each point
    for (std::size_t i = 0; i < n; ++i)
        for (std::size_t j = i + 1; j < n; ++j) {
            if (dominates(points[i], points[j])) {
                dominated[i].push_back(j);
                ++dominators[j];
            } else if (dominates(points[j], points[i])) {
                dominated[j].push_back(i);
                ++dominators[i];
            }
        }
    std::vector<std::vector<std::size_t>> fronts;
    std::vector<std::size_t> current;
    for (std::size_t i = 0; i < n; ++i)
        if (dominators[i] == 0) current.push_back(i);
    while (!current.empty()) {
        std::vector<std::size_t> next;
        for (std::size_t i : current)
            for (std::size_t j : dominated[i])
                if (--dominators[j] == 0) next.push_back(j);
        std::sort(next.begin(), next.end());
        fronts.push_back(std::move(current));
        current = std::move(next);
    }
    return fronts;
}

/// Crowding distance of each member of `front` (same order as `front`): the
/// normalised perimeter of the box spanned by its neighbours in every
/// objective; the extremes of each objective get +infinity so they survive.
inline std::vector<double> crowding_distance(const std::vector<std::vector<double>>& points,
                                             std::span<const std::size_t> front) {
    const std::size_t n = front.size();
    std::vector<double> distance(n, 0.0);
    if (n == 0) return distance;
    const std::size_t objectives = points[front[0]].size();
    std::vector<std::size_t> order(n);
    for (std::size_t m = 0; m < objectives; ++m) {
        std::iota(order.begin(), order.end(), std::size_t{0});
        std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
            const double va = points[front[a]][m], vb = points[front[b]][m];
            return va != vb ? va < vb : front[a] < front[b];
        });
        const double lo = points[front[order.front()]][m];
        const double hi = points[front[order.back()]][m];
        distance[order.front()] = std::numeric_limits<double>::infinity();
        distance[order.back()] = std::numeric_limits<double>::infinity();
        const double range = hi - lo;
        // A flat or infeasible (infinite) objective says nothing about spread.
        if (!(range > 0) || !std::isfinite(range)) continue;
        for (std::size_t k = 1; k + 1 < n; ++k)
            distance[order[k]] += (points[front[order[k + 1]]][m] - points[front[order[k - 1]]][m]) / range;
    }
    return distance;
}

} // namespace stream::plugins::alloc
