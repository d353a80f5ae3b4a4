// Catching the one Error type in tests.
#pragma once

#include "error/Error.hpp"

#include <doctest/doctest.h>

#include <functional>
#include <string>

namespace stream::test {

/// The full "file:line:col: message" text of the Error `f` throws; fails the test when it throws none.
inline std::string error_of(const std::function<void()>& f) {
    try {
        f();
    } catch (const Error& e) {
        return e.what();
    }
    FAIL("expected an Error");
    return {};
}

} // namespace stream::test
