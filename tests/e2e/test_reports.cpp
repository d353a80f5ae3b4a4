// End-to-end: what a run leaves for the eye (trace.json, schedule.svg/html,
// memory.svg, energy.svg), `stream-dse report` redrawing it from results.json
// alone, and `stream-dse compare`. Every count is read from the run's own
// results.json, never pasted from a run.
#include "cli_run.hpp"
#include "shared_dir.hpp"
#include "temp_dir.hpp"

#include "report/ReportFiles.hpp"
#include "report/ScheduleView.hpp"

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstddef>
#include <filesystem>
#include <map>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace fs = std::filesystem;
using stream::test::kData;
using stream::test::kSource;
using stream::test::results_of;
using stream::test::Run;
using stream::test::run;
using stream::test::run_command;
using stream::test::skip;
using stream::test::slurp;
using stream::test::TempDir;

namespace {

const char* const kPlotFiles[] = {"trace.json", "schedule.svg", "schedule.html", "memory.svg", "energy.svg"};

/// Runs the default pipeline into `out`.
void run_default(const TempDir& out) {
    Run r = run("run " + (kSource / "configs/pipelines/small_cnn.toml").string() + " --quiet -o " + out.path().string());
    REQUIRE_MESSAGE(r.exit_code == 0, r.err);
}

std::size_t count(std::string_view text, std::string_view what) {
    std::size_t n = 0;
    for (std::size_t at = text.find(what); at != std::string_view::npos; at = text.find(what, at + what.size()))
        ++n;
    return n;
}

/// Empty when `xml` is well-formed enough for a browser's XML parser: one root element, tags
/// balanced and properly nested, attribute values quoted, '<' and '&' only as markup or entities.
std::string xml_problem(std::string_view xml) {
    std::vector<std::string> open;
    std::size_t roots = 0, i = 0;
    auto entity_ok = [&](std::size_t at) {
        for (std::string_view e : {"&amp;", "&lt;", "&gt;", "&quot;", "&apos;", "&#"})
            if (xml.substr(at, e.size()) == e) return true;
        return false;
    };
    while (i < xml.size()) {
        if (xml[i] == '&' && !entity_ok(i)) return "bare '&' at " + std::to_string(i);
        if (xml[i] != '<') {
            if (open.empty() && xml[i] != ' ' && xml[i] != '\n' && xml[i] != '\t' && xml[i] != '\r')
                return "text outside the root at " + std::to_string(i);
            ++i;
            continue;
        }
        for (auto [start, end] :
             {std::pair<std::string_view, std::string_view>{"<?", "?>"}, {"<!--", "-->"}, {"<![CDATA[", "]]>"}})
            if (xml.substr(i, start.size()) == start) {
                std::size_t e = xml.find(end, i);
                if (e == std::string_view::npos) return "unterminated " + std::string(start);
                i = e + end.size();
                goto next;
            }
        {
            const bool closing = xml.substr(i, 2) == "</";
            std::size_t j = i + (closing ? 2 : 1);
            std::size_t name_end = xml.find_first_of(" \t\n\r/>", j);
            if (name_end == std::string_view::npos || name_end == j) return "bad tag at " + std::to_string(i);
            std::string name(xml.substr(j, name_end - j));
            j = name_end;
            // Attributes: name="value" or name='value'.
            while (j < xml.size() && xml[j] != '>' && xml.substr(j, 2) != "/>") {
                if (xml[j] == ' ' || xml[j] == '\n' || xml[j] == '\t' || xml[j] == '\r') {
                    ++j;
                    continue;
                }
                if (closing) return "attributes in closing tag </" + name + ">";
                std::size_t eq = xml.find('=', j);
                if (eq == std::string_view::npos || eq + 1 >= xml.size() || (xml[eq + 1] != '"' && xml[eq + 1] != '\''))
                    return "unquoted attribute in <" + name + ">";
                std::size_t close = xml.find(xml[eq + 1], eq + 2);
                if (close == std::string_view::npos) return "unterminated attribute in <" + name + ">";
                std::string_view value = xml.substr(eq + 2, close - eq - 2);
                if (value.find('<') != std::string_view::npos) return "'<' in an attribute of <" + name + ">";
                for (std::size_t k = value.find('&'); k != std::string_view::npos; k = value.find('&', k + 1))
                    if (!entity_ok(eq + 2 + k)) return "bare '&' in an attribute of <" + name + ">";
                j = close + 1;
            }
            if (j >= xml.size()) return "unterminated tag <" + name + ">";
            const bool self_closing = xml[j] == '/';
            i = j + (self_closing ? 2 : 1);
            if (closing) {
                if (open.empty() || open.back() != name)
                    return "</" + name + "> closes <" + (open.empty() ? std::string("nothing") : open.back()) + ">";
                open.pop_back();
            } else {
                if (open.empty()) ++roots;
                if (!self_closing) open.push_back(name);
            }
        }
    next:;
    }
    if (!open.empty()) return "<" + open.back() + "> is never closed";
    if (roots != 1) return std::to_string(roots) + " root elements";
    return {};
}

/// The value of attribute `name` in the tag that contains position `at`, or "" when absent.
std::string attribute_at(const std::string& text, std::size_t at, const std::string& name) {
    const std::size_t tag_end = text.find('>', at);
    const std::size_t a = text.find(" " + name + "=\"", at);
    if (a == std::string::npos || a > tag_end) return {};
    const std::size_t v = a + name.size() + 3;
    return text.substr(v, text.find('"', v) - v);
}

} // namespace

