// ZigZag's cost model for one given mapping (plugins/core-model-dataflow):
// (1) a hand-derived toy layer on a 2-level toy core,
// (2) the worked examples of shared/docs/algorithms/zigzag.md §5.6 (ZigZag's own tpu_like),
// (3) the single-layer references of shared/reference/expected/zigzag.json (Stream's tpu_like),
// (4) the LOMA temporal mapping search (mapping_search.hpp) and the "dataflow" plugin through its
//     C entry point.
// The search's fast path against the reference: fast_search_test.cpp; operands streamed from
// DRAM and the compat switch: offchip_streaming_test.cpp; shared layers, cores and the fake
// host: dataflow_test_support.hpp.
#include "dataflow_model.hpp"
#include "dataflow_test_support.hpp"
#include "mapping_search.hpp"

#include "shared_dir.hpp"

#include <stream/plugin.h>

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <fstream>
#include <optional>
#include <map>
#include <string>
#include <thread>
#include <vector>

using namespace stream::dataflow;
using namespace stream::dataflow::test;


TEST_CASE("dataflow model - hand-derived toy layer on a two-level core") {
    // Layer O[k] += W[k][c] * I[c], K=8, C=2: 16 MACs. Spatial D1: K4 -> 4 MACs busy, T = 16/4 = 4.
    // Temporal (innermost first) C2 K2 for every operand; W: rf | buf, I: buf, O: buf.
    //
    // W (rf per MAC, buf serves D1): spatial levels [[], [K4], []] -> unit_count [4,4,1],
    //   boost [1,4,1]. Tile per rf = C2*K2 = 4 el. rf tl: 1 el (8 b) per cycle, 4 cycles,
    //   x4 rfs = 16 reads (1 pJ) = 16; rf fh: 4 el once = 32 b / 8 = 4 words x4 rfs = 16 writes
    //   (2 pJ) = 32 -> rf 48 pJ. buf tl: 4 el x boost 4 = 128 b / 32 = 4 reads x 10 = 40 pJ.
    // I (buf, K4 is a broadcast): per cycle 1 el (8 b) -> ceil(8/32) = 1 read x 4 cycles = 4
    //   reads x 10 = 40 pJ.
    // O (buf collects K4): every cycle 4 partial sums (4 x 16 b = 64 b = 2 words) written (fl)
    //   and, because C is reduced in place, read back (tl, ZigZag counts every period):
    //   8 writes x 20 + 8 reads x 10 = 240 pJ.
    // Energy = 16 MACs x 0.5 + 48 + 40 + 40 + 240 = 376 pJ.
    //
    // Latency: buffers are far below half full -> double-buffered (allowed = period) except the
    // MAC-side links (flag of arch level 0 is false: allowed = window = period / top_ir = 1).
    // buf read port: I tl (real 1, allowed 1, 4 periods), W tl (one period), O tl (real 2,
    //   allowed 1, 4 periods): SS = [0, 0, 3], MUW = [3, 0, 3], union = 1 x 4 (I has
    //   period == allowed) -> stall = 3 + max(0, 0 + 6 - 4) = 5. buf write port: O fl alone,
    //   SS = (2-1) x 3 = 3. Stall = max(5, 3) = 5 -> latency_total0 = 4 + 5 = 9.
    // On-loading: W rf fh one-shot 4 cycles (minimum 4); W buf tl one-shot 4 cycles, minimum
    //   ceil(32/32) = 1, surplus (32 - 8)/32 x 9 = 6.75 >= 3 -> 1 cycle. The rf side is not
    //   shared by I and W, the buf side is -> "half shared" = max(4, 1) = 4 -> onload 4.
    //   O has one level -> no off-loading. latency_total1 = latency_total2 = 13.
    LoopNest nest = toy_layer();
    CoreDescription core = toy_core();
    SpatialMapping sm = SpatialMapping::normalized(nest, core, user_mapping({{"D1", {"K", 4}}}));
    TemporalMapping tm = TemporalMapping::parse_zigzag(
        "{O: [[(C, 2), (K, 2)]], W: [[(C, 2), (K, 2)], []], I: [[(C, 2), (K, 2)]]}");
    CostResult r = evaluate(nest, core, sm, tm);

    const auto& w = r.levels.at("W");
    CHECK(w[0].word_accesses.rd_out_to_low == 16);
    CHECK(w[0].word_accesses.wr_in_by_high == 16);
    CHECK(w[1].word_accesses.rd_out_to_low == 4);
    CHECK(w[1].word_accesses.wr_in_by_high == 0); // traffic from outside the top level is ignored
    CHECK(r.levels.at("I")[0].word_accesses.rd_out_to_low == 4);
    CHECK(r.levels.at("O")[0].word_accesses.wr_in_by_low == 8);
    CHECK(r.levels.at("O")[0].word_accesses.rd_out_to_low == 8);
    check_levels(r, "W", {48, 40});
    check_levels(r, "I", {40});
    check_levels(r, "O", {240});
    CHECK(r.mac_energy == rel(8));
    CHECK(r.energy_total == rel(376));

    CHECK(r.ideal_cycle == 4);
    CHECK(r.ideal_temporal_cycle == 4);
    CHECK(r.stall_slack_comb == 5);
    CHECK(r.data_onloading_cycle == 4);
    CHECK(r.data_offloading_cycle == 0);
    CHECK(r.latency_total0 == 9);
    CHECK(r.latency_total1 == 13);
    CHECK(r.latency_total2 == 13);
}

