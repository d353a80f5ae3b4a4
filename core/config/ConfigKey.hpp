// A configuration key a plugin declares (the host's copy of stream_config_key).
#pragma once

#include <stream/plugin.h>

#include <optional>
#include <string>

namespace stream {

struct ConfigKey {
    std::string key;
    stream_value_type type = STREAM_VALUE_STRING;
    bool required = false;
    std::optional<std::string> default_value; ///< a TOML value literal
    std::string unit;
    std::string doc;
};

/// "integer", "array of strings", ... as users read them in messages and listings.
std::string value_type_name(stream_value_type type);

} // namespace stream
