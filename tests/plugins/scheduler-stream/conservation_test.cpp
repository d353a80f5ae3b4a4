// Conservation of DRAM traffic, energy and port time (issue 18, item 3), in Stream-DSE's own
// mode: every bit a schedule counts as moved to or from DRAM is paid at the DRAM's energy per
// bit and crosses a DRAM link within the schedule. Every number is derived in the comment
// beside it; the streaming cases failed before streamed bits had to fit the port.
#include "stream_fixture.hpp"

#include <doctest/doctest.h>

using namespace stream_test;

namespace {

// DRAM at 1000 pJ per 64-bit access (15.625 pJ/bit), as configs/hardware/cores/offchip.toml.
MemorySpec dram_1000pj() { return {"dram", 0, 64, 64, 1000, 1000, {"I", "W", "O"}}; }

// Two tiles of one layer on c0 stream the same 6400-bit weight tensor W (c0 cannot hold it),
// each with a core model that says 20 cycles and 500 pJ, of which 100 pJ at the DRAM (the
// price of 400 bits: its own access count, not the tensor's size), at 32 bits/cycle; a
// 64 bits/cycle DRAM link at 0.5 pJ/bit.
ProblemBuilder shared_streamed_weights(const char* compat) {
    ProblemBuilder b;
    b.compat = compat;
    auto c0 = b.add_core("c0", {sram("sram", 1000)});
    auto dram = b.add_dram(dram_1000pj());
    b.add_link(dram, c0, 64, 0.5);
    auto w = b.add_constant(6400, 0);
    auto t0 = b.add_node({.layer = 0, .core = c0, .priority = 0, .latency_cycles = 20, .energy_pj = 500,
                          .offchip_energy_pj = 100, .inputs = {{w, "W"}}, .streamed_operands = {"W"},
                          .offchip_read_bw_bits_per_cycle = 32});
    auto t1 = b.add_node({.layer = 0, .core = c0, .priority = 1, .latency_cycles = 20, .energy_pj = 500,
                          .offchip_energy_pj = 100, .inputs = {{w, "W"}}, .streamed_operands = {"W"},
                          .offchip_read_bw_bits_per_cycle = 32});
    b.add_order(t0, t1);
    return b;
}

std::int64_t dram_bits(const Outcome& r) {
    std::int64_t bits = 0;
    for (const auto& t : r.schedule.transfers)
        if (t.purpose != STREAM_TRANSFER_CORE_TO_CORE) bits += t.bits;
    return bits;
}

} // namespace

TEST_CASE("conservation: a weight streamed by two tiles is paid and carried in full by each") {
    ProblemBuilder b = shared_streamed_weights("");
    Outcome r = schedule(b);
    REQUIRE_SOUND(r);
    auto blocks = r.of_purpose(STREAM_TRANSFER_STREAMING);
    REQUIRE(blocks.size() == 2);
    // Neither tile keeps W, so each reads all 6400 bits from DRAM while it runs: over the
    // 64 bits/cycle link that takes 6400 / 64 = 100 cycles, more than the core model's 20.
    // t0 [0, 100), t1 [100, 200), each holding the whole link (max(32, 6400 / 100) = 64).
    CHECK(blocks[0].bits == 6400);
    CHECK(blocks[0].start_cycle == 0);
    CHECK(blocks[0].end_cycle == 100);
    CHECK(blocks[1].bits == 6400);
    CHECK(blocks[1].start_cycle == 100);
    CHECK(blocks[1].end_cycle == 200);
    CHECK(r.node(1).end_cycle == 200);
    REQUIRE(r.trace.transfers[0].hops.size() == 1);
    CHECK(r.trace.transfers[0].hops[0].activity_bits_per_cycle == 64);
    // Port time: 12,800 bits from DRAM in 200 cycles at 64 bits/cycle, exactly the port's 12,800.
    CHECK(dram_bits(r) == 12800);
    CHECK(static_cast<double>(dram_bits(r)) <= 64 * r.schedule.metrics.latency_cycles);
    // Energy: each tile 6400 / 64 = 100 accesses x 1000 pJ = 100,000 pJ (more than its core
    // model's 100 pJ): 200,000 pJ, 15.625 pJ per bit; the link 12,800 x 0.5 = 6,400 pJ;
    // on chip 2 x (500 - 100) = 800 pJ.
    CHECK(blocks[0].energy_pj == doctest::Approx(100000));
    CHECK(r.energy_of("offchip_fetch_memory") == doctest::Approx(200000));
    CHECK(r.energy_of("offchip_fetch_memory") / static_cast<double>(dram_bits(r)) == doctest::Approx(15.625));
    CHECK(r.energy_of("offchip_fetch_link") == doctest::Approx(6400));
    CHECK(r.energy_of("onchip_compute") == doctest::Approx(800));
    CHECK(r.schedule.metrics.latency_cycles == 200);
    CHECK(r.schedule.metrics.energy_pj == doctest::Approx(207200));
}

