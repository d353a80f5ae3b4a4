// Bad workload files: each error names the file, the line (and column where
// yaml-cpp knows it) and the layer, and nothing crashes.
#include "RecordingBuilder.hpp"
#include "YamlWorkloadReader.hpp"
#include "temp_dir.hpp"

#include <doctest/doctest.h>

using namespace stream::yaml_frontend;
using stream::yaml_frontend::test::RecordingBuilder;

namespace {

struct Failure {
    stream_status status = STREAM_OK;
    std::string message;
    stream::sdk::Item item;
    std::size_t layers_added = 0;
};

/// Loads `text` and returns the sdk::Error it must raise.
Failure load_failure(const std::string& text) {
    stream::test::TempDir dir;
    const auto path = dir.write("bad.yaml", text);
    RecordingBuilder rec;
    Failure f;
    try {
        load_workload(path.string(), {}, rec.builder());
        FAIL("expected the load to fail");
    } catch (const stream::sdk::Error& e) {
        f.status = e.status();
        f.message = e.what();
        REQUIRE(e.item().has_value());
        f.item = *e.item();
    }
    f.layers_added = rec.layers.size();
    CHECK(f.item.kind == STREAM_ITEM_FILE);
    CHECK(f.item.file == path.string());
    return f;
}

bool contains(const std::string& haystack, const std::string& needle) { return haystack.find(needle) != std::string::npos; }

// A valid first layer (lines 1-6); tests append a second layer from line 7.
const char* const first_layer = R"(- id: 0
  name: first
  operator_type: Conv_pointwise
  equation: O[b][k][oy][ox]+=W[k][c]*I[b][c][oy][ox]
  loop_dims: [B, K, C, OY, OX]
  loop_sizes: [1, 4, 8, 5, 5]
)";

} // namespace

TEST_CASE("errors: YAML syntax error at yaml-cpp's line and column") {
    // Line 7 is "  name: a: b"; yaml-cpp stops at the second ':', the 10th
    // character (2 spaces + "name:" = 7, a space, 'a' at 9, ':' at 10).
    const Failure f = load_failure(std::string(first_layer) + "- id: 1\n  name: a: b\n");
    CHECK(f.status == STREAM_ERROR_INVALID_INPUT);
    CHECK(f.item.line == 8);
    CHECK(f.item.column == 10);
    CHECK(contains(f.message, "YAML syntax error"));
    CHECK(f.layers_added == 0); // nothing is added from a file that does not parse
}

TEST_CASE("errors: operand_source naming an unknown layer") {
    // The second entry starts at line 7.
    const Failure f = load_failure(std::string(first_layer) + R"(- id: 1
  name: second
  operator_type: Conv_pointwise
  equation: O[b][k][oy][ox]+=W[k][c]*I[b][c][oy][ox]
  loop_dims: [B, K, C, OY, OX]
  loop_sizes: [1, 4, 4, 5, 5]
  operand_source: {I: 42, W: 1}
)");
    CHECK(f.status == STREAM_ERROR_INVALID_INPUT);
    CHECK(f.item.line == 7);
    CHECK(f.item.name == "second");
    CHECK(contains(f.message, "'second'"));
    CHECK(contains(f.message, "42"));
    CHECK(contains(f.message, "not in the workload"));
    CHECK(f.layers_added == 1);
}

TEST_CASE("errors: operand_source naming a later layer") {
    const Failure f = load_failure(R"(- id: 5
  name: early
  operator_type: Add
  equation: O[k]=W[k]+I[k]
  loop_dims: [K]
  loop_sizes: [4]
  operand_source: {I: 6, W: 5}
- id: 6
  operator_type: Add
  equation: O[k]=W[k]+I[k]
  loop_dims: [K]
  loop_sizes: [4]
)");
    CHECK(f.item.line == 1);
    CHECK(f.item.name == "early");
    CHECK(contains(f.message, "comes later in the file"));
}

TEST_CASE("errors: a dim of the equation without a loop size") {
    // G is in the equation but not in loop_dims.
    const Failure f = load_failure(std::string(first_layer) + R"(- id: 1
  name: pool
  operator_type: Pooling
  equation: O[b][g][oy][ox]+=W[fx][fy]*I[b][g][iy][ix]
  dimension_relations: [ix=ox+fx, iy=oy+fy]
  loop_dims: [B, OY, OX, FY, FX]
  loop_sizes: [1, 3, 3, 2, 2]
)");
    CHECK(f.item.line == 7);
    CHECK(f.item.name == "pool");
    CHECK(contains(f.message, "dim G "));
    CHECK(contains(f.message, "'pool'"));
}

TEST_CASE("errors: a relation over a dim without a loop size") {
    const Failure f = load_failure(R"(- id: 0
  operator_type: Conv
  equation: O[k][ox]+=W[k][fx]*I[ix]
  dimension_relations: [ix=ox+fx]
  loop_dims: [K, OX]
  loop_sizes: [2, 3]
)");
    CHECK(f.item.line == 1);
    CHECK(f.item.name == "Layer0");
    CHECK(contains(f.message, "FX"));
}

TEST_CASE("errors: garbage equation") {
    const Failure f = load_failure(std::string(first_layer) + R"(- id: 1
  name: broken
  operator_type: Conv
  equation: this is not an equation
  loop_dims: [K]
  loop_sizes: [4]
)");
    CHECK(f.item.line == 7);
    CHECK(f.item.name == "broken");
    CHECK(contains(f.message, "bad equation 'this is not an equation'"));
}