TEST_CASE("dataflow model - invalid mappings are rejected") {
    LoopNest nest = toy_layer();
    CoreDescription core = toy_core();
    SpatialMapping sm = SpatialMapping::normalized(nest, core, user_mapping({{"D1", {"K", 4}}}));
    // W needs two levels on this core
    TemporalMapping bad = TemporalMapping::parse_zigzag("{O: [[(C, 2), (K, 2)]], W: [[(C, 2), (K, 2)]], I: [[(C, 2), (K, 2)]]}");
    CHECK_THROWS_AS(evaluate(nest, core, sm, bad), std::invalid_argument);
    TemporalMapping uneven = TemporalMapping::parse_zigzag("{O: [[(C, 2)]], W: [[(C, 2), (K, 2)], []], I: [[(C, 2), (K, 2)]]}");
    CHECK_THROWS_AS(evaluate(nest, core, sm, uneven), std::invalid_argument);
    CHECK_THROWS_AS(TemporalMapping::parse_zigzag("{O: [[(C 2)]]}"), std::invalid_argument);
}

TEST_CASE("dataflow model - spatial normalisation gives ZigZag's fractional unrolling") {
    // K = 1000 on a 32-wide dim: 32 temporal iterations of 31.25 (zigzag.md §3.1); C clamped to 3.
    std::vector<LoopDim> dims{{"K", 1000}, {"C", 3}};
    std::vector<Operand> ops{{"I", OperandRole::Input, 8, 0, {TensorAxis{{{1, 1}}, 3}}},
                             {"W", OperandRole::Constant, 8, 0, {TensorAxis{{{0, 1}}, 1000}, TensorAxis{{{1, 1}}, 3}}},
                             {"O", OperandRole::Output, 8, 16, {TensorAxis{{{0, 1}}, 1000}}}};
    LoopNest nest(dims, ops);
    SpatialMapping sm =
        SpatialMapping::normalized(nest, stream_tpu_like(), user_mapping({{"D1", {"K", 32}}, {"D2", {"C", 32}}}));
    REQUIRE(sm.dims.size() == 2);
    CHECK(sm.dims[0].loops[0].factor == doctest::Approx(31.25));
    CHECK(sm.dims[1].loops[0].factor == doctest::Approx(3));
}

TEST_CASE("dataflow model - zigzag.md worked example A (tpu_like with DRAM, resnet18.yaml layer 2)") {
    // K64 C64 OY56 OX56 FY3 FX3, stride 1, no padding (input 58 x 58), SU D1:K32 D2:C32.
    LoopNest nest = conv(64, 64, 56, 56, 3, 3, 1, 58);
    CoreDescription core = zigzag_tpu_like();
    SpatialMapping sm = SpatialMapping::normalized(nest, core, user_mapping({{"D1", {"K", 32}}, {"D2", {"C", 32}}}));
    TemporalMapping tm = TemporalMapping::parse_zigzag(
        "{O: [[(C, 2), (FY, 3), (FX, 3)], [(OY, 56), (OX, 56), (K, 2)], []],"
        " W: [[(C, 2), (FY, 3), (FX, 3), (OY, 56), (OX, 56), (K, 2)], []],"
        " I: [[(C, 2), (FY, 3), (FX, 3), (OY, 56), (OX, 56), (K, 2)], []]}");
    CostResult r = evaluate(nest, core, sm, tm);
    check_levels(r, "O", {4990304.256, 622935.04, 18816000.0});
    check_levels(r, "W", {10986024.96, 3225600.0});
    check_levels(r, "I", {6191084.32, 18838400.0});
    CHECK(r.mac_energy == rel(4624220.16));
    CHECK(r.energy_total == rel(68294568.736));
    CHECK(r.stall_slack_comb == 0);
    CHECK(r.data_onloading_cycle == rel(841));
    CHECK(r.data_offloading_cycle == rel(2));
    CHECK(r.latency_total2 == rel(113739));
}

TEST_CASE("dataflow model - zigzag.md worked example B (tpu_like with DRAM, resnet18.yaml layer 0)") {
    // K64 C3 OY112 OX112 FY7 FX7, stride 2, no padding (input 229), SU D1:C32->3 D2:K32.
    LoopNest nest = conv(64, 3, 112, 112, 7, 7, 2, 229);
    CoreDescription core = zigzag_tpu_like();
    SpatialMapping sm = SpatialMapping::normalized(nest, core, user_mapping({{"D1", {"C", 32}}, {"D2", {"K", 32}}}));
    TemporalMapping tm = TemporalMapping::parse_zigzag(
        "{O: [[], [(OX, 112), (OY, 112), (FX, 7), (FY, 7), (K, 2)], []],"
        " W: [[(OX, 112), (OY, 112), (FX, 7), (FY, 7), (K, 2)], []],"
        " I: [[(OX, 112), (OY, 112), (FX, 7), (FY, 7), (K, 2)], []]}");
    CostResult r = evaluate(nest, core, sm, tm);
    check_levels(r, "O", {9913171.968, 245495613.44, 75264000.0});
    check_levels(r, "W", {1787.52, 823200.0});
    check_levels(r, "I", {16219540.16, 13766200.0});
    CHECK(r.mac_energy == rel(4720558.08));
    CHECK(r.energy_total == rel(366204071.168));
    CHECK(r.ideal_cycle == 115248);
    CHECK(r.ideal_temporal_cycle == 1229312);
    CHECK(r.stall_slack_comb == rel(1229310));
    CHECK(r.data_onloading_cycle == rel(18503));
    CHECK(r.data_offloading_cycle == rel(2));
    CHECK(r.latency_total2 == rel(2477127));
}

