// A two-convolution workload written here, checked number by number.
#include "RecordingBuilder.hpp"
#include "temp_dir.hpp"

#include <doctest/doctest.h>

#include <memory>

using namespace stream::yaml_frontend;
using stream::yaml_frontend::test::RecordingBuilder;
using stream::yaml_frontend::test::Terms;

namespace {

// Line 1: conv_a (YAML id 7), a stride-2 3x3 conv with padding; line 13: conv_b
// (YAML id 3, a smaller id than its producer's), dilation 2 along X, W precision left out.
const char* const two_convs = R"(- id: 7
  name: conv_a
  operator_type: Conv
  equation: O[b][k][oy][ox]+=W[k][c][fy][fx]*I[b][c][iy][ix]
  dimension_relations: [ix=2*ox+1*fx, iy=2*oy+1*fy]
  loop_dims: [B, K, C, OY, OX, FY, FX]
  loop_sizes: [1, 16, 3, 8, 8, 3, 3]
  operand_precision: {W: 4, I: 8, O: 24, O_final: 8}
  operand_source: {I: 7, W: 7}
  pr_loop_dims: [IY, IX]
  padding: [[1, 0], [1, 1]]

- id: 3
  name: conv_b
  operator_type: Conv
  equation: O[b][k][oy][ox]+=W[k][c][fy][fx]*I[b][c][iy][ix]
  dimension_relations: [ix=1*ox+2*fx, iy=oy+fy]
  loop_dims : [b, k, c, oy, ox, fy, fx]
  loop_sizes: [1, 32, 16, 8, 6, 3, 2]
  operand_precision: {I: 8, O: 16, O_final: 8}
  operand_source: {I: 7, W: 3}
)";

std::unique_ptr<RecordingBuilder> load_text(const std::string& text, const LoadOptions& options = {}) {
    stream::test::TempDir dir;
    const auto path = dir.write("net.yaml", text);
    auto rec = std::make_unique<RecordingBuilder>();
    load_workload(path.string(), options, rec->builder());
    return rec;
}

} // namespace

TEST_CASE("small workload: loop dims, names, locations and the network name") {
    const auto rec_ptr = load_text(two_convs);
    const RecordingBuilder& rec = *rec_ptr;
    CHECK(rec.network_name == "net");
    REQUIRE(rec.layers.size() == 2);
    const auto& a = rec.layers[0];
    const auto& b = rec.layers[1];
    CHECK(a.name == "conv_a");
    CHECK(a.op_type == "Conv");
    CHECK(a.layer_class == STREAM_LAYER_COMPUTE);
    CHECK(a.group_count == 1);
    using Dims = std::vector<std::pair<std::string, std::int64_t>>;
    CHECK(a.loop_dims == Dims{{"B", 1}, {"K", 16}, {"C", 3}, {"OY", 8}, {"OX", 8}, {"FY", 3}, {"FX", 3}});
    // conv_b writes its dims in lower case; they are upper-cased like the equation's.
    CHECK(b.loop_dims == Dims{{"B", 1}, {"K", 32}, {"C", 16}, {"OY", 8}, {"OX", 6}, {"FY", 3}, {"FX", 2}});
    CHECK(a.line == 1);
    CHECK(b.line == 13); // 11 lines of conv_a, a blank line, then "- id: 3"
    CHECK(a.file.ends_with("net.yaml"));
    CHECK(a.text_attributes.at("equation") == "O[b][k][oy][ox]+=W[k][c][fy][fx]*I[b][c][iy][ix]");
    // MACs: 1*16*3*8*8*3*3 = 27648 and 1*32*16*8*6*3*2 = 147456.
    CHECK(a.loop_product() == 27648);
    CHECK(b.loop_product() == 147456);
}

TEST_CASE("small workload: operands in the ONNX order I, W, O with roles, producers and precisions") {
    const auto rec_ptr = load_text(two_convs);
    const RecordingBuilder& rec = *rec_ptr;
    REQUIRE(rec.layers.size() == 2);
    const auto& a = rec.layers[0];
    const auto& b = rec.layers[1];
    CHECK(a.operand_names() == std::vector<std::string>{"I", "W", "O"});
    CHECK(b.operand_names() == std::vector<std::string>{"I", "W", "O"});

    // conv_a: I sourced from itself = graph input; W from itself = constant.
    CHECK(a.operand("I").role == STREAM_OPERAND_INPUT);
    CHECK(a.operand("I").producer_layer == -1);
    CHECK(a.operand("I").precision_bits == 8);
    CHECK(a.operand("W").role == STREAM_OPERAND_CONSTANT);
    CHECK(a.operand("W").producer_layer == -1);
    CHECK(a.operand("W").precision_bits == 4);
    CHECK(a.operand("O").role == STREAM_OPERAND_OUTPUT);
    CHECK(a.operand("O").precision_bits == 8);          // O_final
    CHECK(a.operand("O").partial_precision_bits == 24); // O
    CHECK(a.operand("O").producer_layer == -1);

    // conv_b: I comes from YAML layer 7 = conv_a, which the builder numbered 10.
    CHECK(b.operand("I").role == STREAM_OPERAND_INPUT);
    CHECK(b.operand("I").producer_layer == 10);
    CHECK(b.operand("W").role == STREAM_OPERAND_CONSTANT);
    CHECK(b.operand("W").precision_bits == 8); // not listed: default_precision_bits = 8
    CHECK(b.operand("O").partial_precision_bits == 16);
}

