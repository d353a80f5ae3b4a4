// Operands too large for the core, streamed from DRAM (offchip_streaming.hpp, stream.md §3.6):
// which operands Stream's rule sends off-chip, a hand-derived streamed node through the plugin
// (energy, off-chip energy and bandwidth, latency with the DRAM level's stalls), Stream's SIMD
// core on ResNet-18's Add layers, the errors; and the plugin's zigzag_quirks key under the host's
// compat switch.
#include "dataflow_model.hpp"
#include "dataflow_test_support.hpp"
#include "mapping_search.hpp"
#include "offchip_streaming.hpp"
#include "stream_loop_names.hpp"

#include <doctest/doctest.h>

#include <string>
#include <vector>

using namespace stream::dataflow;
using namespace stream::dataflow::test;

namespace {

std::vector<std::string> names(const LoopNest& nest, const std::vector<std::size_t>& ops) {
    std::vector<std::string> out;
    for (std::size_t o : ops) out.push_back(nest.operands()[o].name);
    return out;
}

std::vector<PortUse> all_flows(const char* write, const char* read, const char* o_fl, const char* o_th) {
    return concat({input_ports("I", write, read), input_ports("W", write, read), output_ports(write, read, o_fl, o_th)});
}

// Stream's offchip.yaml: 10 Gb, 64 b/cycle, 1000 pJ per access, one read-write port.
MemoryLevel stream_dram() {
    return mem("dram", 10000000000LL, 64, 1000, 1000, {"I", "W", "O"}, {}, 0, 0, 1,
               all_flows("rw_port_1", "rw_port_1", "rw_port_1", "rw_port_1"));
}

} // namespace

TEST_CASE("offchip streaming - Stream's rule picks the operands") {
    // matvec K8 C64 on the toy core: W 8*64 = 512 weights x 8 b = 4096 b, I 64 x 8 = 512 b,
    // O 8 partial sums x 16 b = 128 b (ZigZag sizes the output at partial-sum precision).
    LoopNest nest = matvec(8, 64);
    CHECK(operand_size_bits(nest, nest.operand_index("W")) == 4096);
    CHECK(operand_size_bits(nest, nest.operand_index("I")) == 512);
    CHECK(operand_size_bits(nest, nest.operand_index("O")) == 128);
    CoreDescription core = toy_core();

    SUBCASE("everything fits") {
        core.memories[1].size_bits = 8192; // 4736 b needed
        CHECK(plan_streaming(nest, core).empty());
    }
    SUBCASE("the largest operand goes") {
        // buf 2048 b: sorted O 128, I 512, W 4096; O + I = 640 fit, W does not. W's innermost
        // memory (rf, 64 b per MAC x 4 MACs = 256 b) fits in the 1408 b left: only W streams.
        core.memories[1].size_bits = 2048;
        StreamingPlan plan = plan_streaming(nest, core);
        CHECK(names(nest, plan.streamed) == std::vector<std::string>{"W"});
        REQUIRE(plan.overflows.size() == 1);
        CHECK(plan.overflows[0].memory == 1);
        CHECK(plan.overflows[0].capacity_bits == 2048);
        REQUIRE(plan.overflows[0].needs.size() == 3);
        CHECK(nest.operands()[plan.overflows[0].needs[0].operand].name == "O");
        CHECK(plan.overflows[0].needs[2].bits == 4096);
    }
    SUBCASE("kept operands give way to what the streamed ones need on-chip") {
        // buf 768 b: O + I = 640 fit, W streams, but 128 b left < W's 256 b of rf: I (the
        // largest kept) goes too; then O's 128 b leave 640 b < W's 256 + I's buf 768: O goes.
        core.memories[1].size_bits = 768;
        CHECK(names(nest, plan_streaming(nest, core).streamed) == std::vector<std::string>{"I", "W", "O"});
    }
    SUBCASE("an input sized by what it receives") {
        // buf 8192 b holds the tile (4736 b), but the node receives 6144 b of producer tiles for I
        // (more than its 512 b slice): sorted O 128, W 4096, I 6144; O + W = 4224 fit, I does not.
        // I's innermost memory is buf itself (8192 b), more than the 3968 b left, so W gives way
        // (8064 b left < 8192 + W's rf 4 x 64 b), then O: all three stream.
        std::vector<std::int64_t> received(nest.operands().size(), 0);
        received[nest.operand_index("I")] = 6144;
        core.memories[1].size_bits = 8192;
        StreamingPlan plan = plan_streaming(nest, core, received);
        CHECK(names(nest, plan.streamed) == std::vector<std::string>{"I", "W", "O"});
        REQUIRE(plan.overflows.size() == 1);
        CHECK(nest.operands()[plan.overflows[0].needs[2].operand].name == "I");
        CHECK(plan.overflows[0].needs[2].bits == 6144);
        // Receiving less than the slice changes nothing: the tile itself must fit.
        received[nest.operand_index("I")] = 100;
        CHECK(plan_streaming(nest, core, received).empty());
    }
    SUBCASE("the extended core") {
        CoreDescription ext = with_offchip_level(core, stream_dram(), {"W"});
        REQUIRE(ext.memories.size() == 3);
        const MemoryLevel& d = ext.memories[2];
        CHECK(d.operands == std::vector<std::string>{"W"});
        CHECK(d.served_dims == std::vector<std::string>{"D1"});
        REQUIRE(d.port_uses.size() == 2);
        CHECK(d.port_uses[0].operand == "W");
        CHECK(d.port_uses[0].flow == "fh");
        CHECK(d.port_uses[1].flow == "tl");
    }
}

