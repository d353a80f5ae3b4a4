// Property: a consumer tile depends on exactly the producer tiles whose
// finished outputs intersect what it reads — checked element by element
// against brute force on random small conv pairs and random tilings.
#include "fusion_builders.hpp"

#include "fusion/Box.hpp"
#include "fusion/DependencyFinder.hpp"

#include <doctest/doctest.h>

#include <random>
#include <set>

using namespace fusion_test;

namespace {

bool contains(const Box& b, const std::vector<std::int64_t>& p) {
    for (std::size_t a = 0; a < p.size(); ++a)
        if (p[a] < b.axes[a].lo || p[a] >= b.axes[a].hi) return false;
    return true;
}

} // namespace

TEST_CASE("fusion: dependencies equal brute-force element coverage on random layers") {
    std::mt19937 rng(7);
    auto pick = [&](int lo, int hi) { return static_cast<std::int64_t>(std::uniform_int_distribution<int>(lo, hi)(rng)); };
    int checked = 0;
    for (int trial = 0; trial < 60; ++trial) {
        CAPTURE(trial);
        const std::int64_t rows = pick(2, 7);
        ConvSpec p{pick(1, 6), pick(1, 3), rows, rows, pick(1, 3), pick(1, 3), 1, 0, -1};
        p.pad = std::min(pick(0, 2), std::min(p.fy, p.fx) - 1);
        ConvSpec c{pick(1, 4), p.k, 0, 0, pick(1, 3), pick(1, 3), pick(1, 2), 0, 0};
        c.pad = std::min(pick(0, 1), std::min(c.fy, c.fx) - 1);
        c.oy = (p.oy + 2 * c.pad - c.fy) / c.stride + 1;
        c.ox = (p.ox + 2 * c.pad - c.fx) / c.stride + 1;
        if (c.oy < 1 || c.ox < 1) continue;
        ++checked;
        c.in_size = p.oy;
        Workload w;
        w.layers = {conv(0, p), conv(1, c)};
        // Random tilings on rows, columns, output and input channels.
        std::vector<TilingFactor> intra;
        for (const char* d : {"OY", "OX", "K", "C"})
            if (pick(0, 2) == 0) intra.push_back(tf(d, pick(1, 3)));
        FusionResult f = build(w, mapping({0}, intra), one_core_accelerator());
        const CnGraph& g = f.graph;

        std::set<std::pair<std::int64_t, std::int64_t>> found;
        for (const CnEdge& e : g.edges)
            if (e.tensor >= 0) found.insert({e.from_node, e.to_node});
        // Brute force: every element each consumer tile reads, against every finished producer output.
        std::set<std::pair<std::int64_t, std::int64_t>> expected;
        const Operand& in = w.layers[1].operands[0];
        const Operand& out = w.layers[0].operands[2];
        for (const CnNode& cn : g.nodes) {
            if (cn.layer != 1) continue;
            Box read = operand_box(in, cn.loop_ranges, true);
            for (const CnNode& pn : g.nodes) {
                if (pn.layer != 0 || !DependencyFinder::finalises(w.layers[0], pn)) continue;
                Box written = operand_box(out, pn.loop_ranges, true);
                bool hit = false;
                std::vector<std::int64_t> e(4);
                for (e[0] = read.axes[0].lo; e[0] < read.axes[0].hi && !hit; ++e[0])
                    for (e[1] = read.axes[1].lo; e[1] < read.axes[1].hi && !hit; ++e[1])
                        for (e[2] = read.axes[2].lo; e[2] < read.axes[2].hi && !hit; ++e[2])
                            for (e[3] = read.axes[3].lo; e[3] < read.axes[3].hi && !hit; ++e[3])
                                hit = contains(written, e);
                if (hit) expected.insert({pn.id, cn.id});
            }
        }
        CHECK(found == expected);
    }
    CHECK(checked >= 40); // the generator rarely makes a consumer larger than its input
}
