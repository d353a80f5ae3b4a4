#include "report/Svg.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <iterator>

namespace stream::svg {

std::string escape(std::string_view s) {
    std::string out;
    out.reserve(s.size());
    for (char c : s) {
        switch (c) {
        case '&':
            out += "&amp;";
            break;
        case '<':
            out += "&lt;";
            break;
        case '>':
            out += "&gt;";
            break;
        case '"':
            out += "&quot;";
            break;
        case '\'':
            out += "&apos;";
            break;
        default:
            out += c;
        }
    }
    return out;
}

std::string open(double width_px, double height_px, std::string_view title) {
    return fmt::format("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{0:.0f}\" height=\"{1:.0f}\" viewBox=\"0 0 "
                       "{0:.0f} {1:.0f}\" "
                       "font-family=\"sans-serif\" font-size=\"12\">\n<title>{2}</title>\n",
                       width_px, height_px, escape(title));
}

std::string shorten(std::string_view s, std::size_t max_bytes) {
    if (s.size() <= max_bytes) return std::string(s);
    std::size_t cut = max_bytes;
    while (cut > 0 && (static_cast<unsigned char>(s[cut]) & 0xC0) == 0x80)
        --cut; // not inside a character
    return std::string(s.substr(0, cut)) + "…";
}

std::string short_number(double v) {
    const double a = std::fabs(v);
    auto scaled = [&](double unit, const char* suffix) {
        double x = v / unit;
        // Three significant digits at most, without trailing zeros: 1.5k, 12k, 125k.
        std::string s = fmt::format("{:.{}f}", x, std::fabs(x) >= 100 ? 0 : std::fabs(x) >= 10 ? 1 : 2);
        if (s.find('.') != std::string::npos) {
            while (s.back() == '0')
                s.pop_back();
            if (s.back() == '.') s.pop_back();
        }
        return s + suffix;
    };
    if (a >= 1e12) return scaled(1e12, "T");
    if (a >= 1e9) return scaled(1e9, "G");
    if (a >= 1e6) return scaled(1e6, "M");
    if (a >= 1e3) return scaled(1e3, "k");
    return scaled(1, "");
}

std::string exact_number(double v) {
    if (!std::isfinite(v) || std::fabs(v) >= 1e15 || (v != 0 && std::fabs(v) < 1e-3)) return fmt::format("{:.6g}", v);
    if (v == std::round(v)) return fmt::format("{:.0f}", v);
    // Six significant digits in plain notation (1560439, 16588.8, 0.125), trailing zeros dropped.
    const int digits = std::fabs(v) >= 1 ? static_cast<int>(std::floor(std::log10(std::fabs(v)))) + 1 : 0;
    std::string s = fmt::format("{:.{}f}", v, std::max(0, 6 - digits));
    if (s.find('.') != std::string::npos) {
        while (s.back() == '0')
            s.pop_back();
        if (s.back() == '.') s.pop_back();
    }
    return s;
}

std::vector<double> ticks(double max, int target) {
    if (!(max > 0) || !std::isfinite(max)) return {0, 1};
    const double raw = max / std::max(1, target);
    const double decade = std::pow(10.0, std::floor(std::log10(raw)));
    double step = decade;
    for (double m : {1.0, 2.0, 5.0, 10.0})
        if (m * decade >= raw) {
            step = m * decade;
            break;
        }
    std::vector<double> out;
    for (int i = 0;; ++i) {
        out.push_back(i * step);
        if (i * step >= max) break;
    }
    return out;
}

std::string layer_colour(std::size_t i) {
    // A qualitative palette first (distinct at a glance, no grey: grey means "no layer"), then hues.
    static constexpr const char* kPalette[] = {"#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948",
                                               "#b07aa1", "#ff9da7", "#9c755f", "#17becf", "#bcbd22", "#8c6bb1"};
    if (i < std::size(kPalette)) return kPalette[i];
    const double hue = std::fmod(static_cast<double>(i) * 137.508, 360.0);
    // Alternate lightness too, so hues that come out close still differ.
    return fmt::format("hsl({:.0f},{}%,{}%)", hue, i % 2 ? 55 : 65, i % 2 ? 62 : 50);
}

} // namespace stream::svg