TEST_CASE("offchip streaming - hand-derived streamed Add through the plugin") {
    // O[k] = I1[k] + I2[k], K = 32, 8 bit, on a 4-lane vector core (D1 = 4, dataflow K 4) whose
    // only memory, buf, holds 128 b (32 b/cycle read and write ports, 1 pJ per read, 2 per
    // write), and a DRAM (64 b/cycle, one read-write port, 100 pJ per read, 200 per write).
    //
    // Streaming: each operand is 32 x 8 = 256 b > 128 b: none fits, all three stream; I1 and I2
    // use the memories of I and W. Temporal loops: K 32 / 4 = 8 = K2 K2 K2, one ordering.
    // Allocation in buf (cap 128 b): each operand can keep 0, 1 or 2 loops (32, 64, 128 b);
    // every choice moves the same data (all loops relevant), the last combination that fits is
    // kept: I [K2], W [], O []; DRAM takes the rest.
    //
    // Energy (words = ceil(bits / bw) x periods):
    //   I buf: 8 reads of 4 x 8 b (1 word) + 4 writes of 8 x 8 b (2 words) = 8 x 1 + 8 x 2 = 24
    //   I dram: 4 reads of 8 x 8 b (1 word) = 4 x 100 = 400
    //   W buf: 8 reads + 8 writes of 4 x 8 b = 24;  W dram: 8 reads of 32 b = 800
    //   O buf: 8 writes from the lanes + 8 reads towards DRAM of 32 b = 24;  O dram: 8 writes = 1600
    //   MACs 32 x 0.5 = 16  ->  energy 2888 pJ, of which off-chip 400 + 800 + 1600 = 2800 pJ.
    // Off-chip bandwidth: what DRAM must deliver while the node runs (ZigZag's instantaneous
    //   bandwidth of the DRAM level): I 8 x 8 b per 2 cycles = 32, W 4 x 8 b per cycle = 32,
    //   O 4 x 8 b per cycle = 32 -> 96 bits/cycle (no one-shot loading, nothing borrowed).
    //   By direction: I and W leave DRAM towards buf (rd_out_to_low) 32 + 32 = 64 bits/cycle; O
    //   enters DRAM from buf (wr_in_by_low) 32 bits/cycle.
    // Latency: T = 8. buf is 3 x 25 % full, so I and W are not double-buffered there; its read
    //   port serves I, W (1 cycle each per cycle) and O towards DRAM (1 per cycle): windows 3 x 7
    //   cycles in a union of 8 -> stall 13 (write port: 12; DRAM port: I's transfer 1 cycle in a
    //   2-cycle window, slack 3 -> 9). On-loading: I's first 64 b into buf take 2 cycles, W's
    //   1; both ports shared by the two inputs -> min(2 + 1, 1 + 2) = 3. Off-loading: O's last
    //   32 b to DRAM, 1 cycle. latency_total2 = 8 + 13 + 3 + 1 = 25; without off-loading 24.
    CoreDescription vec;
    vec.name = "vec";
    vec.array_dims = {{"D1", 4}};
    vec.mac_energy_pj = 0.5;
    vec.memories = {mem("buf", 128, 32, 1, 2, {"I", "W", "O"}, {"D1"}, 1, 1, 0,
                        all_flows("w_port_1", "r_port_1", "w_port_1", "r_port_1"))};
    MemoryLevel dram = mem("dram", 1000000000, 64, 100, 200, {"I", "W", "O"}, {}, 0, 0, 1,
                           all_flows("rw_port_1", "rw_port_1", "rw_port_1", "rw_port_1"));
    AbiViews in(add_layer({{"K", 32}}), vec, {{"D1", "K", 4}}, dram);
    FakeHost host;
    Instance inst(host);
    REQUIRE(inst.status == STREAM_OK);
    Captured out;
    REQUIRE(core_model().evaluate(inst.p, &in.core, &in.cn, &out.sink) == STREAM_OK);
    CHECK(host.errors.empty());
    CHECK(out.mapping_text == "{O: [[], [(K, 2), (K, 2), (K, 2)]], I: [[(K, 2)], [(K, 2), (K, 2)]], "
                              "W: [[], [(K, 2), (K, 2), (K, 2)]]}");
    CHECK(out.cost.energy_pj == rel(2888));
    CHECK(out.cost.mac_energy_pj == rel(16));
    CHECK(out.cost.offchip_energy_pj == rel(2800));
    CHECK(out.cost.offchip_bw_bits_per_cycle == rel(96));
    REQUIRE(STREAM_HAS_FIELD(stream_cost_v1, out.cost.struct_size, offchip_write_bw_bits_per_cycle));
    CHECK(out.cost.offchip_read_bw_bits_per_cycle == rel(64));
    CHECK(out.cost.offchip_write_bw_bits_per_cycle == rel(32));
    CHECK(out.cost.ideal_cycles == 8);
    CHECK(out.cost.latency_cycles == 25);
    CHECK(out.cost.latency_no_offload_cycles == 24);
    CHECK(out.cost.onloading_cycles == 3);
    CHECK(out.cost.offloading_cycles == 1);
    // Every operand streamed, named as the layer names them (the scheduler matches its inputs by
    // these names); the footprint is what buf holds: I1 8 x 8 b, I2 and O 4 x 8 b.
    CHECK(out.streamed == std::map<std::string, int>{{"I1", 1}, {"I2", 1}, {"O", 1}});
    CHECK(out.footprints == std::map<std::string, int64_t>{{"I1", 64}, {"I2", 32}, {"O", 32}});
    // Accesses name the core's memories only (buf); the DRAM's part is offchip_energy_pj.
    REQUIRE(out.accesses.size() == 3);
    double on_chip = 0;
    for (const auto& a : out.accesses) {
        CHECK(a.second.memory_level == 0);
        CHECK(a.second.energy_pj == rel(24));
        on_chip += a.second.energy_pj;
    }
    CHECK(out.cost.energy_pj == rel(16 + on_chip + out.cost.offchip_energy_pj));
}

