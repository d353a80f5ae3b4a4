// Reading the explorers' integer keys with their range checked, so that every
// out-of-range key fails the same way: INVALID_CONFIG, naming the key and the range.
#pragma once

#include <stream/plugin.hpp>

#include <cstdint>
#include <limits>
#include <string>

namespace stream::plugins::explore {

inline std::int64_t int_in_range(const sdk::Config& config, const char* key, std::int64_t lowest,
                                 std::int64_t highest = std::numeric_limits<std::int64_t>::max()) {
    const std::int64_t value = config.get_int(key);
    if (value < lowest || value > highest) {
        std::string message = std::string(key) + " = " + std::to_string(value) + " must be at least ";
        message += std::to_string(lowest);
        if (highest < std::numeric_limits<std::int64_t>::max()) message.append(" and at most ").append(std::to_string(highest));
        throw sdk::Error(STREAM_ERROR_INVALID_CONFIG, message, sdk::Item::config_key(key));
    }
    return value;
}

} // namespace stream::plugins::explore
