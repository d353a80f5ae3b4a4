// Access to ../shared/reference (the original tools' inputs and numbers) from tests.
// CI has ../shared beside the checkout; elsewhere such tests are reported as skipped
// (the "[skipped]" line makes CTest count them as skipped, not passed).
#pragma once

#include <cstdio>
#include <filesystem>
#include <optional>
#include <string>

namespace stream::test {

inline std::optional<std::filesystem::path> reference_dir() {
    std::filesystem::path p = std::filesystem::path(STREAM_DSE_SHARED_DIR) / "reference";
    if (std::filesystem::is_directory(p)) return p;
    return std::nullopt;
}

/// Prints the skip marker with a reason; call and return from the test case.
inline void skip(const std::string& why) {
    std::printf("[skipped] %s\n", why.c_str());
    std::fflush(stdout);
}

} // namespace stream::test