TEST_CASE("dataflow model - zigzag.json single layers on Stream's tpu_like core") {
    auto ref = stream::test::reference_dir();
    if (!ref) {
        stream::test::skip("shared/reference is absent");
        return;
    }
    std::ifstream in(*ref / "expected" / "zigzag.json");
    REQUIRE(in.good());
    nlohmann::json j = nlohmann::json::parse(in);
    CoreDescription core = stream_tpu_like();
    const auto& layers = j.at("layers");
    REQUIRE(layers.size() >= 2);
    for (const auto& L : layers) {
        std::string name = L.at("name");
        INFO("layer " << name);
        const auto& d = L.at("loop_dims");
        int64_t k = d.at("K"), c = d.at("C"), oy = d.at("OY"), ox = d.at("OX"), fy = d.at("FY"), fx = d.at("FX");
        // resnet18: conv1 is 7x7 stride 2 on 224 (pad 3); layer1 convs 3x3 stride 1 on 56 (pad 1)
        int64_t stride = fx == 7 ? 2 : 1;
        int64_t extent = stride * (ox - 1) + fx - 2 * (fx / 2);
        LoopNest nest = conv(k, c, oy, ox, fy, fx, stride, extent);
        SpatialMapping sm =
            SpatialMapping::normalized(nest, core, user_mapping({{"D1", {"K", 32}}, {"D2", {"C", 32}}}));
        TemporalMapping tm = TemporalMapping::parse_zigzag(L.at("temporal_mapping").get<std::string>());
        CostResult r = evaluate(nest, core, sm, tm);

        for (const char* op : {"O", "W", "I"}) {
            std::vector<double> e = L.at("mem_energy_breakdown_per_level").at(op).get<std::vector<double>>();
            check_levels(r, op, e);
        }
        CHECK(r.mac_energy == rel(L.at("mac_energy").get<double>()));
        CHECK(r.mem_energy == rel(L.at("mem_energy").get<double>()));
        CHECK(r.energy_total == rel(L.at("energy_pJ").get<double>()));
        CHECK(r.ideal_cycle == rel(L.at("ideal_cycle").get<double>()));
        CHECK(r.latency_total0 == rel(L.at("latency_total0").get<double>()));
        CHECK(r.latency_total1 == rel(L.at("latency_total1").get<double>()));
        CHECK(r.latency_total2 == rel(L.at("latency_cycles").get<double>()));
    }
}

TEST_CASE("dataflow model - compat_zigzag off removes the quirks, not the model") {
    // Example B again: ZigZag's reduce_balanced lowers the DRAM input fill below its minimum
    // (19666 -> 18503, zigzag.md §5.5); without the quirks no entry drops below its minimum,
    // so on-loading can only grow, and untruncated word accesses can only add energy.
    LoopNest nest = conv(64, 3, 112, 112, 7, 7, 2, 229);
    CoreDescription core = zigzag_tpu_like();
    SpatialMapping sm = SpatialMapping::normalized(nest, core, user_mapping({{"D1", {"C", 32}}, {"D2", {"K", 32}}}));
    TemporalMapping tm = TemporalMapping::parse_zigzag(
        "{O: [[], [(OX, 112), (OY, 112), (FX, 7), (FY, 7), (K, 2)], []],"
        " W: [[(OX, 112), (OY, 112), (FX, 7), (FY, 7), (K, 2)], []],"
        " I: [[(OX, 112), (OY, 112), (FX, 7), (FY, 7), (K, 2)], []]}");
    CostResult compat = evaluate(nest, core, sm, tm);
    CostModelOptions o;
    o.compat_zigzag = false;
    CostResult clean = evaluate(nest, core, sm, tm, o);
    CHECK(clean.data_onloading_cycle >= compat.data_onloading_cycle);
    CHECK(clean.data_offloading_cycle >= 0);
    CHECK(clean.energy_total >= compat.energy_total);
    CHECK(clean.ideal_temporal_cycle == compat.ideal_temporal_cycle);
}

TEST_CASE("dataflow model - layer and core from the ABI views") {
    // The toy layer as a frontend hands it over: O[k] += W[k][c] * I[c].
    stream_loop_dim_v1 dims[2] = {{sizeof(stream_loop_dim_v1), "K", 8}, {sizeof(stream_loop_dim_v1), "C", 2}};
    stream_affine_term_v1 tk{sizeof(stream_affine_term_v1), 0, 1}, tc{sizeof(stream_affine_term_v1), 1, 1};
    stream_tensor_axis_v1 ax_k{sizeof(stream_tensor_axis_v1), &tk, 1, 0, 8};
    stream_tensor_axis_v1 ax_c{sizeof(stream_tensor_axis_v1), &tc, 1, 0, 2};
    stream_tensor_axis_v1 w_axes[2] = {ax_k, ax_c};
    stream_operand_v1 ops[3] = {
        {sizeof(stream_operand_v1), "I", STREAM_OPERAND_INPUT, 8, 0, -1, 0, nullptr, &ax_c, 1},
        {sizeof(stream_operand_v1), "W", STREAM_OPERAND_CONSTANT, 8, 0, -1, 0, nullptr, w_axes, 2},
        {sizeof(stream_operand_v1), "O", STREAM_OPERAND_OUTPUT, 8, 16, -1, 0, nullptr, &ax_k, 1},
    };
    stream_layer_v1 layer{};
    layer.struct_size = sizeof layer;
    layer.name = "toy";
    layer.layer_class = STREAM_LAYER_COMPUTE;
    layer.loop_dims = dims;
    layer.loop_dim_count = 2;
    layer.operands = ops;
    layer.operand_count = 3;
    layer.group_count = 1;
    LoopNest nest = LoopNest::from_abi(layer);
    CHECK(nest.relevancy(nest.operand_index("I"), nest.dim_index("K")) == Relevancy::Irrelevant);
    CHECK(nest.relevancy(nest.operand_index("W"), nest.dim_index("K")) == Relevancy::Relevant);
    CHECK(nest.operand_order() == std::vector<std::size_t>{2, 1, 0}); // O, W, I as ZigZag
    CHECK(nest.mac_count() == 16);

    const char* rf_ops[] = {"W"};
    const char* buf_ops[] = {"I", "W", "O"};
    const char* buf_served[] = {"D1"};
    stream_port_use_v1 rf_uses[] = {{sizeof(stream_port_use_v1), "W", "fh", "w_port_1"},
                                    {sizeof(stream_port_use_v1), "W", "tl", "r_port_1"}};
    const CoreDescription reference_core = toy_core(); // owns the strings the views point to
    std::vector<stream_port_use_v1> buf_uses;
    for (const PortUse& u : reference_core.memories[1].port_uses)
        buf_uses.push_back({sizeof(stream_port_use_v1), u.operand.c_str(), u.flow.c_str(), u.port.c_str()});
    stream_memory_level_v1 mems[2]{};
    mems[0] = {sizeof(stream_memory_level_v1), "rf", 64, 8, 8, 1, 2, 0, 0, 1, 0, 0, rf_ops, 1, nullptr, 0,
               1, 1, 0, rf_uses, 2, "given"};
    mems[1] = {sizeof(stream_memory_level_v1), "buf", 8192, 32, 32, 10, 20, 0, 0, 1, 0, 0, buf_ops, 3, buf_served, 1,
               1, 1, 0, buf_uses.data(), static_cast<uint32_t>(buf_uses.size()), "given"};
    stream_array_dim_v1 ad{sizeof(stream_array_dim_v1), "D1", 4};
    stream_core_v1 core{};
    core.struct_size = sizeof core;
    core.name = "toy";
    core.array_dims = &ad;
    core.array_dim_count = 1;
    core.mac_energy_pj = 0.5;
    core.memories = mems;
    core.memory_count = 2;
    CoreDescription cd = CoreDescription::from_abi(core);

    SpatialMapping sm = SpatialMapping::normalized(nest, cd, user_mapping({{"D1", {"K", 4}}}));
    TemporalMapping tm = TemporalMapping::parse_zigzag(
        "{O: [[(C, 2), (K, 2)]], W: [[(C, 2), (K, 2)], []], I: [[(C, 2), (K, 2)]]}");
    CostResult r = evaluate(nest, cd, sm, tm);
    CHECK(r.energy_total == rel(376));
    CHECK(r.latency_total2 == 13);
}

