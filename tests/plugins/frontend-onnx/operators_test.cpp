// Operator conversions on small ONNX-text models. Every expected number is derived
// in a comment from the model's shapes and attributes.
#include "FakeWorkloadBuilder.hpp"
#include "MacCount.hpp"

using namespace stream::onnx_frontend;
using namespace stream::onnx_frontend::test;

namespace {

using Terms = std::vector<std::pair<std::string, std::int64_t>>;
using Dims = std::vector<std::int64_t>;

} // namespace

TEST_CASE("grouped convolution: G, K and C per group, channel axes g·n + i") {
    const Converted net = convert_text(model_header() + R"(
g (float[1,8,16,16] x) => (float[1,8,8,8] y)
<float[8,2,3,3] w = {0.0}, float[8] bias = {0.0}>
{
  y = Conv <group = 4, strides = [2, 2], pads = [1, 1, 1, 1]> (x, w, bias)
}
)");
    REQUIRE(net.layers.size() == 1);
    const CapturedLayer& conv = net.layers[0];
    // 8 input and 8 output channels in 4 groups: K = 8/4 = 2, C = 8/4 = 2 (= w[1]).
    // OY = (16 + 1 + 1 − 3)/2 + 1 = 8.
    CHECK(conv.dim("G") == 4);
    CHECK(conv.dim("K") == 2);
    CHECK(conv.dim("C") == 2);
    CHECK(conv.dim("OY") == 8);
    CHECK(conv.dim("FX") == 3);
    CHECK(conv.group_count == 4);
    // MACs = K·C/G·OY·OX·FY·FX·B = 8·2·8·8·3·3·1 = 9216.
    CHECK(conv.loop_product() == 9216);
    CHECK(mac_count(net.specs[0]) == 9216);
    // Input channel = g·2 + c over 8 channels; output channel = g·2 + k.
    CHECK(conv.operand("I").axes[1].terms == Terms{{"G", 2}, {"C", 1}});
    CHECK(conv.operand("I").axes[1].extent == 8);
    CHECK(conv.operand("O").axes[1].terms == Terms{{"G", 2}, {"K", 1}});
    CHECK(conv.operand("W").axes[0].terms == Terms{{"G", 2}, {"K", 1}});
    CHECK(conv.operand("W").extents() == Dims{8, 2, 3, 3});
    // IX = 2·OX + FX − 1.
    CHECK(conv.operand("I").axes[3].terms == Terms{{"OX", 2}, {"FX", 1}});
    CHECK(conv.operand("I").axes[3].offset == -1);
    // The bias is recorded, not a loop-nest operand.
    CHECK(conv.text_attributes.at("bias") == "bias");
    CHECK(conv.operands.size() == 3);
}

TEST_CASE("depthwise convolution with auto_pad SAME_UPPER and SAME_LOWER") {
    for (const std::string mode : {"SAME_UPPER", "SAME_LOWER"}) {
        CAPTURE(mode);
        const Converted net = convert_text(model_header() + R"(
g (float[1,4,10,10] x) => (float[1,4,5,5] y)
<float[4,1,3,3] w = {0.0}>
{
  y = Conv <group = 4, strides = [2, 2], auto_pad = ")" + mode + R"("> (x, w)
}
)");
        const CapturedLayer& conv = net.layers.at(0);
        // Depthwise: G = 4 channels, one filter each: K = 4/4 = 1, C = 4/4 = 1.
        CHECK(conv.dim("G") == 4);
        CHECK(conv.dim("K") == 1);
        CHECK(conv.dim("C") == 1);
        // OY = ceil(10/2) = 5; total pad = (5 − 1)·2 + (3 − 1)·1 + 1 − 10 = 1,
        // at the end for SAME_UPPER (pads 0,0,1,1), at the start for SAME_LOWER (1,1,0,0).
        CHECK(conv.dim("OY") == 5);
        const bool upper = mode == "SAME_UPPER";
        CHECK(conv.int_attributes.at("pads") == (upper ? Dims{0, 0, 1, 1} : Dims{1, 1, 0, 0}));
        CHECK(conv.operand("I").axes[2].offset == (upper ? 0 : -1));
        // MACs = G·K·C·OY·OX·FY·FX = 4·1·1·5·5·3·3 = 900.
        CHECK(conv.loop_product() == 900);
    }
}

