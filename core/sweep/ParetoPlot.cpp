#include "sweep/ParetoPlot.hpp"

#include "report/Svg.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace stream::sweep {

namespace {

constexpr double kWidth = 720, kHeight = 480, kLeft = 80, kRight = 20, kTop = 40, kBottom = 60;

struct Dot {
    double x = 0, y = 0;
    std::size_t point = 0;
    bool front = false;
};

std::string params_text(const nlohmann::json& p) {
    std::string s = p["key"].get<std::string>();
    const nlohmann::json params = p.value("params", nlohmann::json::object());
    for (const auto& [k, v] : params.items())
        s += fmt::format("\n{} = {}", k, v.is_string() ? v.get<std::string>() : v.dump());
    return s;
}

std::vector<Dot> dots_of(const MergedSweep& m) {
    std::vector<Dot> dots;
    std::size_t rank = 0;
    for (std::size_t i = 0; i < m.points.size(); ++i) {
        const nlohmann::json& p = m.points[i];
        if (p.value("status", std::string{}) != "ok") continue;
        const nlohmann::json& metrics = p["metrics"];
        Dot d;
        d.point = i;
        d.front = std::binary_search(m.front.begin(), m.front.end(), i);
        d.x = m.metrics.size() > 1 ? metrics[m.metrics[0]].get<double>() : static_cast<double>(rank);
        d.y = metrics[m.metrics.size() > 1 ? m.metrics[1] : m.metrics[0]].get<double>();
        ++rank;
        dots.push_back(d);
    }
    return dots;
}

} // namespace

std::string pareto_svg(const MergedSweep& m) {
    const std::vector<Dot> dots = dots_of(m);
    const std::string x_name = m.metrics.size() > 1 ? m.metrics[0] : "point";
    const std::string y_name = m.metrics.size() > 1 ? m.metrics[1] : m.metrics.at(0);
    double x_max = 0, y_max = 0;
    for (const Dot& d : dots) x_max = std::max(x_max, d.x), y_max = std::max(y_max, d.y);
    const std::vector<double> xt = svg::ticks(x_max, 6), yt = svg::ticks(y_max, 5);
    const double plot_w = kWidth - kLeft - kRight, plot_h = kHeight - kTop - kBottom;
    auto px = [&](double x) { return kLeft + x / xt.back() * plot_w; };
    auto py = [&](double y) { return kTop + plot_h - y / yt.back() * plot_h; };

    std::string s = svg::open(kWidth, kHeight, fmt::format("{}: {} vs {}", m.name, y_name, x_name));
    s += fmt::format("<text x=\"{}\" y=\"22\" font-size=\"14\">{} — {} of {} points on the Pareto front (red)</text>\n", kLeft,
                     svg::escape(m.name), m.front.size(), m.points.size());
    for (double t : xt)
        s += fmt::format("<line x1=\"{0:.1f}\" y1=\"{1:.1f}\" x2=\"{0:.1f}\" y2=\"{2:.1f}\" stroke=\"#ddd\"/>"
                         "<text x=\"{0:.1f}\" y=\"{3:.1f}\" text-anchor=\"middle\">{4}</text>\n",
                         px(t), kTop, kTop + plot_h, kTop + plot_h + 16, svg::short_number(t));
    for (double t : yt)
        s += fmt::format("<line x1=\"{0:.1f}\" y1=\"{1:.1f}\" x2=\"{2:.1f}\" y2=\"{1:.1f}\" stroke=\"#ddd\"/>"
                         "<text x=\"{3:.1f}\" y=\"{4:.1f}\" text-anchor=\"end\">{5}</text>\n",
                         kLeft, py(t), kLeft + plot_w, kLeft - 6, py(t) + 4, svg::short_number(t));
    s += fmt::format("<text x=\"{:.1f}\" y=\"{:.1f}\" text-anchor=\"middle\">{}</text>\n", kLeft + plot_w / 2, kHeight - 16,
                     svg::escape(x_name));
    s += fmt::format("<text transform=\"translate(16 {:.1f}) rotate(-90)\" text-anchor=\"middle\">{}</text>\n", kTop + plot_h / 2,
                     svg::escape(y_name));
    std::vector<Dot> front;
    for (const Dot& d : dots)
        if (d.front) front.push_back(d);
    std::sort(front.begin(), front.end(), [](const Dot& a, const Dot& b) { return a.x < b.x || (a.x == b.x && a.y < b.y); });
    if (front.size() > 1) {
        // A staircase: what the front guarantees between two of its points.
        std::string path = fmt::format("M{:.1f},{:.1f}", px(front[0].x), py(front[0].y));
        for (std::size_t i = 1; i < front.size(); ++i)
            path += fmt::format(" H{:.1f} V{:.1f}", px(front[i].x), py(front[i].y));
        s += fmt::format("<path d=\"{}\" fill=\"none\" stroke=\"#e15759\" stroke-width=\"1.5\"/>\n", path);
    }
    for (const Dot& d : dots)
        s += fmt::format("<circle cx=\"{:.1f}\" cy=\"{:.1f}\" r=\"{}\" fill=\"{}\" fill-opacity=\"0.8\"><title>{}</title></circle>\n",
                         px(d.x), py(d.y), d.front ? 5 : 3.5, d.front ? "#e15759" : "#4e79a7",
                         svg::escape(params_text(m.points[d.point])));
    return s + "</svg>\n";
}

std::string pareto_html(const MergedSweep& m) {
    std::string rows;
    for (std::size_t i : m.front) {
        const nlohmann::json& p = m.points[i];
        rows += "<tr><td>" + svg::escape(p["key"].get<std::string>()) + "</td>";
        for (const std::string& k : m.parameters) {
            const nlohmann::json v = p["params"].value(k, nlohmann::json());
            rows += "<td>" + svg::escape(v.is_string() ? v.get<std::string>() : v.dump()) + "</td>";
        }
        for (const std::string& k : m.metrics) rows += "<td>" + svg::exact_number(p["metrics"][k].get<double>()) + "</td>";
        rows += "</tr>\n";
    }
    std::string head = "<th>key</th>";
    for (const std::string& k : m.parameters) head += "<th>" + svg::escape(k) + "</th>";
    for (const std::string& k : m.metrics) head += "<th>" + svg::escape(k) + "</th>";
    return fmt::format("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>{0}</title>\n"
                       "<style>body{{font-family:sans-serif}} td,th{{padding:2px 8px;text-align:left}}</style></head>\n"
                       "<body><h1>{0}</h1>\n{1}<h2>Pareto front</h2>\n<table><tr>{2}</tr>\n{3}</table></body></html>\n",
                       svg::escape(m.name), pareto_svg(m), head, rows);
}

} // namespace stream::sweep
