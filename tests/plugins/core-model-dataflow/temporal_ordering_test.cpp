// A user-given temporal ordering (ZigZag mapping's temporal_ordering): parsed against the
// layer's temporal sizes, refused with the reason when it is not complete.
#include "dataflow_test_support.hpp"
#include "temporal_ordering.hpp"

#include <stdexcept>
#include <string>

using namespace stream::dataflow;
using namespace stream::dataflow::test;

namespace {

// toy_layer (K8 C2) with K 4 on D1 of toy_core: temporal K 8/4 = 2 and C 2.
SpatialMapping k4(const LoopNest& nest) {
    return SpatialMapping::normalized(nest, toy_core(), SpatialMapping{{{"D1", {{"K", 4}}}}});
}

std::string why(const std::string& text) {
    LoopNest nest = toy_layer();
    try {
        parse_temporal_ordering(nest, k4(nest), text);
    } catch (const std::invalid_argument& e) {
        return e.what();
    }
    return "accepted";
}

} // namespace

TEST_CASE("temporal ordering - a complete ordering, innermost first, loops of size 1 dropped") {
    LoopNest nest = toy_layer();
    auto ordering = parse_temporal_ordering(nest, k4(nest), "C 2, K 1, K 2");
    REQUIRE(ordering.size() == 2);
    CHECK(ordering[0] == LoopFactor{1, 2}); // C (dim 1) innermost
    CHECK(ordering[1] == LoopFactor{0, 2});
    // the same ordering is what the allocator takes: it fits the toy core
    CHECK(allocate_ordering(nest, toy_core(), k4(nest), ordering).has_value());
}

TEST_CASE("temporal ordering - an empty ordering is incomplete when the layer has temporal loops") {
    CHECK(why("").find("the loops of K multiply to 1, but its temporal size is 2") != std::string::npos);
}

TEST_CASE("temporal ordering - incomplete, unknown or malformed orderings are refused with the reason") {
    CHECK(why("C 2, K 4").find("the loops of K multiply to 4, but its temporal size is 2") != std::string::npos);
    CHECK(why("C 2").find("the loops of K multiply to 1") != std::string::npos);
    CHECK(why("C 2, X 2").find("the layer has no loop dim X") != std::string::npos);
    CHECK(why("C two, K 2").find("expected \"DIM size\"") != std::string::npos);
    CHECK(why("C 0, K 2").find("expected \"DIM size\"") != std::string::npos);
}
