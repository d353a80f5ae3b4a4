// ZigZag's spatial-mapping generator (zigzag.md §3.3) on a hand-derivable layer and core, and
// the plugin's use of it (candidates searched, best kept) and of the exhaustive temporal search.
#include "dataflow_model.hpp"
#include "dataflow_test_support.hpp"
#include "mapping_search.hpp"
#include "spatial_mapping_generator.hpp"

#include <doctest/doctest.h>

#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

using namespace stream::dataflow;
using namespace stream::dataflow::test;

namespace {

// Array D1 = 4, D2 = 2.
// rf_w: W, one per MAC (served []), 64 b, 8 b/cycle.
// rf_o: O, shared over D2, 32 b, 16 b/cycle: with 16-bit partial sums it takes 16 / 16 = 1 output
//       per cycle, so D2 may unroll K (relevant to O) at most once (the multicast-bandwidth limit).
// buf: I, W, O over D1 and D2; W and O live lower, so it is not an innermost memory and sets no limit.
CoreDescription gen_core(int64_t rf_w_bits = 64, std::vector<std::string> rf_w_served = {}, double rf_w_bw = 8) {
    CoreDescription c;
    c.name = "gen";
    c.array_dims = {{"D1", 4}, {"D2", 2}};
    c.mac_energy_pj = 0.5;
    c.memories = {
        mem("rf_w", rf_w_bits, rf_w_bw, 1, 2, {"W"}, std::move(rf_w_served), 1, 1, 0, input_ports("W", "w_port_1", "r_port_1")),
        mem("rf_o", 32, 16, 1, 2, {"O"}, {"D2"}, 2, 2, 0, output_ports("w_port_1", "r_port_1", "w_port_2", "r_port_2")),
        mem("buf", 1 << 16, 64, 10, 20, {"I", "W", "O"}, {"D1", "D2"}, 1, 1, 0,
            concat({input_ports("I", "w_port_1", "r_port_1"), input_ports("W", "w_port_1", "r_port_1"),
                    output_ports("w_port_1", "r_port_1", "w_port_1", "r_port_1")})),
    };
    return c;
}

std::vector<std::string> texts(const std::vector<SpatialMapping>& ms) {
    std::vector<std::string> out;
    for (const auto& m : ms) out.push_back(format_spatial(m));
    return out;
}

// An instance on `host` costs `in`; the result (the sink's fields) is returned.
Captured cost_with(FakeHost& host, AbiViews& in) {
    Instance inst(host);
    REQUIRE(inst.status == STREAM_OK);
    Captured out;
    REQUIRE(core_model().evaluate(inst.p, &in.core, &in.cn, &out.sink) == STREAM_OK);
    return out;
}

// An exhaustive search limited to `max_orderings` on `in`: the status, and the one error the host got.
std::pair<stream_status, std::string> exhaustive_refusal(AbiViews& in, int64_t max_orderings) {
    FakeHost host;
    host.strings["search"] = "exhaustive";
    host.ints["exhaustive_max_orderings"] = max_orderings;
    Instance inst(host);
    REQUIRE(inst.status == STREAM_OK);
    Captured out;
    const stream_status status = core_model().evaluate(inst.p, &in.core, &in.cn, &out.sink);
    REQUIRE(host.errors.size() == 1);
    CHECK(host.errors[0].kind == STREAM_ITEM_LAYER);
    return {status, host.errors[0].message};
}

// The spatial part of a result's mapping text.
std::string spatial_of(const std::string& mapping_text) {
    const std::size_t at = mapping_text.find("\nspatial ");
    return at == std::string::npos ? std::string{} : mapping_text.substr(at + 9);
}

// The oracle of the plugin's choice: each candidate searched by the library, the best by latency
// (ties by energy), the first on ties.
std::pair<std::size_t, SearchResult> best_of(const AbiViews& in, const std::vector<SpatialMapping>& candidates) {
    std::size_t best = 0;
    std::vector<SearchResult> searched;
    SearchOptions options; // the plugin's defaults: ZigZag's quirks off outside --compat stream
    options.model.compat_zigzag = false;
    for (const auto& c : candidates)
        searched.push_back(
            search_temporal_mapping(in.nest, in.core_desc, SpatialMapping::normalized(in.nest, in.core_desc, c), options));
    for (std::size_t i = 1; i < searched.size(); ++i)
        if (better(Objective::Latency, searched[i].cost, searched[best].cost)) best = i;
    return {best, searched[best]};
}

} // namespace

