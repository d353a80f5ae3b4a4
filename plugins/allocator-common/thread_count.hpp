// The `threads` key both search allocators accept: how many evaluations run
// at once. 0 means one per hardware thread.
#pragma once

#include <stream/plugin.hpp>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>
#include <thread>

namespace stream::plugins::alloc {

inline constexpr stream_config_key threads_key =
    sdk::key("threads", STREAM_VALUE_INT, "0", nullptr,
             "Evaluations run at once; 0 = one per hardware thread. The result does not depend on it.");

/// Reads and checks `threads`; returns the count to use (at least 1).
inline std::size_t read_thread_count(const sdk::Config& config, const char* key = "threads") {
    const std::int64_t requested = config.get_int(key);
    if (requested < 0)
        throw sdk::Error(STREAM_ERROR_INVALID_CONFIG,
                         std::string(key) + " = " + std::to_string(requested) +
                             " is negative; give a thread count, or 0 for one per hardware thread",
                         sdk::Item::config_key(key));
    if (requested > 0) return static_cast<std::size_t>(requested);
    return std::max<std::size_t>(1, std::thread::hardware_concurrency());
}

} // namespace stream::plugins::alloc