// =======================================================================================
// (4) LOMA temporal mapping search and the "dataflow" plugin
// =======================================================================================


TEST_CASE("mapping search - loop prime factors are merged down to lpf_limit") {
    // conv2_x on tpu_like (zigzag.md §4.2): temporal K2 C2 OY56 OX56 FY3 FX3 -> 12 prime factors.
    LoopNest nest = conv(64, 64, 56, 56, 3, 3, 1, 56);
    CoreDescription core = stream_tpu_like();
    SpatialMapping sm = SpatialMapping::normalized(nest, core, user_mapping({{"D1", {"K", 32}}, {"D2", {"C", 32}}}));
    using V = std::vector<std::pair<std::string, int64_t>>;
    // Limit 6: OY {2,2,2,7} -> {2,4,7}, OX -> {2,4,7}, OY -> {7,8}, OX -> {7,8}, OY -> {56}, OX -> {56}.
    CHECK(named(nest, loop_prime_factors(nest, sm, 6)) ==
          V{{"K", 2}, {"C", 2}, {"OY", 56}, {"OX", 56}, {"FY", 3}, {"FX", 3}});
    // Limit 8 stops after the first four merges.
    CHECK(named(nest, loop_prime_factors(nest, sm, 8)) ==
          V{{"K", 2}, {"C", 2}, {"OY", 7}, {"OY", 8}, {"OX", 7}, {"OX", 8}, {"FY", 3}, {"FX", 3}});
    // A limit below the number of temporal dims is raised to it (6 dims: one factor each).
    CHECK(loop_prime_factors(nest, sm, 1).size() == 6);
    // Everything unrolled spatially: one dummy loop of size 1 on the first dim.
    LoopNest tiny = matvec(4, 1);
    SpatialMapping all = SpatialMapping::normalized(tiny, toy_core(), user_mapping({{"D1", {"K", 4}}}));
    CHECK(named(tiny, loop_prime_factors(tiny, all, 6)) == V{{"K", 1}});
}

TEST_CASE("mapping search - best mapping equals an exhaustive oracle on a tiny layer") {
    // K=8, C=6 on the toy core, spatial D1: K4 -> temporal K2, C6 = K2 C2 C3: 3! = 6 orderings.
    // Oracle, enumerated here without the search code: every ordering x every split of W
    // between rf (64 b = 8 weights, all loops relevant to W) and buf; I and O live in buf only.
    // W prefixes that fit rf: 0 loops (1 weight), 1 loop (2 or 3), 2 loops (4 or 6); all 3
    // loops (12 weights) do not -> 3 allocations per ordering, 18 in all (buf, 8192 b, holds
    // every tile: W 48x8 + I 6x8 + O 8x16 bits).
    LoopNest nest = matvec(8, 6);
    CoreDescription core = toy_core();
    SpatialMapping sm = SpatialMapping::normalized(nest, core, user_mapping({{"D1", {"K", 4}}}));
    for (Objective obj : {Objective::Latency, Objective::Energy, Objective::Edp}) {
        std::vector<std::pair<std::string, int64_t>> f{{"C", 2}, {"C", 3}, {"K", 2}};
        std::optional<CostResult> best;
        int allocations = 0;
        do {
            for (std::size_t j = 0; j <= f.size(); ++j) {
                int64_t rf = 1;
                for (std::size_t t = 0; t < j; ++t) rf *= f[t].second;
                if (rf * 8 > 64) continue;
                std::vector<TemporalLoop> all, low, high;
                for (std::size_t t = 0; t < f.size(); ++t) {
                    all.push_back({f[t].first, f[t].second});
                    (t < j ? low : high).push_back({f[t].first, f[t].second});
                }
                TemporalMapping tm;
                tm.levels["W"] = {low, high};
                tm.levels["I"] = {all};
                tm.levels["O"] = {all};
                CostResult r = evaluate(nest, core, sm, tm);
                ++allocations;
                if (!best || better(obj, r, *best)) best = r;
            }
        } while (std::next_permutation(f.begin(), f.end()));
        CHECK(allocations == 18);

        SearchOptions opt;
        opt.objective = obj;
        SearchResult res = search_temporal_mapping(nest, core, sm, opt);
        REQUIRE(res.mapping);
        CHECK(res.stats.factors == 3);
        CHECK(res.stats.orderings == 6);
        CHECK(res.stats.allocated == 6);
        CHECK(res.stats.evaluated == 6);
        CHECK(res.cost.latency_total2 == best->latency_total2);
        CHECK(res.cost.energy_total == rel(best->energy_total));
        // the printed mapping parses back to the same cost
        CostResult again = evaluate(nest, core, sm, TemporalMapping::parse_zigzag(format_zigzag(nest, *res.mapping)));
        CHECK(again.latency_total2 == res.cost.latency_total2);
        CHECK(again.energy_total == rel(res.cost.energy_total));
    }
}

