#include "report/ScheduleChart.hpp"

#include "report/ExplorationChart.hpp"

#include "report/EnergyChart.hpp"
#include "report/Lanes.hpp"
#include "report/MemoryChart.hpp"
#include "report/Svg.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <iterator>
#include <map>

namespace stream {

namespace {

constexpr double kWidth = 1400;
constexpr double kPlotX = 250;       // left of the time axis; row labels live left of it
constexpr double kPlotW = 1120;      // pixels for the whole schedule
constexpr double kTop = 64;          // first row, below the title lines
constexpr double kRowH = 26;         // a row with one lane
constexpr double kLaneH = 12;        // per lane when items overlap
constexpr std::size_t kMaxLanes = 8; // more concurrent items are drawn over the last lane

/// One CN or transfer as drawn on a row.
struct Bar {
    double start = 0, end = 0;
    std::ptrdiff_t layer = -1; ///< index into ScheduleView::layers, -1: none
    std::int32_t purpose = 0;  ///< 0 for CNs
    std::size_t item = 0;      ///< index into cns or transfers
};

struct Row {
    std::int64_t id = 0; ///< core or link id
    std::string label;
    std::string stats;
    bool is_link = false;
    std::vector<Bar> bars;
};

/// Bars of a lane merged because each is narrower than a pixel.
struct Group {
    double start = 0, end = 0;
    std::vector<std::size_t> bars; ///< indices into Row::bars
    std::int32_t purpose = 0;
    bool mixed = false; ///< holds more than one layer
};

std::string layer_class(std::ptrdiff_t layer) { return layer >= 0 ? fmt::format("L{}", layer) : std::string("Lx"); }

/// Time covered by at least one interval.
double covered(std::vector<Interval> iv) {
    std::sort(iv.begin(), iv.end(), [](const Interval& a, const Interval& b) { return a.start < b.start; });
    double total = 0, s = 0, e = -1;
    bool open = false;
    for (const Interval& i : iv) {
        if (open && i.start <= e) {
            e = std::max(e, i.end);
            continue;
        }
        if (open) total += e - s;
        s = i.start, e = i.end, open = true;
    }
    if (open) total += e - s;
    return total;
}

std::string percent(double part, double whole) {
    return whole > 0 ? fmt::format("{:.0f}%", 100.0 * part / whole) : std::string("-");
}

class Chart {
  public:
    explicit Chart(const ScheduleView& v) : v_(v) {}

    std::string render() {
        build_rows();
        double domain = std::max(v_.latency_cycles, 1.0);
        for (const Row& r : rows_)
            for (const Bar& b : r.bars)
                domain = std::max(domain, b.end);
        ticks_ = svg::ticks(domain, 10);
        scale_ = kPlotW / ticks_.back();

        // Drawn in three layers: row backgrounds, then the time grid, then labels and bars.
        std::string backgrounds, grid, body;
        auto out = std::back_inserter(body);
        double y = kTop;
        for (std::size_t i = 0; i < rows_.size(); ++i)
            y += draw_row(backgrounds, body, rows_[i], y, i);
        const double rows_end = y;
        for (double t : ticks_) {
            const double x = kPlotX + t * scale_;
            fmt::format_to(std::back_inserter(grid),
                           "<line class=\"grid\" x1=\"{0:.2f}\" y1=\"{1:.1f}\" x2=\"{0:.2f}\" y2=\"{2:.1f}\"/>\n", x,
                           kTop, rows_end);
            fmt::format_to(out, "<text x=\"{:.2f}\" y=\"{:.1f}\" text-anchor=\"middle\" fill=\"#444\">{}</text>\n", x,
                           rows_end + 15, svg::short_number(t));
        }
        fmt::format_to(out, "<text x=\"{:.1f}\" y=\"{:.1f}\" text-anchor=\"middle\" fill=\"#444\">cycles</text>\n",
                       kPlotX + kPlotW / 2, rows_end + 31);
        const double legend_end = draw_legend(body, rows_end + 52);

        std::string s = svg::open(kWidth, legend_end + 10, v_.title + " — schedule");
        // The scale, for readers (and tests) that want to know which bars were narrower than a pixel.
        s.insert(s.find('>'), fmt::format(" data-cycles-per-px=\"{}\"", 1.0 / scale_));
        s += style();
        fmt::format_to(std::back_inserter(s),
                       "<text x=\"10\" y=\"24\" font-size=\"16\" font-weight=\"bold\">{}</text>\n",
                       svg::escape(v_.title.empty() ? std::string("schedule") : v_.title));
        fmt::format_to(std::back_inserter(s), "<text x=\"10\" y=\"44\" fill=\"#444\">{}</text>\n",
                       svg::escape(subtitle()));
        s += backgrounds;
        s += grid;
        s += body;
        s += "</svg>\n";
        return s;
    }

