// Properties every list schedule must have, checked on random small DAGs:
// no node starts before its inputs arrive, cores and links never do two
// things at once, and the energy components add up.
#include "schedule_fixture.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <random>
#include <set>

using namespace list_test;

namespace {

// Three compute cores in a ring of bidirectional links, DRAM attached to cores 0 and 2.
ProblemBuilder random_problem(unsigned seed) {
    std::mt19937 rng(seed);
    auto pick = [&](int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng); };
    ProblemBuilder b;
    for (const char* name : {"c0", "c1", "c2"}) b.add_core(name);
    b.add_core("dram", true);
    b.add_link(0, 1, 16, 0.1, 1);
    b.add_link(1, 2, 8, 0.1, 1);
    b.add_link(2, 0, 32, 0.1, 2);
    b.add_link(3, 0, 16, 1.0, 4);
    b.add_link(3, 2, 8, 1.0, 4, /*bidirectional=*/false);
    const int node_count = 24;
    for (int n = 0; n < node_count; ++n) {
        ProblemBuilder::Node node;
        node.layer = n / 3;
        node.core = pick(0, 2);
        node.priority = pick(0, 5);
        node.latency_cycles = pick(1, 40);
        node.energy_pj = pick(10, 100);
        node.offchip_energy_pj = pick(0, 5);
        node.constant_bits = pick(0, 1) * pick(8, 256);
        node.output_bits = pick(8, 256);
        node.dram_input_bits = pick(0, 3) == 0 ? pick(8, 128) : 0;
        node.final_output = pick(0, 4) == 0;
        b.add_node(node);
    }
    // Edges only from lower to higher ids: a DAG.
    for (int to = 1; to < node_count; ++to)
        for (int from = 0; from < to; ++from)
            if (pick(0, 9) == 0) b.add_edge(from, to, pick(0, 3) == 0 ? 0 : pick(8, 256));
    return b;
}

bool overlaps(double a_start, double a_end, double b_start, double b_end) {
    return a_start < b_end && b_start < a_end;
}

} // namespace

TEST_CASE("list: random DAGs keep every scheduling invariant") {
    for (unsigned seed = 1; seed <= 20; ++seed) {
        CAPTURE(seed);
        ProblemBuilder b = random_problem(seed);
        Schedule s = run_schedule(b);
        REQUIRE(s.status == STREAM_OK);
        REQUIRE(s.nodes.size() == b.nodes.size());

        // Each node lasts exactly its cost, on its allocated core.
        for (std::size_t n = 0; n < s.nodes.size(); ++n) {
            CHECK(s.nodes[n].node == static_cast<int64_t>(n));
            CHECK(s.nodes[n].core == b.nodes[n].core);
            CHECK(s.nodes[n].end_cycle - s.nodes[n].start_cycle == b.nodes[n].latency_cycles);
            CHECK(s.nodes[n].end_cycle <= s.metrics.latency_cycles);
        }
        // No node starts before its producers end, nor before any transfer it waits for ends.
        for (const auto& e : b.edges) CHECK(s.nodes[e.to_node].start_cycle >= s.nodes[e.from_node].end_cycle);
        for (const Transfer& t : s.transfers) {
            CHECK(t.end_cycle > t.start_cycle);
            CHECK(t.end_cycle <= s.metrics.latency_cycles);
            if (t.purpose == STREAM_TRANSFER_FINAL_OUTPUT) CHECK(t.start_cycle >= s.nodes[t.node].end_cycle);
            else CHECK(t.end_cycle <= s.nodes[t.node].start_cycle);
        }
        // Every cross-core edge with data has its transfer, leaving after the producer ends.
        for (const auto& e : b.edges) {
            if (e.bits == 0 || b.nodes[e.from_node].core == b.nodes[e.to_node].core) continue;
            bool found = false;
            for (const Transfer& t : s.transfers)
                found |= t.purpose == STREAM_TRANSFER_CORE_TO_CORE && t.node == e.to_node && t.bits == e.bits &&
                         t.start_cycle >= s.nodes[e.from_node].end_cycle;
            CHECK(found);
        }
        // A core runs one node at a time; a link carries one transfer at a time.
        for (std::size_t i = 0; i < s.nodes.size(); ++i)
            for (std::size_t j = i + 1; j < s.nodes.size(); ++j)
                if (s.nodes[i].core == s.nodes[j].core)
                    CHECK_FALSE(overlaps(s.nodes[i].start_cycle, s.nodes[i].end_cycle, s.nodes[j].start_cycle,
                                         s.nodes[j].end_cycle));
        for (std::size_t i = 0; i < s.transfers.size(); ++i)
            for (std::size_t j = i + 1; j < s.transfers.size(); ++j)
                for (int64_t link : s.transfers[i].links)
                    if (std::find(s.transfers[j].links.begin(), s.transfers[j].links.end(), link) !=
                        s.transfers[j].links.end())
                        CHECK_FALSE(overlaps(s.transfers[i].start_cycle, s.transfers[i].end_cycle,
                                             s.transfers[j].start_cycle, s.transfers[j].end_cycle));
        // Weights: at most one fetch per (layer, core) with constant bits.
        std::set<std::pair<int64_t, int64_t>> weight_sets;
        for (const auto& n : b.nodes)
            if (n.constant_bits > 0) weight_sets.insert({n.layer, n.core});
        std::size_t graph_input_fetches = 0;
        for (const auto& n : b.nodes) graph_input_fetches += n.dram_input_bits > 0;
        CHECK(s.of_purpose(STREAM_TRANSFER_INPUT_FETCH).size() == weight_sets.size() + graph_input_fetches);
        // Energy adds up, and the transfers' energies match their components.
        double sum = 0, link_sum = 0;
        for (const auto& [name, pj] : s.energy) sum += pj;
        for (const Transfer& t : s.transfers) link_sum += t.energy_pj;
        CHECK(s.metrics.energy_pj == doctest::Approx(sum));
        CHECK(link_sum == doctest::Approx(s.energy_of("core_to_core_link") + s.energy_of("offchip_link")));
        // Memory never goes negative and its peak is the largest sample.
        double peak = 0;
        for (const auto& m : s.samples) {
            CHECK(m.bits >= 0);
            peak = std::max(peak, static_cast<double>(m.bits));
        }
        CHECK(s.metrics.peak_memory_bits == peak);
    }
}
