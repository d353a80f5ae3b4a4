// The list scheduler on hand-sized problems; every expected number is derived
// in the comment beside it.
#include "schedule_fixture.hpp"

#include <doctest/doctest.h>

using namespace list_test;

TEST_CASE("list: two nodes on two cores over one link") {
    ProblemBuilder b;
    b.add_core("a");
    b.add_core("b");
    int64_t link = b.add_link(0, 1, 8, 0.5, 2); // 8 bits/cycle, 0.5 pJ/bit, 2 cycles latency
    b.add_node({.core = 0, .latency_cycles = 10, .energy_pj = 100, .output_bits = 64});
    b.add_node({.core = 1, .latency_cycles = 5, .energy_pj = 50});
    b.add_edge(0, 1, 64);
    Schedule s = run_schedule(b);
    REQUIRE(s.status == STREAM_OK);
    CHECK(s.submissions == 1);
    REQUIRE(s.transfers.size() == 1);
    const Transfer& t = s.transfers[0];
    // ready when node 0 ends at 10; 64 bits / 8 = 8 cycles + 2 latency -> [10, 20]
    CHECK(t.start_cycle == 10);
    CHECK(t.end_cycle == 20);
    CHECK(t.links == std::vector<int64_t>{link});
    CHECK(t.purpose == STREAM_TRANSFER_CORE_TO_CORE);
    CHECK(t.node == 1);
    CHECK(t.energy_pj == doctest::Approx(32)); // 64 bits * 0.5 pJ/bit
    REQUIRE(s.nodes.size() == 2);
    CHECK(s.nodes[0].start_cycle == 0);
    CHECK(s.nodes[0].end_cycle == 10);
    CHECK(s.nodes[1].core == 1);
    CHECK(s.nodes[1].start_cycle == 20);
    CHECK(s.nodes[1].end_cycle == 25);
    CHECK(s.metrics.latency_cycles == 25);
    // compute 100 + 50, link 32
    CHECK(s.metrics.energy_pj == doctest::Approx(182));
    CHECK(s.metrics.edp == doctest::Approx(25 * 182));
    CHECK(s.energy_of("core_to_core_link") == doctest::Approx(32));
    // node 0's 64 output bits stay on core 0 (top level = memory 1) until the transfer starts at 10
    REQUIRE(s.samples.size() == 2);
    CHECK(s.samples[0].core == 0);
    CHECK(s.samples[0].memory_level == 1);
    CHECK(s.samples[0].cycle == 0);
    CHECK(s.samples[0].bits == 64);
    CHECK(s.samples[1].cycle == 10);
    CHECK(s.samples[1].bits == 0);
    CHECK(s.metrics.peak_memory_bits == 64);
}

TEST_CASE("list: a link used one way only cannot carry the other direction") {
    ProblemBuilder b;
    b.add_core("a");
    b.add_core("b");
    b.add_link(1, 0, 8, 0.5, 2, /*bidirectional=*/false);
    b.add_node({.core = 0, .latency_cycles = 10, .output_bits = 64});
    b.add_node({.core = 1, .latency_cycles = 5});
    b.add_edge(0, 1, 64);
    Schedule s = run_schedule(b);
    CHECK(s.status == STREAM_ERROR_INFEASIBLE);
    CHECK(s.submissions == 0);
    REQUIRE(s.errors.size() == 1);
    CHECK(s.errors[0].message.find("core 0 'a'") != std::string::npos);
    CHECK(s.errors[0].message.find("core 1 'b'") != std::string::npos);
}

// DRAM (core 2) hangs off core 0 through link L0 (16 bits/cycle, 1 pJ/bit); core 1
// is one more hop through L1 (32 bits/cycle, 0.5 pJ/bit). Both fetches use L0.
static ProblemBuilder shared_fetch(int64_t priority0, int64_t priority1) {
    ProblemBuilder b;
    b.add_core("a");
    b.add_core("b");
    b.add_core("dram", true);
    b.add_link(2, 0, 16, 1.0, 0);
    b.add_link(0, 1, 32, 0.5, 0);
    b.add_node({.core = 0, .priority = priority0, .latency_cycles = 5, .dram_input_bits = 160});
    b.add_node({.core = 1, .priority = priority1, .latency_cycles = 5, .dram_input_bits = 160});
    return b;
}