  private:
    void build_rows() {
        std::map<std::int64_t, std::vector<std::size_t>> cns_of_core;
        for (std::size_t i = 0; i < v_.cns.size(); ++i)
            cns_of_core[v_.cns[i].core].push_back(i);
        const std::vector<std::size_t> none;
        auto add_core = [&](std::int64_t id) {
            Row r;
            r.id = id;
            r.label = v_.core_label(id);
            std::vector<Interval> iv;
            auto it = cns_of_core.find(id);
            for (std::size_t i : it == cns_of_core.end() ? none : it->second) {
                const auto& c = v_.cns[i];
                r.bars.push_back({c.start_cycle, c.end_cycle, v_.layer_index(c.layer), 0, i});
                iv.push_back({c.start_cycle, c.end_cycle});
            }
            r.stats = fmt::format("{} CNs, busy {}", r.bars.size(), percent(covered(iv), v_.latency_cycles));
            rows_.push_back(std::move(r));
        };
        // Idle compute cores are shown (an idle core is news); DRAM only when it computes.
        for (const auto& c : v_.cores)
            if (!c.offchip || cns_of_core.count(c.id)) add_core(c.id);
        for (const auto& [core, unused] : cns_of_core)
            if (!v_.find_core(core)) add_core(core);

        std::map<std::int64_t, std::vector<std::size_t>> transfers_of_link;
        for (std::size_t i = 0; i < v_.transfers.size(); ++i) {
            const Transfer& t = v_.transfers[i];
            if (t.links.empty()) transfers_of_link[-1].push_back(i);
            for (std::int64_t l : t.links)
                transfers_of_link[l].push_back(i);
        }
        for (const auto& l : v_.links)
            if (!transfers_of_link.count(l.id)) ++idle_links_;
        for (const auto& [link, transfers] : transfers_of_link) {
            Row r;
            r.id = link;
            r.is_link = true;
            const auto* info = v_.find_link(link);
            r.label = link < 0 ? "without a link" : info ? info->name : fmt::format("link {}", link);
            std::vector<Interval> iv;
            double bits = 0;
            for (std::size_t i : transfers) {
                const Transfer& t = v_.transfers[i];
                const auto* cn = v_.find_cn(t.node);
                r.bars.push_back({t.start_cycle, t.end_cycle, cn ? v_.layer_index(cn->layer) : -1, t.purpose, i});
                iv.push_back({t.start_cycle, t.end_cycle});
                bits += static_cast<double>(t.bits);
            }
            r.stats = fmt::format("{} transfers, busy {}", r.bars.size(), percent(covered(iv), v_.latency_cycles));
            if (info && info->bandwidth_bits_per_cycle > 0)
                r.stats +=
                    fmt::format(", {} of bandwidth", percent(bits, info->bandwidth_bits_per_cycle * v_.latency_cycles));
            rows_.push_back(std::move(r));
        }
    }

    std::string subtitle() const {
        std::string s = fmt::format("latency {} cycles · energy {} pJ · EDP {} cycles·pJ · {} CNs · {} transfers",
                                    svg::exact_number(v_.latency_cycles), svg::short_number(v_.energy_pj),
                                    fmt::format("{:.4g}", v_.edp), v_.cns.size(), v_.transfers.size());
        if (idle_links_) s += fmt::format(" · {} idle link{} not shown", idle_links_, idle_links_ == 1 ? "" : "s");
        return s;
    }

