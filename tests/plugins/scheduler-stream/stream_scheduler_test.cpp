// The stream scheduler on hand-sized problems; every expected number is derived
// in the comment beside it. Times are whole cycles; a transfer over a route
// lasts ceil(bits / bandwidth) of its slowest link and holds every link of the
// route; memory energy is read energy x ceil(bits / read bw) at the source plus
// write energy x ceil(bits / write bw) at the target; link energy is bits x pJ/bit.
#include "stream_fixture.hpp"

#include <doctest/doctest.h>

using namespace stream_test;

namespace {

using Samples = std::vector<std::pair<double, std::int64_t>>;

} // namespace

TEST_CASE("scheduler_stream: two nodes on two cores over one link") {
    ProblemBuilder b;
    auto c0 = b.add_core("c0", {sram("sram", 1024, 64, 1, 2)}); // 1 pJ per 64-bit read, 2 pJ per 64-bit write
    auto c1 = b.add_core("c1", {sram("sram", 1024, 64, 1, 2)});
    auto link = b.add_link(c0, c1, 8, 0.5); // 8 bits/cycle, 0.5 pJ/bit
    auto a = b.add_node({.layer = 0, .core = c0, .latency_cycles = 10, .energy_pj = 100, .output_bits = 64});
    auto n1 = b.add_node({.layer = 1, .core = c1, .latency_cycles = 5, .energy_pj = 50});
    b.connect(a, n1);
    Outcome r = schedule(b);
    REQUIRE_SOUND(r);

    // a runs [0, 10) and holds its 64-bit output on c0 from 0.
    CHECK(r.node(a).start_cycle == 0);
    CHECK(r.node(a).end_cycle == 10);
    // The output exists at 10; 64 bits / 8 = 8 cycles -> [10, 18) on the link.
    REQUIRE(r.schedule.transfers.size() == 1);
    const stream_transfer_v1& t = r.schedule.transfers[0];
    CHECK(t.start_cycle == 10);
    CHECK(t.end_cycle == 18);
    CHECK(t.purpose == STREAM_TRANSFER_CORE_TO_CORE);
    CHECK(t.node == n1);
    CHECK(r.schedule.transfer_links[0] == std::vector<std::int64_t>{link});
    // link 64 x 0.5 = 32; memory: c0 read 1 x ceil(64/64) + c1 write 2 x 1 = 3
    CHECK(t.energy_pj == doctest::Approx(35));
    // n1 starts when its input has arrived: [18, 23).
    CHECK(r.node(n1).core == c1);
    CHECK(r.node(n1).start_cycle == 18);
    CHECK(r.node(n1).end_cycle == 23);
    CHECK(r.schedule.metrics.latency_cycles == 23);
    CHECK(r.energy_of("onchip_compute") == doctest::Approx(150));
    CHECK(r.energy_of("core_to_core_link") == doctest::Approx(32));
    CHECK(r.energy_of("core_to_core_memory") == doctest::Approx(3));
    CHECK(r.schedule.metrics.energy_pj == doctest::Approx(185)); // 150 + 32 + 3
    CHECK(r.schedule.metrics.edp == doctest::Approx(23 * 185));
    // After n1, the tensor has no use left: both copies leave at 23 (the producer's copy stays
    // until then; c1's copy arrives at 10 when the transfer starts).
    CHECK(r.samples(c0, 0) == Samples{{0, 64}, {23, 0}});
    CHECK(r.samples(c1, 0) == Samples{{10, 64}, {23, 0}});
    CHECK(r.schedule.metrics.peak_memory_bits == 64);
}

TEST_CASE("scheduler_stream: two cores fetching weights contend on a shared DRAM link") {
    auto build = [](bool shared_port) {
        ProblemBuilder b;
        auto c0 = b.add_core("c0", {sram("sram", 4096, 64, 1, 1)});
        auto c1 = b.add_core("c1", {sram("sram", 4096, 64, 1, 1)});
        auto dram = b.add_dram({"dram", 0, 64, 64, 10, 10, {"I", "W", "O"}}); // 10 pJ per 64-bit access
        if (shared_port) {
            b.add_bus({c0, c1, dram}, 16, 0.25); // one DRAM port all cores contend on
        } else {
            b.add_link(dram, c0, 16, 0.25);
            b.add_link(dram, c1, 16, 0.25);
        }
        auto w0 = b.add_constant(256, 0);
        auto w1 = b.add_constant(128, 1);
        b.add_node({.layer = 0, .core = c0, .priority = 0, .latency_cycles = 10, .energy_pj = 100, .inputs = {{w0, "W"}}});
        b.add_node({.layer = 1, .core = c1, .priority = 1, .latency_cycles = 5, .energy_pj = 50, .inputs = {{w1, "W"}}});
        return b;
    };
    SUBCASE("shared port") {
        ProblemBuilder b = build(true);
        Outcome r = schedule(b);
        REQUIRE_SOUND(r);
        auto fetches = r.of_purpose(STREAM_TRANSFER_INPUT_FETCH);
        REQUIRE(fetches.size() == 2);
        // w0: 256 / 16 = 16 cycles [0, 16); node 0 runs [16, 26).
        CHECK(fetches[0].start_cycle == 0);
        CHECK(fetches[0].end_cycle == 16);
        CHECK(r.node(0).start_cycle == 16);
        CHECK(r.node(0).end_cycle == 26);
        // w1 waits for the port: 128 / 16 = 8 cycles [16, 24); node 1 runs [24, 29).
        CHECK(fetches[1].start_cycle == 16);
        CHECK(fetches[1].end_cycle == 24);
        CHECK(r.node(1).start_cycle == 24);
        CHECK(r.node(1).end_cycle == 29);
        CHECK(r.schedule.metrics.latency_cycles == 29);
        // link: (256 + 128) x 0.25 = 96
        CHECK(r.energy_of("offchip_fetch_link") == doctest::Approx(96));
        // w0: DRAM 10 x ceil(256/64) + c0 1 x 4 = 44; w1: 10 x 2 + 1 x 2 = 22
        CHECK(r.energy_of("offchip_fetch_memory") == doctest::Approx(66));
        CHECK(r.schedule.metrics.energy_pj == doctest::Approx(312)); // 150 + 96 + 66
    }
    SUBCASE("a port per core") {
        ProblemBuilder b = build(false);
        Outcome r = schedule(b);
        REQUIRE_SOUND(r);
        // No contention: w1 [0, 8), node 1 [8, 13); node 0 still ends at 26.
        CHECK(r.node(1).start_cycle == 8);
        CHECK(r.schedule.metrics.latency_cycles == 26);
    }
}