TEST_CASE("mapping search - allocator fills memories bottom-up by capacity") {
    // Ordering (innermost first) C2 C3 K2 of the K=8, C=6 layer: W's rf (8 weights) takes the
    // longest prefix that fits, C2 C3 (6 weights); all W-relevant, so every slice moves the same
    // data (12 x prefix size) and the tie keeps the later = larger slice. K2 goes to buf (top).
    LoopNest nest = matvec(8, 6);
    CoreDescription core = toy_core();
    SpatialMapping sm = SpatialMapping::normalized(nest, core, user_mapping({{"D1", {"K", 4}}}));
    std::vector<LoopFactor> ord{{1, 2}, {1, 3}, {0, 2}};
    auto tm = allocate_ordering(nest, core, sm, ord);
    REQUIRE(tm);
    CHECK(format_zigzag(nest, *tm) == "{O: [[(C, 2), (C, 3), (K, 2)]], W: [[(C, 2), (C, 3)], [(K, 2)]], "
                                      "I: [[(C, 2), (C, 3), (K, 2)]]}");
    // A buf of 256 b cannot hold W (48 x 8 = 384 b): nothing fits.
    core.memories[1].size_bits = 256;
    CHECK_FALSE(allocate_ordering(nest, core, sm, ord));
    CHECK_FALSE(search_temporal_mapping(nest, core, sm).mapping);
}

TEST_CASE("mapping search - resnet18 layers of zigzag.json on Stream's tpu_like") {
    auto ref = stream::test::reference_dir();
    if (!ref) {
        stream::test::skip("shared/reference is absent");
        return;
    }
    std::ifstream in(*ref / "expected" / "zigzag.json");
    REQUIRE(in.good());
    nlohmann::json j = nlohmann::json::parse(in);
    CoreDescription core = stream_tpu_like();
    for (const auto& L : j.at("layers")) {
        std::string name = L.at("name");
        INFO("layer " << name);
        const auto& d = L.at("loop_dims");
        int64_t k = d.at("K"), c = d.at("C"), oy = d.at("OY"), ox = d.at("OX"), fy = d.at("FY"), fx = d.at("FX");
        int64_t stride = fx == 7 ? 2 : 1;
        int64_t extent = stride * (ox - 1) + fx - 2 * (fx / 2);
        LoopNest nest = conv(k, c, oy, ox, fy, fx, stride, extent);
        SpatialMapping sm =
            SpatialMapping::normalized(nest, core, user_mapping({{"D1", {"K", 32}}, {"D2", {"C", 32}}}));
        SearchResult res = search_temporal_mapping(nest, core, sm);
        REQUIRE(res.mapping);
        MESSAGE("layer " << name << ": " << res.stats.factors << " factors, " << res.stats.orderings
                         << " orderings, " << res.stats.allocated << " fit, latency " << res.cost.latency_total2
                         << " (ZigZag " << L.at("latency_cycles").get<double>() << "), energy "
                         << res.cost.energy_total << " (ZigZag " << L.at("energy_pJ").get<double>() << ")\n  "
                         << format_zigzag(nest, *res.mapping));
        // ZigZag's LOMA (lpf_limit 6, minimal latency) searches the same orderings: same best.
        CHECK(res.stats.orderings == 720); // 6 distinct factors: 6!
        CHECK(res.cost.latency_total2 == rel(L.at("latency_cycles").get<double>()));
        CHECK(res.cost.energy_total == rel(L.at("energy_pJ").get<double>()));
    }
}