    std::string style() const {
        std::string s = "<style>\n.grid{stroke:#ddd;stroke-width:1}\n.lbl{fill:#222}\n.st{fill:#777;font-size:10px}\n"
                        ".Lx{fill:#9a9a9a}\n";
        for (std::size_t i = 0; i < v_.layers.size(); ++i)
            fmt::format_to(std::back_inserter(s), ".L{}{{fill:{}}}\n", i, svg::layer_colour(i));
        return s + "</style>\n";
    }

    /// Draws one row (background, label, bars); returns its height.
    double draw_row(std::string& backgrounds, std::string& body, const Row& row, double top, std::size_t index) {
        auto out = std::back_inserter(body);
        std::vector<Interval> iv;
        for (const Bar& b : row.bars)
            iv.push_back({b.start, b.end});
        const LaneAssignment lanes = assign_lanes(iv);
        const std::size_t drawn = std::min(std::max<std::size_t>(lanes.lanes, 1), kMaxLanes);
        const double height = drawn == 1 ? kRowH : static_cast<double>(drawn) * kLaneH + 2;
        const double lane_h = drawn == 1 ? kRowH - 4 : kLaneH - 2;
        fmt::format_to(std::back_inserter(backgrounds),
                       "<rect x=\"{:.0f}\" y=\"{:.1f}\" width=\"{:.0f}\" height=\"{:.1f}\" fill=\"{}\"/>\n", kPlotX,
                       top, kPlotW, height, index % 2 ? "#fafafa" : "#f2f2f2");
        if (index > 0 && row.is_link && !rows_[index - 1].is_link)
            fmt::format_to(out, "<line x1=\"10\" y1=\"{0:.1f}\" x2=\"{1:.0f}\" y2=\"{0:.1f}\" stroke=\"#888\"/>\n",
                           top - 0.5, kPlotX + kPlotW);
        // The label column holds about 36 characters; a longer name (a wide bus) is cut, whole in its tooltip.
        if (row.label.size() > 36)
            fmt::format_to(out, "<text class=\"lbl\" x=\"10\" y=\"{:.1f}\"><title>{}</title>{}</text>\n", top + 11,
                           svg::escape(row.label), svg::escape(svg::shorten(row.label, 35)));
        else
            fmt::format_to(out, "<text class=\"lbl\" x=\"10\" y=\"{:.1f}\">{}</text>\n", top + 11,
                           svg::escape(row.label));
        fmt::format_to(out, "<text class=\"st\" x=\"10\" y=\"{:.1f}\">{}</text>\n", top + 22, svg::escape(row.stats));
        std::vector<std::vector<std::size_t>> by_lane(drawn);
        for (std::size_t i = 0; i < row.bars.size(); ++i)
            by_lane[std::min(lanes.lane[i], drawn - 1)].push_back(i);
        for (std::size_t l = 0; l < drawn; ++l) {
            auto& bars = by_lane[l];
            std::stable_sort(bars.begin(), bars.end(),
                             [&](std::size_t a, std::size_t b) { return row.bars[a].start < row.bars[b].start; });
            draw_lane(body, row, bars, top + 2 + static_cast<double>(l) * (drawn == 1 ? 0 : kLaneH), lane_h);
        }
        return height;
    }

    double px(double cycles) const { return cycles * scale_; }

