#include "report/Results.hpp"

#include "report/ExplorationReport.hpp"

#include "report/AtomicFile.hpp"
#include "report/ReportFiles.hpp"
#include "report/ScheduleView.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <iterator>
#include <map>

namespace stream {

namespace fs = std::filesystem;

namespace {

std::map<std::int64_t, std::int64_t> peak_bits_per_core(const Schedule& s) {
    std::map<std::int64_t, std::int64_t> peak;
    for (const MemorySample& m : s.memory_samples) peak[m.core] = std::max(peak[m.core], m.bits);
    return peak;
}

std::int64_t total_macs(const Workload& w) {
    std::int64_t n = 0;
    for (const Layer& l : w.layers) n += l.loop_iterations();
    return n;
}

template <class... A>
void add_line(std::string& s, fmt::format_string<A...> f, A&&... a) {
    fmt::format_to(std::back_inserter(s), f, std::forward<A>(a)...);
    s += '\n';
}

std::string core_name(const RunResult& r, std::int64_t core) {
    return r.accelerator.cores.at(static_cast<std::size_t>(core)).type->name;
}

/// A computation layer's tiles as scheduled: their cores, summed costs and time span.
struct LayerSummary {
    const Layer* layer = nullptr;
    std::int64_t stack = 0;
    std::int64_t n_cns = 0;
    std::vector<std::int64_t> cores; // distinct, in unit order
    double latency_cycles = 0, energy_pj = 0;
    double start_cycle = std::numeric_limits<double>::infinity(), end_cycle = 0;
};

std::vector<LayerSummary> layer_summaries(const RunResult& r) {
    std::map<std::int64_t, LayerSummary> by_layer;
    std::vector<const ScheduledNode*> by_node(r.graph.nodes.size(), nullptr);
    for (const ScheduledNode& s : r.schedule.nodes)
        if (s.node >= 0 && static_cast<std::size_t>(s.node) < by_node.size()) by_node[static_cast<std::size_t>(s.node)] = &s;
    for (const CnNode& n : r.graph.nodes) {
        LayerSummary& ls = by_layer[n.layer];
        ls.layer = &r.workload.layers.at(static_cast<std::size_t>(n.layer));
        ls.stack = n.stack;
        ++ls.n_cns;
        const std::int64_t core = r.allocation.unit_core.at(static_cast<std::size_t>(n.unit));
        if (std::find(ls.cores.begin(), ls.cores.end(), core) == ls.cores.end()) ls.cores.push_back(core);
        for (const CoreCost& c : n.costs)
            if (c.core == core) ls.latency_cycles += c.latency_cycles, ls.energy_pj += c.energy_pj;
        if (const ScheduledNode* s = by_node[static_cast<std::size_t>(n.id)]) {
            ls.start_cycle = std::min(ls.start_cycle, s->start_cycle);
            ls.end_cycle = std::max(ls.end_cycle, s->end_cycle);
        }
    }
    std::vector<LayerSummary> out;
    for (auto& [id, ls] : by_layer) {
        if (!std::isfinite(ls.start_cycle)) ls.start_cycle = 0;
        out.push_back(std::move(ls));
    }
    return out;
}

/// Layer (by name, or id when unnamed) -> its core, or its cores in node order when its tiles are split.
nlohmann::json layer_cores_json(const RunResult& r, const std::vector<std::int64_t>& unit_core) {
    std::map<std::int64_t, std::vector<std::int64_t>> cores_of_layer;
    for (const CnNode& n : r.graph.nodes) {
        auto& cores = cores_of_layer[n.layer];
        const std::int64_t core = unit_core.at(static_cast<std::size_t>(n.unit));
        if (std::find(cores.begin(), cores.end(), core) == cores.end()) cores.push_back(core);
    }
    nlohmann::json out = nlohmann::json::object();
    for (const auto& [id, cores] : cores_of_layer) {
        const Layer& l = r.workload.layers.at(static_cast<std::size_t>(id));
        out[l.name.empty() ? std::to_string(l.id) : l.name] = cores.size() == 1 ? nlohmann::json(cores.front()) : nlohmann::json(cores);
    }
    return out;
}

/// Bits moved to or from DRAM, by transfer purpose (core-to-core transfers excluded), and their total.
std::vector<std::pair<std::string, std::int64_t>> dram_traffic_bits(const Schedule& s) {
    std::vector<std::pair<std::string, std::int64_t>> by_purpose;
    std::int64_t total = 0;
    for (std::int32_t purpose : {STREAM_TRANSFER_INPUT_FETCH, STREAM_TRANSFER_STREAMING, STREAM_TRANSFER_EVICTION,
                                 STREAM_TRANSFER_FINAL_OUTPUT}) {
        std::int64_t bits = 0;
        for (const Transfer& t : s.transfers)
            if (t.purpose == purpose) bits += t.bits;
        std::string name(transfer_purpose_name(purpose));
        std::replace(name.begin(), name.end(), ' ', '_');
        by_purpose.emplace_back(name, bits);
        total += bits;
    }
    by_purpose.emplace_back("total", total);
    return by_purpose;
}

std::size_t compute_layer_count(const Workload& w) {
    return static_cast<std::size_t>(
        std::count_if(w.layers.begin(), w.layers.end(), [](const Layer& l) { return l.layer_class == LayerClass::Compute; }));
}

/// Everything but the schedule.
nlohmann::json results_summary_json(const RunResult& r) {
    using nlohmann::json;
    const Metrics& m = r.schedule.metrics;
    json j;
    j["pipeline"] = {{"name", r.pipeline_name}, {"file", r.pipeline_file.string()}, {"mode", r.mode},
                     {"compat", r.compat_stream ? "stream" : "none"}};
    j["workload"] = {{"name", r.workload.name},
                     {"layers", r.workload.layers.size()},
                     {"compute_layers", compute_layer_count(r.workload)},
                     {"loop_iterations", total_macs(r.workload)}};
    j["accelerator"] = {{"name", r.accelerator.name}, {"cores", r.accelerator.cores.size()}, {"links", r.accelerator.links.size()}};
    j["latency_cycles"] = m.latency_cycles;
    j["energy_pj"] = m.energy_pj;
    j["edp"] = m.edp;
    json breakdown = json::object();
    for (const auto& [name, pj] : r.schedule.energy_pj_by_component) breakdown[name] = pj;
    j["energy_breakdown_pj"] = breakdown;
    j["n_cns"] = r.graph.nodes.size();
    j["n_edges"] = r.graph.edges.size();
    j["n_unique_shapes"] = r.graph.shapes.size();
    j["cost"] = {{"evaluations", r.cost_stats.evaluations}, {"node_core_pairs", r.cost_stats.pairs}, {"threads", r.cost_stats.threads}};
    const std::vector<LayerSummary> summaries = layer_summaries(r);
    const json alloc = layer_cores_json(r, r.allocation.unit_core);
    j["allocation"] = alloc;
    json peak = json::object();
    for (const auto& [core, bits] : peak_bits_per_core(r.schedule)) {
        const Core& c = r.accelerator.cores.at(static_cast<std::size_t>(core));
        peak[fmt::format("core{}.{}", core, c.type->memories.back().name)] = bits;
    }
    j["peak_memory_bits"] = peak;
    j["peak_memory_bits_max"] = m.peak_memory_bits;
    json runtime = json::object();
    for (const StageTiming& t : r.timings) runtime[t.stage] = t.seconds;
    j["runtime_s"] = runtime;
    j["allocator"] = {{"summary", r.allocation.summary},
                      {"proven_optimal", r.allocation.proven_optimal},
                      {"objective", r.allocation.objective},
                      {"evaluations", r.evaluations}};
    if (!r.allocation.alternatives.empty()) {
        // The chosen allocation first, then the rest of the allocator's front, each with the cores of every layer.
        json front = json::array();
        front.push_back({{"chosen", true}, {"latency_cycles", m.latency_cycles}, {"energy_pj", m.energy_pj}, {"edp", m.edp},
                         {"allocation", alloc}});
        for (const AllocationAlternative& a : r.allocation.alternatives)
            front.push_back({{"chosen", false}, {"latency_cycles", a.latency_cycles}, {"energy_pj", a.energy_pj}, {"edp", a.edp},
                             {"allocation", layer_cores_json(r, a.unit_core)}});
        j["allocator"]["pareto_front"] = front;
    }
    json plugins = json::array();
    for (const PluginUse& u : r.plugins)
        plugins.push_back({{"stage", u.stage}, {"kind", u.kind}, {"id", u.id}, {"version", u.version}, {"file", u.file},
                           {"config", u.config}});
    j["plugins"] = plugins;
    json layers = json::array();
    for (const LayerSummary& ls : summaries)
        layers.push_back({{"id", ls.layer->id}, {"name", ls.layer->name}, {"op", ls.layer->op_type}, {"stack", ls.stack},
                          {"cores", ls.cores}, {"n_cns", ls.n_cns}, {"latency_cycles", ls.latency_cycles},
                          {"energy_pj", ls.energy_pj}, {"start_cycle", ls.start_cycle}, {"end_cycle", ls.end_cycle}});
    j["layers"] = layers;
    json cores = json::array();
    for (const Core& c : r.accelerator.cores) {
        double busy = 0;
        for (const ScheduledNode& s : r.schedule.nodes)
            if (s.core == c.id) busy += s.end_cycle - s.start_cycle;
        cores.push_back({{"id", c.id}, {"name", c.type->name}, {"offchip", c.is_offchip}, {"busy_cycles", busy},
                         {"utilization", m.latency_cycles > 0 ? busy / m.latency_cycles : 0.0}});
    }
    j["cores"] = cores;
    j["n_transfers"] = r.schedule.transfers.size();
    json dram = json::object();
    for (const auto& [purpose, bits] : dram_traffic_bits(r.schedule)) dram[purpose] = bits;
    j["dram_traffic_bits"] = dram;
    if (r.exploration) j["exploration"] = exploration_json(*r.exploration, r.workload);
    return j;
}

/// results.json's text: the summary keys first, then the (large) schedule, one record per line.
std::string results_text(const RunResult& r, const ScheduleView& view) {
    std::string out = results_summary_json(r).dump(2);
    out.resize(out.rfind('}')); // reopen the object: the schedule goes last
    while (!out.empty() && out.back() == '\n') out.pop_back();
    return out + ",\n  \"schedule\": " + schedule_json_text(view, 1) + "\n}\n";
}

} // namespace

nlohmann::json results_json(const RunResult& r) {
    nlohmann::json j = results_summary_json(r);
    j["schedule"] = schedule_json(schedule_view(r));
    return j;
}

std::string summary_text(const RunResult& r) {
    const Metrics& m = r.schedule.metrics;
    std::string s;
    add_line(s, "pipeline     {} ({})", r.pipeline_name, r.pipeline_file.string());
    add_line(s, "workload     {}: {} layers, {} computation layers, {} loop iterations", r.workload.name, r.workload.layers.size(),
         compute_layer_count(r.workload), total_macs(r.workload));
    add_line(s, "accelerator  {}: {} cores, {} links", r.accelerator.name, r.accelerator.cores.size(), r.accelerator.links.size());
    add_line(s, "mode         {} ({} stacks, {} computation nodes, {} edges){}", r.mode,
         r.stack_of_layer.empty() ? 0 : *std::max_element(r.stack_of_layer.begin(), r.stack_of_layer.end()) + 1, r.graph.nodes.size(),
         r.graph.edges.size(), r.compat_stream ? ", compat stream" : "");
    for (const PluginUse& u : r.plugins) add_line(s, "plugin       {:<10} {} {} ({})", u.stage, u.id, u.version, u.kind);
    add_line(s, "allocation   {}{}", r.allocation.summary.empty() ? "done" : r.allocation.summary,
         r.allocation.proven_optimal ? " (proven optimal)" : "");
    if (r.exploration) s += exploration_summary(*r.exploration);
    add_line(s, "");
    add_line(s, "latency      {:.0f} cycles", m.latency_cycles);
    add_line(s, "energy       {:.6g} pJ", m.energy_pj);
    for (const auto& [name, pj] : r.schedule.energy_pj_by_component)
        add_line(s, "  {:<22} {:>14.6g} pJ ({:5.1f}%)", name, pj, m.energy_pj > 0 ? 100.0 * pj / m.energy_pj : 0.0);
    add_line(s, "EDP          {:.6g} cycles*pJ", m.edp);
    for (const auto& [core, bits] : peak_bits_per_core(r.schedule))
        add_line(s, "peak memory  core {} ({}): {} bits", core, core_name(r, core), bits);
    std::string dram;
    const auto traffic = dram_traffic_bits(r.schedule);
    for (const auto& [purpose, bits] : traffic)
        if (purpose != "total") dram += fmt::format("{}{} {}", dram.empty() ? "" : ", ", purpose, bits);
    add_line(s, "DRAM traffic {} bits ({})", traffic.back().second, dram);
    add_line(s, "");
    add_line(s, "{:<5} {:<28} {:<14} {:>5} {:>7} {:>12} {:>12} {:>14}", "layer", "name", "op", "core", "CNs", "start", "end",
             "energy pJ");
    for (const LayerSummary& ls : layer_summaries(r)) {
        std::string cores = ls.cores.size() == 1 ? std::to_string(ls.cores.front()) : fmt::format("{}", fmt::join(ls.cores, ","));
        add_line(s, "{:<5} {:<28} {:<14} {:>5} {:>7} {:>12.0f} {:>12.0f} {:>14.6g}", ls.layer->id, ls.layer->name.substr(0, 28),
                 ls.layer->op_type.substr(0, 14), cores, ls.n_cns, ls.start_cycle, ls.end_cycle, ls.energy_pj);
    }
    add_line(s, "");
    std::string times;
    for (const StageTiming& t : r.timings) times += fmt::format("{}{} {:.3f}s", times.empty() ? "" : ", ", t.stage, t.seconds);
    add_line(s, "run time     {}", times);
    return s;
}

void write_outputs(const RunResult& r, const fs::path& dir) {
    // Render everything first, so a failure while rendering writes nothing at all.
    ScheduleView view = schedule_view(r);
    const nlohmann::json summary_json = results_summary_json(r);
    if (summary_json["allocator"].contains("pareto_front")) view.allocator_front = summary_json["allocator"]["pareto_front"];
    if (summary_json.contains("exploration")) view.exploration = summary_json["exploration"];
    const std::string results = results_text(r, view);
    const std::string summary = summary_text(r);
    const auto reports = render_report_files(view);
    create_output_dir(dir);
    write_file_atomically(dir / "results.json", results);
    write_file_atomically(dir / "summary.txt", summary);
    for (const auto& [name, content] : reports) write_file_atomically(dir / name, content);
}

} // namespace stream
