// Failures a user meets: missing, truncated and foreign files, unsupported operators,
// dynamic shapes. Each must be an sdk::Error naming the file or the node.
#include "FakeWorkloadBuilder.hpp"
#include "TempDir.hpp"

using namespace stream::onnx_frontend;
using namespace stream::onnx_frontend::test;

namespace {

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

const std::string small_model = model_header() + R"(
small (float[1,3,8,8] x) => (float[1,4,8,8] y)
<float[4,3,3,3] w = {0.0}>
{
  c = Conv <pads = [1, 1, 1, 1]> (x, w)
  y = Relu (c)
}
)";

std::string serialized_small_model() {
    std::string bytes;
    REQUIRE(parse_onnx_text(small_model, "small").SerializeToString(&bytes));
    return bytes;
}

} // namespace

TEST_CASE("a missing file names the file") {
    const auto e = expect_error([] { read_onnx_model("/nonexistent/dir/model.onnx", {}); });
    CHECK(e.status() == STREAM_ERROR_INVALID_INPUT);
    CHECK(contains(e.what(), "/nonexistent/dir/model.onnx"));
    CHECK(contains(e.what(), "does not exist"));
    REQUIRE(e.item());
    CHECK(e.item()->kind == STREAM_ITEM_FILE);
    CHECK(e.item()->file == "/nonexistent/dir/model.onnx");
}

TEST_CASE("the binary model round-trips through a file") {
    TempDir dir;
    const std::string path = dir.write("small.onnx", serialized_small_model());
    const ::onnx::ModelProto model = read_onnx_model(path, {});
    FakeWorkloadBuilder builder;
    convert_model(model, {}, path, builder.c_builder(), {});
    REQUIRE(builder.layers.size() == 2);
    CHECK(builder.network_name == "small");
    CHECK(builder.layers[1].operand("I").producer_layer == 0);
    CHECK(builder.layers[0].location_file == path);
}

TEST_CASE("every truncation of a binary model is a clear error, never a crash") {
    TempDir dir;
    const std::string bytes = serialized_small_model();
    REQUIRE(bytes.size() > 20);
    // Every prefix, from 1 byte up to one byte short of the whole model.
    for (std::size_t length = 1; length < bytes.size(); ++length) {
        CAPTURE(length);
        const std::string path = dir.write("truncated.onnx", bytes.substr(0, length));
        const auto e = expect_error([&] { read_onnx_model(path, {}); });
        CHECK(e.status() == STREAM_ERROR_INVALID_INPUT);
        CHECK(contains(e.what(), path));
        REQUIRE(e.item());
        CHECK(e.item()->kind == STREAM_ITEM_FILE);
        CHECK(e.item()->file == path);
    }
}

TEST_CASE("a truncated reference model names the file") {
    TempDir dir;
    std::string bytes = serialized_small_model();
    const std::string path = dir.write("half.onnx", bytes.substr(0, bytes.size() / 2));
    const auto e = expect_error([&] { read_onnx_model(path, {}); });
    CHECK(e.status() == STREAM_ERROR_INVALID_INPUT);
    CHECK((contains(e.what(), "truncated") || contains(e.what(), "not a complete ONNX model")));
}

TEST_CASE("files that are not ONNX") {
    TempDir dir;
    SUBCASE("a text file named .onnx") {
        const std::string path = dir.write("notes.onnx", "these are my notes, not a network\n");
        const auto e = expect_error([&] { read_onnx_model(path, {}); });
        CHECK(e.status() == STREAM_ERROR_INVALID_INPUT);
        CHECK(contains(e.what(), path));
        CHECK(e.item()->file == path);
    }
    SUBCASE("binary garbage") {
        static const char png_header[] = "\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x10";
        const std::string png(png_header, sizeof png_header - 1);
        const std::string path = dir.write("image.onnx", png);
        const auto e = expect_error([&] { read_onnx_model(path, {}); });
        CHECK(e.status() == STREAM_ERROR_INVALID_INPUT);
        CHECK(contains(e.what(), path));
    }
    SUBCASE("an empty file") {
        const std::string path = dir.write("empty.onnx", "");
        const auto e = expect_error([&] { read_onnx_model(path, {}); });
        CHECK(contains(e.what(), "empty"));
    }
    SUBCASE("ONNX text with a syntax error") {
        const std::string path = dir.write("broken.onnxtxt", model_header() + "g (float[1] x) => (float[1] y) { y = Relu( }\n");
        const auto e = expect_error([&] { read_onnx_model(path, {}); });
        CHECK(e.status() == STREAM_ERROR_INVALID_INPUT);
        CHECK(contains(e.what(), "not valid ONNX text"));
        CHECK(e.item()->file == path);
    }
    SUBCASE("a directory") {
        const auto e = expect_error([&] { read_onnx_model(dir.path(""), {}); });
        CHECK(contains(e.what(), "directory"));
    }
}

TEST_CASE("an unsupported operator names the node, its op type and the supported list") {
    const std::string text = model_header() + R"(
g (float[1,8] x) => (float[1,8] y)
{
  e = Hardmax (x)
  y = Relu (e)
}
)";
    const auto e = expect_error([&] { convert_text(text); });
    CHECK(e.status() == STREAM_ERROR_UNSUPPORTED);
    CHECK(contains(e.what(), "inline.onnxtxt: node 'e'"));
    CHECK(contains(e.what(), "Hardmax"));
    CHECK(contains(e.what(), "supported operators: Abs, Add, AveragePool"));
    CHECK(contains(e.what(), "passthrough"));
    REQUIRE(e.item());
    CHECK(e.item()->kind == STREAM_ITEM_LAYER);
    CHECK(e.item()->name == "e");
}

