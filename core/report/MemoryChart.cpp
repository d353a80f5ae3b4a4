#include "report/MemoryChart.hpp"

#include "report/Svg.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <iterator>
#include <map>

namespace stream {

namespace {

constexpr double kWidth = 1400;
constexpr double kPlotX = 110;
constexpr double kPlotW = 1260;
constexpr double kPanelH = 120;  // plot area of one memory
constexpr double kPanelGap = 58; // title above, axis labels below

/// Appends a step line through (cycle, bits) changes to `path`, at most four points per
/// pixel column: where the column is entered, its maximum, its minimum and where it is left.
class StepPath {
  public:
    StepPath(double x0, double scale, double y0, double y_scale) : x0_(x0), scale_(scale), y0_(y0), y_scale_(y_scale) {}

    void change(double cycle, double bits) {
        const double col = std::floor(x(cycle));
        if (!open_ || col != col_) {
            flush();
            open_ = true;
            col_ = col;
            first_x_ = x(cycle);
            lo_ = hi_ = bits;
        }
        lo_ = std::min(lo_, bits);
        hi_ = std::max(hi_, bits);
        last_ = bits;
    }

    std::string finish(double end_cycle) {
        flush();
        fmt::format_to(std::back_inserter(d_), "H{:.2f}", std::max(x(end_cycle), x_));
        return d_;
    }

  private:
    double x(double cycle) const { return x0_ + cycle * scale_; }
    double y(double bits) const { return y0_ - bits * y_scale_; }

    void flush() {
        if (!open_) return;
        auto out = std::back_inserter(d_);
        if (d_.empty()) fmt::format_to(out, "M{:.2f} {:.2f}", x0_, y(0));
        fmt::format_to(out, "H{:.2f}", first_x_);
        if (hi_ != lo_) fmt::format_to(out, "V{:.2f}V{:.2f}", y(hi_), y(lo_));
        fmt::format_to(out, "V{:.2f}", y(last_));
        x_ = first_x_;
        open_ = false;
    }

