// The search's fast path (search_layout, fast_allocator, fast_cost_model) against the reference
// it replaces in the search (allocate_ordering, evaluate, search_temporal_mapping_exhaustive):
// on every ordering of layers chosen to reach every branch of the model (pr axes with stride and
// padding, fractional unrollings, shared and per-MAC memories, DRAM levels, streamed operands,
// ZigZag's quirks on and off), the same allocation and bit-identical latency and energy; and
// the same best mapping.
#include "dataflow_model.hpp"
#include "dataflow_test_support.hpp"
#include "fast_allocator.hpp"
#include "fast_cost_model.hpp"
#include "mapping_search.hpp"
#include "offchip_streaming.hpp"
#include "search_layout.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <random>
#include <string>
#include <tuple>
#include <vector>

using namespace stream::dataflow;
using namespace stream::dataflow::test;

namespace {

struct Case {
    std::string name;
    LoopNest nest;
    CoreDescription core;
    SpatialMapping spatial;
    bool small = false; // few orderings: the exhaustive search runs for every objective
    int lpf_limit = 5;  // at most 5! = 120 orderings: every branch is reached, the tests stay quick
};

// O[k] = I[k] + W[k] (both inputs are activations, as an element-wise Add).
LoopNest add_layer(int64_t k, int64_t oy, int64_t ox) {
    std::vector<LoopDim> dims{{"K", k}, {"OY", oy}, {"OX", ox}};
    auto axes = [&] { return std::vector<TensorAxis>{{{{0, 1}}, k}, {{{1, 1}}, oy}, {{{2, 1}}, ox}}; };
    std::vector<Operand> ops{{"I", OperandRole::Input, 8, 0, axes()},
                             {"W", OperandRole::Input, 8, 0, axes()},
                             {"O", OperandRole::Output, 8, 0, axes()}};
    return LoopNest(dims, ops);
}

MemoryLevel dram_level() {
    return mem("dram", 10000000000LL, 64, 1000, 1000, {"I", "W", "O"}, {}, 0, 0, 1,
               concat({input_ports("I", "rw_port_1", "rw_port_1"), input_ports("W", "rw_port_1", "rw_port_1"),
                       output_ports("rw_port_1", "rw_port_1", "rw_port_1", "rw_port_1")}));
}

Case make_case(std::string name, LoopNest nest, CoreDescription core,
               std::vector<std::pair<std::string, std::pair<std::string, double>>> flow) {
    SpatialMapping sm = SpatialMapping::normalized(nest, core, user_mapping(std::move(flow)));
    return Case{std::move(name), std::move(nest), std::move(core), std::move(sm), false, 5};
}

std::vector<Case> cases() {
    std::vector<Case> out;
    out.push_back(make_case("toy conv (pr axes)", conv(4, 2, 2, 2, 3, 3, 1, 4), toy_core(), {{"D1", {"K", 4}}}));
    out.push_back(make_case("toy matvec", matvec(8, 6), toy_core(), {{"D1", {"K", 4}}}));
    out.back().small = true;
    out.push_back(make_case("zigzag tpu_like conv1 (stride 2, padding, DRAM)", conv(64, 3, 112, 112, 7, 7, 2, 229),
                            zigzag_tpu_like(), {{"D1", {"C", 32}}, {"D2", {"K", 32}}}));
    out.push_back(make_case("zigzag tpu_like fc (K 1000 on 32: 31.25)", conv(1000, 512, 1, 1, 1, 1, 1, 1),
                            zigzag_tpu_like(), {{"D1", {"K", 32}}, {"D2", {"C", 32}}}));
    out.back().small = true;
    out.push_back(make_case("stream tpu_like conv, K on the array", conv(32, 64, 7, 7, 3, 3, 1, 7), stream_tpu_like(),
                            {{"D1", {"K", 32}}, {"D2", {"C", 32}}}));
    {
        // W streamed from DRAM: buf 2048 b holds O (128 b) and I (512 b), not W (4096 b).
        LoopNest nest = matvec(8, 64);
        CoreDescription core = toy_core();
        core.memories[1].size_bits = 2048;
        CoreDescription ext = with_offchip_level(core, dram_level(), {"W"});
        out.push_back(make_case("toy matvec with W streamed", std::move(nest), std::move(ext), {{"D1", {"K", 4}}}));
        out.back().small = true;
    }
    // Tight memories under a DRAM: no transfer on the DRAM port is double-buffered or covers its
    // whole period, so the port's stall needs the union of the memory-updating windows.
    for (auto [k, c, oy, ox, f, stride, rf, buf] :
         {std::tuple{8, 1, 5, 2, 2, 1, 8, 256}, std::tuple{12, 1, 2, 3, 3, 1, 16, 256}, std::tuple{8, 1, 2, 2, 3, 2, 16, 256}}) {
        CoreDescription core = toy_core();
        core.memories[0].size_bits = rf;
        core.memories[1].size_bits = buf;
        core.memories.push_back(dram_level());
        out.push_back(make_case("toy conv K" + std::to_string(k) + " OY" + std::to_string(oy) + " OX" + std::to_string(ox) +
                                    " F" + std::to_string(f) + " under DRAM (window unions)",
                                conv(k, c, oy, ox, f, f, stride, 8), std::move(core), {{"D1", {"K", 4}}}));
    }
    out.push_back(make_case("simd Add, all operands streamed", add_layer(128, 28, 28),
                            with_offchip_level(stream_simd(), dram_level(), {"I", "W", "O"}), {{"D1", {"K", 64}}}));
    return out;
}

// The search's enumeration: LPFs sorted by dim name, then size; every distinct permutation.
std::vector<std::vector<LoopFactor>> orderings(const LoopNest& nest, const SpatialMapping& sm, int lpf_limit) {
    std::vector<LoopFactor> f = loop_prime_factors(nest, sm, lpf_limit);
    auto less = [&](const LoopFactor& a, const LoopFactor& b) {
        const std::string& na = nest.dims()[a.dim].name;
        const std::string& nb = nest.dims()[b.dim].name;
        return na != nb ? na < nb : a.size < b.size;
    };
    std::sort(f.begin(), f.end(), less);
    std::vector<std::vector<LoopFactor>> out;
    do out.push_back(f);
    while (std::next_permutation(f.begin(), f.end(), less));
    return out;
}

} // namespace