TEST_CASE("scheduler_stream: a full memory evicts with write-back and fetches the tensor again") {
    ProblemBuilder b;
    auto c0 = b.add_core("c0", {sram("sram", 100, 10, 1, 2)}); // 100 bits; 1 pJ/read, 2 pJ/write of 10 bits
    auto dram = b.add_dram({"dram", 0, 10, 10, 5, 5, {"I", "W", "O"}});
    b.add_link(dram, c0, 10, 0.1);
    auto w = b.add_constant(60, 1);
    auto a = b.add_node({.layer = 0, .core = c0, .priority = 0, .latency_cycles = 10, .output_bits = 60});
    auto nb = b.add_node({.layer = 1, .core = c0, .priority = 1, .latency_cycles = 10, .inputs = {{w, "W"}}});
    auto c = b.add_node({.layer = 2, .core = c0, .priority = 2, .latency_cycles = 5});
    b.add_order(a, nb);
    b.connect(a, c);
    Outcome r = schedule(b);
    REQUIRE_SOUND(r);

    // a: [0, 10), its output X (60 bits) held from 0; c still needs it.
    CHECK(r.node(a).end_cycle == 10);
    // nb needs w (60 bits): 60 + 60 > 100 from cycle 0 on, so 20 bits must go: X is the only
    // candidate. X is written back once it exists: 60 / 10 = 6 cycles [10, 16); its space is
    // free at 16, and w follows on the same (bidirectional) link [16, 22). nb runs [22, 32).
    auto evictions = r.of_purpose(STREAM_TRANSFER_EVICTION);
    REQUIRE(evictions.size() == 1);
    CHECK(evictions[0].start_cycle == 10);
    CHECK(evictions[0].end_cycle == 16);
    CHECK(evictions[0].node == nb);
    auto fetches = r.of_purpose(STREAM_TRANSFER_INPUT_FETCH);
    REQUIRE(fetches.size() == 2);
    CHECK(fetches[0].start_cycle == 16);
    CHECK(fetches[0].end_cycle == 22);
    CHECK(r.node(nb).start_cycle == 22);
    CHECK(r.node(nb).end_cycle == 32);
    // c needs X again: in DRAM since 16, but w fills the memory until nb ends at 32, so X is
    // fetched [32, 38) and c runs [38, 43).
    CHECK(fetches[1].start_cycle == 32);
    CHECK(fetches[1].end_cycle == 38);
    CHECK(fetches[1].node == c);
    CHECK(r.node(c).start_cycle == 38);
    CHECK(r.node(c).end_cycle == 43);
    CHECK(r.schedule.metrics.latency_cycles == 43);
    // write-back: link 60 x 0.1 = 6; c0 read 1 x 6 + DRAM write 5 x 6 = 36
    CHECK(r.energy_of("eviction_link") == doctest::Approx(6));
    CHECK(r.energy_of("eviction_memory") == doctest::Approx(36));
    // two fetches: link 2 x 6; DRAM read 5 x 6 + c0 write 2 x 6 = 42 each
    CHECK(r.energy_of("offchip_fetch_link") == doctest::Approx(12));
    CHECK(r.energy_of("offchip_fetch_memory") == doctest::Approx(84));
    // 60 bits are held without a break: X [0, 16), w [16, 32), X again [32, 43).
    CHECK(r.samples(c0, 0) == Samples{{0, 60}, {43, 0}});
}