namespace {

// Conv K4 C2 OY2 OX2 FY3 FX3 (I 2x4x4, iy = oy + fy) as the ABI views, and the toy core
// (rf: W, 64 b per MAC; buf: I W O, 8192 b) with dataflow D1: K 4.
struct AbiConv {
    stream_loop_dim_v1 dims[6] = {{sizeof(stream_loop_dim_v1), "K", 4},  {sizeof(stream_loop_dim_v1), "C", 2},
                                  {sizeof(stream_loop_dim_v1), "OY", 2}, {sizeof(stream_loop_dim_v1), "OX", 2},
                                  {sizeof(stream_loop_dim_v1), "FY", 3}, {sizeof(stream_loop_dim_v1), "FX", 3}};
    stream_affine_term_v1 t[6] = {{sizeof(stream_affine_term_v1), 0, 1}, {sizeof(stream_affine_term_v1), 1, 1},
                                  {sizeof(stream_affine_term_v1), 2, 1}, {sizeof(stream_affine_term_v1), 3, 1},
                                  {sizeof(stream_affine_term_v1), 4, 1}, {sizeof(stream_affine_term_v1), 5, 1}};
    stream_affine_term_v1 iy[2] = {t[2], t[4]}, ix[2] = {t[3], t[5]};
    stream_tensor_axis_v1 i_axes[3] = {{sizeof(stream_tensor_axis_v1), &t[1], 1, 0, 2},
                                       {sizeof(stream_tensor_axis_v1), iy, 2, 0, 4},
                                       {sizeof(stream_tensor_axis_v1), ix, 2, 0, 4}};
    stream_tensor_axis_v1 w_axes[4] = {{sizeof(stream_tensor_axis_v1), &t[0], 1, 0, 4},
                                       {sizeof(stream_tensor_axis_v1), &t[1], 1, 0, 2},
                                       {sizeof(stream_tensor_axis_v1), &t[4], 1, 0, 3},
                                       {sizeof(stream_tensor_axis_v1), &t[5], 1, 0, 3}};
    stream_tensor_axis_v1 o_axes[3] = {{sizeof(stream_tensor_axis_v1), &t[0], 1, 0, 4},
                                       {sizeof(stream_tensor_axis_v1), &t[2], 1, 0, 2},
                                       {sizeof(stream_tensor_axis_v1), &t[3], 1, 0, 2}};
    stream_operand_v1 ops[3] = {
        {sizeof(stream_operand_v1), "I", STREAM_OPERAND_INPUT, 8, 0, -1, 0, nullptr, i_axes, 3},
        {sizeof(stream_operand_v1), "W", STREAM_OPERAND_CONSTANT, 8, 0, -1, 0, nullptr, w_axes, 4},
        {sizeof(stream_operand_v1), "O", STREAM_OPERAND_OUTPUT, 8, 16, -1, 0, nullptr, o_axes, 3},
    };
    stream_cn_v1 cn{};

    const CoreDescription ref = toy_core(); // owns the port-use strings
    const char* rf_ops[1] = {"W"};
    const char* buf_ops[3] = {"I", "W", "O"};
    const char* buf_served[1] = {"D1"};
    std::vector<stream_port_use_v1> rf_uses, buf_uses;
    stream_memory_level_v1 mems[2]{};
    stream_array_dim_v1 ad{sizeof(stream_array_dim_v1), "D1", 4};
    stream_spatial_unrolling_v1 df{sizeof(stream_spatial_unrolling_v1), "D1", "K", 4};
    stream_core_v1 core{};

    AbiConv() {
        cn.struct_size = sizeof cn;
        cn.id = 7;
        stream_layer_v1& l = cn.layer;
        l.struct_size = sizeof l;
        l.id = 3;
        l.name = "conv";
        l.op_type = "Conv";
        l.layer_class = STREAM_LAYER_COMPUTE;
        l.loop_dims = dims;
        l.loop_dim_count = 6;
        l.operands = ops;
        l.operand_count = 3;
        l.group_count = 1;
        for (const PortUse& u : ref.memories[0].port_uses)
            rf_uses.push_back({sizeof(stream_port_use_v1), u.operand.c_str(), u.flow.c_str(), u.port.c_str()});
        for (const PortUse& u : ref.memories[1].port_uses)
            buf_uses.push_back({sizeof(stream_port_use_v1), u.operand.c_str(), u.flow.c_str(), u.port.c_str()});
        mems[0] = {sizeof(stream_memory_level_v1), "rf", 64, 8, 8, 1, 2, 0, 0, 1, 0, 0, rf_ops, 1, nullptr, 0,
                   1, 1, 0, rf_uses.data(), static_cast<uint32_t>(rf_uses.size()), "given"};
        mems[1] = {sizeof(stream_memory_level_v1), "buf", 8192, 32, 32, 10, 20, 0, 0, 1, 0, 0, buf_ops, 3, buf_served,
                   1, 1, 1, 0, buf_uses.data(), static_cast<uint32_t>(buf_uses.size()), "given"};
        core.struct_size = sizeof core;
        core.id = 1;
        core.name = "toy";
        core.array_dims = &ad;
        core.array_dim_count = 1;
        core.mac_energy_pj = 0.5;
        core.memories = mems;
        core.memory_count = 2;
        core.dataflow = &df;
        core.dataflow_count = 1;
        core.top_memory_owner = 1;
        const std::pair<const char*, const char*> uses[] = {{"I", "fh"}, {"I", "tl"}, {"W", "fh"}, {"W", "tl"},
                                                            {"O", "fh"}, {"O", "tl"}, {"O", "fl"}, {"O", "th"}};
        for (const auto& [op, flow] : uses) dram_uses.push_back({sizeof(stream_port_use_v1), op, flow, "rw_port_1"});
    }
    // The system's DRAM (as core->offchip_memory): 1 Gb, 64 b/cycle, one read-write port,
    // 100 pJ per read, 200 pJ per write; served dims as the host gives them (none).
    const char* dram_ops[3] = {"I", "W", "O"};
    std::vector<stream_port_use_v1> dram_uses;
    stream_memory_level_v1 dram_level() const {
        return {sizeof(stream_memory_level_v1), "dram", 1000000000, 64, 64, 100, 200, 0, 0, 1, 0, 0, dram_ops, 3,
                nullptr, 0, 0, 0, 1, dram_uses.data(), static_cast<uint32_t>(dram_uses.size()), "given"};
    }
    AbiConv(const AbiConv&) = delete;
};

} // namespace

