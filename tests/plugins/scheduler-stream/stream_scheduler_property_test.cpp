// Random small problems, in both modes: every schedule must keep every invariant
// the checker knows (inputs on time, one node per core, memories and links within
// capacity, energy adding up). Memories are small enough to force evictions;
// some nodes stream operands from DRAM.
#include "stream_fixture.hpp"

#include <doctest/doctest.h>

#include <random>

using namespace stream_test;

namespace {

struct Shape {
    int cores = 3;
    int layers = 6;
    int tiles_per_layer = 4;
    bool shared_dram_port = true;
    bool bus_between_cores = false;
};

ProblemBuilder random_problem(unsigned seed, const Shape& shape, const char* compat) {
    std::mt19937 rng(seed);
    auto pick = [&](int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng); };
    ProblemBuilder b;
    b.compat = compat;
    // Tensor sizes below are at most 64 bits and a node reads at most 4 tensors and writes one,
    // so 320 bits always fit one node's working set; less than that is never asked for.
    std::vector<std::int64_t> cores;
    for (int c = 0; c < shape.cores; ++c) {
        const std::int64_t size = pick(320, 640);
        if (pick(0, 2) == 0)
            cores.push_back(b.add_core("c" + std::to_string(c), {sram("rf", 16), sram("sram", size, pick(4, 16), 1, 2)}));
        else
            cores.push_back(b.add_core("c" + std::to_string(c), {sram("sram", size, pick(4, 16), 1, 2)}));
    }
    if (shape.cores >= 2 && pick(0, 3) == 0) b.share_top_memory(cores[1], cores[0]);
    const std::int64_t dram = b.add_dram({"dram", 0, 16, 16, 4, 4, {"I", "W", "O"}});
    if (shape.shared_dram_port) {
        std::vector<std::int64_t> members = cores;
        members.push_back(dram);
        b.add_bus(members, pick(8, 32), 0.2);
    } else {
        for (std::int64_t c : cores) b.add_link(dram, c, pick(4, 16), 0.2, 0, pick(0, 1) == 0);
        // A one-way port needs its way back: a write link.
        for (std::int64_t c : cores) b.add_link(c, dram, pick(4, 16), 0.2, 0, false);
    }
    if (shape.bus_between_cores) {
        b.add_bus(cores, pick(8, 32), 0.05);
    } else {
        for (std::size_t i = 0; i + 1 < cores.size(); ++i) b.add_link(cores[i], cores[i + 1], pick(8, 32), 0.05, pick(0, 2));
    }

    std::vector<std::vector<std::int64_t>> layer_nodes(static_cast<std::size_t>(shape.layers));
    std::int64_t priority = 1000;
    for (int l = 0; l < shape.layers; ++l) {
        const std::int64_t core = cores[static_cast<std::size_t>(pick(0, shape.cores - 1))];
        const std::int64_t weight = pick(0, 3) == 0 ? -1 : b.add_constant(pick(8, 64), l);
        const bool stream_weights = weight >= 0 && pick(0, 5) == 0;
        for (int t = 0; t < shape.tiles_per_layer; ++t) {
            ProblemBuilder::Node node;
            node.layer = l;
            node.core = pick(0, 4) == 0 ? cores[static_cast<std::size_t>(pick(0, shape.cores - 1))] : core;
            node.priority = priority - l * 10 + t; // deeper layers first, Stream's fused order
            node.latency_cycles = pick(1, 30);
            node.energy_pj = pick(10, 100);
            node.output_bits = pick(8, 64);
            node.final_output = l == shape.layers - 1 || pick(0, 6) == 0;
            if (weight >= 0) node.inputs.push_back({weight, "W"});
            if (stream_weights) {
                node.streamed_operands = {"W"};
                node.offchip_read_bw_bits_per_cycle = pick(1, 8);
                node.offchip_energy_pj = pick(1, 9);
            }
            if (l == 0) node.inputs.push_back({b.add_graph_input(pick(8, 64), 0), "I"});
            if (pick(0, 9) == 0) {
                node.streamed_operands.push_back("O");
                node.offchip_write_bw_bits_per_cycle = pick(1, 8);
            }
            const std::int64_t id = b.add_node(node);
            if (t > 0) b.add_order(layer_nodes[static_cast<std::size_t>(l)].back(), id);
            layer_nodes[static_cast<std::size_t>(l)].push_back(id);
        }
        // Each tile reads one or two tiles of one or two earlier layers.
        if (l == 0) continue;
        for (std::int64_t id : layer_nodes[static_cast<std::size_t>(l)]) {
            const int sources = pick(1, 2);
            std::vector<std::int64_t> read;
            for (int s = 0; s < sources; ++s) {
                const auto& producers = layer_nodes[static_cast<std::size_t>(pick(std::max(0, l - 2), l - 1))];
                const std::int64_t p = producers[static_cast<std::size_t>(pick(0, shape.tiles_per_layer - 1))];
                if (std::find(read.begin(), read.end(), p) == read.end()) read.push_back(p);
            }
            for (std::int64_t p : read) b.connect(p, id, pick(0, 4) == 0 ? "W" : "I");
        }
    }
    return b;
}

void check_random(const Shape& shape, unsigned seeds) {
    for (const char* compat : {"", "stream"}) {
        int scheduled = 0;
        for (unsigned seed = 1; seed <= seeds; ++seed) {
            CAPTURE(seed);
            CAPTURE(compat);
            ProblemBuilder b = random_problem(seed, shape, compat);
            Outcome r = schedule(b);
            // A memory can still run out when what is left to evict is reserved for later;
            // that is a reported infeasibility, never a broken schedule or a crash.
            if (!r.ok()) {
                CHECK_MESSAGE(r.status == STREAM_ERROR_INFEASIBLE, r.error);
                continue;
            }
            ++scheduled;
            CHECK_MESSAGE(r.violations.empty(), r.violation_text());
            CHECK(r.schedule.nodes.size() == b.node_count());
        }
        CHECK(scheduled >= static_cast<int>(seeds) * 9 / 10);
    }
}

} // namespace

TEST_CASE("scheduler_stream property: random problems on a shared DRAM port keep every invariant") {
    check_random({.cores = 3, .layers = 6, .tiles_per_layer = 4, .shared_dram_port = true}, 150);
}

TEST_CASE("scheduler_stream property: random problems with a DRAM link per core keep every invariant") {
    check_random({.cores = 3, .layers = 6, .tiles_per_layer = 4, .shared_dram_port = false}, 150);
}

TEST_CASE("scheduler_stream property: random problems with a bus between cores keep every invariant") {
    check_random({.cores = 4, .layers = 8, .tiles_per_layer = 3, .shared_dram_port = true, .bus_between_cores = true},
                 150);
}