TEST_CASE("spatial mapping generator - largest unrollings: array size, layer size, multicast bandwidth") {
    // matvec K = 8, C = 6: min(L, size) gives D1: K 4, C 4 and D2: K 2, C 2; rf_o's one output per
    // cycle lowers D2's K to 1. rf_w is per MAC (no served dim): no limit from it.
    const auto max = max_unrollings(matvec(8, 6), gen_core());
    CHECK(max == std::vector<std::vector<int64_t>>{{4, 4}, {1, 2}});
    // Served over D1 at 16 b/cycle, rf_w feeds 2 distinct weights per cycle: K and C on D1 <= 2.
    CHECK(max_unrollings(matvec(8, 6), gen_core(64, {"D1"}, 16)) == std::vector<std::vector<int64_t>>{{2, 2}, {1, 2}});
}

TEST_CASE("spatial mapping generator - hand-derived candidates and their ranking") {
    const LoopNest nest = matvec(8, 6);
    const CoreDescription core = gen_core();
    // No mapping, no hints: each array dim may unroll K or C at every divisor of its largest
    // unrolling, largest first: D1 {K4, K2, K1, C4, C2, C1}, D2 {K1, C2, C1}. Of the 18 pairs only
    // C4 x C2 (C 8 > 6) is invalid. Indicator U + (U / largest per-dim total - 1):
    //   K4,C2 -> 8 + (8/4 - 1) = 9;  K2,C2 -> 4 + (4/2 - 1) = 5;  then the 4s in generation order:
    //   K4,K1 (4 + 0), K4,C1, C4,K1, C4,C1, C2,C2 (C total 4: 4 + 0); the rest 2 or less.
    CHECK(texts(generate_spatial_mappings(nest, core, {}, {})) ==
          std::vector<std::string>{"{D1: [(K, 4)], D2: [(C, 2)]}", "{D1: [(K, 2)], D2: [(C, 2)]}",
                                   "{D1: [(K, 4)], D2: [(K, 1)]}"});
    SpatialGeneratorOptions five;
    five.nb_mappings = 5;
    CHECK(texts(generate_spatial_mappings(nest, core, {}, {}, five)) ==
          std::vector<std::string>{"{D1: [(K, 4)], D2: [(C, 2)]}", "{D1: [(K, 2)], D2: [(C, 2)]}",
                                   "{D1: [(K, 4)], D2: [(K, 1)]}", "{D1: [(K, 4)], D2: [(C, 1)]}",
                                   "{D1: [(C, 4)], D2: [(K, 1)]}"});

    // Mixed: D1 also gets products over K and C of divisors other than 1 that fit 4: only K2 x C2
    // (K2 C4, K4 C2, K4 C4 exceed it); D2 has no K factor above 1, so nothing mixed. New pairs:
    //   [K2,C2],K1 -> 4 + (4/2 - 1) = 5;  [K2,C2],C2 -> C total 4: 8 + (8/4 - 1) = 9;  [K2,C2],C1 -> 5.
    // 9s: K4,C2 (generated first), then [K2,C2],C2; then the first 5: K2,C2.
    SpatialGeneratorOptions mixed;
    mixed.mixed = true;
    CHECK(texts(generate_spatial_mappings(nest, core, {}, {}, mixed)) ==
          std::vector<std::string>{"{D1: [(K, 4)], D2: [(C, 2)]}", "{D1: [(K, 2), (C, 2)], D2: [(C, 2)]}",
                                   "{D1: [(K, 2)], D2: [(C, 2)]}"});
    CHECK(performance_indicator(generate_spatial_mappings(nest, core, {}, {}, mixed)[1]) == 9);

    // A hint restricts D1 to C: D1 {C4, C2, C1} x D2 {K1, C2, C1}, C4 x C2 invalid:
    //   C4,K1 -> 4;  C4,C1 -> 4;  C2,K1 -> 2;  C2,C2 -> 4;  ... : the three 4s in generation order.
    CHECK(texts(generate_spatial_mappings(nest, core, {}, parse_spatial_hints("D1: C"))) ==
          std::vector<std::string>{"{D1: [(C, 4)], D2: [(K, 1)]}", "{D1: [(C, 4)], D2: [(C, 1)]}",
                                   "{D1: [(C, 2)], D2: [(C, 2)]}"});
    // A hint naming no dim of the layer is dropped (ZigZag's clear_invalid_hits): as no hint.
    CHECK(texts(generate_spatial_mappings(nest, core, {}, parse_spatial_hints("D1: OX, FY"))) ==
          texts(generate_spatial_mappings(nest, core, {}, {})));
}

