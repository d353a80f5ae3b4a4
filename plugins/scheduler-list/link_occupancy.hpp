// When each link is next free. Transfers reserve every link of their route for
// the same interval, first come first served: a transfer starts when its data
// is ready and all its links are free, and holds them until it ends. A link
// that carries both directions has one timeline (shared bandwidth).
#pragma once

#include "route_table.hpp"

#include <cstddef>
#include <cstdint>
#include <vector>

namespace stream::plugins {

struct LinkReservation {
    double start_cycle = 0.0;
    double end_cycle = 0.0;
    double energy_pj = 0.0;
};

class LinkOccupancy {
public:
    explicit LinkOccupancy(std::size_t link_count) : free_at_cycle_(link_count, 0.0) {}

    /// Reserves `route` for `bits` bits ready at `ready_cycle`:
    ///   start = max(ready, free_at of every route link)
    ///   end   = start + ceil(bits / min route bandwidth) + sum of link latencies
    ///   energy = bits * sum of link energy per bit
    LinkReservation reserve(const Route& route, double ready_cycle, int64_t bits);

    double free_at_cycle(std::size_t link) const { return free_at_cycle_[link]; }

private:
    std::vector<double> free_at_cycle_;
};

} // namespace stream::plugins