    double x0_, scale_, y0_, y_scale_;
    std::string d_;
    bool open_ = false;
    double col_ = 0, first_x_ = 0, x_ = 0, lo_ = 0, hi_ = 0, last_ = 0;
};

} // namespace

std::string memory_svg(const ScheduleView& v) {
    std::map<std::pair<std::int64_t, std::uint32_t>, std::vector<const MemorySample*>> series;
    for (const MemorySample& m : v.memory_samples)
        series[{m.core, m.memory_level}].push_back(&m);
    double domain = std::max(v.latency_cycles, 1.0);
    for (const MemorySample& m : v.memory_samples)
        domain = std::max(domain, m.cycle);
    const std::vector<double> xt = svg::ticks(domain, 10);
    const double scale = kPlotW / xt.back();

    std::string body;
    auto out = std::back_inserter(body);
    double top = 60;
    for (auto& [key, samples] : series) {
        const auto [core, level] = key;
        std::stable_sort(samples.begin(), samples.end(),
                         [](const auto* a, const auto* b) { return a->cycle < b->cycle; });
        const auto* mem = v.find_memory(core, level);
        const auto* core_info = v.find_core(core);
        const bool offchip = core_info && core_info->offchip;
        const std::string name = mem ? v.memory_label(*mem) : fmt::format("core {} level {}", core, level);
        // Capacity is drawn for on-chip memories only: DRAM's would flatten the curve to nothing.
        const double capacity = mem && !offchip ? static_cast<double>(mem->capacity_bits) : 0.0;
        const MemorySample* peak = nullptr;
        for (const auto* s : samples)
            if (!peak || s->bits > peak->bits) peak = s;
        const double peak_bits = peak ? static_cast<double>(peak->bits) : 0.0;
        // A capacity far above the peak would flatten the curve to a line: the axis then fits the
        // peak and the capacity line runs along the top edge, labelled as off scale.
        const bool off_scale = capacity > 4 * peak_bits;
        const std::vector<double> yt = svg::ticks(std::max({off_scale ? 0.0 : capacity, peak_bits, 1.0}), 4);
        const double y_scale = kPanelH / yt.back();
        const double base = top + kPanelH;

        std::string heading =
            fmt::format("{}{}: peak {} bits", name, offchip ? " (off-chip)" : "", svg::exact_number(peak_bits));
        if (capacity > 0)
            heading += fmt::format(" = {:.1f}% of {} bits", 100.0 * peak_bits / capacity, svg::exact_number(capacity));
        if (peak) heading += fmt::format(", first at cycle {}", svg::exact_number(peak->cycle));
        fmt::format_to(out, "<text x=\"{:.0f}\" y=\"{:.1f}\" font-weight=\"bold\">{}</text>\n", kPlotX, top - 10,
                       svg::escape(heading));
        fmt::format_to(out, "<rect x=\"{:.0f}\" y=\"{:.1f}\" width=\"{:.0f}\" height=\"{:.0f}\" fill=\"#f7f7f7\"/>\n",
                       kPlotX, top, kPlotW, kPanelH);
        for (double t : yt) {
            const double y = base - t * y_scale;
            fmt::format_to(out,
                           "<line x1=\"{0:.0f}\" y1=\"{1:.2f}\" x2=\"{2:.0f}\" y2=\"{1:.2f}\" stroke=\"#ddd\"/>"
                           "<text x=\"{3:.0f}\" y=\"{4:.2f}\" text-anchor=\"end\" fill=\"#444\">{5}</text>\n",
                           kPlotX, y, kPlotX + kPlotW, kPlotX - 6, y + 4, svg::short_number(t));
        }
        for (double t : xt) {
            const double x = kPlotX + t * scale;
            fmt::format_to(out,
                           "<line x1=\"{0:.2f}\" y1=\"{1:.1f}\" x2=\"{0:.2f}\" y2=\"{2:.1f}\" stroke=\"#ddd\"/>"
                           "<text x=\"{0:.2f}\" y=\"{3:.1f}\" text-anchor=\"middle\" fill=\"#444\">{4}</text>\n",
                           x, top, base, base + 14, svg::short_number(t));
        }
        if (capacity > 0) {
            const double y = off_scale ? top : base - capacity * y_scale;
            fmt::format_to(out,
                           "<line x1=\"{0:.0f}\" y1=\"{1:.2f}\" x2=\"{2:.0f}\" y2=\"{1:.2f}\" stroke=\"#c0392b\" "
                           "stroke-dasharray=\"6 4\">"
                           "<title>capacity of {3}: {4} bits</title></line>\n",
                           kPlotX, y, kPlotX + kPlotW, svg::escape(name), svg::exact_number(capacity));
            fmt::format_to(
                out,
                "<text x=\"{:.0f}\" y=\"{:.2f}\" text-anchor=\"end\" fill=\"#c0392b\" font-size=\"10\">{}</text>\n",
                kPlotX + kPlotW - 4, y - 3,
                off_scale ? fmt::format("capacity {} bits, off scale", svg::short_number(capacity))
                          : std::string("capacity"));
        }
        StepPath path(kPlotX, scale, base, y_scale);
        for (const auto* s : samples)
            path.change(s->cycle, static_cast<double>(s->bits));
        fmt::format_to(out, "<path d=\"{}\" fill=\"none\" stroke=\"#1f6fb2\" stroke-width=\"1.5\"/>\n",
                       path.finish(domain));
        if (peak) {
            const double x = kPlotX + peak->cycle * scale, y = base - peak_bits * y_scale;
            fmt::format_to(out,
                           "<circle cx=\"{:.2f}\" cy=\"{:.2f}\" r=\"4\" fill=\"#c0392b\"><title>peak of {}: {} bits at "
                           "cycle {}</title></circle>\n",
                           x, y, svg::escape(name), svg::exact_number(peak_bits), svg::exact_number(peak->cycle));
        }
        top += kPanelH + kPanelGap;
    }
    if (series.empty())
        fmt::format_to(out,
                       "<text x=\"{:.0f}\" y=\"{:.1f}\" fill=\"#444\">the scheduler reported no memory use</text>\n",
                       kPlotX, top);
    else
        fmt::format_to(out, "<text x=\"{:.0f}\" y=\"{:.1f}\" text-anchor=\"middle\" fill=\"#444\">cycles</text>\n",
                       kPlotX + kPlotW / 2, top - kPanelGap + 32);

    std::string s = svg::open(kWidth, top + 10, v.title + " — memory use");
    fmt::format_to(std::back_inserter(s), "<text x=\"10\" y=\"24\" font-size=\"16\" font-weight=\"bold\">{}</text>\n",
                   svg::escape(fmt::format("Memory use over time{}{}", v.title.empty() ? "" : " — ", v.title)));
    s += body;
    s += "</svg>\n";
    return s;
}

} // namespace stream