TEST_CASE("conservation: compat keeps Stream's streaming numbers, which break it") {
    ProblemBuilder b = shared_streamed_weights("stream");
    Outcome r = schedule(b);
    REQUIRE_SOUND(r); // the check is skipped under compat
    auto blocks = r.of_purpose(STREAM_TRANSFER_STREAMING);
    REQUIRE(blocks.size() == 2);
    // Stream: each block lasts the core model's 20 cycles at 32 bits/cycle (640 bits of link
    // time for 6400 counted bits) and pays the core model's 100 pJ (0.016 pJ/bit).
    CHECK(blocks[0].end_cycle == 20);
    CHECK(blocks[1].start_cycle == 20);
    CHECK(blocks[1].end_cycle == 40);
    CHECK(dram_bits(r) == 12800);
    CHECK(static_cast<double>(dram_bits(r)) > 64 * r.schedule.metrics.latency_cycles);
    CHECK(r.energy_of("offchip_fetch_memory") == doctest::Approx(200));
    CHECK(r.energy_of("offchip_fetch_link") == doctest::Approx(0));
}

TEST_CASE("conservation: a streamed input and output share one DRAM link") {
    // One node reads a 1280-bit streamed input and writes a 640-bit streamed output over one
    // link that carries both at 16 bits/cycle: (1280 + 640) / 16 = 120 cycles, more than the
    // core model's 50; it holds max(ceil(8 + 4), ceil(1920 / 120)) = 16 bits/cycle.
    ProblemBuilder b;
    auto c0 = b.add_core("c0", {sram("sram", 100)});
    auto dram = b.add_dram(dram_1000pj());
    b.add_link(dram, c0, 16);
    auto x = b.add_graph_input(1280, 0);
    b.add_node({.layer = 0, .core = c0, .latency_cycles = 50, .energy_pj = 10, .offchip_energy_pj = 0,
                .output_bits = 640, .inputs = {{x, "I"}}, .streamed_operands = {"I", "O"},
                .offchip_read_bw_bits_per_cycle = 8, .offchip_write_bw_bits_per_cycle = 4});
    Outcome r = schedule(b);
    REQUIRE_SOUND(r);
    auto blocks = r.of_purpose(STREAM_TRANSFER_STREAMING);
    REQUIRE(blocks.size() == 1);
    CHECK(blocks[0].bits == 1920);
    CHECK(blocks[0].end_cycle - blocks[0].start_cycle == 120);
    CHECK(r.node(0).end_cycle - r.node(0).start_cycle == 120);
    CHECK(r.trace.transfers[0].hops[0].activity_bits_per_cycle == 16);
    CHECK(r.trace.transfers[0].hops[0].bits == 1920);
    // 1280 / 64 = 20 reads + 640 / 64 = 10 writes, 1000 pJ each = 30,000 pJ = 1920 x 15.625
    CHECK(r.energy_of("offchip_fetch_memory") == doctest::Approx(30000));
}

