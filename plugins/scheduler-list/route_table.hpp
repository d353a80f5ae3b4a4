// Routes between every pair of cores: the fewest-hop path over the
// accelerator's links (point-to-point, one or both ways, or buses that join
// any two of their cores in one hop), found once per schedule by a
// breadth-first search from each core. Ties go to the link listed first.
#pragma once

#include <stream/plugin.h>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <vector>

namespace stream::plugins {

struct Route {
    std::vector<std::size_t> links; ///< indices into accelerator.links, in travel order
    double min_bandwidth_bits_per_cycle = 0.0;
    double latency_cycles = 0.0;    ///< sum over the links
    double energy_pj_per_bit = 0.0; ///< sum over the links
};

class RouteTable {
public:
    /// Throws sdk::Error (STREAM_ERROR_INVALID_INPUT) for a link that names an
    /// unknown core or has no bandwidth.
    explicit RouteTable(const stream_accelerator_v1& accelerator);

    /// The route from `from_core` to `to_core`: empty when they are the same
    /// core, nullptr when no path exists.
    const Route* find(int64_t from_core, int64_t to_core) const;

private:
    std::size_t core_count_;
    std::vector<std::optional<Route>> routes_; ///< from_core * core_count_ + to_core
};

} // namespace stream::plugins
