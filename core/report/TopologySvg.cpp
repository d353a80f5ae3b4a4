#include "report/TopologySvg.hpp"

#include "report/Svg.hpp"

#include <fmt/format.h>

#include <cmath>
#include <iterator>
#include <numbers>
#include <vector>

namespace stream {

namespace {

struct Point {
    double x, y;
};

} // namespace

std::string topology_svg(const Accelerator& acc) {
    const double size = 640, centre = size / 2, radius = size / 2 - 80;
    std::vector<Point> at(acc.cores.size());
    std::size_t compute = 0;
    for (const Core& c : acc.cores)
        if (!c.is_offchip) ++compute;
    std::size_t k = 0;
    for (const Core& c : acc.cores) {
        if (c.is_offchip) {
            at[static_cast<std::size_t>(c.id)] = {centre, centre};
            continue;
        }
        double angle = 2 * std::numbers::pi * static_cast<double>(k++) / static_cast<double>(compute) - std::numbers::pi / 2;
        at[static_cast<std::size_t>(c.id)] = {centre + radius * std::cos(angle), centre + radius * std::sin(angle)};
    }
    std::string s;
    auto out = std::back_inserter(s);
    s += svg::open(size, size, acc.name);
    fmt::format_to(out, "<text x=\"10\" y=\"20\" font-size=\"14\">{} — {} cores, {} links</text>\n", svg::escape(acc.name),
                   acc.cores.size(), acc.links.size());
    for (const Link& l : acc.links) {
        std::string tip = fmt::format("link {}: {} bits/cycle, {} pJ/bit", l.id, l.bandwidth_bits_per_cycle, l.energy_pj_per_bit);
        if (l.bus_cores.empty()) {
            Point a = at[static_cast<std::size_t>(l.from_core)], b = at[static_cast<std::size_t>(l.to_core)];
            fmt::format_to(out, "<line x1=\"{:.1f}\" y1=\"{:.1f}\" x2=\"{:.1f}\" y2=\"{:.1f}\" stroke=\"#555\" stroke-width=\"2\"{}>"
                                "<title>{}</title></line>\n",
                           a.x, a.y, b.x, b.y, l.bidirectional ? "" : " stroke-dasharray=\"6 3\"", svg::escape(tip));
            continue;
        }
        Point hub{0, 0};
        for (std::int64_t c : l.bus_cores) hub.x += at[static_cast<std::size_t>(c)].x, hub.y += at[static_cast<std::size_t>(c)].y;
        hub.x /= static_cast<double>(l.bus_cores.size());
        hub.y /= static_cast<double>(l.bus_cores.size());
        // Offset each bus's hub a little so several buses over the same cores stay distinct.
        hub.x += 12.0 * static_cast<double>(l.id % 5);
        for (std::int64_t c : l.bus_cores) {
            Point p = at[static_cast<std::size_t>(c)];
            fmt::format_to(out, "<line x1=\"{:.1f}\" y1=\"{:.1f}\" x2=\"{:.1f}\" y2=\"{:.1f}\" stroke=\"#2a7\" stroke-width=\"1.5\"/>\n",
                           hub.x, hub.y, p.x, p.y);
        }
        fmt::format_to(out, "<circle cx=\"{:.1f}\" cy=\"{:.1f}\" r=\"6\" fill=\"#2a7\"><title>bus {}</title></circle>\n", hub.x,
                       hub.y, svg::escape(tip));
    }
    for (const Core& c : acc.cores) {
        Point p = at[static_cast<std::size_t>(c.id)];
        const CoreType& t = *c.type;
        std::string tip = fmt::format("core {} '{}': {} MACs, top memory {} bits", c.id, t.name, t.mac_units(),
                                      t.memories.back().size_bits);
        fmt::format_to(out,
                       "<g><title>{}</title><rect x=\"{:.1f}\" y=\"{:.1f}\" width=\"96\" height=\"40\" rx=\"6\" fill=\"{}\" "
                       "stroke=\"#333\"/><text x=\"{:.1f}\" y=\"{:.1f}\" text-anchor=\"middle\">{} {}</text></g>\n",
                       svg::escape(tip), p.x - 48, p.y - 20, c.is_offchip ? "#fde2b8" : "#cfe3fb", p.x, p.y + 4, c.id,
                       svg::escape(t.name.substr(0, 11)));
    }
    s += "</svg>\n";
    return s;
}

} // namespace stream
