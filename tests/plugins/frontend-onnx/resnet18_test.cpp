// ResNet-18 from the Stream reference inputs: layer count, MACs and a few layers checked by hand.
#include "FakeWorkloadBuilder.hpp"
#include "MacCount.hpp"
#include "shared_dir.hpp"

#include <algorithm>
#include <numeric>

using namespace stream::onnx_frontend;
using namespace stream::onnx_frontend::test;

namespace {

std::optional<std::string> resnet18_path() {
    auto ref = stream::test::reference_dir();
    if (!ref) return std::nullopt;
    auto p = *ref / "stream-inputs" / "examples" / "workload" / "resnet18.onnx";
    if (!std::filesystem::exists(p)) return std::nullopt;
    return p.string();
}

Converted convert_file(const std::string& path, const ConversionOptions& options = {}) {
    const ::onnx::ModelProto model = read_onnx_model(path, options);
    FakeWorkloadBuilder builder;
    Converted out;
    out.specs = convert_model(model, options, path, builder.c_builder(), [&](const std::string& w) { out.warnings.push_back(w); });
    out.layers = std::move(builder.layers);
    return out;
}

/// K·C/G·OY·OX·FY·FX·B of a convolution, from its input size (square maps).
std::int64_t conv_macs(std::int64_t c_in, std::int64_t c_out, std::int64_t kernel, std::int64_t stride, std::int64_t pad, std::int64_t in_size) {
    const std::int64_t out = (in_size + 2 * pad - kernel) / stride + 1;
    return c_out * c_in * out * out * kernel * kernel * 1;
}

/// The 20 convolutions and the classifier of ResNet-18 on a 224×224 image, as the
/// architecture defines them (not read from the file).
std::vector<std::int64_t> expected_resnet18_macs() {
    std::vector<std::int64_t> macs;
    macs.push_back(conv_macs(3, 64, 7, 2, 3, 224)); // conv1: 64·3·112²·49 = 118,013,952
    for (int i = 0; i < 4; ++i) macs.push_back(conv_macs(64, 64, 3, 1, 1, 56)); // layer1: 64·64·56²·9 = 115,605,504 each
    // layers 2-4: a strided 3×3, a 1×1 strided downsample and three 3×3 at the new size;
    // each stage halves the map (56 → 28 → 14 → 7) and doubles the channels, so its MACs
    // are 57,802,752 + 6,422,528 + 3·115,605,504 = 411,041,792.
    for (std::int64_t c = 64, size = 56; c < 512; c *= 2, size /= 2) {
        macs.push_back(conv_macs(c, 2 * c, 3, 2, 1, size));
        macs.push_back(conv_macs(c, 2 * c, 1, 2, 0, size));
        for (int i = 0; i < 3; ++i) macs.push_back(conv_macs(2 * c, 2 * c, 3, 1, 1, size / 2));
    }
    macs.push_back(512 * 1000 * 1); // fc: C·K·B = 512,000
    return macs;
}

} // namespace

