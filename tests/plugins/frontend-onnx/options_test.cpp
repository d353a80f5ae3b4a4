// Parsing of the frontend's string-valued config keys.
#include "FakeWorkloadBuilder.hpp"

using namespace stream::onnx_frontend;
using namespace stream::onnx_frontend::test;

TEST_CASE("input_shapes: names, dims, separators and blanks") {
    const auto shapes = parse_input_shapes(" input = 1x3x224x224 ; other=1x10;");
    REQUIRE(shapes.size() == 2);
    CHECK(shapes.at("input") == std::vector<std::int64_t>{1, 3, 224, 224});
    CHECK(shapes.at("other") == std::vector<std::int64_t>{1, 10});
    CHECK(parse_input_shapes("").empty());
    // Names may contain '=' or ':' (ONNX names are free text); the last '=' splits.
    CHECK(parse_input_shapes("a=b:0=7").at("a=b:0") == std::vector<std::int64_t>{7});
}

TEST_CASE("input_shapes: malformed entries are config errors on the key") {
    for (const char* bad : {"input", "=1x3", "x=", "x=1xx3", "x=1x-3", "x=0x3", "x=1x3;x=1x3", "x=1.5"}) {
        CAPTURE(bad);
        const auto e = expect_error([&] { parse_input_shapes(bad); });
        CHECK(e.status() == STREAM_ERROR_INVALID_CONFIG);
        REQUIRE(e.item());
        CHECK(e.item()->kind == STREAM_ITEM_CONFIG_KEY);
        CHECK(e.item()->name == "input_shapes");
    }
}

TEST_CASE("unknown_ops accepts error and passthrough only") {
    CHECK(parse_unknown_op_policy("error") == UnknownOpPolicy::error);
    CHECK(parse_unknown_op_policy("passthrough") == UnknownOpPolicy::passthrough);
    const auto e = expect_error([] { parse_unknown_op_policy("ignore"); });
    CHECK(e.status() == STREAM_ERROR_INVALID_CONFIG);
    CHECK(e.item()->name == "unknown_ops");
}
