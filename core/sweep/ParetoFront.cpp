#include "sweep/ParetoFront.hpp"

#include <algorithm>
#include <numeric>

namespace stream::sweep {

namespace {

bool dominates(const std::vector<double>& a, const std::vector<double>& b) {
    bool better = false;
    for (std::size_t m = 0; m < a.size(); ++m) {
        if (a[m] > b[m]) return false;
        better = better || a[m] < b[m];
    }
    return better;
}

} // namespace

std::vector<std::size_t> pareto_front(const std::vector<std::vector<double>>& values) {
    // A row's dominators sort before it lexicographically, and every dominated row is dominated
    // by a front row, so each row need only be compared with the front found so far.
    std::vector<std::size_t> order(values.size());
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return values[a] < values[b]; });
    std::vector<std::size_t> front;
    for (std::size_t i : order)
        if (std::none_of(front.begin(), front.end(), [&](std::size_t f) { return dominates(values[f], values[i]); })) front.push_back(i);
    std::sort(front.begin(), front.end());
    return front;
}

} // namespace stream::sweep
