// ZigZag's exploit_data_locality rule (pipeline/DataLocality.hpp) on a hand-built core and
// network, with every kept level derived in the comments.
#include "pipeline/DataLocality.hpp"

#include <doctest/doctest.h>

#include <string>
#include <vector>

using namespace stream;

namespace {

TensorAxis along(std::uint32_t dim, std::int64_t extent) { return TensorAxis{{{dim, 1}}, 0, extent}; }

Operand operand(const std::string& name, OperandRole role, std::vector<TensorAxis> axes, std::int64_t producer = -1) {
    Operand o;
    o.name = name;
    o.role = role;
    o.precision_bits = 8;
    o.partial_precision_bits = role == OperandRole::Output ? 16 : 0;
    o.producer_layer = producer;
    o.axes = std::move(axes);
    return o;
}

// O[k][ox] += W[k][c] * I[c][ox]: I = C*OX*8 bits, W = K*C*8, O = K*OX*16 (partial sums).
Layer matmul(std::int64_t id, std::int64_t k, std::int64_t c, std::int64_t producer) {
    Layer l;
    l.id = id;
    l.name = "mm" + std::to_string(id);
    l.op_type = "Conv";
    l.loop_dims = {{"K", k}, {"C", c}, {"OX", 8}};
    l.operands = {operand("I", OperandRole::Input, {along(1, c), along(2, 8)}, producer),
                  operand("W", OperandRole::Constant, {along(0, k), along(1, c)}),
                  operand("O", OperandRole::Output, {along(0, k), along(2, 8)})};
    return l;
}

// Element-wise over K=4, OX=8: each input 4*8*8 = 256 bits, O 4*8*16 = 512. One producer gives a
// Relu (input I), two an Add (inputs I1, I2).
Layer elementwise(std::int64_t id, const std::vector<std::int64_t>& producers) {
    Layer l;
    l.id = id;
    l.op_type = producers.size() == 1 ? "Relu" : "Add";
    l.name = (producers.size() == 1 ? "relu" : "add") + std::to_string(id);
    l.loop_dims = {{"K", 4}, {"OX", 8}};
    for (std::size_t i = 0; i < producers.size(); ++i)
        l.operands.push_back(operand(producers.size() == 1 ? "I" : "I" + std::to_string(i + 1), OperandRole::Input,
                                     {along(0, 4), along(1, 8)}, producers[i]));
    l.operands.push_back(operand("O", OperandRole::Output, {along(0, 4), along(1, 8)}));
    return l;
}

MemoryLevel memory(const std::string& name, std::int64_t size_bits, std::vector<std::string> operands,
                   std::vector<std::string> served_dims) {
    MemoryLevel m;
    m.name = name;
    m.size_bits = size_bits;
    for (const std::string& op : operands) m.port_uses.push_back({op, "tl", "r_port_1"});
    m.operands = std::move(operands);
    m.served_dims = std::move(served_dims);
    return m;
}

// A 4-MAC array; per-MAC register files for W (4 x 64 bits) and O (4 x 32 bits), a 700-bit local
// buffer for I and O, a 2048-bit global buffer and DRAM for everything (all shared over D1).
CoreType toy_core() {
    CoreType t;
    t.name = "toy";
    t.array_dims = {{"D1", 4}};
    t.memories = {memory("rf_w", 64, {"W"}, {}), memory("rf_o", 32, {"O"}, {}), memory("lb", 700, {"I", "O"}, {"D1"}),
                  memory("gb", 2048, {"I", "W", "O"}, {"D1"}), memory("dram", 1000000000, {"I", "W", "O"}, {"D1"})};
    return t;
}

// mm0 -> relu1 (not costed) -> mm2 -> mm3 -> {mm4, add5}, mm4 -> add5.
Workload toy_network() {
    Workload w;
    w.name = "toy";
    w.layers = {matmul(0, 4, 2, -1), elementwise(1, {0}), matmul(2, 4, 4, 1), matmul(3, 4, 4, 2), matmul(4, 4, 4, 3),
                elementwise(5, {3, 4})};
    return w;
}

std::vector<std::string> names(const CoreType& t) {
    std::vector<std::string> out;
    for (const MemoryLevel& m : t.memories) out.push_back(m.name);
    return out;
}

const MemoryLevel& named(const CoreType& t, const std::string& name) {
    for (const MemoryLevel& m : t.memories)
        if (m.name == name) return m;
    FAIL("no memory " << name);
    return t.memories.front();
}

using Ops = std::vector<std::string>;

} // namespace

