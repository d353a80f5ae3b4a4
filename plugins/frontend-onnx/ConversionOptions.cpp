#include "ConversionOptions.hpp"

#include <stream/plugin.hpp>

#include <charconv>

namespace stream::onnx_frontend {

namespace {

std::string_view trim(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
    return s;
}

[[noreturn]] void bad_shapes(std::string_view entry, std::string_view why) {
    throw sdk::Error(STREAM_ERROR_INVALID_CONFIG,
                     "input_shapes entry '" + std::string(entry) + "': " + std::string(why) +
                         " (expected \"name=1x3x224x224;other=1x10\")",
                     sdk::Item::config_key("input_shapes"));
}

std::vector<std::int64_t> parse_dims(std::string_view entry, std::string_view dims_text) {
    std::vector<std::int64_t> dims;
    while (true) {
        const std::size_t x = dims_text.find('x');
        const std::string_view token = trim(dims_text.substr(0, x));
        std::int64_t value = 0;
        const auto [end, ec] = std::from_chars(token.data(), token.data() + token.size(), value);
        if (token.empty() || ec != std::errc{} || end != token.data() + token.size() || value <= 0)
            bad_shapes(entry, std::string("'").append(token).append("' is not a positive integer dimension"));
        dims.push_back(value);
        if (x == std::string_view::npos) break;
        dims_text.remove_prefix(x + 1);
    }
    return dims;
}

} // namespace

std::map<std::string, std::vector<std::int64_t>> parse_input_shapes(std::string_view text) {
    std::map<std::string, std::vector<std::int64_t>> shapes;
    while (!text.empty()) {
        const std::size_t semicolon = text.find(';');
        const std::string_view entry = trim(text.substr(0, semicolon));
        text.remove_prefix(semicolon == std::string_view::npos ? text.size() : semicolon + 1);
        if (entry.empty()) continue;
        // The last '=' splits, so input names that contain '=' still work.
        const std::size_t eq = entry.rfind('=');
        if (eq == std::string_view::npos) bad_shapes(entry, "missing '='");
        const std::string name{trim(entry.substr(0, eq))};
        if (name.empty()) bad_shapes(entry, "missing input name");
        if (shapes.count(name)) bad_shapes(entry, "input '" + name + "' is given twice");
        shapes[name] = parse_dims(entry, entry.substr(eq + 1));
    }
    return shapes;
}

UnknownOpPolicy parse_unknown_op_policy(std::string_view text) {
    if (text == "error") return UnknownOpPolicy::error;
    if (text == "passthrough") return UnknownOpPolicy::passthrough;
    throw sdk::Error(STREAM_ERROR_INVALID_CONFIG,
                     "unknown_ops is '" + std::string(text) + "', expected \"error\" or \"passthrough\"",
                     sdk::Item::config_key("unknown_ops"));
}

} // namespace stream::onnx_frontend
