#include "Routes.hpp"

#include <stream/plugin.hpp>

#include <algorithm>
#include <deque>
#include <limits>
#include <map>
#include <tuple>
#include <string>
#include <utility>

namespace stream::plugins::stream_scheduler {

namespace {

struct Edge {
    std::size_t to_core;
    std::uint32_t link;
};

std::span<const std::int64_t> bus_cores(const stream_link_v1& link) {
    if (!STREAM_HAS_FIELD(stream_link_v1, link.struct_size, bus_core_count)) return {};
    return sdk::view(link.bus_cores, link.bus_core_count);
}

} // namespace

bool Routes::is_onchip_bus(const stream_link_v1& link, std::int64_t offchip_core) {
    std::span<const std::int64_t> bus = bus_cores(link);
    return bus.size() > 2 && std::find(bus.begin(), bus.end(), offchip_core) == bus.end();
}

void Routes::build(const stream_accelerator_v1& accelerator, bool stream_compat) {
    core_count_ = accelerator.core_count;
    const auto links = sdk::view(accelerator.links, accelerator.link_count);
    std::vector<std::vector<Edge>> edges(core_count_);
    auto valid = [&](std::int64_t core) { return core >= 0 && core < static_cast<std::int64_t>(core_count_); };
    for (std::uint32_t l = 0; l < links.size(); ++l) {
        const stream_link_v1& link = *STREAM_AT(stream_link_v1, accelerator.links, l);
        const sdk::Item item = sdk::Item::link(link.id);
        if (!(link.bandwidth_bits_per_cycle > 0.0))
            throw sdk::Error(STREAM_ERROR_INVALID_INPUT, "link " + std::to_string(link.id) + " has no bandwidth", item);
        std::span<const std::int64_t> bus = bus_cores(link);
        if (!bus.empty()) {
            for (std::int64_t core : bus)
                if (!valid(core))
                    throw sdk::Error(STREAM_ERROR_INVALID_INPUT,
                                     "bus link " + std::to_string(link.id) + " lists core " + std::to_string(core) +
                                         ", but there are " + std::to_string(core_count_) + " cores",
                                     item);
            // from_core/to_core, when set, restrict a bus to one sender (a DRAM read bus)
            // or one receiver (a DRAM write bus).
            for (std::int64_t from : bus)
                for (std::int64_t to : bus)
                    if (from != to && (link.from_core < 0 || from == link.from_core) &&
                        (link.to_core < 0 || to == link.to_core))
                        edges[static_cast<std::size_t>(from)].push_back({static_cast<std::size_t>(to), l});
            continue;
        }
        if (!valid(link.from_core) || !valid(link.to_core))
            throw sdk::Error(STREAM_ERROR_INVALID_INPUT,
                             "link " + std::to_string(link.id) + " connects core " + std::to_string(link.from_core) +
                                 " to core " + std::to_string(link.to_core) + ", but there are " +
                                 std::to_string(core_count_) + " cores",
                             item);
        edges[static_cast<std::size_t>(link.from_core)].push_back({static_cast<std::size_t>(link.to_core), l});
        if (link.bidirectional)
            edges[static_cast<std::size_t>(link.to_core)].push_back({static_cast<std::size_t>(link.from_core), l});
    }

    timeline_link_.clear();
    for (std::uint32_t l = 0; l < links.size(); ++l) timeline_link_.push_back(l);
    std::map<std::tuple<std::uint32_t, std::int32_t, std::int32_t>, std::uint32_t> pair_timeline;
    auto timeline_of = [&](std::uint32_t l, std::int32_t a, std::int32_t b) -> std::uint32_t {
        const stream_link_v1& link = *STREAM_AT(stream_link_v1, accelerator.links, l);
        if (!stream_compat || !is_onchip_bus(link, accelerator.offchip_core)) return l;
        auto key = std::make_tuple(l, std::min(a, b), std::max(a, b));
        auto [it, added] = pair_timeline.try_emplace(key, static_cast<std::uint32_t>(timeline_link_.size()));
        if (added) timeline_link_.push_back(l);
        return it->second;
    };

    offsets_.assign(core_count_ * core_count_ + 1, 0);
    hops_.clear();
    reachable_.assign(core_count_ * core_count_, 0);
    constexpr std::size_t kUnreached = std::numeric_limits<std::size_t>::max();
    std::vector<std::size_t> via_core(core_count_);
    std::vector<std::uint32_t> via_link(core_count_);
    std::vector<char> seen(core_count_);
    std::vector<Hop> path;
    for (std::size_t source = 0; source < core_count_; ++source) {
        std::fill(seen.begin(), seen.end(), 0);
        std::fill(via_core.begin(), via_core.end(), kUnreached);
        seen[source] = 1;
        std::deque<std::size_t> frontier{source};
        while (!frontier.empty()) {
            const std::size_t core = frontier.front();
            frontier.pop_front();
            for (const Edge& edge : edges[core]) {
                if (seen[edge.to_core]) continue;
                seen[edge.to_core] = 1;
                via_core[edge.to_core] = core;
                via_link[edge.to_core] = edge.link;
                frontier.push_back(edge.to_core);
            }
        }
        for (std::size_t target = 0; target < core_count_; ++target) {
            const std::size_t i = source * core_count_ + target;
            offsets_[i] = hops_.size();
            reachable_[i] = seen[target];
            if (!seen[target]) continue;
            path.clear();
            for (std::size_t core = target; core != source; core = via_core[core]) {
                const auto from = static_cast<std::int32_t>(via_core[core]);
                const auto to = static_cast<std::int32_t>(core);
                path.push_back({via_link[core], from, to, timeline_of(via_link[core], from, to)});
            }
            hops_.insert(hops_.end(), path.rbegin(), path.rend());
        }
    }
    offsets_.back() = hops_.size();
}

} // namespace stream::plugins::stream_scheduler