TEST_CASE("small workload: axes, strides, dilations, padding offsets and extents") {
    const auto rec_ptr = load_text(two_convs);
    const RecordingBuilder& rec = *rec_ptr;
    REQUIRE(rec.layers.size() == 2);
    const auto& ai = rec.layers[0].operand("I");
    REQUIRE(ai.axes.size() == 4);
    CHECK(ai.axes[0].terms == Terms{{"B", 1}});
    CHECK(ai.axes[0].extent == 1);
    CHECK(ai.axes[1].terms == Terms{{"C", 1}});
    CHECK(ai.axes[1].extent == 3);
    // IY = 2*OY + 1*FY - 1 (padding [1, 0], pr_loop_dims lists IY first).
    // Extent: (8-1)*2 + (3-1)*1 + 1 = 17 positions, less pads 1 + 0 = 16.
    CHECK(ai.axes[2].terms == Terms{{"OY", 2}, {"FY", 1}});
    CHECK(ai.axes[2].offset == -1);
    CHECK(ai.axes[2].extent == 16);
    // IX = 2*OX + 1*FX - 1 (padding [1, 1]): 17 positions less 1 + 1 = 15.
    CHECK(ai.axes[3].terms == Terms{{"OX", 2}, {"FX", 1}});
    CHECK(ai.axes[3].offset == -1);
    CHECK(ai.axes[3].extent == 15);

    const auto& aw = rec.layers[0].operand("W");
    REQUIRE(aw.axes.size() == 4);
    CHECK(aw.axes[0].terms == Terms{{"K", 1}});
    CHECK(aw.axes[0].extent == 16);
    CHECK(aw.axes[1].extent == 3);
    CHECK(aw.axes[2].terms == Terms{{"FY", 1}});
    CHECK(aw.axes[3].extent == 3);
    for (const auto& ax : aw.axes) CHECK(ax.offset == 0);

    const auto& ao = rec.layers[0].operand("O");
    REQUIRE(ao.axes.size() == 4);
    CHECK(ao.axes[1].terms == Terms{{"K", 1}});
    CHECK(ao.axes[1].extent == 16);
    CHECK(ao.axes[2].terms == Terms{{"OY", 1}});
    CHECK(ao.axes[2].extent == 8);
    CHECK(ao.axes[3].extent == 8);

    const auto& bi = rec.layers[1].operand("I");
    REQUIRE(bi.axes.size() == 4);
    // IY = OY + FY, no padding: (8-1) + (3-1) + 1 = 10.
    CHECK(bi.axes[2].terms == Terms{{"OY", 1}, {"FY", 1}});
    CHECK(bi.axes[2].offset == 0);
    CHECK(bi.axes[2].extent == 10);
    // IX = 1*OX + 2*FX (dilation 2): (6-1)*1 + (2-1)*2 + 1 = 8.
    CHECK(bi.axes[3].terms == Terms{{"OX", 1}, {"FX", 2}});
    CHECK(bi.axes[3].extent == 8);
}

TEST_CASE("small workload: default_precision_bits fills unlisted operands") {
    LoadOptions options;
    options.translate.default_precision_bits = 6;
    const auto rec_ptr = load_text(two_convs, options);
    const RecordingBuilder& rec = *rec_ptr;
    REQUIRE(rec.layers.size() == 2);
    CHECK(rec.layers[1].operand("W").precision_bits == 6);
    CHECK(rec.layers[0].operand("W").precision_bits == 4); // listed: unchanged
}