TEST_CASE("conservation: the invariant checker catches streamed bits the schedule cannot carry or does not pay") {
    ProblemBuilder b = shared_streamed_weights("");
    Outcome r = schedule(b);
    REQUIRE_SOUND(r);
    auto find = [](const std::vector<std::string>& v, const std::string& what) {
        for (const auto& s : v)
            if (s.find(what) != std::string::npos) return true;
        return false;
    };
    SUBCASE("a block holding too little of the link") {
        // 6400 bits at 32 bits/cycle for 100 cycles is 3200 bits of link time.
        r.trace.transfers[0].hops[0].activity_bits_per_cycle = 32;
        const auto broken = ss::check_schedule_invariants(b.problem(), b.allocation(), r.schedule, r.trace);
        CHECK(find(broken, "conservation: transfer 0 streams 6400 bits of node 0 (layer 0, tile 0)"));
    }
    SUBCASE("DRAM bits paid below the DRAM's energy per bit") {
        // 6400 bits x 15.625 pJ/bit = 100,000 pJ at least.
        r.schedule.transfers[1].energy_pj = 100;
        const auto broken = ss::check_schedule_invariants(b.problem(), b.allocation(), r.schedule, r.trace);
        CHECK(find(broken, "conservation: transfer 1 of node 1 (layer 0, tile 1) moves 6400 bits"));
    }
    SUBCASE("more bits over the link than bandwidth x latency") {
        // 12,800 + 6400 bits > 64 x 200 = 12,800.
        r.trace.transfers[1].hops[0].bits = 12800;
        const auto broken = ss::check_schedule_invariants(b.problem(), b.allocation(), r.schedule, r.trace);
        CHECK(find(broken, "carries 19200 bits from DRAM in 200 cycles"));
    }
}

TEST_CASE("conservation: a matrix product's weights stay on the core across its tiles when they fit") {
    // Three row tiles of one matrix product on c0 (4096 bits): each reads the same 2048-bit
    // weight tensor W and its own 256-bit row block of the network input, and writes a 256-bit
    // final output. W + three inputs + three outputs = 3584 bits fit, so nothing is evicted: W is
    // fetched once (2048 / 64 = 32 cycles), never per tile, and DRAM sees 2048 + 3 x 256 bits in
    // and 3 x 256 out.
    ProblemBuilder b;
    auto c0 = b.add_core("c0", {sram("sram", 4096)});
    auto dram = b.add_dram(dram_1000pj());
    b.add_link(dram, c0, 64);
    auto w = b.add_constant(2048, 0);
    std::vector<std::int64_t> tiles;
    for (int i = 0; i < 3; ++i) {
        auto x = b.add_graph_input(256, 0);
        tiles.push_back(b.add_node({.layer = 0, .core = c0, .priority = i, .latency_cycles = 10, .energy_pj = 50,
                                    .output_bits = 256, .inputs = {{w, "W"}, {x, "I"}}, .final_output = true}));
        if (i > 0) b.add_order(tiles[static_cast<std::size_t>(i - 1)], tiles.back());
    }
    Outcome r = schedule(b);
    REQUIRE_SOUND(r);
    auto fetches = r.of_purpose(STREAM_TRANSFER_INPUT_FETCH);
    int w_fetches = 0;
    std::int64_t fetched_bits = 0;
    for (const auto& f : fetches) {
        fetched_bits += f.bits;
        if (f.bits == 2048) ++w_fetches;
    }
    CHECK(w_fetches == 1);
    CHECK(fetched_bits == 2048 + 3 * 256);
    CHECK(r.of_purpose(STREAM_TRANSFER_EVICTION).empty());
    CHECK(r.of_purpose(STREAM_TRANSFER_FINAL_OUTPUT).size() == 3);
    // Energy of the fetches at the DRAM: (2048 + 768) / 64 = 44 accesses x 1000 pJ.
    CHECK(r.energy_of("offchip_fetch_memory") == doctest::Approx(44000));
    // W stays on c0 until the last tile ends: one residency of the 2048-bit tensor there.
    int w_copies = 0;
    for (const auto& res : r.trace.residencies)
        if (res.tensor == w && !r.trace.instances[static_cast<std::size_t>(res.instance)].is_dram) {
            ++w_copies;
            CHECK(res.freed_cycle >= r.node(tiles.back()).end_cycle);
        }
    CHECK(w_copies == 1);
}