TEST_CASE("list: a DRAM fetch shared by two cores waits for the link") {
    ProblemBuilder b = shared_fetch(0, 1);
    Schedule s = run_schedule(b);
    REQUIRE(s.status == STREAM_OK);
    auto fetches = s.of_purpose(STREAM_TRANSFER_INPUT_FETCH);
    REQUIRE(fetches.size() == 2);
    // node 0 first (priority 0): L0 for 160 / 16 = 10 cycles -> [0, 10]
    CHECK(fetches[0].node == 0);
    CHECK(fetches[0].start_cycle == 0);
    CHECK(fetches[0].end_cycle == 10);
    CHECK(fetches[0].links == std::vector<int64_t>{100});
    // node 1: route L0, L1, slowest 16 bits/cycle -> 10 cycles, but L0 is busy until 10 -> [10, 20]
    CHECK(fetches[1].node == 1);
    CHECK(fetches[1].start_cycle == 10);
    CHECK(fetches[1].end_cycle == 20);
    CHECK(fetches[1].links == std::vector<int64_t>{100, 101});
    CHECK(s.nodes[0].start_cycle == 10);
    CHECK(s.nodes[1].start_cycle == 20);
    CHECK(s.metrics.latency_cycles == 25);
    // 160 bits * 1 pJ + 160 bits * (1 + 0.5) pJ
    CHECK(s.energy_of("offchip_link") == doctest::Approx(400));

    // Swapping priorities swaps who waits.
    ProblemBuilder swapped = shared_fetch(1, 0);
    Schedule t = run_schedule(swapped);
    REQUIRE(t.status == STREAM_OK);
    CHECK(t.transfers[0].node == 1);
    CHECK(t.transfers[1].start_cycle == 10);
    CHECK(t.nodes[0].start_cycle == 20);
    CHECK(t.nodes[1].start_cycle == 10);
}

TEST_CASE("list: a final output is written back to DRAM after the node") {
    ProblemBuilder b;
    b.add_core("a");
    b.add_core("dram", true);
    b.add_link(0, 1, 32, 2.0, 3); // 32 bits/cycle, 2 pJ/bit, 3 cycles latency
    b.add_node({.core = 0, .latency_cycles = 10, .energy_pj = 7, .output_bits = 320, .final_output = true});
    Schedule s = run_schedule(b);
    REQUIRE(s.status == STREAM_OK);
    auto outputs = s.of_purpose(STREAM_TRANSFER_FINAL_OUTPUT);
    REQUIRE(outputs.size() == 1);
    // after the node ends at 10: 320 / 32 = 10 cycles + 3 latency -> [10, 23]
    CHECK(outputs[0].start_cycle == 10);
    CHECK(outputs[0].end_cycle == 23);
    CHECK(outputs[0].node == 0);
    CHECK(s.metrics.latency_cycles == 23);
    CHECK(s.energy_of("offchip_link") == doctest::Approx(640)); // 320 * 2
    // the output occupies core 0 from the node's start until the write-back ends
    REQUIRE(s.samples.size() == 2);
    CHECK(s.samples[0].cycle == 0);
    CHECK(s.samples[0].bits == 320);
    CHECK(s.samples[1].cycle == 23);
    CHECK(s.samples[1].bits == 0);
}

TEST_CASE("list: weights are fetched once per layer and core, and held until the layer's last node there") {
    ProblemBuilder b;
    b.add_core("a");
    b.add_core("b");
    b.add_core("dram", true);
    b.add_link(2, 0, 32, 1.0, 0);
    b.add_link(2, 1, 32, 1.0, 0);
    b.add_node({.layer = 0, .core = 0, .priority = 0, .latency_cycles = 10, .constant_bits = 256});
    b.add_node({.layer = 0, .core = 0, .priority = 1, .latency_cycles = 10, .constant_bits = 256});
    b.add_node({.layer = 0, .core = 1, .priority = 2, .latency_cycles = 10, .constant_bits = 256});
    b.add_node({.layer = 1, .core = 0, .priority = 3, .latency_cycles = 10, .constant_bits = 64});
    Schedule s = run_schedule(b);
    REQUIRE(s.status == STREAM_OK);
    auto fetches = s.of_purpose(STREAM_TRANSFER_INPUT_FETCH);
    // layer 0 on core 0, layer 0 on core 1, layer 1 on core 0
    REQUIRE(fetches.size() == 3);
    CHECK(fetches[0].node == 0);
    CHECK(fetches[1].node == 2);
    CHECK(fetches[2].node == 3);
    // node 0: 256 / 32 = 8 cycles on its own link -> starts 8, ends 18; node 1 needs no fetch: 18..28
    CHECK(s.nodes[0].start_cycle == 8);
    CHECK(s.nodes[1].start_cycle == 18);
    // node 2 fetches over the other link in parallel: 8..18
    CHECK(s.nodes[2].start_cycle == 8);
    // node 3 (layer 1): 64 / 32 = 2 cycles, queued behind node 0's fetch on L0 -> [8, 10]; core free at 28
    CHECK(fetches[2].start_cycle == 8);
    CHECK(s.nodes[3].start_cycle == 28);
    CHECK(s.energy_of("offchip_link") == doctest::Approx(256 + 256 + 64));
    // core 0: 256 bits from 8 to 28 (nodes 0 and 1), then 64 bits from 28 to 38
    std::vector<std::pair<double, int64_t>> core0;
    for (const auto& m : s.samples)
        if (m.core == 0) core0.emplace_back(m.cycle, m.bits);
    CHECK(core0 == std::vector<std::pair<double, int64_t>>{{8, 256}, {28, 64}, {38, 0}});
    CHECK(s.metrics.peak_memory_bits == 256);
}

