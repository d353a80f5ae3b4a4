#include "report/EnergyChart.hpp"

#include "report/Svg.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <iterator>
#include <map>

namespace stream {

namespace {

constexpr double kWidth = 1000;
constexpr double kBarX = 240; // labels left of it
constexpr double kBarW = 560; // the largest bar; values right of the bars
constexpr double kBarH = 16;
constexpr double kPitch = 21;

struct Bar {
    std::string label;
    double pj = 0;
    std::string fill;
};

const char* kComponentFills[] = {"#1f6fb2", "#e67e22", "#27ae60", "#8e44ad",
                                 "#c0392b", "#16a085", "#7f8c8d", "#d4ac0d"};

/// One titled panel of bars; returns the y below it.
double panel(std::string& out, double top, const std::string& title, std::vector<Bar> bars, double total_pj) {
    auto o = std::back_inserter(out);
    // Largest first; names break ties so the order never depends on the input's.
    std::stable_sort(bars.begin(), bars.end(),
                     [](const Bar& a, const Bar& b) { return a.pj != b.pj ? a.pj > b.pj : a.label < b.label; });
    double largest = 0;
    for (const Bar& b : bars)
        largest = std::max(largest, b.pj);
    fmt::format_to(o, "<text x=\"10\" y=\"{:.1f}\" font-weight=\"bold\">{}</text>\n", top, svg::escape(title));
    double y = top + 10;
    if (bars.empty()) {
        fmt::format_to(o, "<text x=\"{:.0f}\" y=\"{:.1f}\" fill=\"#444\">none</text>\n", kBarX, y + 12);
        return y + kPitch + 18;
    }
    for (const Bar& b : bars) {
        const double w = largest > 0 ? kBarW * b.pj / largest : 0;
        const std::string share = total_pj > 0 ? fmt::format("{:.1f}%", 100.0 * b.pj / total_pj) : std::string("-");
        fmt::format_to(
            o,
            "<g><title>{0}: {1} pJ ({2})</title><text x=\"{3:.0f}\" y=\"{4:.1f}\" text-anchor=\"end\">{5}</text>"
            "<rect x=\"{6:.0f}\" y=\"{7:.1f}\" width=\"{8:.2f}\" height=\"{9:.0f}\" fill=\"{10}\"/>"
            "<text x=\"{11:.2f}\" y=\"{4:.1f}\" fill=\"#333\">{12} pJ  {2}</text></g>\n",
            svg::escape(b.label), svg::exact_number(b.pj), share, kBarX - 8, y + 12.5,
            svg::escape(svg::shorten(b.label, 36)), kBarX, y, std::max(w, b.pj > 0 ? 1.0 : 0.0), kBarH, b.fill,
            kBarX + w + 6, svg::short_number(b.pj));
        y += kPitch;
    }
    return y + 26;
}

} // namespace

std::string energy_svg(const ScheduleView& v) {
    std::string body;
    double y = 70;

    std::vector<Bar> components;
    for (std::size_t i = 0; i < v.energy_pj_by_component.size(); ++i)
        components.push_back({v.energy_pj_by_component[i].first, v.energy_pj_by_component[i].second,
                              kComponentFills[i % std::size(kComponentFills)]});
    y = panel(body, y, fmt::format("Energy by component (total {} pJ)", svg::exact_number(v.energy_pj)), components,
              v.energy_pj);

    std::map<std::int64_t, double> by_layer, by_core;
    double cn_total = 0;
    for (const auto& c : v.cns)
        by_layer[c.layer] += c.energy_pj, by_core[c.core] += c.energy_pj, cn_total += c.energy_pj;
    std::vector<Bar> layers, cores;
    for (const auto& [layer, pj] : by_layer) {
        const std::ptrdiff_t i = v.layer_index(layer);
        layers.push_back(
            {v.layer_label(layer), pj, i >= 0 ? svg::layer_colour(static_cast<std::size_t>(i)) : "#9a9a9a"});
    }
    for (const auto& [core, pj] : by_core)
        cores.push_back({v.core_label(core), pj, "#1f6fb2"});
    y = panel(body, y,
              fmt::format("CN energy by layer (computation and operand streaming, {} pJ in all)",
                          svg::exact_number(cn_total)),
              layers, cn_total);
    y = panel(body, y, "CN energy by core", cores, cn_total);

    std::map<std::int32_t, double> by_purpose;
    std::map<std::int64_t, double> by_link;
    double transfer_total = 0;
    for (const Transfer& t : v.transfers) {
        by_purpose[t.purpose] += t.energy_pj;
        transfer_total += t.energy_pj;
        // A transfer over several links is charged to each in equal parts.
        for (std::int64_t l : t.links)
            by_link[l] += t.energy_pj / static_cast<double>(t.links.size());
    }
    std::vector<Bar> purposes, links;
    for (const auto& [p, pj] : by_purpose)
        purposes.push_back({std::string(transfer_purpose_name(p)), pj,
                            kComponentFills[static_cast<std::size_t>(p) % std::size(kComponentFills)]});
    for (const auto& [l, pj] : by_link) {
        const auto* info = v.find_link(l);
        links.push_back({info ? info->name : fmt::format("link {}", l), pj, "#27ae60"});
    }
    y = panel(body, y, fmt::format("Transfer energy by purpose ({} pJ in all)", svg::exact_number(transfer_total)),
              purposes, transfer_total);
    y = panel(body, y, "Transfer energy by link (a multi-link route split evenly)", links, transfer_total);

    std::string s = svg::open(kWidth, y, v.title + " — energy");
    fmt::format_to(std::back_inserter(s), "<text x=\"10\" y=\"24\" font-size=\"16\" font-weight=\"bold\">{}</text>\n",
                   svg::escape(fmt::format("Where the energy goes{}{}", v.title.empty() ? "" : " — ", v.title)));
    fmt::format_to(
        std::back_inserter(s), "<text x=\"10\" y=\"44\" fill=\"#444\">{}</text>\n",
        svg::escape(fmt::format("total {} pJ · latency {} cycles · EDP {:.6g} cycles·pJ",
                                svg::exact_number(v.energy_pj), svg::exact_number(v.latency_cycles), v.edp)));
    return s + body + "</svg>\n";
}

} // namespace stream