TEST_CASE("unknown_ops = passthrough: one warning per op type, propagation layers") {
    ConversionOptions options;
    options.unknown_ops = UnknownOpPolicy::passthrough;
    const Converted net = convert_text(model_header() + R"(
g (float[1,8] x) => (float[1,8] y)
{
  e1 = Hardmax (x)
  e2 = Hardmax (e1)
  y = Relu (e2)
}
)",
                                       options);
    REQUIRE(net.layers.size() == 3);
    REQUIRE(net.warnings.size() == 1); // two Hardmax nodes, one warning
    CHECK(contains(net.warnings[0], "Hardmax"));
    CHECK(contains(net.warnings[0], "e1"));
    CHECK(net.layers[0].layer_class == STREAM_LAYER_PROPAGATION);
    CHECK(net.layers[0].op_type == "Hardmax");
    CHECK(net.layers[1].operand("I").producer_layer == 0);
    CHECK(net.layers[2].operand("I").producer_layer == 1);
}

TEST_CASE("a dynamic input dimension names the input and input_shapes fixes it") {
    const std::string text = model_header() + R"(
g (float[N,3,8,8] x) => (float[N,4,8,8] y)
<float[4,3,3,3] w = {0.0}>
{
  y = Conv <pads = [1, 1, 1, 1]> (x, w)
}
)";
    const auto e = expect_error([&] { convert_text(text); });
    CHECK(e.status() == STREAM_ERROR_INVALID_INPUT);
    CHECK(contains(e.what(), "'x'"));
    CHECK(contains(e.what(), "'N'"));
    CHECK(contains(e.what(), "input_shapes = \"x=1x3x8x8\"")); // a shape to start from
    REQUIRE(e.item());
    CHECK(e.item()->kind == STREAM_ITEM_FILE);
    CHECK(e.item()->file == "inline.onnxtxt");

    ConversionOptions options;
    options.input_shapes = parse_input_shapes("x=2x3x8x8");
    const Converted net = convert_text(text, options);
    CHECK(net.layers.at(0).dim("B") == 2);
    // MACs = 4·3·8·8·3·3·2 = 13824.
    CHECK(net.layers.at(0).loop_product() == 13824);
}

TEST_CASE("input_shapes that do not fit the model") {
    const std::string text = model_header() + R"(
g (float[N,4] x) => (float[N,4] y)
{
  y = Relu (x)
}
)";
    ConversionOptions options;
    options.input_shapes = parse_input_shapes("input=1x4");
    auto e = expect_error([&] { convert_text(text, options); });
    CHECK(e.status() == STREAM_ERROR_INVALID_CONFIG);
    CHECK(contains(e.what(), "'input'"));
    CHECK(contains(e.what(), "'x'")); // lists the real inputs
    CHECK(e.item()->kind == STREAM_ITEM_CONFIG_KEY);
    CHECK(e.item()->name == "input_shapes");

    options.input_shapes = parse_input_shapes("x=1x4x1");
    e = expect_error([&] { convert_text(text, options); });
    CHECK(e.status() == STREAM_ERROR_INVALID_CONFIG);
    CHECK(contains(e.what(), "3 dimensions"));
}

TEST_CASE("an unsupported attribute value names the node") {
    const auto e = expect_error([] {
        convert_text(model_header() + R"(
g (float[1,3,4,4] x) => (float[1,3,6,6] y)
<float[4] scales = {1.0, 1.0, 1.5, 1.5}>
{
  y = Resize <mode = "nearest"> (x, , scales)
}
)");
    });
    CHECK(e.status() == STREAM_ERROR_UNSUPPORTED);
    CHECK(contains(e.what(), "node 'y' (Resize)"));
    CHECK(contains(e.what(), "4 to 6"));
    CHECK(e.item()->name == "y");
}

TEST_CASE("a layer the host refuses stops the conversion with that status") {
    ::onnx::ModelProto model = parse_onnx_text(small_model, "small");
    prepare_onnx_model(model, {}, "small");
    FakeWorkloadBuilder builder;
    builder.fail_at_call = 1;
    const auto e = expect_error([&] { convert_model(model, {}, "small", builder.c_builder(), {}); });
    CHECK(e.status() == STREAM_ERROR_INVALID_INPUT);
    CHECK(contains(e.what(), "'y'"));
    CHECK(builder.layers.size() == 1);
}

TEST_CASE("a zero stride is an error naming the node, not a crash in shape inference") {
    // Found by the fuzz target: libonnx's convPoolShapeInference divides by the stride.
    const std::string text = model_header() + R"(
g (float[1,4,8,8] x) => (float[1,4,4,4] y)
{
  y = MaxPool <kernel_shape = [2, 2], strides = [0, 2]> (x)
}
)";
    const auto e = expect_error([&] { convert_text(text); });
    CHECK(e.status() == STREAM_ERROR_INVALID_INPUT);
    CHECK(contains(e.what(), "node 'y' (MaxPool): attribute 'strides' must be positive"));
    REQUIRE(e.item());
    CHECK(e.item()->kind == STREAM_ITEM_LAYER);
}

TEST_CASE("a Conv whose input rank does not match its weights is an error, not a crash in shape inference") {
    // Found by the fuzz target: libonnx's convPoolShapeInference indexes past a rank-3 input.
    const std::string text = model_header() + R"(
g (float[1,2,2] x) => (float[1,4,4,4] y)
<float[4,2,1,1] w = {0.0}>
{
  y = Conv (x, w)
}
)";
    const auto e = expect_error([&] { convert_text(text); });
    CHECK(e.status() == STREAM_ERROR_INVALID_INPUT);
    CHECK(contains(e.what(), "node 'y' (Conv): input rank 3 and weight rank 4 differ"));
}