TEST_CASE("spatial mapping generator - a given array dim is kept, reduced, and the rest filled") {
    const LoopNest nest = matvec(8, 6);
    const CoreDescription core = gen_core();
    // D1: K 8 is clamped to its largest unrolling 4 and OX (not a layer dim) is dropped; D2 is
    // filled: K1 -> U 4, K total 4: 4 + 0 = 4; C2 -> 8 + (8/4 - 1) = 9; C1 -> 4.
    SpatialMapping user;
    user.dims = {{"D1", {{"K", 8}, {"OX", 2}}}};
    CHECK(texts(generate_spatial_mappings(nest, core, user, {})) ==
          std::vector<std::string>{"{D1: [(K, 4)], D2: [(C, 2)]}", "{D1: [(K, 4)], D2: [(K, 1)]}",
                                   "{D1: [(K, 4)], D2: [(C, 1)]}"});
    // Complete: itself, reduced (D2's K 2 to the bandwidth limit 1).
    user.dims.push_back({"D2", {{"K", 2}}});
    CHECK(texts(generate_spatial_mappings(nest, core, user, {})) == std::vector<std::string>{"{D1: [(K, 4)], D2: [(K, 1)]}"});
    CHECK(defines_every_array_dim(core, user));
    CHECK_FALSE(defines_every_array_dim(core, SpatialMapping{}));
    // An array dim the core lacks is an error naming it.
    user.dims.push_back({"D7", {{"K", 2}}});
    CHECK_THROWS_WITH_AS(generate_spatial_mappings(nest, core, user, {}),
                         doctest::Contains("core 'gen' has no array dimension D7"), std::invalid_argument);
}

TEST_CASE("spatial mapping generator - unrolling limited to the innermost memory's capacity") {
    // rf_w shared over D1 with room for 24 / 8 = 3 weights (64 b/cycle: no bandwidth limit):
    // D1: K 4, D2: C 2 puts 4 distinct weights (K is relevant to W) under one rf_w, so the largest
    // factor loses 1 until they fit: K 3 (not a divisor of 8, as in ZigZag).
    SpatialMapping user;
    user.dims = {{"D1", {{"K", 4}}}, {"D2", {{"C", 2}}}};
    CHECK(texts(generate_spatial_mappings(matvec(8, 6), gen_core(24, {"D1"}, 64), user, {})) ==
          std::vector<std::string>{"{D1: [(K, 3)], D2: [(C, 2)]}"});
}

TEST_CASE("spatial mapping generator - hints parse, malformed hints are refused") {
    const SpatialHints h = parse_spatial_hints(" D1: K ; D2: C, FX,FY");
    REQUIRE(h.size() == 2);
    CHECK(h[0].array_dim == "D1");
    CHECK(h[0].dims == std::vector<std::string>{"K"});
    CHECK(h[1].dims == std::vector<std::string>{"C", "FX", "FY"});
    CHECK(parse_spatial_hints("").empty());
    CHECK_THROWS_WITH_AS(parse_spatial_hints("D1 K"), doctest::Contains("expected \"ARRAY_DIM: DIM, DIM\", got \"D1 K\""),
                         std::invalid_argument);
    CHECK_THROWS_AS(parse_spatial_hints("D1:"), std::invalid_argument);
}