TEST_SUITE("unit") {

// Sizes: mm0 I 2*8*8 = 128, O 4*8*16 = 512; mm2..mm4 I 4*8*8 = 256, W 4*4*8 = 128, O 512;
// all weights 4*2*8 + 3*128 = 448 bits. Layers in order mm0, mm2, mm3, mm4, add5 (relu1 is not
// costed: mm0 feeds mm2 through it). Memories scanned top-down; "fits" = what the memory serves
// of the layer's input and output, plus all weights if it serves W, <= size x instances.
//  mm0 (first, one successor mm2 with one predecessor: no branch):
//    dram, gb: 128+512+448 = 1088 fit -> I, O at gb (3); gb serves D1 (the whole array) and W: weights at 3.
//    lb: 128+512 = 640 <= 700 -> I, O at lb (2). rf_o serves no I; rf_w: 448 > 4 x 64.    => I 2, O 2.
//  mm2: I where mm0 left O (2); O: gb fits 256+512+448 = 1216, lb does not (768 > 700) => I 2, O 3.
//  mm3: I 3 (mm2's O); two successors (a branch starts): O at the top (dram, 4)        => I 3, O 4.
//  mm4: I 4; its one successor add5 has two predecessors (a branch ends): O at the top  => I 4, O 4.
//  add5 (element-wise, last): I1 (kept with I) at mm3's O level 4, I2 (with W) follows I1;
//    O: dram, gb hold O 512 + both inputs 512 = 1024 <= 2048; lb does not (1024 > 700) => I 4, W 4, O 3.
TEST_CASE("data locality: levels per layer and the memories each layer keeps") {
    const Workload w = toy_network();
    const CoreType core = toy_core();
    std::vector<const Layer*> costed;
    for (const Layer& l : w.layers)
        if (l.op_type != "Relu") costed.push_back(&l);
    const DataLocality loc(w, costed, core);
    CHECK(loc.weight_level() == 3);

    struct Expected {
        std::int64_t layer;
        int activation, weight, output;
    };
    for (const Expected& e : {Expected{0, 2, 3, 2}, Expected{2, 2, 3, 3}, Expected{3, 3, 3, 4}, Expected{4, 4, 3, 4},
                              Expected{5, 4, 4, 3}}) {
        CAPTURE(e.layer);
        const LocalityLevels& lv = loc.levels(e.layer);
        CHECK(lv.activation_level == e.activation);
        CHECK(lv.weight_level == e.weight);
        CHECK(lv.output_level == e.output);
    }
    CHECK(loc.levels(5).activation == "I");
    CHECK(loc.levels(5).weight == "W");

    // mm0 keeps I <= lb, W <= gb, O <= lb: gb keeps only W and DRAM is left empty.
    const CoreType c0 = loc.core_for(0, core);
    CHECK(names(c0) == Ops{"rf_w", "rf_o", "lb", "gb"});
    CHECK(named(c0, "gb").operands == Ops{"W"});
    CHECK(named(c0, "lb").operands == Ops{"I", "O"});
    // mm2: O <= gb, I <= lb.
    const CoreType c2 = loc.core_for(2, core);
    CHECK(names(c2) == Ops{"rf_w", "rf_o", "lb", "gb"});
    CHECK(named(c2, "gb").operands == Ops{"W", "O"});
    // mm4: I and O reach DRAM, weights do not.
    const CoreType c4 = loc.core_for(4, core);
    CHECK(named(c4, "dram").operands == Ops{"I", "O"});
    CHECK(named(c4, "dram").port_uses.size() == 2);
    // add5: both inputs still in DRAM, the output stops at gb.
    const CoreType c5 = loc.core_for(5, core);
    CHECK(named(c5, "dram").operands == Ops{"I", "W"});
    CHECK(named(c5, "dram").port_uses.size() == 2);
    CHECK(named(c5, "dram").port_uses[1].operand == "W");
}

// The same network on a DRAM-less core whose largest memory (600 bits) cannot hold mm0's input and
// output (640 bits), let alone with the weights: ZigZag stops there; here the data keeps every level,
// with a note naming the layers. mm2 (last) needs its own input and output, 768 bits: no level either.
TEST_CASE("data locality: a layer whose data no memory holds keeps every level, with a note") {
    const Workload w = toy_network();
    CoreType core = toy_core();
    core.memories = {memory("rf_w", 64, {"W"}, {}), memory("lb", 600, {"I", "W", "O"}, {"D1"})};
    std::vector<const Layer*> costed = {&w.layers[0], &w.layers[2]};
    const DataLocality loc(w, costed, core);
    REQUIRE(loc.notes().size() == 1);
    CHECK(loc.notes()[0].find("of 2 layer(s) (layer 0 'mm0', layer 2 'mm2')") != std::string::npos);
    for (std::int64_t id : {0, 2}) {
        CAPTURE(id);
        CHECK(loc.levels(id).activation_level == 1);
        CHECK(loc.levels(id).output_level == 1);
        CHECK(loc.levels(id).weight_level == 1); // rf_w does not serve the whole array
    }
    const CoreType c0 = loc.core_for(0, core);
    CHECK(names(c0) == Ops{"rf_w", "lb"});
    CHECK(named(c0, "lb").operands == Ops{"I", "W", "O"});
}

// Layers not in the costed list are looked through: with mm2 left out, mm3's input comes from mm0.
TEST_CASE("data locality: an uncosted layer between two costed ones passes the level on") {
    const Workload w = toy_network();
    const CoreType core = toy_core();
    std::vector<const Layer*> costed = {&w.layers[0], &w.layers[3]};
    const DataLocality loc(w, costed, core);
    // mm0 -> mm3, mm3 last: mm0 as above (I 2, O 2); mm3 reads at 2, and its O + I = 768 fits gb, not lb.
    CHECK(loc.levels(3).activation_level == 2);
    CHECK(loc.levels(3).output_level == 3);
}

} // TEST_SUITE
