// Appending JSON tokens to a string by hand. The trace and the schedule hold
// hundreds of thousands of small records; building each as an nlohmann::json
// object first costs seconds, writing the text directly costs milliseconds.
#pragma once

#include <string>
#include <string_view>

namespace stream::json_text {

/// `s` as a JSON string literal: quotes, backslashes and control characters escaped; UTF-8 kept.
std::string str(std::string_view s);

/// `v` in the shortest form that reads back as the same double; null when not finite
/// (JSON has no infinity).
std::string num(double v);

} // namespace stream::json_text