TEST_CASE("convolution with dilation and asymmetric pads") {
    const Converted net = convert_text(model_header() + R"(
g (float[1,1,9,9] x) => (float[1,1,7,9] y)
<float[1,1,3,3] w = {0.0}>
{
  y = Conv <dilations = [2, 2], pads = [0, 1, 2, 3]> (x, w)
}
)");
    const CapturedLayer& conv = net.layers.at(0);
    // The dilated kernel spans (3 − 1)·2 + 1 = 5 positions.
    // OY = 9 + 0 + 2 − 5 + 1 = 7 (pads y: 0 before, 2 after); OX = 9 + 1 + 3 − 5 + 1 = 9.
    CHECK(conv.dim("OY") == 7);
    CHECK(conv.dim("OX") == 9);
    // IY = 1·OY + 2·FY − 0; IX = 1·OX + 2·FX − 1.
    CHECK(conv.operand("I").axes[2].terms == Terms{{"OY", 1}, {"FY", 2}});
    CHECK(conv.operand("I").axes[2].offset == 0);
    CHECK(conv.operand("I").axes[3].terms == Terms{{"OX", 1}, {"FX", 2}});
    CHECK(conv.operand("I").axes[3].offset == -1);
    CHECK(conv.operand("I").axes[3].extent == 9);
}

TEST_CASE("ConvTranspose: loops over input positions, the output axis is affine") {
    const Converted net = convert_text(model_header() + R"(
g (float[1,4,5,5] x) => (float[1,2,10,10] y)
<float[4,2,3,3] w = {0.0}>
{
  y = ConvTranspose <strides = [2, 2], pads = [1, 1, 1, 1], output_padding = [1, 1]> (x, w)
}
)");
    const CapturedLayer& deconv = net.layers.at(0);
    // W = [Cin 4, Cout/G 2, 3, 3]: K = 2, C = 4.
    // Output = 2·(5 − 1) + 1 (output_padding) + (3 − 1) + 1 − 1 − 1 (pads) = 10.
    CHECK(deconv.dim_names() == std::vector<std::string>{"B", "G", "K", "C", "IY", "IX", "FY", "FX"});
    CHECK(deconv.dim("K") == 2);
    CHECK(deconv.dim("C") == 4);
    CHECK(deconv.dim("IY") == 5);
    // OY = 2·IY + FY − 1 over 10 rows.
    CHECK(deconv.operand("O").axes[2].terms == Terms{{"IY", 2}, {"FY", 1}});
    CHECK(deconv.operand("O").axes[2].offset == -1);
    CHECK(deconv.operand("O").axes[2].extent == 10);
    // MACs = K·C·IY·IX·FY·FX = 2·4·5·5·3·3 = 1800 (each input pixel meets each tap once).
    CHECK(deconv.loop_product() == 1800);
}

TEST_CASE("Gemm with transB: W is stored [K, C]") {
    const Converted net = convert_text(model_header() + R"(
g (float[4,16] a) => (float[4,32] y)
<float[32,16] b = {0.0}, float[32] c = {0.0}>
{
  y = Gemm <transB = 1> (a, b, c)
}
)");
    const CapturedLayer& gemm = net.layers.at(0);
    // Y[4, 32] = A[4, 16] · B[32, 16]ᵀ: B (rows) = 4, K = 32, C = 16.
    CHECK(gemm.dim_names() == std::vector<std::string>{"B", "K", "C"});
    CHECK(gemm.dim("B") == 4);
    CHECK(gemm.dim("K") == 32);
    CHECK(gemm.dim("C") == 16);
    CHECK(gemm.operand("I").axes[0].terms == Terms{{"B", 1}});
    CHECK(gemm.operand("I").axes[1].terms == Terms{{"C", 1}});
    CHECK(gemm.operand("W").axes[0].terms == Terms{{"K", 1}});
    CHECK(gemm.operand("W").axes[1].terms == Terms{{"C", 1}});
    CHECK(gemm.operand("W").role == STREAM_OPERAND_CONSTANT);
    CHECK(gemm.int_attributes.at("transB") == Dims{1});
    CHECK(gemm.text_attributes.at("bias") == "c");
    // MACs = 4·32·16 = 2048.
    CHECK(gemm.loop_product() == 2048);
}

