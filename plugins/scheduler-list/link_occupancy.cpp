#include "link_occupancy.hpp"

#include <algorithm>
#include <cmath>

namespace stream::plugins {

namespace {

// Whole cycles, forgiving the last ulps of a quotient that is exact on paper.
double ceil_cycles(double x) {
    double whole = std::floor(x);
    return x - whole <= 1e-9 * std::max(1.0, x) ? whole : whole + 1.0;
}

} // namespace

LinkReservation LinkOccupancy::reserve(const Route& route, double ready_cycle, int64_t bits) {
    LinkReservation r;
    r.start_cycle = ready_cycle;
    for (std::size_t l : route.links) r.start_cycle = std::max(r.start_cycle, free_at_cycle_[l]);
    double transfer_cycles =
        route.links.empty() ? 0.0 : ceil_cycles(static_cast<double>(bits) / route.min_bandwidth_bits_per_cycle);
    r.end_cycle = r.start_cycle + transfer_cycles + route.latency_cycles;
    r.energy_pj = static_cast<double>(bits) * route.energy_pj_per_bit;
    for (std::size_t l : route.links) free_at_cycle_[l] = r.end_cycle;
    return r;
}

} // namespace stream::plugins
