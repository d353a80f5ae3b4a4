// The roofline formulas on a 3x3 convolution tile (see conv_tile.hpp for the
// tile's MACs and operand bits), checked against numbers derived by hand.
#include "conv_tile.hpp"
#include "roofline_model.h"

#include <doctest/doctest.h>

#include <cmath>
#include <string>

using namespace roofline_test;

namespace {

struct Evaluation {
    stream_status status = STREAM_OK;
    stream_cost_v1 cost{};
    RooflineBreakdown breakdown{};
    RooflineError error{};
    stream_access_energy_v1 accesses[8]{};
    stream_footprint_v1 footprints[8]{};
};

Evaluation evaluate(const stream_core_v1& core, const stream_cn_v1& cn, double peak_fraction = 1.0) {
    Evaluation e;
    e.status = roofline_evaluate(&core, &cn, peak_fraction, e.accesses, e.footprints, &e.cost, &e.breakdown, &e.error);
    return e;
}

} // namespace

TEST_CASE("roofline: 3x3 conv tile on a compute-bound core") {
    ConvTile tile;
    // 8x8 = 64 MAC units, 128 bits/cycle both ways.
    TestCore c(0, "big_sram", 8, 8, {memory("sram", 128, all_operands, 3)});
    Evaluation e = evaluate(c.core, tile.cn);
    REQUIRE(e.status == STREAM_OK);
    CHECK(e.breakdown.macs == 4608);
    CHECK(e.breakdown.mac_units == 64);
    // compute = 4608 / 64 = 72 cycles
    CHECK(e.breakdown.compute_cycles == 72);
    // memory = (1152 + 2304) / 128 read + 1024 / 128 write = 27 + 8 = 35 cycles
    CHECK(e.breakdown.memory_cycles == 35);
    CHECK(e.cost.latency_cycles == 72);
    CHECK(e.cost.latency_no_offload_cycles == 72);
    CHECK(e.cost.ideal_cycles == 72);
    CHECK(e.cost.utilization == doctest::Approx(1.0));
    // MAC energy 4608 * 0.5 = 2304 pJ; accesses I 9 + W 18 reads * 10 pJ, O 8 writes * 12 pJ = 366 pJ
    CHECK(e.cost.mac_energy_pj == doctest::Approx(2304));
    CHECK(e.cost.energy_pj == doctest::Approx(2670));
    REQUIRE(e.cost.access_count == 3);
    CHECK(std::string(e.cost.accesses[0].operand) == "I");
    CHECK(e.cost.accesses[0].reads == 9);
    CHECK(e.cost.accesses[0].energy_pj == doctest::Approx(90));
    CHECK(e.cost.accesses[1].reads == 18);
    CHECK(e.cost.accesses[2].reads == 0);
    CHECK(e.cost.accesses[2].writes == 8);
    CHECK(e.cost.accesses[2].energy_pj == doctest::Approx(96));
    REQUIRE(e.cost.footprint_count == 3);
    CHECK(e.cost.footprints[0].size_bits == 1152);
    CHECK(e.cost.footprints[1].size_bits == 2304);
    CHECK(e.cost.footprints[2].size_bits == 1024);
    CHECK(e.cost.offchip_energy_pj == 0);
}

TEST_CASE("roofline: 3x3 conv tile on a bandwidth-bound core") {
    ConvTile tile;
    // 32x32 = 1024 MAC units, 16 bits/cycle both ways.
    TestCore c(1, "narrow_sram", 32, 32, {memory("sram", 16, all_operands, 3)});
    Evaluation e = evaluate(c.core, tile.cn);
    REQUIRE(e.status == STREAM_OK);
    // compute = ceil(4608 / 1024) = ceil(4.5) = 5 cycles
    CHECK(e.breakdown.compute_cycles == 5);
    // memory = (1152 + 2304 + 1024) / 16 = 72 + 144 + 64 = 280 cycles
    CHECK(e.breakdown.memory_cycles == 280);
    CHECK(e.cost.latency_cycles == 280);
    CHECK(e.cost.ideal_cycles == 5);
    CHECK(e.cost.utilization == doctest::Approx(5.0 / 280.0));
    // 2304 pJ of MACs + (72 + 144) reads * 10 pJ + 64 writes * 12 pJ = 2304 + 2160 + 768
    CHECK(e.cost.energy_pj == doctest::Approx(5232));
}

TEST_CASE("roofline: peak_fraction slows compute only") {
    ConvTile tile;
    TestCore compute_bound(0, "big_sram", 8, 8, {memory("sram", 128, all_operands, 3)});
    // compute = 4608 / (64 * 0.5) = 144 > 35 memory cycles; ideal stays 72, so utilization 0.5
    Evaluation e = evaluate(compute_bound.core, tile.cn, 0.5);
    REQUIRE(e.status == STREAM_OK);
    CHECK(e.cost.latency_cycles == 144);
    CHECK(e.cost.ideal_cycles == 72);
    CHECK(e.cost.utilization == doctest::Approx(0.5));
    // 4608 / (64 * 0.1) = 720 exactly on paper; must not round up to 721
    CHECK(evaluate(compute_bound.core, tile.cn, 0.1).cost.latency_cycles == 720);
}