TEST_CASE("scheduler_stream: one transfer broadcasts a tensor to two cores") {
    auto build = [](const char* compat, bool same_tensor) {
        ProblemBuilder b;
        b.compat = compat;
        auto c0 = b.add_core("c0", {sram("sram", 1000)});
        auto c1 = b.add_core("c1", {sram("sram", 1000)});
        auto dram = b.add_dram();
        b.add_bus({c0, c1, dram}, 10, 0.1);
        auto w = b.add_constant(100, 0);
        auto other = b.add_constant(100, 0);
        b.add_node({.layer = 0, .core = c0, .priority = 0, .latency_cycles = 5, .inputs = {{w, "W"}}});
        b.add_node({.layer = 0, .core = c1, .priority = 1, .latency_cycles = 5, .inputs = {{same_tensor ? w : other, "W"}}});
        return b;
    };
    SUBCASE("the same tile rides along") {
        ProblemBuilder b = build("", true);
        Outcome r = schedule(b);
        REQUIRE_SOUND(r);
        // node 0 fetches w over the bus: 100 / 10 = 10 cycles [0, 10). Node 1's copy can ride
        // on that transfer (same tensor, same sender, starts no earlier than w exists).
        auto fetches = r.of_purpose(STREAM_TRANSFER_INPUT_FETCH);
        REQUIRE(fetches.size() == 2);
        CHECK(fetches[1].start_cycle == 0);
        CHECK(fetches[1].end_cycle == 10);
        CHECK(r.node(1).start_cycle == 10);
        CHECK(r.schedule.metrics.latency_cycles == 15);
        REQUIRE(r.trace.transfers.size() == 2);
        CHECK(r.trace.transfers[1].hops.at(0).reused);
        // The bus carries the 100 bits once: 100 x 0.1 = 10 pJ.
        CHECK(r.energy_of("offchip_fetch_link") == doctest::Approx(10));
    }
    SUBCASE("Stream charges the bus again") {
        ProblemBuilder b = build("stream", true);
        Outcome r = schedule(b);
        REQUIRE_SOUND(r);
        CHECK(r.node(1).start_cycle == 10);
        CHECK(r.energy_of("offchip_fetch_link") == doctest::Approx(20));
    }
    SUBCASE("another tile waits") {
        ProblemBuilder b = build("", false);
        Outcome r = schedule(b);
        REQUIRE_SOUND(r);
        // [10, 20) after w; node 1 runs [20, 25).
        CHECK(r.node(1).start_cycle == 20);
        CHECK(r.schedule.metrics.latency_cycles == 25);
    }
}

TEST_CASE("scheduler_stream: operands streamed from DRAM hold the DRAM link while their node runs") {
    ProblemBuilder b;
    auto c0 = b.add_core("c0", {sram("sram", 1000)});
    auto c1 = b.add_core("c1", {sram("sram", 1000)});
    auto dram = b.add_dram();
    auto bus = b.add_bus({c0, c1, dram}, 16, 0.1);
    auto ws = b.add_constant(4096, 0); // far larger than c0's memory: streamed
    auto wu = b.add_graph_input(2048, 1);
    auto w1 = b.add_constant(32, 2);
    auto s = b.add_node({.layer = 0, .core = c0, .priority = 0, .latency_cycles = 20, .energy_pj = 150,
                         .offchip_energy_pj = 50, .inputs = {{ws, "W"}}, .streamed_operands = {"W"},
                         .offchip_read_bw_bits_per_cycle = 8});
    auto u = b.add_node({.layer = 1, .core = c1, .priority = 1, .latency_cycles = 10, .energy_pj = 80,
                         .offchip_energy_pj = 30, .inputs = {{wu, "I"}}, .streamed_operands = {"I"},
                         .offchip_read_bw_bits_per_cycle = 8});
    auto t = b.add_node({.layer = 2, .core = c1, .priority = 2, .latency_cycles = 5, .energy_pj = 40, .inputs = {{w1, "W"}}});
    Outcome r = schedule(b);
    REQUIRE_SOUND(r);

    // Every streamed bit crosses the bus (16 bits/cycle) while its node runs, so a node lasts at
    // least bits / 16 cycles and holds at least bits / runtime of the bus. (This test expected
    // s to stream 4096 bits in 20 cycles at 8 bits/cycle, 160 bits of link time, before the
    // streamed bits had to fit the port.)
    // s: max(20, 4096 / 16 = 256) = 256 cycles, at max(8, 4096 / 256 = 16) = 16 bits/cycle: [0, 256).
    auto blocks = r.of_purpose(STREAM_TRANSFER_STREAMING);
    REQUIRE(blocks.size() == 2);
    CHECK(blocks[0].node == s);
    CHECK(blocks[0].start_cycle == 0);
    CHECK(blocks[0].end_cycle == 256);
    CHECK(blocks[0].bits == 4096);
    CHECK(r.schedule.transfer_links[0] == std::vector<std::int64_t>{bus});
    CHECK(r.node(s).start_cycle == 0);
    CHECK(r.node(s).end_cycle == 256);
    // u: max(10, 2048 / 16 = 128) = 128 cycles at 16 bits/cycle: the bus is full until 256, so
    // [256, 384).
    CHECK(blocks[1].node == u);
    CHECK(blocks[1].start_cycle == 256);
    CHECK(blocks[1].bits == 2048);
    CHECK(r.node(u).end_cycle == 384);
    // A transfer needs the whole bus: w1 (32 / 16 = 2 cycles) waits for the blocks: [384, 386),
    // and t runs [386, 391) on c1 (free since 384).
    auto fetches = r.of_purpose(STREAM_TRANSFER_INPUT_FETCH);
    REQUIRE(fetches.size() == 1);
    CHECK(fetches[0].start_cycle == 384);
    CHECK(fetches[0].end_cycle == 386);
    CHECK(r.node(t).start_cycle == 386);
    CHECK(r.schedule.metrics.latency_cycles == 391);
    // Streamed operands never enter c0's memory.
    CHECK(r.samples(c0, 0).empty());
    // on-chip: (150 - 50) + (80 - 30) + 40 = 190; streamed: the core models' 50 + 30 = 80 (this
    // DRAM costs nothing per access, so they are more than the port's 0); links: w1 32 x 0.1 = 3.2
    // and the streamed (4096 + 2048) x 0.1 = 614.4
    CHECK(r.energy_of("onchip_compute") == doctest::Approx(190));
    CHECK(r.energy_of("offchip_fetch_memory") == doctest::Approx(80));
    CHECK(r.energy_of("offchip_fetch_link") == doctest::Approx(617.6));
    CHECK(r.schedule.metrics.energy_pj == doctest::Approx(887.6));
}

