// The route between every ordered pair of cores: the fewest-hop path over the
// accelerator's links, computed once per schedule (Stream precomputes the same
// with networkx). Ties go to the link listed first.
//
// Each hop also names the timeline whose activity it occupies. By default
// that is the link itself: every pair of cores on a bus shares the bus's
// bandwidth. With Stream's compat on, a bus between more than two on-chip
// cores behaves as Stream builds it: one independent link per pair of its
// cores (a DRAM bus, i.e. a shared off-chip port, stays one shared link).
#pragma once

#include <stream/plugin.h>

#include <cstdint>
#include <span>
#include <vector>

namespace stream::plugins::stream_scheduler {

struct Hop {
    std::uint32_t link;     ///< index into accelerator.links
    std::int32_t from_core;
    std::int32_t to_core;
    std::uint32_t timeline; ///< which activity timeline the hop occupies
};

class Routes {
public:
    /// Throws sdk::Error (STREAM_ERROR_INVALID_INPUT) for a link naming an unknown
    /// core or without bandwidth.
    void build(const stream_accelerator_v1& accelerator, bool stream_compat);

    bool reachable(std::int64_t from_core, std::int64_t to_core) const {
        return reachable_[index(from_core, to_core)] != 0;
    }
    /// The hops from `from_core` to `to_core`; empty for the same core or no path.
    std::span<const Hop> hops(std::int64_t from_core, std::int64_t to_core) const {
        const std::size_t i = index(from_core, to_core);
        return {hops_.data() + offsets_[i], offsets_[i + 1] - offsets_[i]};
    }

    std::size_t timeline_count() const { return timeline_link_.size(); }
    /// The link whose bandwidth timeline `t` has.
    std::uint32_t timeline_link(std::size_t t) const { return timeline_link_[t]; }

    /// True when `link` is a bus among more than two on-chip cores (Stream's per-pair links).
    static bool is_onchip_bus(const stream_link_v1& link, std::int64_t offchip_core);

private:
    std::size_t index(std::int64_t from, std::int64_t to) const {
        return static_cast<std::size_t>(from) * core_count_ + static_cast<std::size_t>(to);
    }

    std::size_t core_count_ = 0;
    std::vector<std::size_t> offsets_; ///< per (from, to), into hops_
    std::vector<Hop> hops_;
    std::vector<char> reachable_;
    std::vector<std::uint32_t> timeline_link_;
};

} // namespace stream::plugins::stream_scheduler