    /// Merges neighbouring sub-pixel bars: bars of one layer while the gaps between them stay under
    /// a pixel, and bars of different layers while the whole group stays under a pixel (there is
    /// nothing to see of them separately). Transfers only merge with transfers of the same purpose.
    void draw_lane(std::string& body, const Row& row, const std::vector<std::size_t>& bars, double y, double h) {
        Group g;
        auto flush = [&] {
            if (!g.bars.empty()) draw_group(body, row, g, y, h);
            g = Group{};
        };
        for (std::size_t i : bars) {
            const Bar& b = row.bars[i];
            const bool narrow = px(b.end - b.start) < 1.0;
            if (!g.bars.empty() && narrow && b.purpose == g.purpose && px(b.start - g.end) < 1.0) {
                const bool same_layer = !g.mixed && row.bars[g.bars.front()].layer == b.layer;
                if (same_layer || px(std::max(g.end, b.end) - g.start) < 1.0) {
                    g.mixed = g.mixed || !same_layer;
                    g.end = std::max(g.end, b.end);
                    g.bars.push_back(i);
                    continue;
                }
            }
            flush();
            g.start = b.start, g.end = b.end, g.purpose = b.purpose;
            g.bars.push_back(i);
            if (!narrow) flush();
        }
        flush();
    }

    void draw_group(std::string& body, const Row& row, const Group& g, double y, double h) {
        const double x = kPlotX + px(g.start);
        const double w = std::max(px(g.end - g.start), 1.0); // a short item still shows
        std::string tip, classes;
        if (g.bars.size() == 1) {
            const Bar& b = row.bars[g.bars.front()];
            tip = row.is_link ? transfer_tip(v_.transfers[b.item]) : cn_tip(v_.cns[b.item]);
            classes = fmt::format("b {} {}", row.is_link ? "tr" : "cn", layer_class(b.layer));
        } else {
            std::ptrdiff_t dominant = -1;
            tip = merged_tip(row, g, dominant);
            classes = fmt::format("b {} m {}", row.is_link ? "tr" : "cn", layer_class(dominant));
        }
        if (row.is_link) classes += fmt::format(" p{}", g.purpose);
        // data-n: how many CNs or transfers a merged bar stands for.
        const std::string count = g.bars.size() > 1 ? fmt::format(" data-n=\"{}\"", g.bars.size()) : std::string{};
        fmt::format_to(std::back_inserter(body),
                       "<rect class=\"{}\"{} x=\"{:.2f}\" y=\"{:.1f}\" width=\"{:.2f}\" "
                       "height=\"{:.1f}\"><title>{}</title></rect>\n",
                       classes, count, x, y, w, h, svg::escape(tip));
    }

    std::string span(double start, double end) const {
        return fmt::format("start {} · end {} cycles ({} cycles)", svg::exact_number(start), svg::exact_number(end),
                           svg::exact_number(end - start));
    }

    std::string cn_tip(const ScheduleView::Cn& c) const {
        return fmt::format("{} (layer {}, tile {}, node {}) on {}\n{}\nenergy {} pJ", v_.cn_label(c),
                           v_.layer_label(c.layer), c.tile, c.node, v_.core_label(c.core),
                           span(c.start_cycle, c.end_cycle), svg::exact_number(c.energy_pj));
    }

    std::string transfer_tip(const Transfer& t) const {
        const auto* cn = v_.find_cn(t.node);
        std::string s = fmt::format("{} transfer{}\n", transfer_purpose_name(t.purpose),
                                    cn ? fmt::format(" for {} (node {})", v_.cn_label(*cn), t.node) : std::string{});
        std::string route;
        for (std::int64_t l : t.links) {
            const auto* info = v_.find_link(l);
            route += (route.empty() ? "" : "; ") + (info ? info->name : fmt::format("link {}", l));
        }
        s += fmt::format("route: {}\n{}\n{} bits", route.empty() ? "none" : route, span(t.start_cycle, t.end_cycle),
                         t.bits);
        if (t.end_cycle > t.start_cycle)
            s += fmt::format(" ({:.4g} bits/cycle)", static_cast<double>(t.bits) / (t.end_cycle - t.start_cycle));
        return s + fmt::format("\nenergy {} pJ", svg::exact_number(t.energy_pj));
    }