TEST_CASE("list: energy components are named and sum to the total; metrics_only keeps the metrics") {
    ProblemBuilder b;
    b.add_core("a");
    b.add_core("b");
    b.add_core("dram", true);
    b.add_link(2, 0, 16, 1.0, 0);
    b.add_link(0, 1, 16, 0.25, 1);
    b.add_node({.core = 0, .latency_cycles = 10, .energy_pj = 100, .offchip_energy_pj = 30, .constant_bits = 32,
                .output_bits = 48, .dram_input_bits = 16});
    b.add_node({.core = 1, .latency_cycles = 4, .energy_pj = 40, .output_bits = 8, .final_output = true});
    b.add_edge(0, 1, 48);
    Schedule s = run_schedule(b);
    REQUIRE(s.status == STREAM_OK);
    REQUIRE(s.energy.size() == 4);
    CHECK(s.energy[0].first == "compute");
    CHECK(s.energy[1].first == "offchip_streaming");
    CHECK(s.energy[2].first == "core_to_core_link");
    CHECK(s.energy[3].first == "offchip_link");
    // compute = (100 - 30) + 40; streaming = 30
    CHECK(s.energy_of("compute") == doctest::Approx(110));
    CHECK(s.energy_of("offchip_streaming") == doctest::Approx(30));
    // core to core: 48 bits * 0.25
    CHECK(s.energy_of("core_to_core_link") == doctest::Approx(12));
    // fetches 16 + 32 bits over L0 (1 pJ/bit); write-back 8 bits over L1 + L0 (1.25 pJ/bit)
    CHECK(s.energy_of("offchip_link") == doctest::Approx(48 + 10));
    double sum = 0;
    for (const auto& [name, pj] : s.energy) sum += pj;
    CHECK(s.metrics.energy_pj == doctest::Approx(sum));
    CHECK(s.metrics.energy_pj == doctest::Approx(210));

    Schedule m = run_schedule(b, /*metrics_only=*/true);
    REQUIRE(m.status == STREAM_OK);
    CHECK(m.nodes.empty());
    CHECK(m.transfers.empty());
    CHECK(m.samples.empty());
    CHECK(m.metrics.latency_cycles == s.metrics.latency_cycles);
    CHECK(m.metrics.energy_pj == s.metrics.energy_pj);
    CHECK(m.metrics.edp == s.metrics.edp);
    CHECK(m.metrics.peak_memory_bits == s.metrics.peak_memory_bits);
}

TEST_CASE("list: a node allocated to a core it has no cost for is an error naming the node") {
    ProblemBuilder b;
    b.add_core("a");
    b.add_core("b");
    b.add_node({.core = 0, .latency_cycles = 1});
    b.problem();
    b.unit_core[0] = 1; // allocate to a core outside the unit's candidates
    const auto& vtable = *static_cast<const stream_scheduler_v1*>(stream_plugin_entry(nullptr)->vtable);
    Schedule out;
    stream_host_services_v1 host{};
    host.struct_size = sizeof host;
    host.ctx = &out;
    host.report_error = [](void* ctx, const stream_item* item, const char* message) {
        static_cast<Schedule*>(ctx)->errors.push_back({item ? item->kind : STREAM_ITEM_NONE, item ? item->index : -1, message});
    };
    host.is_cancelled = [](void*) -> int32_t { return 0; };
    stream_schedule_sink_v1 sink{sizeof sink, nullptr, [](void*, const stream_schedule_v1*) {}, 0};
    void* instance = nullptr;
    REQUIRE(vtable.create(&host, &instance) == STREAM_OK);
    CHECK(vtable.schedule(instance, &b.problem_view, &b.allocation_view, &sink) == STREAM_ERROR_INVALID_INPUT);
    vtable.destroy(instance);
    REQUIRE(out.errors.size() == 1);
    CHECK(out.errors[0].kind == STREAM_ITEM_NODE);
    CHECK(out.errors[0].index == 0);
    CHECK(out.errors[0].message.find("core 1 'b'") != std::string::npos);
}

TEST_CASE("list: a cyclic node graph is an error") {
    ProblemBuilder b;
    b.add_core("a");
    b.add_node({.core = 0, .latency_cycles = 1});
    b.add_node({.core = 0, .latency_cycles = 1});
    b.add_edge(0, 1, 8);
    b.add_edge(1, 0, 8);
    Schedule s = run_schedule(b);
    CHECK(s.status == STREAM_ERROR_INVALID_INPUT);
    REQUIRE(s.errors.size() == 1);
    CHECK(s.errors[0].message.find("cycle") != std::string::npos);
}
