#include "route_table.hpp"

#include <stream/plugin.hpp>

#include <algorithm>
#include <deque>
#include <limits>
#include <span>
#include <string>

namespace stream::plugins {

namespace {

struct Hop {
    std::size_t to_core;
    std::size_t link;
};

sdk::Item link_item(const stream_link_v1& link) { return {STREAM_ITEM_LINK, link.id, {}, {}, 0, 0}; }

} // namespace

RouteTable::RouteTable(const stream_accelerator_v1& accelerator)
    : core_count_(accelerator.core_count), routes_(core_count_ * core_count_) {
    auto links = sdk::view(accelerator.links, accelerator.link_count);
    std::vector<std::vector<Hop>> hops(core_count_);
    auto valid = [&](int64_t core) { return core >= 0 && core < static_cast<int64_t>(core_count_); };
    for (std::size_t l = 0; l < links.size(); ++l) {
        const stream_link_v1& link = links[l];
        if (!(link.bandwidth_bits_per_cycle > 0.0))
            throw sdk::Error(STREAM_ERROR_INVALID_INPUT,
                             "link " + std::to_string(link.id) + " has no bandwidth", link_item(link));
        auto bus = STREAM_HAS_FIELD(stream_link_v1, link.struct_size, bus_core_count)
                       ? sdk::view(link.bus_cores, link.bus_core_count)
                       : std::span<const int64_t>{};
        if (!bus.empty()) {
            // A bus is one hop between any two of its cores; from_core/to_core, when set, restrict it to
            // one sender (a DRAM read bus) or one receiver (a DRAM write bus).
            for (int64_t core : bus)
                if (!valid(core))
                    throw sdk::Error(STREAM_ERROR_INVALID_INPUT,
                                     "bus link " + std::to_string(link.id) + " lists core " + std::to_string(core) +
                                         ", but there are " + std::to_string(core_count_) + " cores",
                                     link_item(link));
            for (int64_t from : bus)
                for (int64_t to : bus)
                    if (from != to && (link.from_core < 0 || from == link.from_core) &&
                        (link.to_core < 0 || to == link.to_core))
                        hops[static_cast<std::size_t>(from)].push_back({static_cast<std::size_t>(to), l});
            continue;
        }
        if (!valid(link.from_core) || !valid(link.to_core))
            throw sdk::Error(STREAM_ERROR_INVALID_INPUT,
                             "link " + std::to_string(link.id) + " connects core " + std::to_string(link.from_core) +
                                 " to core " + std::to_string(link.to_core) + ", but there are " +
                                 std::to_string(core_count_) + " cores",
                             link_item(link));
        hops[static_cast<std::size_t>(link.from_core)].push_back({static_cast<std::size_t>(link.to_core), l});
        if (link.bidirectional)
            hops[static_cast<std::size_t>(link.to_core)].push_back({static_cast<std::size_t>(link.from_core), l});
    }

    constexpr std::size_t unreached = std::numeric_limits<std::size_t>::max();
    std::vector<std::size_t> via_link(core_count_);
    std::vector<std::size_t> via_core(core_count_);
    std::vector<bool> seen(core_count_);
    for (std::size_t source = 0; source < core_count_; ++source) {
        std::fill(via_link.begin(), via_link.end(), unreached);
        std::fill(seen.begin(), seen.end(), false);
        seen[source] = true;
        std::deque<std::size_t> frontier{source};
        while (!frontier.empty()) {
            std::size_t core = frontier.front();
            frontier.pop_front();
            for (const Hop& hop : hops[core]) {
                if (seen[hop.to_core]) continue;
                seen[hop.to_core] = true;
                via_link[hop.to_core] = hop.link;
                via_core[hop.to_core] = core;
                frontier.push_back(hop.to_core);
            }
        }
        for (std::size_t target = 0; target < core_count_; ++target) {
            if (!seen[target]) continue;
            Route route;
            for (std::size_t core = target; core != source; core = via_core[core]) route.links.push_back(via_link[core]);
            std::reverse(route.links.begin(), route.links.end());
            route.min_bandwidth_bits_per_cycle = route.links.empty() ? 0.0 : std::numeric_limits<double>::infinity();
            for (std::size_t l : route.links) {
                route.min_bandwidth_bits_per_cycle =
                    std::min(route.min_bandwidth_bits_per_cycle, links[l].bandwidth_bits_per_cycle);
                route.latency_cycles += links[l].latency_cycles;
                route.energy_pj_per_bit += links[l].energy_pj_per_bit;
            }
            routes_[source * core_count_ + target] = std::move(route);
        }
    }
}

const Route* RouteTable::find(int64_t from_core, int64_t to_core) const {
    if (from_core < 0 || to_core < 0 || from_core >= static_cast<int64_t>(core_count_) ||
        to_core >= static_cast<int64_t>(core_count_))
        return nullptr;
    const auto& route = routes_[static_cast<std::size_t>(from_core) * core_count_ + static_cast<std::size_t>(to_core)];
    return route ? &*route : nullptr;
}

} // namespace stream::plugins