TEST_CASE("scheduler_stream: a streamed output goes straight to DRAM and is fetched from there") {
    ProblemBuilder b;
    auto c0 = b.add_core("c0", {sram("sram", 1000)});
    auto c1 = b.add_core("c1", {sram("sram", 5000)});
    auto dram = b.add_dram();
    b.add_link(dram, c0, 16);
    b.add_link(dram, c1, 16);
    b.add_link(c0, c1, 64);
    auto p = b.add_node({.layer = 0, .core = c0, .latency_cycles = 10, .output_bits = 3200, .streamed_operands = {"O"},
                         .offchip_write_bw_bits_per_cycle = 16});
    auto q = b.add_node({.layer = 1, .core = c1, .latency_cycles = 5});
    b.connect(p, q);
    Outcome r = schedule(b);
    REQUIRE_SOUND(r);
    // p writes its 3200-bit output to DRAM while it runs, over c0's 16 bits/cycle DRAM link: that
    // takes 3200 / 16 = 200 cycles, so p runs [0, 200), not its core model's 10 (this test
    // expected [0, 10) before the streamed bits had to fit the link: 160 of 3200 bits).
    auto blocks = r.of_purpose(STREAM_TRANSFER_STREAMING);
    REQUIRE(blocks.size() == 1);
    CHECK(blocks[0].start_cycle == 0);
    CHECK(blocks[0].end_cycle == 200);
    CHECK(blocks[0].bits == 3200);
    CHECK(r.node(p).end_cycle == 200);
    // q fetches it from DRAM once p is done: 3200 / 16 = 200 cycles [200, 400); q runs [400, 405).
    auto fetches = r.of_purpose(STREAM_TRANSFER_INPUT_FETCH);
    REQUIRE(fetches.size() == 1);
    CHECK(fetches[0].start_cycle == 200);
    CHECK(fetches[0].end_cycle == 400);
    CHECK(r.node(q).start_cycle == 400);
    CHECK(r.samples(c0, 0).empty());
}

// Stream frees an evicted tensor when it decides to evict it, even though its write-back runs
// later; Stream-DSE holds its space until the write-back ends.
TEST_CASE("scheduler_stream: compat frees an evicted tensor before its write-back ends") {
    auto build = [](const char* compat) {
        ProblemBuilder b;
        b.compat = compat;
        auto c0 = b.add_core("c0", {sram("sram", 100)});
        auto c1 = b.add_core("c1", {sram("sram", 1000)});
        auto c2 = b.add_core("c2", {sram("sram", 1000)});
        auto dram = b.add_dram();
        b.add_link(c1, c0, 20);
        b.add_bus({c0, c2, dram}, 10); // c0 and c2 share one DRAM port
        auto wq = b.add_constant(400, 9);
        b.add_node({.layer = 9, .core = c2, .priority = 0, .latency_cycles = 1, .inputs = {{wq, "W"}}}); // q
        auto a = b.add_node({.layer = 0, .core = c0, .priority = 1, .latency_cycles = 10, .output_bits = 60});
        auto p = b.add_node({.layer = 5, .core = c1, .priority = 2, .latency_cycles = 20, .output_bits = 60});
        auto nb = b.add_node({.layer = 1, .core = c0, .priority = 3, .latency_cycles = 5});
        auto c = b.add_node({.layer = 2, .core = c0, .priority = 4, .latency_cycles = 1});
        b.add_order(a, nb);
        b.connect(p, nb);
        b.connect(a, c);
        return b;
    };
    // Both: q's 400 weight bits hold the DRAM port [0, 40). a holds X (60 bits) on c0 from 0;
    // p makes Y (60 bits) on c1 by 20. nb (after a) needs Y on c0 at 20: 60 + 60 > 100, so X
    // is evicted at 20; its write-back waits for the port: [40, 46). Y crosses [46, 49) and
    // nb runs [49, 54). c needs X back: DRAM has it at 46, room from 54: [54, 60), c [60, 61).
    auto check_times = [](const Outcome& r) {
        auto evictions = r.of_purpose(STREAM_TRANSFER_EVICTION);
        REQUIRE(evictions.size() == 1);
        CHECK(evictions[0].start_cycle == 40);
        CHECK(evictions[0].end_cycle == 46);
        CHECK(r.node(3).start_cycle == 49);
        CHECK(r.node(4).start_cycle == 60);
        CHECK(r.schedule.metrics.latency_cycles == 61);
    };
    SUBCASE("Stream-DSE") {
        ProblemBuilder b = build("");
        Outcome r = schedule(b);
        REQUIRE_SOUND(r);
        check_times(r);
        // X holds its 60 bits until its write-back ends at 46, when Y takes them over.
        CHECK(r.samples(0, 0) == Samples{{0, 60}, {61, 0}});
        // p's own copy of Y stays until nb, its last reader, ends.
        CHECK(r.samples(1, 0) == Samples{{0, 60}, {54, 0}});
    }
    SUBCASE("Stream") {
        ProblemBuilder b = build("stream");
        Outcome r = schedule(b);
        REQUIRE_SOUND(r);
        check_times(r);
        // X's space is free from 20, while its write-back still reads it [40, 46).
        CHECK(r.samples(0, 0) == Samples{{0, 60}, {20, 0}, {46, 60}, {61, 0}});
        // Stream drops p's copy once it is sent [quirk]: at 49.
        CHECK(r.samples(1, 0) == Samples{{0, 60}, {49, 0}});
    }
}

