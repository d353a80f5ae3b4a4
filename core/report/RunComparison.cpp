#include "report/RunComparison.hpp"

#include <fmt/format.h>

#include <iterator>
#include <map>

namespace stream {

namespace {

using Row = RunComparison::Row;

/// Ten significant digits: enough to tell two close runs apart, short enough for a column.
std::string number(std::optional<double> v) { return v ? fmt::format("{:.10g}", *v) : std::string("-"); }

/// Rows for one object of numbers (energy components, memories, stages): the union of both runs' keys.
void add_section(std::vector<Row>& rows, const std::string& section, const JsonReader& a, const JsonReader& b) {
    std::map<std::string, Row> by_name;
    for (const auto& [name, value] : a[section].members()) {
        Row& r = by_name[name];
        r.section = section, r.name = name, r.a = value.number();
    }
    for (const auto& [name, value] : b[section].members()) {
        Row& r = by_name[name];
        r.section = section, r.name = name, r.b = value.number();
    }
    for (auto& [name, row] : by_name)
        rows.push_back(std::move(row));
}

const char* section_title(const std::string& section) {
    if (section == "energy_breakdown_pj") return "energy by component (pJ)";
    if (section == "peak_memory_bits") return "peak memory (bits)";
    if (section == "runtime_s") return "run time per stage (s)";
    return "";
}

} // namespace

std::optional<double> Row::ratio() const {
    if (!a || !b) return std::nullopt;
    if (*a == 0) return *b == 0 ? std::optional<double>(1.0) : std::nullopt;
    return *b / *a;
}

std::string Row::key() const { return section.empty() ? name : section + "." + name; }

RunComparison compare_runs(const JsonReader& a, const JsonReader& b) {
    RunComparison c;
    c.file_a = a.file();
    c.file_b = b.file();
    for (const char* key : {"latency_cycles", "energy_pj", "edp"})
        c.rows.push_back({"", key, a[key].number(), b[key].number()});
    add_section(c.rows, "energy_breakdown_pj", a, b);
    add_section(c.rows, "peak_memory_bits", a, b);
    c.rows.push_back({"", "n_cns", a["n_cns"].number(), b["n_cns"].number()});
    add_section(c.rows, "runtime_s", a, b);
    return c;
}

std::string comparison_table(const RunComparison& c) {
    std::string s;
    auto out = std::back_inserter(s);
    fmt::format_to(out, "A: {}\nB: {}\n\n", c.file_a, c.file_b);
    fmt::format_to(out, "{:<34} {:>16} {:>16} {:>9}\n", "", "A", "B", "B/A");
    std::string section = "-";
    for (const Row& r : c.rows) {
        if (r.section != section) {
            section = r.section;
            if (!section.empty()) fmt::format_to(out, "{}\n", section_title(section));
        }
        const auto q = r.ratio();
        const std::string ratio = q ? fmt::format("{:.3f}", *q) : (r.a && r.b ? std::string("inf") : std::string("-"));
        fmt::format_to(out, "{:<34} {:>16} {:>16} {:>9}\n", (section.empty() ? "" : "  ") + r.name, number(r.a),
                       number(r.b), ratio);
    }
    return s;
}

nlohmann::json comparison_json(const RunComparison& c) {
    using nlohmann::json;
    auto opt = [](std::optional<double> v) { return v ? json(*v) : json(nullptr); };
    json metrics = json::object();
    for (const Row& r : c.rows)
        metrics[r.key()] = {{"a", opt(r.a)}, {"b", opt(r.b)}, {"ratio", opt(r.ratio())}};
    return {{"a", c.file_a}, {"b", c.file_b}, {"metrics", metrics}};
}

} // namespace stream