TEST_CASE("Gemm with transA reads A as [C, B]") {
    const Converted net = convert_text(model_header() + R"(
g (float[16,4] a, float[16,32] b) => (float[4,32] y)
{
  y = Gemm <transA = 1> (a, b)
}
)");
    const CapturedLayer& gemm = net.layers.at(0);
    CHECK(gemm.operand("I").axes[0].terms == Terms{{"C", 1}});
    CHECK(gemm.operand("I").axes[1].terms == Terms{{"B", 1}});
    // B is a graph input here, so an INPUT operand (ZigZag: activation precision).
    CHECK(gemm.operand("W").role == STREAM_OPERAND_INPUT);
}

TEST_CASE("MatMul with batch broadcasting") {
    const Converted net = convert_text(model_header() + R"(
g (float[2,1,4,8] a) => (float[2,3,4,5] y)
<float[3,8,5] b = {0.0}>
{
  y = MatMul (a, b)
}
)");
    const CapturedLayer& mm = net.layers.at(0);
    // Batch shapes [2, 1] and [3] broadcast to [2, 3]; rows 4, columns 5, reduction 8.
    CHECK(mm.dim_names() == std::vector<std::string>{"H0", "H1", "B", "K", "C"});
    CHECK(mm.dim("H0") == 2);
    CHECK(mm.dim("H1") == 3);
    const CapturedOperand& a = mm.operand("I");
    REQUIRE(a.axes.size() == 4);
    CHECK(a.axes[0].terms == Terms{{"H0", 1}});
    CHECK(a.axes[1].terms.empty()); // the size-1 batch axis is broadcast over H1
    CHECK(a.axes[1].extent == 1);
    CHECK(a.axes[2].terms == Terms{{"B", 1}});
    CHECK(a.axes[3].terms == Terms{{"C", 1}});
    const CapturedOperand& b = mm.operand("W");
    REQUIRE(b.axes.size() == 3); // [3, 8, 5] aligns with H1, then C, K
    CHECK(b.axes[0].terms == Terms{{"H1", 1}});
    CHECK(b.axes[1].terms == Terms{{"C", 1}});
    CHECK(b.axes[2].terms == Terms{{"K", 1}});
    // MACs = 2·3·4·5·8 = 960.
    CHECK(mm.loop_product() == 960);
}

TEST_CASE("MatMul of a vector drops the row axis") {
    const Converted net = convert_text(model_header() + R"(
g (float[8] v) => (float[5] y)
<float[8,5] w = {0.0}>
{
  y = MatMul (v, w)
}
)");
    const CapturedLayer& mm = net.layers.at(0);
    // [8] · [8, 5] = [5]: B = 1 row that no tensor has as an axis.
    CHECK(mm.dim("B") == 1);
    CHECK(mm.operand("I").axes.size() == 1);
    CHECK(mm.operand("O").axes.size() == 1);
    CHECK(mm.operand("O").axes[0].terms == Terms{{"K", 1}});
    CHECK(mm.loop_product() == 40); // 5·8
}

TEST_CASE("pooling layers: window loops, a 0-bit W, no C loop") {
    const Converted net = convert_text(model_header() + R"(
g (float[1,3,8,8] x) => (float[1,3,1,1] y)
{
  a = AveragePool <kernel_shape = [2, 2], strides = [2, 2]> (x)
  y = GlobalMaxPool (a)
}
)");
    REQUIRE(net.layers.size() == 2);
    const CapturedLayer& avg = net.layers[0];
    // OY = (8 − 2)/2 + 1 = 4; per channel K = 3.
    CHECK(avg.dim_names() == std::vector<std::string>{"B", "K", "OY", "OX", "FY", "FX"});
    CHECK(avg.dim("OY") == 4);
    CHECK(avg.operand("W").precision_bits == 0);
    CHECK(avg.operand("W").extents() == Dims{2, 2});
    // MACs = 3·4·4·2·2 = 192.
    CHECK(avg.loop_product() == 192);
    // An average sums, so its partial sums are float32-wide: max(32, 32) = 32.
    CHECK(avg.operand("O").partial_precision_bits == 32);
    const CapturedLayer& global = net.layers[1];
    // Window = the whole 4×4 map, one output position.
    CHECK(global.dim("FY") == 4);
    CHECK(global.dim("OY") == 1);
    CHECK(global.operand("I").producer_layer == 0);
    CHECK(global.operand("O").partial_precision_bits == 0); // a max never widens
}

