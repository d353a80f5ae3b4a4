// Stream's positional loop names for element-wise layers (stream_loop_names.hpp, stream.md §2.4)
// and what they change through the plugin under --compat stream: the core's dataflow unrolls
// Stream's K, the last axis, instead of the channels.
#include "dataflow_model.hpp"
#include "dataflow_test_support.hpp"
#include "stream_loop_names.hpp"

#include <doctest/doctest.h>

#include <string>
#include <vector>

using namespace stream::dataflow;
using namespace stream::dataflow::test;

namespace {

std::vector<std::string> dim_names(const LoopNest& nest) {
    std::vector<std::string> out;
    for (const auto& d : nest.dims()) out.push_back(d.name);
    return out;
}

// 64 channels x 2 rows x 28 columns.
LoopNest small_add() { return add_layer({{"K", 64}, {"OY", 2}, {"OX", 28}}); }

} // namespace

TEST_CASE("stream loop names - element-wise layers are named by output position") {
    const LoopNest add = small_add();
    CHECK(is_elementwise(add));
    // Rank 3: B, D, K, the last axis (the columns) being K.
    const LoopNest named = with_stream_loop_names(add);
    CHECK(dim_names(named) == std::vector<std::string>{"B", "D", "K"});
    CHECK(named.dim_index("K") == 2);
    CHECK(named.dims()[2].size == 28);
    CHECK(named.mac_count() == add.mac_count());

    // A matrix-vector product reduces over C, which the output does not index: left alone.
    const LoopNest mv = matvec(8, 64);
    CHECK_FALSE(is_elementwise(mv));
    CHECK(dim_names(with_stream_loop_names(mv)) == dim_names(mv));
}

TEST_CASE("stream loop names - under --compat stream the SIMD lanes unroll the columns") {
    // 64 channels x 2 rows x 28 columns = 3584 additions; 3 operands x 3584 x 8 b = 86016 b fit
    // the 1 Mb SRAM, so nothing is streamed.
    auto run = [](bool compat, Captured& out) {
        AbiViews in(small_add(), stream_simd(), {{"D1", "K", 64}});
        FakeHost host;
        if (compat) host.set_compat("stream");
        Instance inst(host);
        REQUIRE(inst.status == STREAM_OK);
        REQUIRE(core_model().evaluate(inst.p, &in.core, &in.cn, &out.sink) == STREAM_OK);
    };
    Captured plain, stream;
    run(false, plain);
    run(true, stream);
    // ideal = ceil(3584 / 64 lanes) = 56 cycles either way (MACs over units).
    CHECK(plain.cost.ideal_cycles == 56);
    CHECK(stream.cost.ideal_cycles == 56);
    // Default: K = the 64 channels fills the lanes: 2 x 28 = 56 temporal cycles, plus loading.
    // Stream: K = the 28 columns, 28 of 64 lanes busy: 64 x 2 = 128 temporal cycles, plus loading.
    CHECK(plain.cost.latency_cycles >= 56);
    CHECK(plain.cost.latency_cycles < 128);
    CHECK(stream.cost.latency_cycles >= 128);

    // Exactly the reference model's numbers on the chosen mapping of the renamed layer.
    const LoopNest named = with_stream_loop_names(small_add());
    LoopNest renamed = named;
    renamed.rename_operand(0, "I");
    renamed.rename_operand(1, "W");
    const CoreDescription simd = stream_simd();
    const SpatialMapping sm = SpatialMapping::normalized(renamed, simd, user_mapping({{"D1", {"K", 64}}}));
    CostModelOptions quirks;
    quirks.compat_zigzag = true;
    const CostResult ref = evaluate(renamed, simd, sm, TemporalMapping::parse_zigzag(stream.mapping_text), quirks);
    CHECK(ref.ideal_temporal_cycle == 128);
    CHECK(stream.cost.latency_cycles == ref.latency_total2);
    CHECK(stream.cost.energy_pj == rel(ref.energy_total));
}