TEST_CASE("dataflow plugin - generated spatial mappings are each searched and the best kept") {
    // matvec K 8, C 6 on gen_core without a dataflow: the three candidates derived above.
    AbiViews in(matvec(8, 6), gen_core(), {});
    const auto candidates = generate_spatial_mappings(in.nest, in.core_desc, {}, {});
    REQUIRE(candidates.size() == 3);
    const auto oracle = best_of(in, candidates);

    FakeHost host;
    const Captured out = cost_with(host, in);
    CHECK(out.cost.latency_cycles == oracle.second.cost.latency_total2);
    CHECK(out.cost.energy_pj == rel(oracle.second.cost.energy_total));
    CHECK(out.mapping_text == format_zigzag(in.nest, *oracle.second.mapping) + "\nspatial " +
                                  format_spatial(SpatialMapping::normalized(in.nest, in.core_desc, candidates[oracle.first])));

    // nb_mappings_generated = 1: only the first-ranked candidate is searched.
    FakeHost one;
    one.ints["nb_mappings_generated"] = 1;
    const Captured out1 = cost_with(one, in);
    CHECK(out1.cost.latency_cycles == best_of(in, {candidates[0]}).second.cost.latency_total2);
    CHECK(spatial_of(out1.mapping_text) == "{D1: [(K, 4)], D2: [(C, 2)]}"); // 8/4 and 6/2: unchanged by conversion

    // A hint in the plugin's keys reaches the generator: D1 only C, best-ranked {D1: C4, D2: K1},
    // which the conversion stage costs as C 6 / ceil(6 / 4) = 3 (zigzag.md §3.1).
    FakeHost hinted;
    hinted.strings["spatial_mapping_hint"] = "D1: C";
    hinted.ints["nb_mappings_generated"] = 1;
    const Captured outh = cost_with(hinted, in);
    CHECK(spatial_of(outh.mapping_text) == "{D1: [(C, 3)], D2: [(K, 1)]}");

    // Mixed generation on: the plugin searches the mixed candidates derived above.
    SpatialGeneratorOptions mixed;
    mixed.mixed = true;
    const auto mixed_candidates = generate_spatial_mappings(in.nest, in.core_desc, {}, {}, mixed);
    const auto mixed_oracle = best_of(in, mixed_candidates);
    FakeHost mix;
    mix.bools["mix_spatial_mapping"] = true;
    const Captured outm = cost_with(mix, in);
    CHECK(outm.cost.latency_cycles == mixed_oracle.second.cost.latency_total2);
    CHECK(spatial_of(outm.mapping_text) ==
          format_spatial(SpatialMapping::normalized(in.nest, in.core_desc, mixed_candidates[mixed_oracle.first])));
}

TEST_CASE("dataflow plugin - exhaustive temporal search through the plugin") {
    // matvec K 8, C 6 on the toy core with D1: K 4: temporal K 2, C 6 = 2 x 3, i.e. three distinct
    // loop prime factors K2, C2, C3 and 3! = 6 orderings.
    AbiViews in(matvec(8, 6), toy_core(), {{"D1", "K", 4}});
    const SpatialMapping sm = SpatialMapping::normalized(in.nest, in.core_desc, user_mapping({{"D1", {"K", 4}}}));
    SearchOptions all;
    all.lpf_limit = 64;
    const SearchResult oracle = search_temporal_mapping_exhaustive(in.nest, in.core_desc, sm, all);
    CHECK(oracle.stats.orderings == 6);

    FakeHost host;
    host.strings["search"] = "exhaustive";
    const Captured out = cost_with(host, in);
    CHECK(out.cost.latency_cycles == oracle.cost.latency_total2);
    CHECK(out.cost.energy_pj == rel(oracle.cost.energy_total));
    CHECK(out.mapping_text == format_zigzag(in.nest, *oracle.mapping));

    // LOMA with lpf_limit 2 merges C2 x C3 into C6 (2 orderings); the unmerged space also holds
    // those orderings with C2, C3 side by side, and on this layer finds one at least as fast.
    FakeHost loma;
    loma.lpf_limit = 2;
    const Captured lout = cost_with(loma, in);
    CHECK(out.cost.latency_cycles <= lout.cost.latency_cycles);

    // More orderings than allowed: refused, naming the layer and the count.
    const auto refused = exhaustive_refusal(in, 5);
    CHECK(refused.first == STREAM_ERROR_INVALID_CONFIG);
    CHECK(refused.second.find("layer 'layer' has 6 orderings of its 3 loop prime factors, more than "
                              "exhaustive_max_orderings = 5") != std::string::npos);

    // Equal factors are one ordering however they are swapped: K 8 by C 8 leaves K2, C2, C2, C2,
    // i.e. 4! / 3! = 4 orderings (the place of K2); a limit of 4 lets it through.
    AbiViews square(matvec(8, 8), toy_core(), {{"D1", "K", 4}});
    const auto refused_square = exhaustive_refusal(square, 3);
    CHECK(refused_square.first == STREAM_ERROR_INVALID_CONFIG);
    CHECK(refused_square.second.find("has 4 orderings of its 4 loop prime factors") != std::string::npos);
    FakeHost three;
    three.strings["search"] = "exhaustive";
    three.ints["exhaustive_max_orderings"] = 4;
    CHECK(cost_with(three, square).cost.latency_cycles > 0);

    // An unknown search is a configuration error.
    FakeHost bad;
    bad.strings["search"] = "salsa";
    Instance binst(bad);
    CHECK(binst.status == STREAM_ERROR_INVALID_CONFIG);
    REQUIRE(bad.errors.size() == 1);
    CHECK(bad.errors[0].message.find("search must be \"loma\" or \"exhaustive\", got \"salsa\"") != std::string::npos);
}