TEST_CASE("pooling under Stream's conventions: a C loop no operand uses, 8-bit partial outputs") {
    const std::string text = model_header() + R"(
g (float[1,3,8,8] x) => (float[1,3,4,4] y)
{
  y = AveragePool <kernel_shape = [2, 2], strides = [2, 2]> (x)
}
)";
    ConversionOptions options;
    options.activation_bits = 8;
    options.pooling_channel_loop = true; // what --compat stream sets
    const Converted net = convert_text(text, options);
    REQUIRE(net.layers.size() == 1);
    const CapturedLayer& avg = net.layers[0];
    // Stream's pooling parser: loops B, K, OX, OY, C, FX, FY with C = the 3 input channels.
    CHECK(avg.dim_names() == std::vector<std::string>{"B", "K", "OY", "OX", "C", "FY", "FX"});
    CHECK(avg.dim("C") == 3);
    // C indexes no operand, so the work is C times the window sums: 3·4·4·3·2·2 = 576 (192 without C).
    CHECK(avg.loop_product() == 576);
    CHECK(avg.operand("I").extents() == Dims{1, 3, 8, 8});
    // Stream's pooling output precision is 8 bits for partial sums too (partial 0 = the final 8).
    CHECK(avg.operand("O").precision_bits == 8);
    CHECK(avg.operand("O").partial_precision_bits == 0);
}

TEST_CASE("LRN sums over a window of channels") {
    const Converted net = convert_text(model_header() + R"(
g (float[1,16,4,4] x) => (float[1,16,4,4] y)
{
  y = LRN <size = 5, alpha = 0.0001, beta = 0.75> (x)
}
)");
    const CapturedLayer& lrn = net.layers.at(0);
    // Channel k reads k − 2 … k + 2: axis K + FK − ⌊(5 − 1)/2⌋.
    CHECK(lrn.dim("FK") == 5);
    CHECK(lrn.operand("I").axes[1].terms == Terms{{"K", 1}, {"FK", 1}});
    CHECK(lrn.operand("I").axes[1].offset == -2);
    CHECK(lrn.text_attributes.at("beta") == "0.75");
    // MACs = 16·4·4·5 = 1280.
    CHECK(lrn.loop_product() == 1280);
}

TEST_CASE("element-wise ops: broadcasting, constants, activation dim names") {
    const Converted net = convert_text(model_header() + R"(
g (float[1,8,4,4] x) => (float[1,8,4,4] y)
<float[8,1,1] b = {0.0}>
{
  s = Add (x, b)
  r = LeakyRelu <alpha = 0.1> (s)
  y = Sigmoid (r)
}
)");
    REQUIRE(net.layers.size() == 3);
    const CapturedLayer& add = net.layers[0];
    CHECK(add.dim_names() == std::vector<std::string>{"B", "K", "OY", "OX"});
    const CapturedOperand& bias = add.operand("I2");
    CHECK(bias.role == STREAM_OPERAND_CONSTANT);
    REQUIRE(bias.axes.size() == 3); // [8, 1, 1] aligned to K, OY, OX
    CHECK(bias.axes[0].terms == Terms{{"K", 1}});
    CHECK(bias.axes[1].terms.empty());
    CHECK(bias.axes[2].terms.empty());
    CHECK(add.operand("I1").role == STREAM_OPERAND_INPUT);
    CHECK(add.operand("I1").producer_layer == -1);
    // One operation per output element: 8·4·4 = 128.
    CHECK(add.loop_product() == 128);
    CHECK(net.layers[1].text_attributes.at("alpha") == "0.100000001"); // float32 0.1, 9 digits
    CHECK(net.layers[2].operand("I").producer_layer == 1);
}