// Stream lists the windows where a tensor already crosses a link before the idle ones, so a
// later broadcast beats an earlier idle window.
TEST_CASE("scheduler_stream: compat prefers a later broadcast to an earlier idle window") {
    auto build = [](const char* compat) {
        ProblemBuilder b;
        b.compat = compat;
        auto c0 = b.add_core("c0", {sram("sram", 100)});
        auto c1 = b.add_core("c1", {sram("sram", 100)});
        auto dram = b.add_dram();
        b.add_bus({c0, c1, dram}, 10);
        auto w = b.add_constant(100, 7);
        auto p = b.add_node({.layer = 0, .core = c0, .priority = 0, .latency_cycles = 10, .output_bits = 100});
        auto q = b.add_node({.layer = 1, .core = c0, .priority = 1, .latency_cycles = 50});
        b.connect(p, q);
        b.add_node({.layer = 7, .core = c0, .priority = 2, .latency_cycles = 5, .inputs = {{w, "W"}}}); // a
        b.add_node({.layer = 7, .core = c1, .priority = 3, .latency_cycles = 5, .inputs = {{w, "W"}}}); // d
        return b;
    };
    // p's output fills c0 until q ends at 60, so a's copy of w crosses the bus [60, 70); a runs
    // [70, 75). d's copy (c1 is empty) could cross at once, [0, 10).
    SUBCASE("Stream-DSE: the earliest window") {
        ProblemBuilder b = build("");
        Outcome r = schedule(b);
        REQUIRE_SOUND(r);
        CHECK(r.node(2).start_cycle == 70);
        CHECK(r.node(3).start_cycle == 10);
    }
    SUBCASE("Stream: the broadcast") {
        ProblemBuilder b = build("stream");
        Outcome r = schedule(b);
        REQUIRE_SOUND(r);
        CHECK(r.node(2).start_cycle == 70);
        CHECK(r.node(3).start_cycle == 70);
    }
}

// Stream holds the DRAM link for a streamed operand before it makes room for the output; an
// eviction for that room can then start the node after its block.
TEST_CASE("scheduler_stream: compat holds the DRAM link before making room for the output") {
    auto build = [](const char* compat) {
        ProblemBuilder b;
        b.compat = compat;
        // Weights in one memory (the one a streamed operand clears), activations in another.
        auto c0 = b.add_core("c0", {sram("wmem", 64, 64, 0, 0, {"W"}), sram("act", 100, 64, 0, 0, {"I", "O"})});
        auto dram = b.add_dram();
        b.add_link(dram, c0, 16);
        auto ws = b.add_constant(4000, 1);
        auto a = b.add_node({.layer = 0, .core = c0, .priority = 0, .latency_cycles = 10, .output_bits = 80});
        auto s = b.add_node({.layer = 1, .core = c0, .priority = 1, .latency_cycles = 20, .output_bits = 40,
                             .inputs = {{ws, "W"}}, .final_output = true, .streamed_operands = {"W"},
                             .offchip_read_bw_bits_per_cycle = 8});
        auto c = b.add_node({.layer = 2, .core = c0, .priority = 2, .latency_cycles = 1});
        b.add_order(a, s);
        b.connect(a, c);
        return b;
    };
    // a holds X (80 bits) in "act" from 0; s (from 10) needs 40 bits there for its output: X is
    // evicted and written back over the DRAM link, 80 / 16 = 5 cycles.
    SUBCASE("Stream-DSE: room first, then the block with the node") {
        ProblemBuilder b = build("");
        Outcome r = schedule(b);
        REQUIRE_SOUND(r);
        // write-back [10, 15); block and s [15, 35)
        auto blocks = r.of_purpose(STREAM_TRANSFER_STREAMING);
        REQUIRE(blocks.size() == 1);
        CHECK(blocks[0].start_cycle == 15);
        CHECK(r.node(1).start_cycle == 15);
    }
    SUBCASE("Stream: the block first, the node later") {
        ProblemBuilder b = build("stream");
        Outcome r = schedule(b);
        REQUIRE_SOUND(r);
        // block [10, 30); the write-back needs the whole link: [30, 35); s runs [35, 55).
        auto blocks = r.of_purpose(STREAM_TRANSFER_STREAMING);
        REQUIRE(blocks.size() == 1);
        CHECK(blocks[0].start_cycle == 10);
        auto evictions = r.of_purpose(STREAM_TRANSFER_EVICTION);
        REQUIRE(evictions.size() == 1);
        CHECK(evictions[0].start_cycle == 30);
        CHECK(r.node(1).start_cycle == 35);
    }
}

