// Checks shared by the slot-model tests: a solver result against the plain
// C++ evaluation of the same model (SlotInstance.hpp's evaluate).
#pragma once

#include "SlotInstance.hpp"
#include "SlotSearch.hpp"

#include <doctest/doctest.h>

#include <optional>

namespace stream::plugins::gecode_alloc::test {

/// Gecode's derived quantities (total, energy, period, shared idle) agree with the plain
/// evaluation of the assignment it found.
inline void check_value_against_oracle(const SlotInstance& in, const SearchResult& cp) {
    REQUIRE(cp.assignment);
    const std::optional<ModelValue> check = evaluate(in, *cp.assignment);
    REQUIRE(check);
    CHECK(check->total == cp.value.total);
    CHECK(check->energy == cp.value.energy);
    CHECK(check->period == cp.value.period);
    CHECK(check->idle_min == cp.value.idle_min);
}

} // namespace stream::plugins::gecode_alloc::test
