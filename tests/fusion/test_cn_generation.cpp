// CN generation and dependencies against Stream's worked examples
// (stream.md §3.3 and §3.5) and hand-derived counts.
#include "fusion_builders.hpp"

#include "fusion/Box.hpp"

#include <doctest/doctest.h>

#include <set>

using namespace fusion_test;

TEST_SUITE("fusion") {

TEST_CASE("Stream's worked example 3.3: OY all intra-core, K 4 inter-core") {
    // K=64, C=64, OY=OX=56, 3x3, stride 1, pad 1; a second layer so the stack has two layers and is tiled.
    ConvSpec s{64, 64, 56, 56, 3, 3, 1, 1, -1};
    Workload w;
    w.layers = {conv(0, s), conv(1, ConvSpec{64, 64, 56, 56, 3, 3, 1, 1, 0})};
    Accelerator acc = one_core_accelerator(4);
    FusionResult f = build(w, mapping({0, 1, 2, 3}, {all("OY")}, {tf("K", 4)}), acc);
    const CnGraph& g = f.graph;
    // Outer loops [(OY,56), (K,4)]: 224 CNs per layer, OY varying fastest.
    REQUIRE(g.nodes.size() == 448);
    std::set<std::int64_t> weight_tensors_of_group0;
    for (std::int64_t n = 0; n < 224; ++n) {
        const CnNode& cn = g.nodes[static_cast<std::size_t>(n)];
        const std::int64_t v_oy = n % 56, v_k = n / 56;
        CHECK(cn.sub_id == n);
        CHECK(cn.loop_ranges[4] == Range{v_oy, v_oy + 1});      // OY
        CHECK(cn.loop_ranges[2] == Range{16 * v_k, 16 * v_k + 16}); // K
        CHECK(cn.loop_ranges[3] == Range{0, 64});                // C whole
        CHECK(cn.group == v_k);                                  // groups are the K quarters
        // The input slice with its halo: IY = [v-1, v+2), IX = [-1, 57) before padding is cut away.
        Box in = operand_box(w.layers[0].operands[0], cn.loop_ranges, false);
        CHECK(in.axes[2] == Range{v_oy - 1, v_oy + 2});
        CHECK(in.axes[3] == Range{-1, 57});
        for (const NodeInput& i : cn.inputs)
            if (g.tensors[static_cast<std::size_t>(i.tensor)].kind == TensorKind::Constant && v_k == 0)
                weight_tensors_of_group0.insert(i.tensor);
    }
    // The 56 CNs of a group share one weight tile: K 16 x C 64 x 3 x 3 x 8 bits.
    REQUIRE(weight_tensors_of_group0.size() == 1);
    CHECK(g.tensors[static_cast<std::size_t>(*weight_tensors_of_group0.begin())].size_bits == 16 * 64 * 9 * 8);
    // Four allocation units per layer, each free to take any of the four cores.
    CHECK(g.units.size() == 8);
    CHECK(g.units[0].nodes.size() == 56);
    CHECK(g.units[0].costs.size() == 4);
}

TEST_CASE("Stream's worked example 3.5: producer row 5 feeds consumer rows 4, 5 and 6") {
    Workload w;
    w.layers = {conv(0, ConvSpec{64, 64, 56, 56, 3, 3, 1, 1, -1}), conv(1, ConvSpec{64, 64, 56, 56, 3, 3, 1, 1, 0})};
    FusionResult f = build(w, mapping({0}, {all("OY")}), one_core_accelerator());
    auto edges = data_edges(f.graph, 0, 1);
    std::vector<std::int64_t> from5;
    for (auto [p, c] : edges)
        if (p == 5) from5.push_back(c);
    CHECK(from5 == std::vector<std::int64_t>{4, 5, 6});
    // 56 consumer rows read 3 producer rows each, but the first and last only 2: 3*56 - 2 = 166.
    CHECK(edges.size() == 166);
    // Each edge carries the producer's whole output row: K 64 x OX 56 x 8 bits.
    for (const CnEdge& e : f.graph.edges)
        if (e.tensor >= 0) CHECK(e.bits == 64 * 56 * 8);
}

TEST_CASE("a producer tiled over its reduction feeds consumers only from the tile that completes it") {
    Workload w;
    w.layers = {conv(0, ConvSpec{8, 8, 6, 6, 3, 3, 1, 1, -1}), conv(1, ConvSpec{8, 8, 6, 6, 3, 3, 1, 1, 0})};
    FusionResult f = build(w, mapping({0}, {all("OY"), tf("C", 2)}), one_core_accelerator());
    const CnGraph& g = f.graph;
    for (const CnEdge& e : g.edges) {
        if (e.tensor < 0) continue;
        const CnNode& p = g.nodes[static_cast<std::size_t>(e.from_node)];
        if (p.layer == 0) CHECK(p.loop_ranges[3].hi == 8); // C complete
    }
    // Producer: 6 rows x 2 C halves = 12 CNs; consumer: 6 rows x 2 = 12. Each consumer tile reads
    // 3 (2 at the borders) producer rows, from the tile with the second C half: 12 * 3 - 2 * 2 = 32.
    CHECK(data_edges(g, 0, 1).size() == 32);
}

TEST_CASE("two convs: fused rows against layer by layer") {
    Workload w;
    w.layers = {conv(0, ConvSpec{4, 2, 8, 8, 3, 3, 1, 1, -1}), conv(1, ConvSpec{4, 4, 8, 8, 3, 3, 1, 1, 0})};
    Accelerator acc = one_core_accelerator();
    FusionResult fused = build(w, mapping({0}, {}), acc);
    // Default fusion dimension: output rows. 8 + 8 CNs; data edges 3*8 - 2 = 22; chains 7 + 7.
    CHECK(fused.graph.nodes.size() == 16);
    CHECK(data_edges(fused.graph, 0, 1).size() == 22);
    CHECK(fused.graph.edges.size() == 22 + 14);
    // Depth first: in the stack, the deeper layer's tiles come first in the priority order.
    CHECK(fused.graph.nodes[8].priority < fused.graph.nodes[0].priority);
    // Only the last layer's tiles write the network output.
    CHECK_FALSE(fused.graph.nodes[0].produces_final_output);
    CHECK(fused.graph.nodes[15].produces_final_output);

    FusionResult lbl = build(w, mapping({0}, {all("OY")}), acc, "", "layer_by_layer");
    CHECK(lbl.graph.nodes.size() == 2);
    CHECK(lbl.graph.edges.size() == 1);
    CHECK(lbl.graph.edges[0].bits == 4 * 8 * 8 * 8);
}

TEST_CASE("a strided conv reads rows 2j-1 .. 2j+1 of its producer") {
    Workload w;
    w.layers = {conv(0, ConvSpec{4, 2, 8, 8, 3, 3, 1, 1, -1}), conv(1, ConvSpec{4, 4, 4, 4, 3, 3, 2, 1, 0, 8})};
    FusionResult f = build(w, mapping({0}, {}), one_core_accelerator());
    auto edges = data_edges(f.graph, 0, 1);
    // Row 0 reads rows -1..1 (0 and 1 exist); rows 1..3 read 3 rows each: 2 + 9 = 11.
    CHECK(edges.size() == 11);
    std::vector<std::int64_t> into2;
    for (auto [p, c] : edges)
        if (c == 2) into2.push_back(p);
    CHECK(into2 == std::vector<std::int64_t>{3, 4, 5});
}

TEST_CASE("a 2x2 pooling layer reads two producer rows per output row") {
    Workload w;
    w.layers = {conv(0, ConvSpec{4, 2, 8, 8, 3, 3, 1, 1, -1}), pool(1, 4, 4, 2, 0)};
    FusionResult f = build(w, mapping({0}, {}), one_core_accelerator());
    auto edges = data_edges(f.graph, 0, 1);
    CHECK(edges.size() == 8);
    CHECK(edges[2] == std::pair<std::int64_t, std::int64_t>{2, 1});
}

TEST_CASE("inter-core star splits a layer into one group per candidate core, fixed lists pin them") {
    Workload w;
    w.layers = {conv(0, ConvSpec{8, 4, 4, 4, 1, 1, 1, 0, -1})};
    Accelerator acc = one_core_accelerator(2);
    FusionResult free = build(w, mapping({0, 1}, {}, {star("K")}), acc);
    REQUIRE(free.graph.units.size() == 2);
    CHECK(free.graph.units[0].costs.size() == 2);
    CHECK(free.graph.units[0].fixed_core == -1);
    FusionResult pinned = build(w, mapping({1, 0}, {}, {star("K")}, true), acc);
    REQUIRE(pinned.graph.units.size() == 2);
    CHECK(pinned.graph.units[0].fixed_core == 1);
    CHECK(pinned.graph.units[1].fixed_core == 0);
    // Under compat "stream" the star waits for an allocator that never splits: one group.
    FusionResult compat = build(w, mapping({0, 1}, {}, {star("K")}), acc, "all", "fused", true);
    CHECK(compat.graph.units.size() == 1);
}

TEST_CASE("factors that do not divide: balanced tiles by default, Stream's rounded-up tiles under compat") {
    Workload w;
    w.layers = {conv(0, ConvSpec{4, 2, 10, 10, 1, 1, 1, 0, -1}), conv(1, ConvSpec{4, 4, 10, 10, 1, 1, 1, 0, 0})};
    Accelerator acc = one_core_accelerator();
    FusionResult f = build(w, mapping({0}, {tf("OY", 4)}), acc);
    std::vector<std::int64_t> sizes;
    for (std::size_t n = 0; n < 4; ++n) sizes.push_back(f.graph.nodes[n].loop_ranges[4].size());
    CHECK(sizes == std::vector<std::int64_t>{2, 3, 2, 3}); // 10 rows in 4 tiles: floor(i*10/4) boundaries
    CHECK_FALSE(f.warnings.empty());
    FusionResult c = build(w, mapping({0}, {tf("OY", 4)}), acc, "all", "fused", true);
    CHECK(c.graph.nodes[3].loop_ranges[4] == Range{9, 12}); // every tile 3 rows, the last overhanging
}

TEST_CASE("layer stacks: pack closes a stack when the weights no longer fit") {
    Workload w;
    for (int i = 0; i < 4; ++i) w.layers.push_back(conv(i, ConvSpec{64, 64, 4, 4, 3, 3, 1, 1, i - 1}));
    // Each layer has 64*64*9*8 = 294912 weight bits; a 700000-bit memory holds two layers' weights.
    Accelerator acc = one_core_accelerator();
    auto type = std::make_shared<CoreType>(*acc.cores[0].type);
    type->memories[0].size_bits = 700000;
    acc.cores[0].type = type;
    FusionResult packed = build(w, mapping({0}, {}), acc, "pack");
    CHECK(packed.stack_of_layer == std::vector<std::int64_t>{0, 0, 1, 1});
    FusionResult stream_like = build(w, mapping({0}, {}), acc, "weights");
    CHECK(stream_like.stack_of_layer == std::vector<std::int64_t>{0, 0, 1, 2});
}

} // TEST_SUITE