TEST_CASE("scheduler_stream: compat treats a bus of three cores as independent pairs") {
    auto build = [](const char* compat) {
        ProblemBuilder b;
        b.compat = compat;
        auto c0 = b.add_core("c0", {sram("sram", 1000)});
        auto c1 = b.add_core("c1", {sram("sram", 1000)});
        auto c2 = b.add_core("c2", {sram("sram", 1000)});
        b.add_bus({c0, c1, c2}, 8);
        auto a = b.add_node({.layer = 0, .core = c0, .latency_cycles = 10, .output_bits = 64});
        auto z = b.add_node({.layer = 0, .core = c2, .latency_cycles = 10, .output_bits = 64});
        auto d = b.add_node({.layer = 1, .core = c1, .latency_cycles = 1});
        b.connect(a, d);
        b.connect(z, d);
        return b;
    };
    SUBCASE("Stream-DSE: the pairs share the bus") {
        ProblemBuilder b = build("");
        Outcome r = schedule(b);
        REQUIRE_SOUND(r);
        // Both outputs exist at 10; 64 / 8 = 8 cycles each, one after the other: [10, 18), [18, 26).
        CHECK(r.node(2).start_cycle == 26);
    }
    SUBCASE("Stream: c0-c1 and c2-c1 are separate links") {
        ProblemBuilder b = build("stream");
        Outcome r = schedule(b);
        REQUIRE_SOUND(r);
        // Both [10, 18) at once.
        CHECK(r.node(2).start_cycle == 18);
    }
}

TEST_CASE("scheduler_stream: final outputs are written back to DRAM") {
    ProblemBuilder b;
    auto c0 = b.add_core("c0", {sram("sram", 1000)});
    auto dram = b.add_dram();
    b.add_link(dram, c0, 8, 0.5);
    auto a = b.add_node({.layer = 0, .core = c0, .latency_cycles = 10, .output_bits = 80, .final_output = true});
    auto c = b.add_node({.layer = 1, .core = c0, .latency_cycles = 4});
    b.connect(a, c);
    Outcome r = schedule(b);
    REQUIRE_SOUND(r);
    // a's output leaves the stack: written back [10, 20) (80 / 8), while c reads it on c0 [10, 14).
    auto finals = r.of_purpose(STREAM_TRANSFER_FINAL_OUTPUT);
    REQUIRE(finals.size() == 1);
    CHECK(finals[0].start_cycle == 10);
    CHECK(finals[0].end_cycle == 20);
    CHECK(r.node(c).start_cycle == 10);
    CHECK(r.energy_of("final_output_link") == doctest::Approx(40)); // 80 x 0.5
    // The copy on c0 stays until the write-back has read it.
    CHECK(r.samples(c0, 0) == Samples{{0, 80}, {20, 0}});
    CHECK(r.schedule.metrics.latency_cycles == 20);
}

TEST_CASE("scheduler_stream: a core that shares its owner's memory reads the owner's tensors in place") {
    ProblemBuilder b;
    auto c0 = b.add_core("c0", {sram("rf", 64), sram("sram", 1000)});
    auto c1 = b.add_core("c1", {sram("rf", 64), sram("sram", 1000)});
    b.share_top_memory(c1, c0);
    b.add_link(c0, c1, 8);
    auto a = b.add_node({.layer = 0, .core = c0, .latency_cycles = 10, .output_bits = 256});
    auto n = b.add_node({.layer = 1, .core = c1, .latency_cycles = 5});
    b.connect(a, n);
    Outcome r = schedule(b);
    REQUIRE_SOUND(r);
    // No transfer: the tensor is already in the one shared memory, reported under its owner c0.
    CHECK(r.schedule.transfers.empty());
    CHECK(r.node(n).start_cycle == 10);
    CHECK(r.samples(c0, 1) == Samples{{0, 256}, {15, 0}});
    CHECK(r.samples(c1, 1).empty());
}

TEST_CASE("scheduler_stream: separate input and output memories copy a tensor inside the core") {
    ProblemBuilder b;
    // I and W in one memory, O in another (64 bits/cycle each, 1 pJ per access).
    auto c0 = b.add_core("c0", {sram("act_w", 1000, 64, 1, 1, {"I", "W"}), sram("out", 1000, 64, 1, 1, {"O"})});
    auto a = b.add_node({.layer = 0, .core = c0, .latency_cycles = 10, .output_bits = 128});
    auto n = b.add_node({.layer = 1, .core = c0, .latency_cycles = 5});
    b.connect(a, n);
    Outcome r = schedule(b);
    REQUIRE_SOUND(r);
    // a's output lands in "out" (level 1); n reads it as I from "act_w" (level 0): a copy at
    // memory speed, 128 / 64 = 2 cycles [10, 12), no link. n runs [12, 17).
    REQUIRE(r.schedule.transfers.size() == 1);
    CHECK(r.schedule.transfer_links[0].empty());
    CHECK(r.schedule.transfers[0].start_cycle == 10);
    CHECK(r.schedule.transfers[0].end_cycle == 12);
    CHECK(r.node(n).start_cycle == 12);
    CHECK(r.energy_of("core_to_core_memory") == doctest::Approx(4)); // 1 x 2 reads + 1 x 2 writes
    // Both copies are freed after n, the last reader.
    CHECK(r.samples(c0, 1) == Samples{{0, 128}, {17, 0}});
    CHECK(r.samples(c0, 0) == Samples{{10, 128}, {17, 0}});
}