TEST_CASE("BatchNormalization, Softmax and LayerNormalization") {
    const Converted net = convert_text(model_header() + R"(
g (float[2,6,3,3] x, float[4,10,32] t) => (float[2,6,3,3] y, float[4,10,32] s, float[4,10,32] n)
<float[6] scale = {0.0}, float[6] bias = {0.0}, float[6] mean = {0.0}, float[6] var = {0.0}, float[32] gamma = {0.0}>
{
  y = BatchNormalization (x, scale, bias, mean, var)
  s = Softmax <axis = -1> (t)
  n = LayerNormalization <axis = -1> (t, gamma)
}
)");
    const CapturedLayer& bn = net.layers.at(0);
    CHECK(bn.dim_names() == std::vector<std::string>{"B", "K", "OY", "OX"});
    CHECK(bn.operand("W").axes.size() == 1); // the per-channel scale, over K = 6
    CHECK(bn.operand("W").axes[0].terms == Terms{{"K", 1}});
    CHECK(bn.loop_product() == 108); // 2·6·3·3
    const CapturedLayer& softmax = net.layers.at(1);
    // Rank 3 → B D K; axis −1 normalised to 2.
    CHECK(softmax.dim_names() == std::vector<std::string>{"B", "D", "K"});
    CHECK(softmax.int_attributes.at("axis") == Dims{2});
    const CapturedLayer& ln = net.layers.at(2);
    CHECK(ln.operand("W").axes.size() == 1);
    CHECK(ln.operand("W").axes[0].terms == Terms{{"K", 1}});
    CHECK(ln.int_attributes.at("axis") == Dims{2});
}

TEST_CASE("ReduceMean (axes attribute) and ReduceSum (axes input)") {
    const Converted net = convert_text(model_header(13) + R"(
g (float[1,8,4,4] x) => (float[1,8,1,1] m, float[1,4,4] s)
<int64[1] axes = {1}>
{
  m = ReduceMean <axes = [2, 3]> (x)
  s = ReduceSum <keepdims = 0> (x, axes)
}
)");
    const CapturedLayer& mean = net.layers.at(0);
    // Reduced OY and OX become reduction loops ROY, ROX; kept as size-1 output axes.
    CHECK(mean.dim_names() == std::vector<std::string>{"B", "K", "ROY", "ROX"});
    CHECK(mean.operand("O").axes.size() == 4);
    CHECK(mean.operand("O").axes[2].terms.empty());
    CHECK(mean.operand("O").axes[2].extent == 1);
    CHECK(mean.operand("O").partial_precision_bits == 32);
    CHECK(mean.loop_product() == 128); // 8·4·4
    const CapturedLayer& sum = net.layers.at(1);
    CHECK(sum.dim_names() == std::vector<std::string>{"B", "RK", "OY", "OX"});
    CHECK(sum.operand("O").axes.size() == 3); // keepdims = 0 drops the axis
    CHECK(sum.int_attributes.at("axes") == Dims{1});
}

TEST_CASE("Resize by integer factors up and down") {
    const Converted net = convert_text(model_header() + R"(
g (float[1,3,4,4] x) => (float[1,3,8,8] up, float[1,3,2,2] down)
<float[4] up_scales = {1.0, 1.0, 2.0, 2.0}, float[4] down_scales = {1.0, 1.0, 0.5, 0.5}>
{
  up = Resize <mode = "nearest"> (x, , up_scales)
  down = Resize <mode = "nearest"> (x, , down_scales)
}
)");
    const CapturedLayer& up = net.layers.at(0);
    // 4 → 8: output row 2·OY + ROY, ROY ∈ [0, 2).
    CHECK(up.dim("ROY") == 2);
    CHECK(up.operand("O").axes[2].terms == Terms{{"OY", 2}, {"ROY", 1}});
    CHECK(up.loop_product() == 192); // 3·4·2·4·2
    const CapturedLayer& down = net.layers.at(1);
    // 4 → 2: input row 2·OY + FOY.
    CHECK(down.operand("I").axes[2].terms == Terms{{"OY", 2}, {"FOY", 1}});
    CHECK(down.dim("OY") == 2);
}