TEST_CASE("pr_loop_sizes give the input extent directly") {
    // 3x3 stride-1 conv on a 10x10 output with pad 1 on each side: the input is 10x10.
    // Without pr_loop_sizes: (10-1) + (3-1) + 1 - 1 - 1 = 10 as well; pr_loop_sizes says 12 for IY.
    const auto rec_ptr = load_text(R"(- id: 0
  operator_type: Conv
  equation: O[k][oy][ox]+=W[k][c][fy][fx]*I[c][iy][ix]
  dimension_relations: [ix=ox+fx, iy=oy+fy]
  loop_dims: [K, C, OY, OX, FY, FX]
  loop_sizes: [4, 2, 10, 10, 3, 3]
  pr_loop_dims: [IY, IX]
  pr_loop_sizes: [12, 10]
  padding: [[1, 1], [1, 1]]
)");
    const RecordingBuilder& rec = *rec_ptr;
    REQUIRE(rec.layers.size() == 1);
    CHECK(rec.layers[0].name == "Layer0"); // no name: ZigZag's "Layer<id>"
    const auto& i = rec.layers[0].operand("I");
    CHECK(i.axes[1].extent == 12);
    CHECK(i.axes[1].offset == -1);
    CHECK(i.axes[2].extent == 10);
    // No operand_precision at all: every operand gets the default 8 bits and the
    // accumulating output partial sums twice that.
    CHECK(rec.layers[0].operand("O").precision_bits == 8);
    CHECK(rec.layers[0].operand("O").partial_precision_bits == 16);
}

TEST_CASE("element-wise sums: inputs I1 and I2 like the ONNX frontend, or the equation's names") {
    const std::string text = R"(- id: 0
  operator_type: Conv_pointwise
  equation: O[b][k][oy][ox]+=W[k][c]*I[b][c][oy][ox]
  loop_dims: [B, K, C, OY, OX]
  loop_sizes: [1, 4, 8, 5, 5]
  operand_source: {W: 0, I: 0}
- id: 1
  operator_type: Add
  equation: O[b][g][oy][ox]=W[b][g][oy][ox]+I[b][g][oy][ox]
  dimension_relations: []
  loop_dims: [B, G, OY, OX]
  loop_sizes: [1, 4, 5, 5]
  operand_precision: {O: 16, O_final: 8, W: 8, I: 4}
  operand_source: {I: 1, W: 0}
)";
    {
        const auto rec_ptr = load_text(text);
        const RecordingBuilder& rec = *rec_ptr;
        REQUIRE(rec.layers.size() == 2);
        const auto& add = rec.layers[1];
        // W is written first, so it is I1; it comes from layer 0 (builder id 10).
        CHECK(add.operand_names() == std::vector<std::string>{"I1", "I2", "O"});
        CHECK(add.operand("I1").role == STREAM_OPERAND_INPUT);
        CHECK(add.operand("I1").producer_layer == 10);
        CHECK(add.operand("I1").precision_bits == 8);
        // I sources itself: a graph input.
        CHECK(add.operand("I2").role == STREAM_OPERAND_INPUT);
        CHECK(add.operand("I2").producer_layer == -1);
        CHECK(add.operand("I2").precision_bits == 4);
        CHECK(add.group_count == 1); // G is channels here, not convolution groups
        CHECK(add.operand("O").partial_precision_bits == 16);
        // Pointwise conv without operand_precision: partial sums at twice the default.
        CHECK(rec.layers[0].operand("O").partial_precision_bits == 16);
    }
    {
        LoadOptions options;
        options.translate.rename_elementwise_inputs = false;
        const auto rec_ptr = load_text(text, options);
        const RecordingBuilder& rec = *rec_ptr;
        REQUIRE(rec.layers.size() == 2);
        const auto& add = rec.layers[1];
        CHECK(add.operand_names() == std::vector<std::string>{"I", "W", "O"});
        CHECK(add.operand("W").role == STREAM_OPERAND_INPUT); // from a layer, so not a constant
        CHECK(add.operand("W").producer_layer == 10);
    }
}

TEST_CASE("grouped convolution: G indexing O, W and I sets group_count; constant_operands is honoured") {
    const auto rec_ptr = load_text(R"(- id: 0
  operator_type: Conv
  equation: O[b][g][k][oy][ox]+=W[g][k][c][fy][fx]*I[b][g][c][iy][ix]
  dimension_relations: [ix=ox+fx, iy=oy+fy]
  loop_dims: [B, G, K, C, OY, OX, FY, FX]
  loop_sizes: [1, 8, 1, 1, 4, 4, 3, 3]
- id: 1
  operator_type: Gemm
  equation: O[b][k]+=W[k][c]*I[b][c]
  loop_dims: [B, K, C]
  loop_sizes: [2, 10, 16]
  operand_source: {I: 1, W: 0}
  constant_operands: [I]
)");
    const RecordingBuilder& rec = *rec_ptr;
    REQUIRE(rec.layers.size() == 2);
    CHECK(rec.layers[0].group_count == 8);
    CHECK(rec.layers[1].group_count == 1);
    // I sources itself but is listed constant; W comes from layer 0 (builder id 10).
    CHECK(rec.layers[1].operand("I").role == STREAM_OPERAND_CONSTANT);
    CHECK(rec.layers[1].operand("I").producer_layer == -1);
    CHECK(rec.layers[1].operand("W").role == STREAM_OPERAND_INPUT);
    CHECK(rec.layers[1].operand("W").producer_layer == 10);
}