TEST_CASE("scheduler_stream: problems without tensors are read as the list scheduler reads them") {
    ProblemBuilder b;
    auto c0 = b.add_core("c0", {sram("sram", 10000)});
    auto c1 = b.add_core("c1", {sram("sram", 10000)});
    auto dram = b.add_dram();
    b.add_link(dram, c0, 8);
    b.add_link(dram, c1, 8);
    b.add_link(c0, c1, 16);
    auto a = b.add_node({.layer = 0, .core = c0, .latency_cycles = 10, .output_bits = 64, .constant_bits = 32,
                         .dram_input_bits = 16});
    auto n = b.add_node({.layer = 1, .core = c1, .latency_cycles = 5, .output_bits = 8, .final_output = true});
    b.connect(a, n);
    b.omit_tensors();
    Outcome r = schedule(b);
    REQUIRE_SOUND(r);
    // a fetches its 16 input bits [0, 2) then its 32 weight bits [2, 6) (smaller first); runs
    // [6, 16); its output crosses 64 / 16 = 4 cycles [16, 20); n runs [20, 25); n's output
    // goes back to DRAM [25, 26).
    CHECK(r.node(a).start_cycle == 6);
    CHECK(r.node(n).start_cycle == 20);
    CHECK(r.of_purpose(STREAM_TRANSFER_FINAL_OUTPUT).size() == 1);
    CHECK(r.schedule.metrics.latency_cycles == 26);
}

TEST_CASE("scheduler_stream: an allocator's node order replaces the priorities") {
    ProblemBuilder b;
    auto c0 = b.add_core("c0", {sram("sram", 1000)});
    b.add_node({.layer = 0, .core = c0, .priority = 0, .latency_cycles = 10});
    b.add_node({.layer = 1, .core = c0, .priority = 1, .latency_cycles = 10});
    b.node_priority = {1, 0};
    Outcome r = schedule(b);
    REQUIRE_SOUND(r);
    CHECK(r.node(1).start_cycle == 0);
    CHECK(r.node(0).start_cycle == 10);
}

TEST_CASE("scheduler_stream: a node without a cost on its allocated core is refused") {
    ProblemBuilder b;
    b.add_core("c0", {sram("sram", 1000)});
    b.add_core("c1", {sram("sram", 1000)});
    b.add_node({.layer = 4, .core = 0, .allocate_to = 1});
    Outcome r = schedule(b);
    CHECK(r.status == STREAM_ERROR_INVALID_INPUT);
    CHECK(r.error == "node 0 of layer 4 has no cost on core 1 (c1), the core its unit is allocated to");
    REQUIRE(r.item);
    CHECK(r.item->kind == STREAM_ITEM_NODE);
    CHECK(r.item->index == 0);
}

TEST_CASE("scheduler_stream: a tensor larger than the memory that must hold it is infeasible") {
    ProblemBuilder b;
    auto c0 = b.add_core("c0", {sram("sram", 1000)});
    auto dram = b.add_dram();
    b.add_link(dram, c0, 8);
    auto w = b.add_constant(2000, 3);
    b.add_node({.layer = 3, .core = c0, .inputs = {{w, "W"}}});
    Outcome r = schedule(b);
    CHECK(r.status == STREAM_ERROR_INFEASIBLE);
    CHECK(r.error == "tensor 0 (2000 bits) of layer 3 does not fit core 0 (c0)'s memory sram (1000 bits)");
    REQUIRE(r.item);
    CHECK(r.item->kind == STREAM_ITEM_CORE);
    CHECK(r.item->index == 0);
}

TEST_CASE("scheduler_stream: a cycle in the node graph is refused") {
    ProblemBuilder b;
    b.add_core("c0", {sram("sram", 1000)});
    b.add_node({.core = 0});
    b.add_node({.core = 0});
    b.add_order(0, 1);
    b.add_order(1, 0);
    Outcome r = schedule(b);
    CHECK(r.status == STREAM_ERROR_INVALID_INPUT);
    CHECK(r.error.find("cycle") != std::string::npos);
}

TEST_CASE("scheduler_stream: a core with no route to the data is infeasible") {
    ProblemBuilder b;
    auto c0 = b.add_core("c0", {sram("sram", 1000)});
    b.add_core("c1", {sram("sram", 1000)});
    b.add_dram();
    auto w = b.add_constant(10, 0);
    b.add_node({.core = c0, .inputs = {{w, "W"}}});
    Outcome r = schedule(b);
    CHECK(r.status == STREAM_ERROR_INFEASIBLE);
    CHECK(r.error.find("no route from core 2 (dram) to core 0 (c0)") != std::string::npos);
}

TEST_CASE("scheduler_stream: the plugin describes itself and honours metrics_only") {
    const stream_plugin_descriptor* d = stream_plugin_entry(nullptr);
    REQUIRE(d);
    CHECK(d->kind == STREAM_KIND_SCHEDULER);
    CHECK(std::string(d->id) == "stream");
    CHECK(std::string(d->version) == "0.1.0");
    REQUIRE(d->config_key_count == 1);
    CHECK(std::string(d->config_keys[0].key) == "check_invariants");
    CHECK(d->config_keys[0].type == STREAM_VALUE_BOOL);
    CHECK(std::string(d->config_keys[0].default_value) == "false");

    ProblemBuilder b;
    auto c0 = b.add_core("c0", {sram("sram", 1024)});
    auto c1 = b.add_core("c1", {sram("sram", 1024)});
    b.add_link(c0, c1, 8);
    auto a = b.add_node({.layer = 0, .core = c0, .latency_cycles = 10, .energy_pj = 1, .output_bits = 64});
    auto n = b.add_node({.layer = 1, .core = c1, .latency_cycles = 5, .energy_pj = 1});
    b.connect(a, n);
    AbiRun full = run_plugin(b, false);
    REQUIRE(full.status == STREAM_OK);
    CHECK(full.submissions == 1);
    CHECK(full.nodes == 2);
    CHECK(full.transfers == 1);
    CHECK(full.samples == 4);
    CHECK(full.energy == 9);
    CHECK(full.metrics.latency_cycles == 23);
    AbiRun lean = run_plugin(b, true, false);
    REQUIRE(lean.status == STREAM_OK);
    CHECK(lean.nodes == 0);
    CHECK(lean.transfers == 0);
    CHECK(lean.samples == 0);
    CHECK(lean.energy == 9);
    CHECK(lean.metrics.latency_cycles == 23);
    CHECK(lean.metrics.energy_pj == full.metrics.energy_pj);

    b.node(n).allocate_to = c0; // no cost there
    AbiRun bad = run_plugin(b, false);
    CHECK(bad.status == STREAM_ERROR_INVALID_INPUT);
    CHECK(bad.submissions == 0);
    REQUIRE(bad.errors.size() == 1);
    CHECK(bad.errors[0].kind == STREAM_ITEM_NODE);
    CHECK(bad.errors[0].index == 1);
}