    std::string merged_tip(const Row& row, const Group& g, std::ptrdiff_t& dominant) const {
        std::map<std::ptrdiff_t, std::size_t> per_layer;
        double energy = 0, bits = 0;
        std::int64_t lo_tile = -1, hi_tile = -1;
        for (std::size_t i : g.bars) {
            const Bar& b = row.bars[i];
            ++per_layer[b.layer];
            if (row.is_link) {
                energy += v_.transfers[b.item].energy_pj;
                bits += static_cast<double>(v_.transfers[b.item].bits);
            } else {
                const auto& c = v_.cns[b.item];
                energy += c.energy_pj;
                lo_tile = lo_tile < 0 ? c.tile : std::min(lo_tile, c.tile);
                hi_tile = std::max(hi_tile, c.tile);
            }
        }
        std::size_t best = 0;
        std::string layers, name;
        for (const auto& [layer, n] : per_layer) {
            if (n > best) best = n, dominant = layer;
            name = layer >= 0 ? v_.layer_label(v_.layers[static_cast<std::size_t>(layer)].id) : std::string("no layer");
            layers += fmt::format("{}{} ×{}", layers.empty() ? "" : ", ", name, n);
        }
        std::string what = row.is_link ? fmt::format("{} {} transfers", g.bars.size(), transfer_purpose_name(g.purpose))
                                       : fmt::format("{} CNs", g.bars.size());
        std::string s = fmt::format("{} on {}, merged: each is narrower than a pixel\n", what, row.label);
        if (!row.is_link && per_layer.size() == 1)
            s += fmt::format("layer {}, tiles #{} to #{}\n", name, lo_tile, hi_tile);
        else
            s += fmt::format("{}\n", layers);
        s += span(g.start, g.end);
        if (row.is_link) s += fmt::format("\n{} bits in all", svg::exact_number(bits));
        return s + fmt::format("\nenergy {} pJ in all", svg::exact_number(energy));
    }

    /// Layer swatches in lines that wrap at the chart's width; returns the bottom.
    double draw_legend(std::string& body, double top) const {
        auto out = std::back_inserter(body);
        fmt::format_to(out, "<text x=\"10\" y=\"{:.1f}\" font-weight=\"bold\">layers</text>\n", top);
        double x = 70, y = top - 10;
        auto entry = [&](const std::string& cls, const std::string& name) {
            const double w = 22 + 6.8 * static_cast<double>(std::min<std::size_t>(name.size(), 32)) + 14;
            if (x + w > kWidth - 10) x = 70, y += 18;
            fmt::format_to(out,
                           "<g class=\"lg\" data-l=\"{0}\"><rect class=\"{0}\" x=\"{1:.1f}\" y=\"{2:.1f}\" "
                           "width=\"14\" height=\"12\"/>"
                           "<text x=\"{3:.1f}\" y=\"{4:.1f}\">{5}</text></g>\n",
                           cls, x, y, x + 18, y + 10, svg::escape(svg::shorten(name, 32)));
            x += w;
        };
        for (std::size_t i = 0; i < v_.layers.size(); ++i)
            entry(layer_class(static_cast<std::ptrdiff_t>(i)), v_.layer_label(v_.layers[i].id));
        bool unassigned = false;
        for (const Row& r : rows_)
            for (const Bar& b : r.bars)
                unassigned = unassigned || b.layer < 0;
        if (unassigned) entry("Lx", "no layer");
        return y + 22;
    }

    const ScheduleView& v_;
    std::vector<Row> rows_;
    std::size_t idle_links_ = 0;
    std::vector<double> ticks_;
    double scale_ = 1;
};

const char* kPageScript = R"JS(
(function () {
  var tip = document.getElementById('tip');
  // Tooltips: turn every bar's <title> into data, shown in one styled box that follows the mouse.
  document.querySelectorAll('svg title').forEach(function (t) {
    // A drawing's own title would show as a tooltip over the whole chart: drop it.
    if (t.parentNode.tagName.toLowerCase() !== 'svg') t.parentNode.setAttribute('data-tip', t.textContent);
    t.parentNode.removeChild(t);
  });
  document.addEventListener('mousemove', function (e) {
    var el = e.target.closest ? e.target.closest('[data-tip]') : null;
    if (!el) { tip.style.display = 'none'; return; }
    tip.textContent = el.getAttribute('data-tip');
    tip.style.display = 'block';
    var x = e.pageX + 14, w = tip.offsetWidth;
    if (x + w > window.scrollX + document.documentElement.clientWidth) x = e.pageX - w - 14;
    tip.style.left = x + 'px';
    tip.style.top = (e.pageY + 14) + 'px';
  });
  // Transfer filters: an unchecked purpose hides its bars.
  var hide = document.getElementById('hide');
  var boxes = document.querySelectorAll('#purposes input');
  boxes.forEach(function (b) {
    b.addEventListener('change', function () {
      var css = '';
      boxes.forEach(function (x) { if (!x.checked) css += '.' + x.value + '{display:none}'; });
      hide.textContent = css;
    });
  });
  // Legend: a click highlights one layer, a second click shows all again.
  var focus = document.getElementById('focus'), current = null;
  document.querySelectorAll('.lg').forEach(function (g) {
    g.addEventListener('click', function () {
      var l = g.getAttribute('data-l');
      current = current === l ? null : l;
      focus.textContent = current ? '.b:not(.' + current + '){opacity:0.12}' : '';
    });
  });
})();
)JS";

} // namespace