TEST_CASE("errors: missing required fields, wrong types, inconsistent lists") {
    SUBCASE("no loop_sizes") {
        const Failure f = load_failure(std::string(first_layer) + "- id: 1\n  operator_type: Add\n  equation: O[k]=W[k]+I[k]\n  loop_dims: [K]\n");
        CHECK(f.item.line == 7);
        CHECK(contains(f.message, "missing required field 'loop_sizes'"));
        CHECK(contains(f.message, "Layer1"));
    }
    SUBCASE("no id") {
        const Failure f = load_failure(std::string(first_layer) + "- operator_type: Add\n  equation: O[k]=W[k]+I[k]\n");
        CHECK(f.item.line == 7);
        CHECK(contains(f.message, "missing required field 'id'"));
    }
    SUBCASE("a loop size that is no integer: located at the value") {
        // Line 11 "  loop_sizes: [1, x]": 2 spaces, "loop_sizes:" (columns 3-13), a space, '[' at 15,
        // '1' at 16, ',' at 17, a space, 'x' at 19.
        const Failure f = load_failure(std::string(first_layer) +
                                       "- id: 1\n  operator_type: Add\n  equation: O[k]=W[k]+I[k]\n  loop_dims: [K, C]\n  loop_sizes: [1, x]\n");
        CHECK(f.item.line == 11);
        CHECK(f.item.column == 19);
        CHECK(contains(f.message, "loop_sizes must be an integer, not 'x'"));
    }
    SUBCASE("loop_dims and loop_sizes of different lengths") {
        const Failure f = load_failure("- id: 0\n  operator_type: Add\n  equation: O[k]=W[k]+I[k]\n  loop_dims: [K, C]\n  loop_sizes: [4]\n");
        CHECK(contains(f.message, "loop_dims names 2 dims but loop_sizes gives 1 sizes"));
    }
    SUBCASE("a zero loop size") {
        const Failure f = load_failure("- id: 0\n  operator_type: Add\n  equation: O[k]=W[k]+I[k]\n  loop_dims: [K]\n  loop_sizes: [0]\n");
        CHECK(contains(f.message, "size 0"));
    }
    SUBCASE("duplicate ids") {
        const Failure f = load_failure(std::string(first_layer) + "- id: 0\n  operator_type: Add\n  equation: O[k]=W[k]+I[k]\n  loop_dims: [K]\n  loop_sizes: [4]\n");
        CHECK(f.item.line == 7);
        CHECK(contains(f.message, "already used by the layer at line 1"));
    }
    SUBCASE("padding without matching pr_loop_dims") {
        const Failure f = load_failure(R"(- id: 0
  operator_type: Conv
  equation: O[ox]+=W[fx]*I[ix]
  dimension_relations: [ix=ox+fx]
  loop_dims: [OX, FX]
  loop_sizes: [4, 3]
  padding: [[1, 1]]
)");
        CHECK(contains(f.message, "padding has 1 entries but pr_loop_dims names 0 dims"));
    }
    SUBCASE("padding larger than the window") {
        // IX spans (1-1) + (1-1) + 1 = 1 position; pads 1 + 1 leave -1.
        const Failure f = load_failure(R"(- id: 0
  operator_type: Conv
  equation: O[ox]+=W[fx]*I[ix]
  dimension_relations: [ix=ox+fx]
  loop_dims: [OX, FX]
  loop_sizes: [1, 1]
  pr_loop_dims: [IX]
  padding: [[1, 1]]
)");
        CHECK(contains(f.message, "spans 1 positions"));
    }
    SUBCASE("precision out of range") {
        const Failure f = load_failure(std::string(first_layer) + R"(- id: 1
  operator_type: Add
  equation: O[k]=W[k]+I[k]
  loop_dims: [K]
  loop_sizes: [4]
  operand_precision: {W: 5000}
)");
        CHECK(contains(f.message, "operand_precision of W is 5000"));
    }
}

TEST_CASE("errors: files that are no workload list") {
    SUBCASE("a map at the top") {
        const Failure f = load_failure("name: tpu_like\nmemories: {}\n");
        CHECK(f.item.line == 1);
        CHECK(contains(f.message, "must be a list of layers"));
    }
    SUBCASE("an empty list") {
        const Failure f = load_failure("[]\n");
        CHECK(contains(f.message, "no layers"));
    }
    SUBCASE("a list of scalars") {
        const Failure f = load_failure("- 1\n- 2\n");
        CHECK(contains(f.message, "must be a map"));
    }
    SUBCASE("an empty file") {
        const Failure f = load_failure("");
        CHECK(contains(f.message, "must be a list of layers"));
    }
}

TEST_CASE("errors: a missing file") {
    RecordingBuilder rec;
    try {
        load_workload("/nonexistent/dir/net.yaml", {}, rec.builder());
        FAIL("expected an error");
    } catch (const stream::sdk::Error& e) {
        CHECK(e.status() == STREAM_ERROR_INVALID_INPUT);
        CHECK(contains(e.what(), "cannot open"));
        CHECK(e.item()->file == "/nonexistent/dir/net.yaml");
    }
}