TEST_CASE("scheduler_stream: one scheduler gives the same schedule when called again") {
    ProblemBuilder b;
    auto c0 = b.add_core("c0", {sram("sram", 100, 10)});
    auto dram = b.add_dram();
    b.add_link(dram, c0, 10);
    auto w = b.add_constant(60, 1);
    auto a = b.add_node({.layer = 0, .core = c0, .latency_cycles = 10, .output_bits = 60});
    auto nb = b.add_node({.layer = 1, .core = c0, .priority = 1, .latency_cycles = 10, .inputs = {{w, "W"}}});
    auto c = b.add_node({.layer = 2, .core = c0, .priority = 2, .latency_cycles = 5});
    b.add_order(a, nb);
    b.connect(a, c);
    ss::StreamScheduler scheduler;
    Outcome first = schedule(b, &scheduler);
    Outcome second = schedule(b, &scheduler);
    REQUIRE_SOUND(first);
    REQUIRE_SOUND(second);
    CHECK(first.schedule.metrics.latency_cycles == second.schedule.metrics.latency_cycles);
    CHECK(first.schedule.metrics.energy_pj == second.schedule.metrics.energy_pj);
    CHECK(first.schedule.transfers.size() == second.schedule.transfers.size());
    CHECK(first.schedule.memory_samples.size() == second.schedule.memory_samples.size());
}

TEST_CASE("scheduler_stream: evaluations of one problem reuse its graph and match fresh schedules") {
    ProblemBuilder b;
    std::vector<std::int64_t> cores;
    for (int c = 0; c < 3; ++c) cores.push_back(b.add_core("c" + std::to_string(c), {sram("sram", 400, 16, 1, 2)}));
    auto dram = b.add_dram();
    b.add_bus({cores[0], cores[1], cores[2], dram}, 16, 0.1);
    b.add_link(cores[0], cores[1], 32, 0.01);
    b.add_link(cores[1], cores[2], 32, 0.01);
    std::vector<std::int64_t> previous;
    for (int l = 0; l < 4; ++l) {
        auto w = b.add_constant(40 + 8 * l, l);
        std::vector<std::int64_t> layer;
        for (int t = 0; t < 3; ++t) {
            ProblemBuilder::Node node{.layer = l, .core = cores[0], .priority = (3 - l) * 10 + t, .latency_cycles = 5.0 + t,
                                      .energy_pj = 10, .output_bits = 24 + 8 * t, .inputs = {{w, "W"}},
                                      .final_output = l == 3, .other_cores = {cores[1], cores[2]}};
            if (l == 0) node.inputs.push_back({b.add_graph_input(32, 0), "I"});
            const auto id = b.add_node(node);
            for (auto p : previous) b.connect(p, id);
            layer.push_back(id);
        }
        previous = layer;
    }
    b.problem(); // the views stay put from here on; only the allocation changes
    ss::StreamScheduler evaluator;
    for (int trial = 0; trial < 8; ++trial) {
        CAPTURE(trial);
        for (std::size_t n = 0; n < b.node_count(); ++n)
            b.reallocate(static_cast<std::int64_t>(n), cores[(n * 7 + static_cast<std::size_t>(trial) * 3 + n / 3) % 3]);
        ss::ScheduleOutcome fast = evaluator.schedule(b.problem_view(), b.allocation_view(), {.metrics_only = true});
        CHECK(fast.reused_graph == (trial > 0));
        CHECK(fast.result.nodes.empty());
        ss::StreamScheduler fresh;
        ss::ScheduleOutcome full = fresh.schedule(b.problem_view(), b.allocation_view(), {.record_trace = true});
        CHECK(!full.reused_graph);
        CHECK(ss::check_schedule_invariants(b.problem_view(), b.allocation_view(), full.result, full.trace).empty());
        CHECK(fast.result.metrics.latency_cycles == full.result.metrics.latency_cycles);
        CHECK(fast.result.metrics.energy_pj == doctest::Approx(full.result.metrics.energy_pj));
        CHECK(fast.result.metrics.peak_memory_bits == full.result.metrics.peak_memory_bits);
    }
    // A changed problem is noticed: one more edge, a new graph.
    b.add_order(0, 1);
    b.problem();
    ss::ScheduleOutcome changed = evaluator.schedule(b.problem_view(), b.allocation_view(), {.metrics_only = true});
    CHECK(!changed.reused_graph);
}