std::string schedule_svg(const ScheduleView& v) { return Chart(v).render(); }

std::string schedule_html(const ScheduleView& v) {
    std::string s;
    auto out = std::back_inserter(s);
    const std::string title = svg::escape(v.title.empty() ? std::string("schedule") : v.title);
    fmt::format_to(out, R"(<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>{} — schedule</title>
<style>
body {{ font-family: sans-serif; margin: 16px; color: #222; }}
h1 {{ font-size: 20px; }} h2 {{ font-size: 16px; margin-top: 28px; }}
.chart {{ overflow-x: auto; }}
.lg {{ cursor: pointer; }}
table.metrics td {{ padding: 1px 16px 1px 0; }}
#tip {{ position: absolute; display: none; background: #fffff0; border: 1px solid #999; padding: 4px 7px; font-size: 12px;
        white-space: pre-line; pointer-events: none; max-width: 520px; box-shadow: 1px 1px 4px rgba(0,0,0,0.25); }}
</style>
<style id="hide"></style>
<style id="focus"></style>
</head>
<body>
<h1>{}</h1>
<table class="metrics">
<tr><td>latency</td><td>{} cycles</td></tr>
<tr><td>energy</td><td>{} pJ</td></tr>
<tr><td>EDP</td><td>{:.6g} cycles·pJ</td></tr>
<tr><td>computation nodes</td><td>{}</td></tr>
<tr><td>transfers</td><td>{}</td></tr>
</table>
<p id="purposes">Transfers shown:
)",
                   title, title, svg::exact_number(v.latency_cycles), svg::exact_number(v.energy_pj), v.edp,
                   v.cns.size(), v.transfers.size());
    std::map<std::int32_t, std::size_t> purposes;
    for (const Transfer& t : v.transfers)
        ++purposes[t.purpose];
    for (const auto& [p, n] : purposes)
        fmt::format_to(out, "<label><input type=\"checkbox\" value=\"p{}\" checked> {} ({})</label>\n", p,
                       transfer_purpose_name(p), n);
    s += "</p>\n<p>Hover a bar for its details; click a layer in the legend to highlight it, again to show all. Bars "
         "narrower than "
         "a pixel are merged (trace.json keeps every one).</p>\n";
    s += "<h2>Schedule</h2>\n<div class=\"chart\">\n" + schedule_svg(v) + "</div>\n";
    s += "<h2>Memory</h2>\n<div class=\"chart\">\n" + memory_svg(v) + "</div>\n";
    s += "<h2>Energy</h2>\n<div class=\"chart\">\n" + energy_svg(v) + "</div>\n";
    if (v.exploration.is_object())
        s += "<h2>Mapping search</h2>\n<p>" + svg::escape(v.exploration.value("summary", std::string{})) +
             "</p>\n<div class=\"chart\">\n" + exploration_front_svg(v.title, v.exploration) + "</div>\n";
    s += "<div id=\"tip\"></div>\n<script>";
    s += kPageScript;
    s += "</script>\n</body>\n</html>\n";
    return s;
}

} // namespace stream