TEST_CASE("offchip streaming - ResNet-18's Add on Stream's SIMD core") {
    // layer2.1 Add: 128 x 28 x 28 = 100352 elements x 8 b = 802816 b per operand; the SRAM holds
    // 1048576 b. Sorted, only one operand fits; it must then also leave room for the streamed
    // ones' innermost memory (the SRAM itself, 1048576 b each): it cannot, so all three stream.
    LoopNest nest = add_layer({{"K", 128}, {"OY", 28}, {"OX", 28}});
    nest.rename_operand(0, "I");
    nest.rename_operand(1, "W");
    CoreDescription simd = stream_simd();
    StreamingPlan plan = plan_streaming(nest, simd);
    CHECK(names(nest, plan.streamed) == std::vector<std::string>{"I", "W", "O"});
    REQUIRE(plan.overflows.size() == 1);
    for (const auto& n : plan.overflows[0].needs) CHECK(n.bits == 802816);

    AbiViews in(add_layer({{"K", 128}, {"OY", 28}, {"OX", 28}}), simd, {{"D1", "K", 64}}, stream_dram());
    FakeHost host;
    host.set_compat("stream");
    Instance inst(host);
    REQUIRE(inst.status == STREAM_OK);
    Captured out;
    REQUIRE(core_model().evaluate(inst.p, &in.core, &in.cn, &out.sink) == STREAM_OK);
    CHECK(out.streamed == std::map<std::string, int>{{"I1", 1}, {"I2", 1}, {"O", 1}});

    // The same numbers as the reference model on the chosen mapping of the extended core, with the
    // loops named as Stream names them (B, D, K by position: the dataflow's K is the 28 columns).
    CoreDescription ext = with_offchip_level(simd, stream_dram(), {"I", "W", "O"});
    const LoopNest named_nest = with_stream_loop_names(nest);
    SpatialMapping sm = SpatialMapping::normalized(named_nest, ext, user_mapping({{"D1", {"K", 64}}}));
    CostModelOptions quirks;
    quirks.compat_zigzag = true;
    CostResult ref = evaluate(named_nest, ext, sm, TemporalMapping::parse_zigzag(out.mapping_text), quirks);
    CHECK(out.cost.latency_cycles == ref.latency_total2);
    CHECK(out.cost.energy_pj == rel(ref.energy_total));
    double dram_energy = 0;
    for (const char* op : {"I", "W", "O"}) {
        REQUIRE(ref.levels.at(op).back().memory == 1);
        dram_energy += ref.levels.at(op).back().energy_total_pj;
    }
    CHECK(out.cost.offchip_energy_pj == rel(dram_energy));
    CHECK(out.cost.offchip_energy_pj > 0);
    CHECK(out.cost.offchip_bw_bits_per_cycle == rel(total_inst_bandwidth(ref, 1, {"I", "W", "O"})));
    CHECK(out.cost.offchip_bw_bits_per_cycle > 0);
    // Split by direction, the parts cover at most the four-way sum (the rest is read and written
    // away from the core, rd_out_to_high / wr_in_by_high, which no link to DRAM carries).
    CHECK(out.cost.offchip_read_bw_bits_per_cycle > 0);
    CHECK(out.cost.offchip_write_bw_bits_per_cycle > 0);
    CHECK(out.cost.offchip_read_bw_bits_per_cycle + out.cost.offchip_write_bw_bits_per_cycle <=
          out.cost.offchip_bw_bits_per_cycle * (1 + 1e-12));
    // 100352 additions on 64 lanes: 1568 cycles at best; the lanes unroll the 28 columns only, so
    // 100352 / 28 = 3584 cycles, and DRAM's 64 b/cycle stalls the rest.
    CHECK(out.cost.ideal_cycles == 1568);
    CHECK(out.cost.latency_cycles > 3584);

    SUBCASE("without DRAM the node cannot run, and the message says why") {
        in.core.offchip_memory = nullptr;
        FakeHost h2;
        Instance i2(h2);
        Captured o2;
        CHECK(core_model().evaluate(i2.p, &in.core, &in.cn, &o2.sink) == STREAM_ERROR_INFEASIBLE);
        REQUIRE(h2.errors.size() == 1);
        CHECK(h2.errors[0].kind == STREAM_ITEM_LAYER);
        CHECK(h2.errors[0].message ==
              "too large for core 'simd': 'sram_128KB_2rw' (1048576 bits) cannot hold I1 (802816 bits), I2 (802816 "
              "bits) and O (802816 bits) together, and the system has no off-chip memory to stream I1, I2, O from");
    }
}