TEST_CASE("layout operators become propagation layers with affine inputs where possible") {
    const Converted net = convert_text(model_header() + R"(
g (float[1,3,4,4] x, float[1,5,4,4] z) => (float[1,8,3,4] r, float[1,4,4,8] t, float[1,1,128] q, float[1,2,4,4] sl,
                                           float[1,8,4,2] st, float[1,3,4] gat, float[1,128] fl, float[1,3,4,4] d)
<int64[2] split = {1, 3}, int64[2] shape = {1, 128}, int64[1] unsq = {1}, int64[1] s1 = {1}, int64[1] e1 = {3},
 int64[1] a1 = {1}, int64[1] s2 = {0}, int64[1] e2 = {4}, int64[1] a2 = {3}, int64[1] p2 = {2}, int64 idx = {2}>
{
  c = Concat <axis = 1> (x, z)
  h0, h1 = Split <axis = 2> (c, split)
  r = Relu (h1)
  t = Transpose <perm = [0, 2, 3, 1]> (c)
  f = Reshape (c, shape)
  q = Unsqueeze (f, unsq)
  sl = Slice (c, s1, e1, a1)
  st = Slice (c, s2, e2, a2, p2)
  gat = Gather <axis = 2> (x, idx)
  fl = Flatten <axis = 1> (c)
  d = Dropout (x)
}
)");
    REQUIRE(net.layers.size() == 11);
    for (const auto& l : net.layers)
        CHECK_MESSAGE(l.layer_class == (l.op_type == "Relu" ? STREAM_LAYER_COMPUTE : STREAM_LAYER_PROPAGATION), l.name);

    // Concat: x fills channels [0, 3), z channels [3, 8): z's channel = D1 − 3.
    const CapturedLayer& concat = net.layer("c");
    CHECK(concat.operand("I0").axes[1].terms == Terms{{"D1", 1}});
    CHECK(concat.operand("I0").axes[1].offset == 0);
    CHECK(concat.operand("I1").axes[1].offset == -3);
    CHECK(concat.operand("I1").axes[1].extent == 5);
    CHECK(concat.int_attributes.at("axis") == Dims{1});

    // Split [1, 3] along rows: the second output holds rows [1, 4): row = D2 − 1.
    const CapturedLayer& split = net.layer("h0");
    CHECK(split.operand("I").producer_layer == concat.id);
    CHECK(split.operand("O1").axes[2].offset == -1);
    CHECK(split.operand("O1").axes[2].extent == 3);
    CHECK(split.int_attributes.at("split") == Dims{1, 3});
    // The Relu reads the second output of the Split.
    const CapturedLayer& relu = net.layer("r");
    CHECK(relu.operand("I").producer_layer == split.id);
    CHECK(relu.operand("I").producer_output == 1);

    // Transpose perm [0, 2, 3, 1]: input channels (axis 1) are output axis 3.
    const CapturedLayer& transpose = net.layer("t");
    CHECK(transpose.operand("I").axes[1].terms == Terms{{"D3", 1}});
    CHECK(transpose.operand("I").axes[2].terms == Terms{{"D1", 1}});
    CHECK(transpose.int_attributes.at("perm") == Dims{0, 2, 3, 1});

    // Reshape [1, 8, 4, 4] → [1, 128] is no affine map: whole input axes, shape as attribute.
    const CapturedLayer& reshape = net.layer("f");
    CHECK(reshape.operand("I").extents() == Dims{1, 8, 4, 4});
    for (const auto& a : reshape.operand("I").axes) CHECK(a.terms.empty());
    CHECK(reshape.int_attributes.at("shape") == Dims{1, 128});
    CHECK(reshape.operands.size() == 2); // the shape tensor is a parameter, not an operand

    // Unsqueeze [1, 128] → [1, 1, 128] only inserts a 1: the 128 axis follows D2.
    const CapturedLayer& unsqueeze = net.layer("q");
    CHECK(unsqueeze.operand("I").axes[1].terms == Terms{{"D2", 1}});
    CHECK(unsqueeze.int_attributes.at("axes") == Dims{1});

    // Slice channels [1, 3): channel = D1 + 1; with step 2 along axis 3: column = 2·D3.
    CHECK(net.layer("sl").operand("I").axes[1].terms == Terms{{"D1", 1}});
    CHECK(net.layer("sl").operand("I").axes[1].offset == 1);
    CHECK(net.layer("st").operand("I").axes[3].terms == Terms{{"D3", 2}});
    CHECK(net.layer("st").dim("D3") == 2);

    // Gather of the constant scalar index 2 along axis 2: that axis is fixed at 2.
    const CapturedLayer& gather = net.layer("gat");
    const CapturedOperand& data = gather.operand("I0");
    CHECK(data.axes[2].terms.empty());
    CHECK(data.axes[2].offset == 2);
    CHECK(data.axes[3].terms == Terms{{"D2", 1}});
    CHECK(gather.operand("I1").role == STREAM_OPERAND_CONSTANT);

    CHECK(net.layer("fl").operand("O").extents() == Dims{1, 128});
    CHECK(net.layer("d").operand("I").axes[2].terms == Terms{{"D2", 1}});
}