TEST_CASE("dataflow plugin - descriptor") {
    const stream_plugin_descriptor* d = stream_plugin_entry(nullptr);
    REQUIRE(d);
    CHECK(std::string(d->id) == "dataflow");
    CHECK(d->kind == STREAM_KIND_CORE_MODEL);
    CHECK(d->flags == STREAM_PLUGIN_THREAD_SAFE);
    REQUIRE(d->config_key_count == 10);
    CHECK(std::string(d->config_keys[0].key) == "lpf_limit");
    CHECK(std::string(d->config_keys[0].default_value) == "6");
    CHECK(std::string(d->config_keys[1].key) == "objective");
    CHECK(std::string(d->config_keys[1].default_value) == "\"latency\"");
    CHECK(std::string(d->config_keys[2].key) == "zigzag_quirks");
    CHECK(std::string(d->config_keys[2].default_value) == "false");
    CHECK(std::string(d->config_keys[3].key) == "stream_loop_names");
    CHECK(std::string(d->config_keys[3].default_value) == "false");
    // no default: without the key the plugin searches
    CHECK(std::string(d->config_keys[4].key) == "temporal_ordering");
    CHECK(d->config_keys[4].default_value == nullptr);
    CHECK(std::string(d->config_keys[5].key) == "search");
    CHECK(std::string(d->config_keys[5].default_value) == "\"loma\"");
    CHECK(std::string(d->config_keys[6].key) == "exhaustive_max_orderings");
    CHECK(std::string(d->config_keys[6].default_value) == "1000000");
    // no default: without hints every layer dim may be unrolled on an array dim the dataflow leaves out
    CHECK(std::string(d->config_keys[7].key) == "spatial_mapping_hint");
    CHECK(d->config_keys[7].default_value == nullptr);
    CHECK(std::string(d->config_keys[8].key) == "nb_mappings_generated");
    CHECK(std::string(d->config_keys[8].default_value) == "3");
    CHECK(std::string(d->config_keys[9].key) == "mix_spatial_mapping");
    CHECK(std::string(d->config_keys[9].default_value) == "false");
}

TEST_CASE("dataflow plugin - small conv on the two-level toy core") {
    AbiConv in;
    FakeHost host;
    host.lpf_limit = 6;
    host.objective = "latency";
    Instance inst(host);
    REQUIRE(inst.status == STREAM_OK);
    Captured out;
    REQUIRE(core_model().evaluate(inst.p, &in.core, &in.cn, &out.sink) == STREAM_OK);
    CHECK(out.count == 1);
    CHECK(host.errors.empty());
    // 4*2*2*2*3*3 = 288 MACs on 4 units (K4 fills D1): ideal 72 cycles, MAC energy 288 * 0.5 = 144 pJ.
    CHECK(out.cost.ideal_cycles == 72);
    CHECK(out.cost.mac_energy_pj == rel(144));
    CHECK(out.cost.latency_cycles >= 72);
    CHECK(out.cost.utilization == rel(72 / out.cost.latency_cycles));
    // Footprints in the top level (buf): W 4*2*3*3 = 72 x 8 b = 576, I 2*4*4 = 32 x 8 = 256,
    // O 4*2*2 = 16 final outputs x 8 = 128.
    CHECK(out.footprints == std::map<std::string, int64_t>{{"I", 256}, {"O", 128}, {"W", 576}});
    // Accesses: O in buf, W in rf and buf, I in buf = 4 entries, O first (ZigZag's order).
    REQUIRE(out.accesses.size() == 4);
    CHECK(out.accesses[0].first == "O");
    CHECK(out.accesses[1].first == "W");
    CHECK(out.accesses[1].second.memory_level == 0);
    CHECK(out.accesses[2].second.memory_level == 1);
    double mem = 0;
    for (const auto& a : out.accesses) mem += a.second.energy_pj;
    CHECK(out.cost.energy_pj == rel(144 + mem));

    // Same as the library: search over C2 OY2 OX2 FY3 FX3 (5 distinct factors: 5! = 120
    // orderings), and the printed mapping evaluates back to the reported numbers.
    LoopNest nest = LoopNest::from_abi(in.cn.layer);
    CoreDescription core = CoreDescription::from_abi(in.core);
    SpatialMapping sm = SpatialMapping::normalized(nest, core, user_mapping({{"D1", {"K", 4}}}));
    SearchResult res = search_temporal_mapping(nest, core, sm);
    CHECK(res.stats.orderings == 120);
    CHECK(out.cost.latency_cycles == res.cost.latency_total2);
    CHECK(out.cost.latency_no_offload_cycles == res.cost.latency_total1);
    CHECK(out.cost.energy_pj == rel(res.cost.energy_total));
    CostResult back = evaluate(nest, core, sm, TemporalMapping::parse_zigzag(out.mapping_text));
    CHECK(back.latency_total2 == out.cost.latency_cycles);
    CHECK(back.data_onloading_cycle == out.cost.onloading_cycles);
    CHECK(back.data_offloading_cycle == out.cost.offloading_cycles);

    // Objective energy: never more energy, never less latency than the latency optimum.
    FakeHost eh;
    eh.objective = "energy";
    Instance einst(eh);
    REQUIRE(einst.status == STREAM_OK);
    Captured eout;
    REQUIRE(core_model().evaluate(einst.p, &in.core, &in.cn, &eout.sink) == STREAM_OK);
    CHECK(eout.cost.energy_pj <= out.cost.energy_pj * (1 + 1e-12));
    CHECK(eout.cost.latency_cycles >= out.cost.latency_cycles);

    // No dataflow: ZigZag's generator fills D1 (4 MACs; only rf, per MAC, is an innermost memory,
    // so no bandwidth limit). Each layer dim alone ranks by its unrolling (U + U/U - 1 = U), so
    // K4 (4), FY3 (3) and FX3 (3) are searched; the best by latency is kept, whichever it is.
    in.core.dataflow_count = 0;
    Captured nout;
    REQUIRE(core_model().evaluate(inst.p, &in.core, &in.cn, &nout.sink) == STREAM_OK);
    CHECK(nout.cost.ideal_cycles == 72);
    SearchOptions options; // the plugin's defaults: ZigZag's quirks off outside --compat stream
    options.model.compat_zigzag = false;
    const char* winner = nullptr;
    double best_latency = 0;
    for (const char* dim : {"K", "FY", "FX"}) {
        const double u = std::string(dim) == "K" ? 4 : 3;
        const SpatialMapping one = SpatialMapping::normalized(nest, core, user_mapping({{"D1", {dim, u}}}));
        const SearchResult r = search_temporal_mapping(nest, core, one, options);
        if (!winner || r.cost.latency_total2 < best_latency) {
            winner = dim;
            best_latency = r.cost.latency_total2;
        }
    }
    CHECK(nout.cost.latency_cycles == best_latency);
    CHECK(nout.mapping_text.ends_with("\nspatial {D1: [(" + std::string(winner) + ", " +
                                      (std::string(winner) == "K" ? "4" : "3") + ")]}"));
}