TEST_CASE("dataflow plugin - zigzag_quirks follows the host's compat switch unless set") {
    // ZigZag's conv1 (stride 2, 7 x 7) on its tpu_like core: its quirks change the best
    // mapping's latency (reduce_balanced lowers on-loading below its minimum, §5.5).
    LoopNest nest = conv(64, 3, 112, 112, 7, 7, 2, 229);
    CoreDescription core = zigzag_tpu_like();
    SpatialMapping sm = SpatialMapping::normalized(nest, core, user_mapping({{"D1", {"C", 32}}, {"D2", {"K", 32}}}));
    SearchOptions on, off;
    on.model.compat_zigzag = true;
    off.model.compat_zigzag = false;
    const double with_quirks = search_temporal_mapping(nest, core, sm, on).cost.latency_total2;
    const double without = search_temporal_mapping(nest, core, sm, off).cost.latency_total2;
    REQUIRE(with_quirks != without);

    AbiViews in(conv(64, 3, 112, 112, 7, 7, 2, 229), zigzag_tpu_like(), {{"D1", "C", 32}, {"D2", "K", 32}});
    auto latency = [&](FakeHost& host) {
        Instance inst(host);
        REQUIRE(inst.status == STREAM_OK);
        Captured out;
        REQUIRE(core_model().evaluate(inst.p, &in.core, &in.cn, &out.sink) == STREAM_OK);
        return out.cost.latency_cycles;
    };
    FakeHost plain;
    CHECK(latency(plain) == without); // Stream-DSE's default: the corrected model
    FakeHost stream;
    stream.set_compat("stream");
    CHECK(latency(stream) == with_quirks);
    FakeHost defaulted; // the host filled in the key's default: still the compat switch decides
    defaulted.set_compat("stream");
    defaulted.zigzag_quirks = false;
    defaulted.zigzag_quirks_defaulted = true;
    CHECK(latency(defaulted) == with_quirks);
    FakeHost written_off; // the user's choice wins over the compat switch
    written_off.set_compat("stream");
    written_off.zigzag_quirks = false;
    CHECK(latency(written_off) == without);
    FakeHost written_on;
    written_on.zigzag_quirks = true;
    CHECK(latency(written_on) == with_quirks);
}