TEST_CASE("shape computations on static shapes are folded, not layers") {
    const Converted net = convert_text(model_header() + R"(
g (float[2,3,4] x) => (float[2,12] y)
<int64 zero = {0}, int64[1] ax0 = {0}, int64[1] minus1 = {-1}>
{
  s = Shape (x)
  b = Gather <axis = 0> (s, zero)
  bu = Unsqueeze (b, ax0)
  sh = Concat <axis = 0> (bu, minus1)
  y = Reshape (x, sh)
}
)");
    // Shape, Gather, Unsqueeze and Concat only compute the target shape [2, −1] → [2, 12].
    REQUIRE(net.layers.size() == 1);
    CHECK(net.layers[0].op_type == "Reshape");
    CHECK(net.layers[0].int_attributes.at("shape") == Dims{2, 12});
    CHECK(net.layers[0].operand("I").producer_layer == -1);
}

TEST_CASE("precision: element types, Stream's node attributes, config overrides") {
    const std::string text = model_header() + R"(
g (int8[1,4] a, int8[1,4] b, float[2,4] x) => (int8[1,4] s, float[2,3] y)
<float[4,3] w = {0.0}>
{
  s = Add (a, b)
  y = Gemm <act_size = 4, weight_size = 2, output_size = 6> (x, w)
}
)";
    const Converted plain = convert_text(text);
    // int8 tensors: 8 bits; an Add has no reduction, so no separate partial precision.
    CHECK(plain.layer("s").operand("I1").precision_bits == 8);
    CHECK(plain.layer("s").operand("O").partial_precision_bits == 0);
    // Stream's attributes: I = act_size 4, W = weight_size 2, O = output_size 6, partial 2·6 = 12.
    const CapturedLayer& gemm = plain.layer("y");
    CHECK(gemm.operand("I").precision_bits == 4);
    CHECK(gemm.operand("W").precision_bits == 2);
    CHECK(gemm.operand("O").precision_bits == 6);
    CHECK(gemm.operand("O").partial_precision_bits == 12);

    ConversionOptions options;
    options.weight_bits = 3;
    options.activation_bits = 5;
    const Converted configured = convert_text(text, options);
    // The config wins over types and attributes: W 3, I and O 5, partial 2·5 = 10.
    CHECK(configured.layer("y").operand("W").precision_bits == 3);
    CHECK(configured.layer("y").operand("I").precision_bits == 5);
    CHECK(configured.layer("y").operand("O").partial_precision_bits == 10);
    CHECK(configured.layer("s").operand("I2").precision_bits == 5);
}

TEST_CASE("custom-domain Silu and Gelu get their input's shape") {
    const Converted net = convert_text(R"(<
  ir_version: 8,
  opset_import: ["" : 17, "com.example" : 1]
>
g (float[2,16] x) => (float[2,16] y)
{
  s = com.example.Silu (x)
  y = Gelu (s)
}
)");
    REQUIRE(net.layers.size() == 2);
    CHECK(net.layers[0].dim_names() == std::vector<std::string>{"B", "K"});
    CHECK(net.layers[1].operand("O").extents() == Dims{2, 16});
    CHECK(net.layers[1].operand("I").producer_layer == 0);
}

TEST_CASE("RMSNorm written out: Pow, ReduceMean, Add, Sqrt, Reciprocal, Mul") {
    const Converted net = convert_text(model_header() + R"(
g (float[1,8,16] x) => (float[1,8,16] y)
<float[1] two = {2.0}, float[1] eps = {0.000001}>
{
  sq = Pow (x, two)
  ms = ReduceMean <axes = [-1], keepdims = 1> (sq)
  me = Add (ms, eps)
  rt = Sqrt (me)
  inv = Reciprocal (rt)
  y = Mul (x, inv)
}
)");
    REQUIRE(net.layers.size() == 6);
    CHECK(net.layers[0].op_type == "Pow");
    // Pow over the whole tensor: 8*16 = 128 iterations; Sqrt over the reduced 1x8x1: 8.
    CHECK(net.layers[0].loop_product() == 128);
    CHECK(net.layers[3].op_type == "Sqrt");
    CHECK(net.layers[3].loop_product() == 8);
    CHECK(net.layers[4].operand("I").producer_layer == 3);
    CHECK(net.layers[5].operand("I2").producer_layer == 4);
}