TEST_CASE("dataflow plugin - one instance costs nodes from several threads at once") {
    // The descriptor says STREAM_PLUGIN_THREAD_SAFE: evaluate keeps its state on the stack.
    FakeHost host;
    Instance inst(host);
    REQUIRE(inst.status == STREAM_OK);
    AbiConv first;
    Captured expected;
    REQUIRE(core_model().evaluate(inst.p, &first.core, &first.cn, &expected.sink) == STREAM_OK);
    std::vector<std::string> texts(4);
    std::vector<double> latencies(4), energies(4);
    std::vector<std::thread> threads;
    for (std::size_t t = 0; t < texts.size(); ++t)
        threads.emplace_back([&, t] {
            AbiConv in;
            for (int i = 0; i < 5; ++i) {
                Captured out;
                if (core_model().evaluate(inst.p, &in.core, &in.cn, &out.sink) != STREAM_OK) return;
                texts[t] = out.mapping_text;
                latencies[t] = out.cost.latency_cycles;
                energies[t] = out.cost.energy_pj;
            }
        });
    for (auto& th : threads) th.join();
    for (std::size_t t = 0; t < texts.size(); ++t) {
        CHECK(texts[t] == expected.mapping_text);
        CHECK(latencies[t] == expected.cost.latency_cycles);
        CHECK(energies[t] == expected.cost.energy_pj);
    }
}

TEST_CASE("dataflow plugin - errors") {
    AbiConv in;
    FakeHost host;
    Instance inst(host);
    REQUIRE(inst.status == STREAM_OK);
    Captured out;

    SUBCASE("off-chip core") {
        in.core.is_offchip = 1;
        CHECK(core_model().evaluate(inst.p, &in.core, &in.cn, &out.sink) == STREAM_ERROR_UNSUPPORTED);
    }
    SUBCASE("core without MAC units") {
        in.core.array_dim_count = 0;
        CHECK(core_model().evaluate(inst.p, &in.core, &in.cn, &out.sink) == STREAM_ERROR_UNSUPPORTED);
    }
    SUBCASE("operands too large and no DRAM to stream them from") {
        // buf 512 b < I 256 (C2 x 4 x 4 x 8 b) + W 576 + O 256 (4*2*2 partial sums x 16 b):
        // sorted I, O, W, the first two fit (512 b); W would go off-chip, but its own innermost
        // level (rf 64 b x 4 instances = 256 b) must fit in what I and O leave (0 b), so O goes
        // too, then I (256 b left < O's buf 512 b + 256 b): all three would be streamed, but the
        // system has no DRAM.
        in.mems[1].size_bits = 512;
        CHECK(core_model().evaluate(inst.p, &in.core, &in.cn, &out.sink) == STREAM_ERROR_INFEASIBLE);
        REQUIRE(host.errors.size() == 1);
        CHECK(host.errors[0].kind == STREAM_ITEM_LAYER);
        CHECK(host.errors[0].index == 3);
        CHECK(host.errors[0].name == "conv");
        // The item names the layer (the host prints it first); the text names the memory, its
        // capacity, the operands and their sizes.
        CHECK(host.errors[0].message ==
              "too large for core 'toy': 'buf' (512 bits) cannot hold I (256 bits), O (256 bits) and W (576 bits) "
              "together, and the system has no off-chip memory to stream I, W, O from");
        CHECK(out.count == 0);
        return;
    }
    SUBCASE("nothing fits even when streaming") {
        // rf 4 b cannot hold one weight (8 b): W's innermost level never fits, streamed or not.
        in.mems[0].size_bits = 4;
        in.mems[1].size_bits = 512;
        stream_memory_level_v1 dram = in.dram_level();
        in.core.offchip_memory = &dram;
        CHECK(core_model().evaluate(inst.p, &in.core, &in.cn, &out.sink) == STREAM_ERROR_INFEASIBLE);
        REQUIRE(host.errors.size() == 1);
        CHECK(host.errors[0].message ==
              "none of the 120 loop orderings fits the memories of core 'toy', even with I, W, O streamed from "
              "'dram' ('buf' (512 bits) cannot hold I (256 bits), O (256 bits) and W (576 bits) together)");
        return;
    }
    CHECK(out.count == 0);
    REQUIRE(host.errors.size() == 1);
    CHECK(host.errors[0].kind == STREAM_ITEM_CORE);
    CHECK(host.errors[0].index == 1);
    CHECK(host.errors[0].name == "toy");
    CHECK(host.errors[0].message.find("toy") != std::string::npos);
}

TEST_CASE("dataflow plugin - invalid configuration") {
    FakeHost host;
    SUBCASE("objective") { host.objective = "speed"; }
    SUBCASE("lpf_limit") { host.lpf_limit = 0; }
    Instance inst(host);
    CHECK(inst.status == STREAM_ERROR_INVALID_CONFIG);
    REQUIRE(host.errors.size() == 1);
    CHECK(host.errors[0].kind == STREAM_ITEM_CONFIG_KEY);
}