TEST_CASE("resnet18.onnx: 21 Conv/Gemm layers with 1,814,073,344 MACs") {
    const auto path = resnet18_path();
    if (!path) return stream::test::skip("resnet18.onnx is not in ../shared/reference");
    const Converted net = convert_file(*path);

    std::vector<std::int64_t> macs;
    for (std::size_t i = 0; i < net.layers.size(); ++i) {
        const CapturedLayer& l = net.layers[i];
        if (l.op_type != "Conv" && l.op_type != "Gemm") continue;
        // The independent formula from the operands' tensor shapes: K·(C/G)·OY·OX·FY·FX·B,
        // with W = [K, C/G, FY, FX] and O = [B, K, OY, OX] (Gemm: W = [K, C] with transB, O = [B, K]).
        const auto w = l.operand("W").extents();
        const auto o = l.operand("O").extents();
        std::int64_t expected = 0;
        if (l.op_type == "Conv") expected = w[0] * w[1] * o[2] * o[3] * w[2] * w[3] * o[0];
        else expected = w[0] * w[1] * o[0];
        CHECK_MESSAGE(l.loop_product() == expected, l.name);
        CHECK(mac_count(net.specs[i]) == expected);
        macs.push_back(expected);
    }
    REQUIRE(macs.size() == 21); // 20 convolutions + 1 fully connected layer
    CHECK(std::accumulate(macs.begin(), macs.end(), std::int64_t{0}) == 1'814'073'344);

    // The same per-layer values as the architecture gives, in some order (the
    // exporter may place a downsample before or after its block's convolutions).
    std::vector<std::int64_t> expected = expected_resnet18_macs();
    std::sort(expected.begin(), expected.end());
    std::sort(macs.begin(), macs.end());
    CHECK(macs == expected);
    // 118,013,952 + 4·115,605,504 + 3·411,041,792 + 512,000 = 1,814,073,344
    CHECK(std::accumulate(expected.begin(), expected.end(), std::int64_t{0}) == 1'814'073'344);
}

TEST_CASE("resnet18.onnx: the first convolution, by hand") {
    const auto path = resnet18_path();
    if (!path) return stream::test::skip("resnet18.onnx is not in ../shared/reference");
    const Converted net = convert_file(*path);
    const CapturedLayer& conv1 = net.layers.front();
    CHECK(conv1.op_type == "Conv");
    CHECK(conv1.layer_class == STREAM_LAYER_COMPUTE);
    CHECK(conv1.location_file == *path);
    // 3×224×224 image, 64 filters of 7×7, stride 2, pad 3: OY = (224 + 2·3 − 7)/2 + 1 = 112.
    CHECK(conv1.dim_names() == std::vector<std::string>{"B", "G", "K", "C", "OY", "OX", "FY", "FX"});
    CHECK(conv1.dim("B") == 1);
    CHECK(conv1.dim("G") == 1);
    CHECK(conv1.dim("K") == 64);
    CHECK(conv1.dim("C") == 3);
    CHECK(conv1.dim("OY") == 112);
    CHECK(conv1.dim("OX") == 112);
    CHECK(conv1.dim("FY") == 7);
    CHECK(conv1.dim("FX") == 7);
    CHECK(conv1.group_count == 1);
    CHECK(conv1.int_attributes.at("strides") == std::vector<std::int64_t>{2, 2});
    CHECK(conv1.int_attributes.at("pads") == std::vector<std::int64_t>{3, 3, 3, 3});

    const CapturedOperand& in = conv1.operand("I");
    CHECK(in.role == STREAM_OPERAND_INPUT);
    CHECK(in.producer_layer == -1); // the graph input
    REQUIRE(in.axes.size() == 4);
    // IY = 2·OY + 1·FY − 3 over a 224-row image.
    CHECK(in.axes[2].terms == std::vector<std::pair<std::string, std::int64_t>>{{"OY", 2}, {"FY", 1}});
    CHECK(in.axes[2].offset == -3);
    CHECK(in.axes[2].extent == 224);
    // Channel axis g·C + c with G = 1: extent 3.
    CHECK(in.axes[1].terms == std::vector<std::pair<std::string, std::int64_t>>{{"G", 3}, {"C", 1}});
    CHECK(in.axes[1].extent == 3);

    const CapturedOperand& w = conv1.operand("W");
    CHECK(w.role == STREAM_OPERAND_CONSTANT);
    CHECK(w.producer_layer == -1);
    CHECK(w.extents() == std::vector<std::int64_t>{64, 3, 7, 7});
    // float32 model: 32-bit operands, partial sums at float width (32).
    CHECK(in.precision_bits == 32);
    CHECK(conv1.operand("O").precision_bits == 32);
    CHECK(conv1.operand("O").partial_precision_bits == 32);
}

TEST_CASE("resnet18.onnx: graph order, producers and layer classes") {
    const auto path = resnet18_path();
    if (!path) return stream::test::skip("resnet18.onnx is not in ../shared/reference");
    const Converted net = convert_file(*path);
    std::map<std::string, int> per_op;
    for (const auto& l : net.layers) ++per_op[l.op_type];
    // 20 Conv, 17 Relu (one after conv1, two per basic block), 8 residual Add,
    // 1 MaxPool, 1 GlobalAveragePool, 1 Flatten, 1 Gemm = 49 layers.
    CHECK(per_op["Conv"] == 20);
    CHECK(per_op["Relu"] == 17);
    CHECK(per_op["Add"] == 8);
    CHECK(per_op["MaxPool"] == 1);
    CHECK(per_op["GlobalAveragePool"] == 1);
    CHECK(per_op["Gemm"] == 1);
    CHECK(net.layers.size() == 49);
    for (const auto& l : net.layers) {
        CHECK(l.layer_class == (l.op_type == "Flatten" ? STREAM_LAYER_PROPAGATION : STREAM_LAYER_COMPUTE));
        for (const auto& o : l.operands) {
            // Producers always come earlier in graph order.
            CHECK(o.producer_layer < l.id);
            if (o.role == STREAM_OPERAND_INPUT && l.id > 0) CHECK(o.producer_layer >= 0);
        }
    }
    // The residual Add of the first block adds conv2's output to the max-pool output.
    const CapturedLayer& add = net.layers[6];
    REQUIRE(add.op_type == "Add");
    CHECK(net.layers[static_cast<std::size_t>(add.operand("I1").producer_layer)].op_type == "Conv");
    CHECK(net.layers[static_cast<std::size_t>(add.operand("I2").producer_layer)].op_type == "MaxPool");
    // MaxPool 3×3 stride 2 pad 1: IY = 2·OY + FY − 1 over 112 rows, OY = (112 + 2 − 3)/2 + 1 = 56.
    const CapturedLayer& pool = net.layers[2];
    REQUIRE(pool.op_type == "MaxPool");
    CHECK(pool.dim("OY") == 56);
    CHECK(pool.operand("I").axes[2].terms == std::vector<std::pair<std::string, std::int64_t>>{{"OY", 2}, {"FY", 1}});
    CHECK(pool.operand("I").axes[2].offset == -1);
    CHECK(pool.operand("W").precision_bits == 0);
    // Gemm: 512 → 1000 features, transB = 1 (weights stored [1000, 512]).
    const CapturedLayer& fc = net.layers.back();
    CHECK(fc.op_type == "Gemm");
    CHECK(fc.dim("K") == 1000);
    CHECK(fc.dim("C") == 512);
    CHECK(fc.operand("W").extents() == std::vector<std::int64_t>{1000, 512});
}

TEST_CASE("resnet18.onnx: configured precisions follow ZigZag's 8/8/16 convention") {
    const auto path = resnet18_path();
    if (!path) return stream::test::skip("resnet18.onnx is not in ../shared/reference");
    ConversionOptions options;
    options.weight_bits = 8;
    options.activation_bits = 8;
    const Converted net = convert_file(*path, options);
    const CapturedLayer& conv1 = net.layers.front();
    CHECK(conv1.operand("I").precision_bits == 8);
    CHECK(conv1.operand("W").precision_bits == 8);
    CHECK(conv1.operand("O").precision_bits == 8);
    CHECK(conv1.operand("O").partial_precision_bits == 16); // 2 × 8
    options.partial_sum_bits = 24;
    const Converted wide = convert_file(*path, options);
    CHECK(wide.layers.front().operand("O").partial_precision_bits == 24);
}
