#include "sweep/SweepMerge.hpp"

#include "error/Error.hpp"
#include "report/AtomicFile.hpp"
#include "sweep/ParetoFront.hpp"
#include "sweep/ParetoPlot.hpp"
#include "sweep/PointsLog.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <fstream>
#include <map>
#include <sstream>

namespace stream::sweep {

namespace fs = std::filesystem;

namespace {

nlohmann::json read_manifest(const fs::path& dir) {
    const fs::path file = dir / "sweep.json";
    std::ifstream in(file, std::ios::binary);
    if (!in)
        fail_input({file.string()}, fs::exists(dir) ? "no sweep.json: not the output folder of 'stream-dse sweep'" : "no such folder");
    std::ostringstream text;
    text << in.rdbuf();
    nlohmann::json j = nlohmann::json::parse(text.str(), nullptr, false);
    if (j.is_discarded() || !j.is_object() || !j.contains("metrics") || !j.contains("parameters"))
        fail_input({file.string()}, "not a sweep manifest (expected an object with metrics and parameters)");
    return j;
}

std::string csv_field(const std::string& s) {
    if (s.find_first_of(",\"\n\r") == std::string::npos) return s;
    std::string q = "\"";
    for (char c : s) {
        if (c == '"') q += '"';
        q += c;
    }
    return q + "\"";
}

std::string cell(const nlohmann::json& v) {
    if (v.is_null()) return "";
    if (v.is_string()) return v.get<std::string>();
    return v.dump();
}

} // namespace

MergedSweep merge_sweeps(const std::vector<fs::path>& dirs) {
    if (dirs.empty()) fail_input({"<command line>"}, "'stream-dse merge' needs at least one sweep output folder");
    MergedSweep m;
    std::map<std::string, std::pair<nlohmann::json, fs::path>> by_key; // record, and the file it came from
    for (std::size_t d = 0; d < dirs.size(); ++d) {
        const nlohmann::json manifest = read_manifest(dirs[d]);
        const auto metrics = manifest["metrics"].get<std::vector<std::string>>();
        const auto parameters = manifest["parameters"].get<std::vector<std::string>>();
        if (d == 0) {
            m.name = manifest.value("name", std::string{});
            m.metrics = metrics;
            m.parameters = parameters;
        } else if (metrics != m.metrics || parameters != m.parameters) {
            fail_input({(dirs[d] / "sweep.json").string()},
                       fmt::format("comes from another sweep than '{}': its metrics or parameters differ", dirs[0].string()));
        }
        const fs::path file = dirs[d] / "points.jsonl";
        for (nlohmann::json& record : read_points(file)) {
            std::string key = record["key"].get<std::string>();
            by_key.try_emplace(std::move(key), std::move(record), file);
        }
    }
    std::vector<fs::path> source;
    for (auto& [key, record] : by_key) {
        m.points.push_back(std::move(record.first));
        source.push_back(record.second);
    }
    std::vector<std::vector<double>> values;
    std::vector<std::size_t> ok;
    for (std::size_t i = 0; i < m.points.size(); ++i) {
        const nlohmann::json& p = m.points[i];
        if (p.value("status", std::string{}) != "ok" || !p.contains("metrics")) continue;
        std::vector<double> row;
        for (const std::string& name : m.metrics) {
            const nlohmann::json& v = p["metrics"].contains(name) ? p["metrics"][name] : nlohmann::json();
            if (!v.is_number())
                fail_input({source[i].string()}, fmt::format("point {} has no number for metric '{}'", p["key"].get<std::string>(), name));
            row.push_back(v.get<double>());
        }
        values.push_back(std::move(row));
        ok.push_back(i);
    }
    for (std::size_t f : pareto_front(values)) m.front.push_back(ok[f]);
    return m;
}

std::string merged_csv(const MergedSweep& m) {
    std::vector<std::string> header = {"key", "status"};
    header.insert(header.end(), m.parameters.begin(), m.parameters.end());
    header.insert(header.end(), m.metrics.begin(), m.metrics.end());
    header.push_back("pareto");
    header.push_back("reason");
    std::string out;
    auto row = [&](const std::vector<std::string>& fields) {
        for (std::size_t i = 0; i < fields.size(); ++i) {
            if (i) out += ',';
            out += csv_field(fields[i]);
        }
        out += "\n";
    };
    row(header);
    for (std::size_t i = 0; i < m.points.size(); ++i) {
        const nlohmann::json& p = m.points[i];
        std::vector<std::string> fields = {p["key"].get<std::string>(), p.value("status", std::string{})};
        const nlohmann::json params = p.value("params", nlohmann::json::object());
        for (const std::string& k : m.parameters) fields.push_back(params.contains(k) ? cell(params[k]) : "");
        const nlohmann::json metrics = p.value("metrics", nlohmann::json::object());
        for (const std::string& k : m.metrics) fields.push_back(metrics.contains(k) ? cell(metrics[k]) : "");
        fields.push_back(std::binary_search(m.front.begin(), m.front.end(), i) ? "1" : "0");
        fields.push_back(p.value("reason", std::string{}));
        row(fields);
    }
    return out;
}

std::vector<fs::path> write_merged(const MergedSweep& m, const fs::path& out) {
    create_output_dir(out);
    nlohmann::json front = nlohmann::json::array();
    for (std::size_t i : m.front) front.push_back(m.points[i]["key"]);
    const nlohmann::json j = {{"name", m.name}, {"parameters", m.parameters}, {"metrics", m.metrics}, {"points", m.points},
                              {"pareto_front", front}};
    const std::vector<std::pair<fs::path, std::string>> files = {{out / "points.csv", merged_csv(m)},
                                                                 {out / "points.json", j.dump(2) + "\n"},
                                                                 {out / "pareto.svg", pareto_svg(m)},
                                                                 {out / "pareto.html", pareto_html(m)}};
    std::vector<fs::path> written;
    for (const auto& [path, text] : files) {
        write_file_atomically(path, text);
        written.push_back(path);
    }
    return written;
}

} // namespace stream::sweep
