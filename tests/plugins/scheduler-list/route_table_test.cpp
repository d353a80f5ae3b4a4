// Fewest-hop routes and first-come-first-served link reservations.
#include "link_occupancy.hpp"
#include "route_table.hpp"

#include <stream/plugin.hpp>

#include <doctest/doctest.h>

using stream::plugins::LinkOccupancy;
using stream::plugins::RouteTable;

namespace {

stream_link_v1 link(int64_t id, int64_t from, int64_t to, double bw, bool bidirectional = true) {
    stream_link_v1 l{};
    l.struct_size = sizeof l;
    l.id = id;
    l.from_core = from;
    l.to_core = to;
    l.bandwidth_bits_per_cycle = bw;
    l.energy_pj_per_bit = 1.0;
    l.latency_cycles = 1.0;
    l.bidirectional = bidirectional ? 1 : 0;
    return l;
}

stream_accelerator_v1 accelerator(std::vector<stream_core_v1>& cores, std::vector<stream_link_v1>& links) {
    return {sizeof(stream_accelerator_v1), "t", cores.data(), static_cast<uint32_t>(cores.size()), -1,
            links.data(), static_cast<uint32_t>(links.size())};
}

} // namespace

TEST_CASE("routes: fewest hops, directions respected, none when unreachable") {
    std::vector<stream_core_v1> cores(5);
    // a chain 0 - 1 - 2 - 3 plus a shortcut 0 -> 3 usable one way only; core 4 isolated
    std::vector<stream_link_v1> links = {link(10, 0, 1, 8), link(11, 1, 2, 4), link(12, 2, 3, 8),
                                         link(13, 0, 3, 2, false)};
    RouteTable routes(accelerator(cores, links));
    REQUIRE(routes.find(0, 3) != nullptr);
    CHECK(routes.find(0, 3)->links == std::vector<std::size_t>{3});
    // back from 3 to 0 the shortcut is not allowed: 3 hops over the chain
    REQUIRE(routes.find(3, 0) != nullptr);
    CHECK(routes.find(3, 0)->links == std::vector<std::size_t>{2, 1, 0});
    CHECK(routes.find(3, 0)->min_bandwidth_bits_per_cycle == 4);
    CHECK(routes.find(3, 0)->latency_cycles == 3);
    CHECK(routes.find(3, 0)->energy_pj_per_bit == 3);
    CHECK(routes.find(2, 2)->links.empty());
    CHECK(routes.find(0, 4) == nullptr);
    CHECK(routes.find(4, 0) == nullptr);
}

TEST_CASE("routes: a link naming an unknown core is rejected") {
    std::vector<stream_core_v1> cores(2);
    std::vector<stream_link_v1> links = {link(7, 0, 5, 8)};
    CHECK_THROWS_AS(RouteTable(accelerator(cores, links)), stream::sdk::Error);
}

TEST_CASE("link occupancy: reservations queue first come first served") {
    std::vector<stream_core_v1> cores(3);
    std::vector<stream_link_v1> links = {link(0, 0, 1, 10), link(1, 1, 2, 5)};
    RouteTable routes(accelerator(cores, links));
    LinkOccupancy occupancy(links.size());
    // 0 -> 2 over both links: ceil(12 / 5) = 3 cycles + 2 latency, from 4 -> [4, 9]
    auto first = occupancy.reserve(*routes.find(0, 2), 4, 12);
    CHECK(first.start_cycle == 4);
    CHECK(first.end_cycle == 9);
    CHECK(first.energy_pj == 24);
    // 1 -> 0 ready at 0 still waits for link 0 (one timeline for both directions): [9, 9 + 1 + 1]
    auto second = occupancy.reserve(*routes.find(1, 0), 0, 10);
    CHECK(second.start_cycle == 9);
    CHECK(second.end_cycle == 11);
    CHECK(occupancy.free_at_cycle(0) == 11);
    CHECK(occupancy.free_at_cycle(1) == 9);
}

TEST_CASE("routes: a bus joins any two of its cores in one hop, sharing one timeline") {
    std::vector<stream_core_v1> cores(4);
    const std::vector<int64_t> members = {0, 1, 2};
    std::vector<stream_link_v1> links = {link(20, -1, -1, 8), link(21, 2, 3, 8)};
    links[0].bus_cores = members.data();
    links[0].bus_core_count = 3;
    RouteTable routes(accelerator(cores, links));
    CHECK(routes.find(0, 2)->links == std::vector<std::size_t>{0});
    CHECK(routes.find(2, 1)->links == std::vector<std::size_t>{0});
    CHECK(routes.find(0, 3)->links == std::vector<std::size_t>{0, 1});
    LinkOccupancy occupancy(links.size());
    // 0 -> 1 and 2 -> 0 both use the bus: 16 bits / 8 = 2 cycles + 1 latency each, one after the other
    auto first = occupancy.reserve(*routes.find(0, 1), 0, 16);
    auto second = occupancy.reserve(*routes.find(2, 0), 0, 16);
    CHECK(first.end_cycle == 3);
    CHECK(second.start_cycle == 3);
    CHECK(second.end_cycle == 6);
}

TEST_CASE("routes: a DRAM read bus carries only what DRAM sends, a write bus only what it receives") {
    // Cores 0 and 1 compute, 2 is DRAM: link 0 is the read bus (sender 2 only), link 1 the write bus (receiver 2 only).
    std::vector<stream_core_v1> cores(3);
    const std::vector<int64_t> members = {0, 1, 2};
    std::vector<stream_link_v1> links = {link(0, 2, -1, 8), link(1, -1, 2, 8)};
    for (auto& l : links) {
        l.bus_cores = members.data();
        l.bus_core_count = 3;
    }
    RouteTable routes(accelerator(cores, links));
    CHECK(routes.find(2, 0)->links == std::vector<std::size_t>{0});
    CHECK(routes.find(1, 2)->links == std::vector<std::size_t>{1});
    // 0 -> 1 has no direct bus: it goes up to DRAM on the write bus and down on the read bus.
    CHECK(routes.find(0, 1)->links == std::vector<std::size_t>{1, 0});
}