TEST_CASE("roofline: peak_fraction outside 0..1 is a config error") {
    for (double bad : {0.0, -0.5, 1.5, std::nan("")}) {
        RooflineError error{};
        CHECK(roofline_check_peak_fraction(bad, &error) == STREAM_ERROR_INVALID_CONFIG);
        CHECK(error.item_kind == STREAM_ITEM_CONFIG_KEY);
        CHECK(std::string(error.item_name) == "peak_fraction");
    }
    RooflineError error{};
    CHECK(roofline_check_peak_fraction(1.0, &error) == STREAM_OK);
    CHECK(roofline_check_peak_fraction(0.25, &error) == STREAM_OK);
}

TEST_CASE("roofline: strided input axes count distinct indices") {
    {
        // IX = 2*OX + FX, OX = 4, FX = 3: 2*3 + 1*2 + 1 = 9 values (0..8, no gaps); extent 9
        ConvTile tile(2);
        tile.axes[0][2].extent = 9;
        tile.axes[0][3].extent = 9;
        CHECK(roofline_operand_elements(&tile.cn.layer, &tile.operand(0)) == 1 * 4 * 9 * 9);
        // clipped to an extent of 7 on both axes
        tile.axes[0][2].extent = 7;
        tile.axes[0][3].extent = 7;
        CHECK(roofline_operand_elements(&tile.cn.layer, &tile.operand(0)) == 1 * 4 * 7 * 7);
    }
    {
        // a 1x1 filter at stride 2: IX = 2*OX takes 4 values (0, 2, 4, 6), not the span 7
        ConvTile tile(2);
        tile.dims[ConvTile::FY].size = 1;
        tile.dims[ConvTile::FX].size = 1;
        tile.axes[0][2].extent = 7;
        tile.axes[0][3].extent = 7;
        CHECK(roofline_operand_elements(&tile.cn.layer, &tile.operand(0)) == 1 * 4 * 4 * 4);
    }
}

TEST_CASE("roofline: each operand uses the outermost level that serves it") {
    ConvTile tile;
    static const char* const weights_only[] = {"W"};
    static const char* const activations[] = {"I", "O"};
    // level 0 "rf" serves W at 64 bits/cycle, level 1 "gb" serves I and O at 32 bits/cycle
    TestCore c(2, "split", 8, 8, {memory("rf", 64, weights_only, 1), memory("gb", 32, activations, 2)});
    CHECK(roofline_serving_level(&c.core, "W") == 0);
    CHECK(roofline_serving_level(&c.core, "I") == 1);
    CHECK(roofline_serving_level(&c.core, "X") == 1); // served nowhere: the outermost level
    Evaluation e = evaluate(c.core, tile.cn);
    REQUIRE(e.status == STREAM_OK);
    CHECK(e.cost.accesses[0].memory_level == 1);
    CHECK(e.cost.accesses[1].memory_level == 0);
    CHECK(e.cost.accesses[2].memory_level == 1);
    // memory = 1152/32 + 2304/64 + 1024/32 = 36 + 36 + 32 = 104 cycles > 72 compute
    CHECK(e.breakdown.memory_cycles == 104);
    CHECK(e.cost.latency_cycles == 104);
}

TEST_CASE("roofline: propagation layers cost memory time only") {
    ConvTile tile;
    tile.cn.layer.layer_class = STREAM_LAYER_PROPAGATION;
    TestCore c(0, "big_sram", 8, 8, {memory("sram", 128, all_operands, 3)});
    Evaluation e = evaluate(c.core, tile.cn);
    REQUIRE(e.status == STREAM_OK);
    CHECK(e.breakdown.macs == 0);
    CHECK(e.cost.mac_energy_pj == 0);
    CHECK(e.cost.latency_cycles == 35); // memory cycles, as on the compute-bound core
    CHECK(e.cost.utilization == 0);
}

TEST_CASE("roofline: cores that cannot compute are unsupported, naming the core") {
    ConvTile tile;
    TestCore no_array(4, "dma", 0, 8, {memory("sram", 128, all_operands, 3)});
    Evaluation e = evaluate(no_array.core, tile.cn);
    CHECK(e.status == STREAM_ERROR_UNSUPPORTED);
    CHECK(e.error.item_kind == STREAM_ITEM_CORE);
    CHECK(e.error.item_index == 4);
    CHECK(std::string(e.error.item_name) == "dma");
    CHECK(std::string(e.error.message).find("no MAC units") != std::string::npos);

    TestCore dram(5, "dram", 8, 8, {memory("dram", 64, all_operands, 3)});
    dram.core.is_offchip = 1;
    e = evaluate(dram.core, tile.cn);
    CHECK(e.status == STREAM_ERROR_UNSUPPORTED);
    CHECK(e.error.item_index == 5);
    CHECK(std::string(e.error.message).find("off-chip") != std::string::npos);
}