TEST_CASE("fast search - allocation and cost of every ordering equal the reference") {
    for (bool quirks : {true, false}) {
        CostModelOptions options;
        options.compat_zigzag = quirks;
        for (const Case& c : cases()) {
            const std::string label = c.name + (quirks ? ", ZigZag quirks" : ", quirks off");
            INFO(label);
            const SearchLayout layout = SearchLayout::make(c.nest, c.core, c.spatial);
            FastAllocator allocator(layout);
            FastCostModel model(layout, options);
            Allocation alloc;
            std::size_t fitted = 0, mismatches = 0;
            std::string first_mismatch;
            for (const auto& ordering : orderings(c.nest, c.spatial, c.lpf_limit)) {
                std::optional<TemporalMapping> ref = allocate_ordering(c.nest, c.core, c.spatial, ordering);
                const bool ok = allocator.allocate(ordering, alloc);
                if (ok != ref.has_value()) {
                    ++mismatches;
                    continue;
                }
                if (!ok) continue;
                ++fitted;
                const std::string text = format_zigzag(c.nest, to_temporal_mapping(layout, ordering, alloc));
                const CostResult r = evaluate(c.nest, c.core, c.spatial, *ref, options);
                CostScalars lat, en;
                REQUIRE(model.evaluate(ordering, alloc, Objective::Latency, nullptr, lat));
                REQUIRE(model.evaluate(ordering, alloc, Objective::Energy, nullptr, en));
                // exact: the search compares these numbers, ties included
                if (text != format_zigzag(c.nest, *ref) || lat.latency_total2 != r.latency_total2 ||
                    lat.energy_total != r.energy_total || en.latency_total2 != r.latency_total2 ||
                    en.energy_total != r.energy_total) {
                    if (mismatches++ == 0)
                        first_mismatch = format_zigzag(c.nest, *ref) + ": latency " + std::to_string(lat.latency_total2) +
                                         " vs " + std::to_string(r.latency_total2) + ", energy " +
                                         std::to_string(lat.energy_total) + " vs " + std::to_string(r.energy_total);
                }
            }
            INFO("first mismatch: " << first_mismatch);
            CHECK(fitted > 0);
            CHECK(mismatches == 0);
        }
    }
}

TEST_CASE("fast search - same best mapping as the exhaustive search, for every objective") {
    // Latency (the default objective) everywhere; energy and EDP on the layers with few orderings.
    for (bool quirks : {true, false})
        for (Objective objective : {Objective::Latency, Objective::Energy, Objective::Edp})
            for (const Case& c : cases()) {
                if (objective != Objective::Latency && (!quirks || !c.small)) continue;
                const std::string label = c.name + (quirks ? ", ZigZag quirks" : ", quirks off") + ", objective " +
                                          std::to_string(static_cast<int>(objective));
                INFO(label);
                SearchOptions options;
                options.lpf_limit = c.lpf_limit;
                options.objective = objective;
                options.model.compat_zigzag = quirks;
                const SearchResult fast = search_temporal_mapping(c.nest, c.core, c.spatial, options);
                const SearchResult ref = search_temporal_mapping_exhaustive(c.nest, c.core, c.spatial, options);
                REQUIRE(ref.mapping);
                REQUIRE(fast.mapping);
                CHECK(format_zigzag(c.nest, *fast.mapping) == format_zigzag(c.nest, *ref.mapping));
                CHECK(fast.cost.latency_total2 == ref.cost.latency_total2);
                CHECK(fast.cost.energy_total == ref.cost.energy_total);
                CHECK(fast.stats.factors == ref.stats.factors);
                CHECK(fast.stats.orderings == ref.stats.orderings);
                CHECK(fast.stats.allocated == ref.stats.allocated);
                CHECK(fast.stats.evaluated + fast.stats.pruned == fast.stats.allocated);
            }
}

TEST_CASE("fast search - the memory-updating-window union counted without a timeline") {
    // Random nested periods (each a multiple of the previous) and windows against a walk over
    // every cycle of the longest period.
    std::mt19937 rng(7);
    for (int trial = 0; trial < 3000; ++trial) {
        std::vector<int64_t> periods, windows;
        int64_t p = std::uniform_int_distribution<int64_t>(1, 5)(rng);
        const int groups = std::uniform_int_distribution<int>(1, 5)(rng);
        for (int g = 0; g < groups; ++g) {
            periods.push_back(p);
            windows.push_back(std::uniform_int_distribution<int64_t>(0, p)(rng));
            p *= std::uniform_int_distribution<int64_t>(2, 4)(rng);
        }
        int64_t busy = 0;
        for (int64_t t = 0; t < periods.back(); ++t) {
            bool b = false;
            for (std::size_t j = 0; j < periods.size(); ++j) b = b || t % periods[j] < windows[j];
            busy += b ? 1 : 0;
        }
        INFO("trial " << trial);
        REQUIRE(nested_busy_cycles(periods, windows) == busy);
    }
    // Hand-checked: period 2 window 1 (even cycles) with period 8 window 3 ({0,1,2}): busy
    // {0,1,2,4,6} = 5 of 8.
    CHECK(nested_busy_cycles({2, 8}, {1, 3}) == 5);
}
