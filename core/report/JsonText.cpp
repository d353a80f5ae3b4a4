#include "report/JsonText.hpp"

#include <fmt/format.h>

#include <cmath>
#include <iterator>

namespace stream::json_text {

std::string str(std::string_view s) {
    std::string out;
    out.reserve(s.size() + 2);
    out += '"';
    for (char c : s) {
        switch (c) {
        case '"':
            out += "\\\"";
            break;
        case '\\':
            out += "\\\\";
            break;
        case '\n':
            out += "\\n";
            break;
        case '\r':
            out += "\\r";
            break;
        case '\t':
            out += "\\t";
            break;
        default:
            if (static_cast<unsigned char>(c) < 0x20)
                fmt::format_to(std::back_inserter(out), "\\u{:04x}", static_cast<unsigned>(c));
            else
                out += c;
        }
    }
    out += '"';
    return out;
}

std::string num(double v) {
    if (!std::isfinite(v)) return "null";
    // fmt's default for a double is the shortest text that round-trips; an integral
    // value prints without a fraction ("78"), which JSON readers take as the same number.
    return fmt::format("{}", v);
}

} // namespace stream::json_text