TEST_SUITE("e2e") {

    TEST_CASE("a run writes results, summary, trace and every plot, and no temporary file") {
        TempDir out;
        run_default(out);
        for (const char* f : {"results.json", "summary.txt", "trace.json", "schedule.svg", "schedule.html",
                              "memory.svg", "energy.svg"}) {
            CAPTURE(f);
            REQUIRE(fs::exists(out.path() / f));
            CHECK(fs::file_size(out.path() / f) > 0);
        }
        for (const auto& e : fs::directory_iterator(out.path()))
            CHECK_MESSAGE(e.path().extension() != ".tmp", e.path().string());
        // The stable keys stay, and the schedule the plots are drawn from is there in full.
        auto j = results_of(out.path());
        for (const char* key : {"latency_cycles", "energy_pj", "edp", "energy_breakdown_pj", "n_cns", "allocation",
                                "peak_memory_bits", "runtime_s", "schedule"})
            CHECK_MESSAGE(j.contains(key), key);
        CHECK(j["schedule"]["cns"].size() == j["n_cns"].get<std::size_t>());
        CHECK(j["schedule"]["transfers"].size() == j["n_transfers"].get<std::size_t>());
        CHECK(j["schedule"]["cores"].size() == j["accelerator"]["cores"].get<std::size_t>());
        CHECK(j["schedule"]["links"].size() == j["accelerator"]["links"].get<std::size_t>());
    }

    TEST_CASE("trace.json: one complete event per CN at its scheduled cycles, transfers per link, memory counters") {
        TempDir out;
        run_default(out);
        const auto results = results_of(out.path());
        const auto& s = results["schedule"];
        const auto trace = nlohmann::json::parse(slurp(out.path() / "trace.json"));
        REQUIRE(trace.contains("traceEvents"));
        CHECK(trace["metadata"]["time_unit"].get<std::string>().find("1 us") != std::string::npos);

        std::map<std::int64_t, nlohmann::json> cn_of_node;
        for (const auto& c : s["cns"])
            cn_of_node[c["node"].get<std::int64_t>()] = c;
        std::size_t compute = 0, transfers = 0, counters = 0;
        std::set<std::string> thread_names;
        std::map<std::string, std::size_t> samples_per_counter;
        for (const auto& e : trace["traceEvents"]) {
            const std::string ph = e["ph"];
            if (ph == "M" && e["name"] == "thread_name") thread_names.insert(e["args"]["name"].get<std::string>());
            if (ph == "X" && e["cat"] == "compute") {
                ++compute;
                const auto node = e["args"]["node"].get<std::int64_t>();
                REQUIRE(cn_of_node.count(node));
                const auto& c = cn_of_node[node];
                CHECK(e["ts"].get<double>() == c["start_cycle"].get<double>()); // 1 cycle = 1 us, exactly
                CHECK(e["dur"].get<double>() == c["end_cycle"].get<double>() - c["start_cycle"].get<double>());
                CHECK(e["args"]["energy_pj"].get<double>() == c["energy_pj"].get<double>());
                CHECK(e["args"].contains("layer"));
                CHECK(e["args"].contains("core"));
                CHECK(e["pid"] == 1);
            }
            if (ph == "X" && e["cat"] == "transfer") {
                ++transfers;
                for (const char* key : {"bits", "purpose", "node"})
                    CHECK_MESSAGE(e["args"].contains(key), key);
            }
            if (ph == "C") {
                ++counters;
                ++samples_per_counter[e["name"].get<std::string>()];
                CHECK(e["args"].contains("bits"));
            }
        }
        CHECK(compute == results["n_cns"].get<std::size_t>());
        // A transfer shows on every link of its route (or on its own track when it has none).
        std::size_t expected_transfers = 0;
        for (const auto& t : s["transfers"])
            expected_transfers += std::max<std::size_t>(t["links"].size(), 1);
        CHECK(transfers == expected_transfers);
        CHECK(counters == s["memory_samples"].size());
        CHECK(samples_per_counter.size() == s["memories"].size()); // one counter track per memory
        for (const auto& c : s["cores"]) {
            const std::string prefix = "core " + std::to_string(c["id"].get<int>()) + " ";
            bool named = false;
            for (const auto& n : thread_names)
                named = named || n.rfind(prefix, 0) == 0;
            CHECK_MESSAGE(named, prefix);
        }
    }

    TEST_CASE("the SVGs are well-formed, schedule.svg has a bar per CN and a legend entry per layer") {
        TempDir out;
        run_default(out);
        for (const char* f : {"schedule.svg", "memory.svg", "energy.svg"}) {
            CAPTURE(f);
            const std::string svg = slurp(out.path() / f);
            CHECK(svg.rfind("<svg xmlns=\"http://www.w3.org/2000/svg\"", 0) == 0);
            CHECK(xml_problem(svg) == "");
        }
        const auto results = results_of(out.path());
        const auto& s = results["schedule"];
        const std::string svg = slurp(out.path() / "schedule.svg");
        // Bars narrower than a pixel merge and say how many CNs they hold (data-n); the rest are one per CN.
        std::size_t bars = 0, merged = 0, cns = 0;
        for (std::size_t at = svg.find("<rect class=\"b cn "); at != std::string::npos;
             at = svg.find("<rect class=\"b cn ", at + 1)) {
            ++bars;
            const std::string n = attribute_at(svg, at, "data-n");
            merged += !n.empty();
            cns += n.empty() ? 1 : std::stoul(n);
        }
        CHECK(cns == results["n_cns"].get<std::size_t>());
        // This run is small: its shortest CN is at least a pixel wide, so nothing merges.
        const double cycles_per_px = std::stod(attribute_at(svg, 0, "data-cycles-per-px"));
        double shortest = 1e300;
        for (const auto& c : s["cns"])
            shortest = std::min(shortest, c["end_cycle"].get<double>() - c["start_cycle"].get<double>());
        if (shortest >= cycles_per_px) {
            CHECK(merged == 0);
            CHECK(bars == results["n_cns"].get<std::size_t>());
        }
        CHECK(count(svg, "<g class=\"lg\"") >= s["layers"].size());
        // The memory chart has a peak marker and a capacity line per memory it draws.
        const std::string memory = slurp(out.path() / "memory.svg");
        CHECK(count(memory, "<circle") == s["memories"].size());
        // The energy chart names every component.
        const std::string energy = slurp(out.path() / "energy.svg");
        for (const auto& item : results["energy_breakdown_pj"].items()) {
            const std::string name = item.key(); // a copy: clang 14 cannot capture bindings in doctest's lambdas
            CHECK_MESSAGE(energy.find(">" + name + "<") != std::string::npos, name);
        }
    }

    TEST_CASE("schedule.html is self-contained, with hover details on every bar") {
        TempDir out;
        run_default(out);
        const std::string html = slurp(out.path() / "schedule.html");
        CHECK(html.rfind("<!DOCTYPE html>", 0) == 0);
        CHECK(html.find("<script>") != std::string::npos);
        // Nothing is fetched: no external script, style, image or font.
        for (const char* external : {"<script src", "src=\"http", "href=\"http", "@import", "url(http", "<link "})
            CHECK_MESSAGE(html.find(external) == std::string::npos, external);
        // Its charts are the same well-formed SVGs as the files.
        for (const char* f : {"schedule.svg", "memory.svg", "energy.svg"})
            CHECK_MESSAGE(html.find(slurp(out.path() / f)) != std::string::npos, f);
        const auto results = results_of(out.path());
        // Every CN bar carries its details (layer, tile, start, end, energy) for the tooltip.
        const std::string svg = slurp(out.path() / "schedule.svg");
        std::size_t detailed = 0;
        for (std::size_t at = svg.find("<rect class=\"b cn "); at != std::string::npos;
             at = svg.find("<rect class=\"b cn ", at + 1)) {
            const std::string title =
                svg.substr(svg.find("<title>", at), svg.find("</title>", at) - svg.find("<title>", at));
            detailed += title.find("start ") != std::string::npos && title.find("end ") != std::string::npos &&
                        title.find("energy ") != std::string::npos;
        }
        CHECK(detailed == count(svg, "<rect class=\"b cn "));
        // Transfers show bits and purpose.
        if (!results["schedule"]["transfers"].empty()) {
            const std::size_t t = svg.find("<rect class=\"b tr ");
            REQUIRE(t != std::string::npos);
            const std::string title = svg.substr(t, svg.find("</title>", t) - t);
            CHECK(title.find(" bits") != std::string::npos);
            CHECK(title.find("transfer") != std::string::npos);
        }
    }

    TEST_CASE("schedule.html renders in headless Chromium without script errors") {
        const fs::path chromium = "/usr/bin/chromium";
        if (!fs::exists(chromium)) return skip("needs Debian's chromium (.ci/install-deps installs it)");
        TempDir out;
        run_default(out);
        const std::size_t bars = count(slurp(out.path() / "schedule.svg"), "<rect class=\"b ");
        // --dump-dom prints the page after its scripts ran; console messages go to stderr.
        Run r = run_command(chromium.string() + " --headless --no-sandbox --disable-gpu --enable-logging=stderr --v=0 "
                            "--user-data-dir=" + (out.path() / "profile").string() + " --dump-dom file://" +
                            (out.path() / "schedule.html").string());
        REQUIRE_MESSAGE(r.exit_code == 0, r.err);
        for (const char* error : {"Uncaught", "SyntaxError", "TypeError", "ReferenceError"})
            CHECK_MESSAGE(r.err.find(error) == std::string::npos, r.err);
        // The script turned every bar's title element into a data-tip for its tooltip, leaving only the page's.
        CHECK(count(r.out, "</title>") == 1);
        CHECK(count(r.out, "data-tip=") >= bars);
        CHECK(r.out.find("id=\"tip\"") != std::string::npos);
    }

    TEST_CASE("report redraws identical plots from results.json alone") {
        TempDir out, again, copy;
        run_default(out);
        Run r = run("report " + (out.path() / "results.json").string() + " -o " + again.path().string());
        REQUIRE_MESSAGE(r.exit_code == 0, r.err);
        for (const char* f : kPlotFiles) {
            CAPTURE(f);
            CHECK(slurp(again.path() / f) == slurp(out.path() / f));
        }
        // Without -o the plots go beside the results file.
        fs::copy_file(out.path() / "results.json", copy.path() / "results.json");
        r = run("report " + (copy.path() / "results.json").string() + " --quiet");
        REQUIRE_MESSAGE(r.exit_code == 0, r.err);
        CHECK(r.out.empty());
        for (const char* f : kPlotFiles)
            CHECK_MESSAGE(slurp(copy.path() / f) == slurp(out.path() / f), f);
    }

    TEST_CASE("report names the file and the key a results file lacks, and refuses what is not JSON") {
        TempDir out, bad;
        run_default(out);
        auto j = results_of(out.path());
        j["schedule"]["cns"][0].erase("end_cycle");
        const fs::path edited = bad.write("edited.json", j.dump());
        Run r = run("report " + edited.string() + " -o " + bad.path().string());
        CHECK(r.exit_code == 1);
        CHECK(r.err == "stream-dse: error: " + edited.string() + ": missing key 'schedule.cns[0].end_cycle'\n");
        for (const char* f : kPlotFiles)
            CHECK_MESSAGE(!fs::exists(bad.path() / f), f); // nothing drawn from a bad file

        const fs::path truncated = bad.write("truncated.json", slurp(out.path() / "results.json").substr(0, 100));
        r = run("report " + truncated.string());
        CHECK(r.exit_code == 1);
        CHECK(r.err.find(truncated.string() + ": not valid JSON: parse error at line") != std::string::npos);

        r = run("report");
        CHECK(r.exit_code == 1);
        CHECK(r.err.find("usage: stream-dse report RESULTS.json") != std::string::npos);
    }

    TEST_CASE("compare of a run with itself: every ratio is 1.000") {
        TempDir out;
        run_default(out);
        const fs::path file = out.path() / "results.json";
        Run r = run("compare " + file.string() + " " + file.string());
        REQUIRE_MESSAGE(r.exit_code == 0, r.err);
        const auto j = results_of(out.path());
        // One line per metric: latency, energy, EDP, n_cns, and each component, memory and stage.
        const std::size_t metrics =
            4 + j["energy_breakdown_pj"].size() + j["peak_memory_bits"].size() + j["runtime_s"].size();
        CHECK(count(r.out, " 1.000\n") == metrics);
        for (const char* name : {"latency_cycles", "energy_pj", "edp", "n_cns"})
            CHECK_MESSAGE(r.out.find(name) != std::string::npos, name);
        for (const char* section : {"energy_breakdown_pj", "peak_memory_bits", "runtime_s"})
            for (const auto& item : j[section].items()) {
                const std::string key = item.key(); // a copy: clang 14 cannot capture bindings in doctest's lambdas
                CHECK_MESSAGE(r.out.find("  " + key + " ") != std::string::npos, key);
            }

        r = run("compare --json " + file.string() + " " + file.string());
        REQUIRE_MESSAGE(r.exit_code == 0, r.err);
        const auto c = nlohmann::json::parse(r.out);
        CHECK(c["metrics"].size() == metrics);
        for (const auto& item : c["metrics"].items()) {
            const std::string key = item.key();
            const nlohmann::json& m = item.value();
            CAPTURE(key);
            CHECK(m["ratio"] == 1.0);
            CHECK(m["a"] == m["b"]);
        }
        CHECK(c["metrics"]["latency_cycles"]["a"] == j["latency_cycles"]);
    }

    TEST_CASE("compare: a missing file exits 1 naming it, a missing key names file and key") {
        TempDir out, bad;
        run_default(out);
        const fs::path good = out.path() / "results.json", missing = bad.path() / "nope" / "results.json";
        Run r = run("compare " + good.string() + " " + missing.string());
        CHECK(r.exit_code == 1);
        CHECK(r.err == "stream-dse: error: cannot read '" + missing.string() + "': no such file\n");

        auto j = results_of(out.path());
        j["energy_breakdown_pj"] = 7;
        const fs::path wrong = bad.write("wrong.json", j.dump());
        r = run("compare " + wrong.string() + " " + good.string());
        CHECK(r.exit_code == 1);
        CHECK(r.err == "stream-dse: error: " + wrong.string() + ": key 'energy_breakdown_pj' must be an object\n");

        j = results_of(out.path());
        j.erase("edp");
        const fs::path lacking = bad.write("lacking.json", j.dump());
        r = run("compare " + good.string() + " " + lacking.string());
        CHECK(r.exit_code == 1);
        CHECK(r.err == "stream-dse: error: " + lacking.string() + ": missing key 'edp'\n");
    }

    TEST_CASE("a 100k-CN schedule: the trace keeps every CN, the charts merge sub-pixel bars and stay small") {
        // Built directly (no run): two layers interleaved tile by tile on four cores, as a fused
        // stack schedules them, with a transfer and a memory change per CN.
        stream::ScheduleView v;
        v.title = "synthetic";
        const std::size_t n = 100000, cores = 4;
        for (std::size_t c = 0; c < cores; ++c)
            v.cores.push_back({static_cast<std::int64_t>(c), "array", false});
        v.cores.push_back({static_cast<std::int64_t>(cores), "dram", true});
        for (std::size_t c = 0; c < cores; ++c)
            v.links.push_back({static_cast<std::int64_t>(c), "link " + std::to_string(c), 64});
        v.layers = {{0, "conv"}, {1, "relu"}};
        std::vector<double> clock(cores, 0);
        std::vector<std::int64_t> held(cores, 0);
        for (std::size_t i = 0; i < n; ++i) {
            const std::size_t core = i % cores;
            const double start = clock[core], end = start + 3 + static_cast<double>(i % 5);
            clock[core] = end + 1;
            // Layers alternate on every core: merging must not need neighbours of one layer.
            v.cns.push_back({static_cast<std::int64_t>(i), static_cast<std::int64_t>((i / cores) % 2),
                             static_cast<std::int64_t>(i / 2), static_cast<std::int64_t>(core), start, end, 10.0});
            stream::Transfer t;
            t.links = {static_cast<std::int64_t>(core)};
            t.start_cycle = start, t.end_cycle = start + 2, t.bits = 128, t.purpose = 1,
            t.node = static_cast<std::int64_t>(i), t.energy_pj = 1;
            v.transfers.push_back(t);
            held[core] = (held[core] + 4096 * static_cast<std::int64_t>(i % 7)) % 50000;
            v.memory_samples.push_back({static_cast<std::int64_t>(core), 1, end, held[core]});
        }
        for (std::size_t c = 0; c < cores; ++c)
            v.memories.push_back({static_cast<std::int64_t>(c), 1, "sram", 65536});
        v.latency_cycles = *std::max_element(clock.begin(), clock.end());
        v.energy_pj = 11.0 * static_cast<double>(n);
        v.energy_pj_by_component = {{"compute", 10.0 * static_cast<double>(n)},
                                    {"offchip_link", static_cast<double>(n)}};

        std::map<std::string, std::string> files;
        for (auto& [name, content] : stream::render_report_files(v))
            files[name] = std::move(content);
        // Parsing 40 MB in a debug build takes long; the default run's trace is parsed above, here count.
        CHECK(count(files["trace.json"], R"("ph":"X","pid":1,)") == n);
        CHECK(count(files["trace.json"], R"("ph":"C",)") == n);

        const std::string& svg = files["schedule.svg"];
        CHECK(xml_problem(svg) == "");
        std::size_t bars = 0, cns = 0;
        for (std::size_t at = svg.find("<rect class=\"b cn "); at != std::string::npos;
             at = svg.find("<rect class=\"b cn ", at + 1)) {
            ++bars;
            const std::string k = attribute_at(svg, at, "data-n");
            cns += k.empty() ? 1 : std::stoul(k);
        }
        CHECK(cns == n); // every CN is in some bar
        // At most a few bars per pixel column and row, however many CNs: far fewer bars than CNs.
        const double cycles_per_px = std::stod(attribute_at(svg, 0, "data-cycles-per-px"));
        const double columns = v.latency_cycles / cycles_per_px;
        CHECK(static_cast<double>(bars) <= 2 * columns * static_cast<double>(cores));
        CHECK(bars < n / 10);
        // The whole HTML page stays a fraction of the trace, which keeps every event.
        CHECK(files["schedule.html"].size() < files["trace.json"].size() / 4);
        CHECK(xml_problem(files["memory.svg"]) == "");
        CHECK(files["memory.svg"].size() < files["trace.json"].size() / 20);
    }

} // TEST_SUITE
