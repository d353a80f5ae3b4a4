#include "report/ScheduleView.hpp"

#include "report/JsonText.hpp"

#include <stream/plugin.h>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <iterator>
#include <map>
#include <set>

namespace stream {

namespace {

template <class T> const T* find_by_id(const std::vector<T>& v, std::int64_t id) {
    auto it = std::lower_bound(v.begin(), v.end(), id, [](const T& x, std::int64_t i) { return x.id < i; });
    return it != v.end() && it->id == id ? &*it : nullptr;
}

/// "link 3: DRAM <-> core 0": short enough for a chart's row label.
std::string link_name(const Accelerator& acc, const Link& l) {
    auto end = [&](std::int64_t core) {
        return core == acc.offchip_core ? std::string("DRAM") : fmt::format("core {}", core);
    };
    if (l.bus_cores.empty())
        return fmt::format("link {}: {} {} {}", l.id, end(l.from_core), l.bidirectional ? "<->" : "->", end(l.to_core));
    std::vector<std::string> ends;
    for (std::int64_t c : l.bus_cores)
        ends.push_back(c == acc.offchip_core ? "DRAM" : std::to_string(c));
    return fmt::format("bus {}: cores {}", l.id, fmt::join(ends, ", "));
}

void sort_components(std::vector<std::pair<std::string, double>>& c) {
    std::stable_sort(c.begin(), c.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
}

} // namespace

const ScheduleView::CoreInfo* ScheduleView::find_core(std::int64_t id) const { return find_by_id(cores, id); }
const ScheduleView::LinkInfo* ScheduleView::find_link(std::int64_t id) const { return find_by_id(links, id); }

std::ptrdiff_t ScheduleView::layer_index(std::int64_t id) const {
    const LayerInfo* l = find_by_id(layers, id);
    return l ? l - layers.data() : -1;
}

const ScheduleView::Cn* ScheduleView::find_cn(std::int64_t node) const {
    auto it = std::lower_bound(cns.begin(), cns.end(), node, [](const Cn& c, std::int64_t n) { return c.node < n; });
    return it != cns.end() && it->node == node ? &*it : nullptr;
}

const ScheduleView::Memory* ScheduleView::find_memory(std::int64_t core, std::uint32_t level) const {
    for (const Memory& m : memories)
        if (m.core == core && m.memory_level == level) return &m;
    return nullptr;
}

std::string ScheduleView::core_label(std::int64_t id) const {
    const CoreInfo* c = find_core(id);
    return c ? fmt::format("core {} {}", id, c->type) : fmt::format("core {}", id);
}

std::string ScheduleView::layer_label(std::int64_t id) const {
    const LayerInfo* l = find_by_id(layers, id);
    return l && !l->name.empty() ? l->name : fmt::format("layer {}", id);
}

std::string ScheduleView::cn_label(const Cn& cn) const { return fmt::format("{} #{}", layer_label(cn.layer), cn.tile); }

std::string ScheduleView::memory_label(const Memory& m) const { return fmt::format("core {} {}", m.core, m.name); }

std::string_view transfer_purpose_name(std::int32_t purpose) {
    switch (purpose) {
    case STREAM_TRANSFER_INPUT_FETCH:
        return "input fetch";
    case STREAM_TRANSFER_CORE_TO_CORE:
        return "core to core";
    case STREAM_TRANSFER_EVICTION:
        return "eviction";
    case STREAM_TRANSFER_FINAL_OUTPUT:
        return "final output";
    case STREAM_TRANSFER_STREAMING:
        return "streaming";
    default:
        return "other";
    }
}

ScheduleView schedule_view(const RunResult& r) {
    ScheduleView v;
    v.title = r.pipeline_name;
    v.latency_cycles = r.schedule.metrics.latency_cycles;
    v.energy_pj = r.schedule.metrics.energy_pj;
    v.edp = r.schedule.metrics.edp;
    v.energy_pj_by_component = r.schedule.energy_pj_by_component;
    sort_components(v.energy_pj_by_component);
    for (const Core& c : r.accelerator.cores)
        v.cores.push_back({c.id, c.type ? c.type->name : std::string{}, c.is_offchip});
    for (const Link& l : r.accelerator.links)
        v.links.push_back({l.id, link_name(r.accelerator, l), l.bandwidth_bits_per_cycle});
    std::sort(v.cores.begin(), v.cores.end(), [](const auto& a, const auto& b) { return a.id < b.id; });
    std::sort(v.links.begin(), v.links.end(), [](const auto& a, const auto& b) { return a.id < b.id; });

    // Tile index: the CN's position among its layer's CNs in node order.
    std::map<std::int64_t, std::int64_t> tiles_of_layer;
    std::vector<std::int64_t> tile_of_node(r.graph.nodes.size(), 0);
    for (const CnNode& n : r.graph.nodes)
        tile_of_node[static_cast<std::size_t>(n.id)] = tiles_of_layer[n.layer]++;
    for (const auto& [layer, count] : tiles_of_layer) {
        const Layer* l = layer >= 0 && static_cast<std::size_t>(layer) < r.workload.layers.size()
                             ? &r.workload.layers[static_cast<std::size_t>(layer)]
                             : nullptr;
        v.layers.push_back({layer, l ? l->name : std::string{}});
    }
    for (const ScheduledNode& s : r.schedule.nodes) {
        if (s.node < 0 || static_cast<std::size_t>(s.node) >= r.graph.nodes.size()) continue;
        const CnNode& n = r.graph.nodes[static_cast<std::size_t>(s.node)];
        double energy = 0;
        for (const CoreCost& c : n.costs)
            if (c.core == s.core) energy = c.energy_pj;
        v.cns.push_back({s.node, n.layer, tile_of_node[static_cast<std::size_t>(s.node)], s.core, s.start_cycle,
                         s.end_cycle, energy});
    }
    std::stable_sort(v.cns.begin(), v.cns.end(), [](const auto& a, const auto& b) { return a.node < b.node; });
    v.transfers = r.schedule.transfers;
    v.memory_samples = r.schedule.memory_samples;
    std::set<std::pair<std::int64_t, std::uint32_t>> sampled;
    for (const MemorySample& m : v.memory_samples)
        sampled.insert({m.core, m.memory_level});
    for (const auto& [core, level] : sampled) {
        ScheduleView::Memory mem{core, level, fmt::format("level {}", level), 0};
        if (core >= 0 && static_cast<std::size_t>(core) < r.accelerator.cores.size()) {
            const auto& type = r.accelerator.cores[static_cast<std::size_t>(core)].type;
            if (type && level < type->memories.size()) {
                mem.name = type->memories[level].name;
                mem.capacity_bits = type->memories[level].size_bits;
            }
        }
        v.memories.push_back(std::move(mem));
    }
    return v;
}

std::string schedule_json_text(const ScheduleView& v, int depth) {
    using json_text::num;
    using json_text::str;
    const std::string in1(static_cast<std::size_t>(2 * depth + 2), ' '), in2 = in1 + "  ";
    std::string s = "{\n";
    auto out = std::back_inserter(s);
    // Members in key order, as nlohmann::json would write them; one record per line.
    auto list = [&](std::string_view key, std::size_t n, auto&& write_one, bool last = false) {
        fmt::format_to(out, "{}\"{}\": [", in1, key);
        for (std::size_t i = 0; i < n; ++i) {
            s += i ? ",\n" : "\n";
            s += in2;
            write_one(i);
        }
        s += n ? "\n" + in1 + "]" : "]";
        s += last ? "\n" : ",\n";
    };
    list("cns", v.cns.size(), [&](std::size_t i) {
        const auto& c = v.cns[i];
        fmt::format_to(out,
                       R"({{"core":{},"end_cycle":{},"energy_pj":{},"layer":{},"node":{},"start_cycle":{},"tile":{}}})",
                       c.core, num(c.end_cycle), num(c.energy_pj), c.layer, c.node, num(c.start_cycle), c.tile);
    });
    list("cores", v.cores.size(), [&](std::size_t i) {
        const auto& c = v.cores[i];
        fmt::format_to(out, R"({{"id":{},"offchip":{},"type":{}}})", c.id, c.offchip, str(c.type));
    });
    list("layers", v.layers.size(), [&](std::size_t i) {
        fmt::format_to(out, R"({{"id":{},"name":{}}})", v.layers[i].id, str(v.layers[i].name));
    });
    list("links", v.links.size(), [&](std::size_t i) {
        const auto& l = v.links[i];
        fmt::format_to(out, R"({{"bandwidth_bits_per_cycle":{},"id":{},"name":{}}})", num(l.bandwidth_bits_per_cycle),
                       l.id, str(l.name));
    });
    list("memories", v.memories.size(), [&](std::size_t i) {
        const auto& m = v.memories[i];
        fmt::format_to(out, R"({{"capacity_bits":{},"core":{},"memory_level":{},"name":{}}})", m.capacity_bits, m.core,
                       m.memory_level, str(m.name));
    });
    list("memory_samples", v.memory_samples.size(), [&](std::size_t i) {
        const auto& m = v.memory_samples[i];
        fmt::format_to(out, R"({{"bits":{},"core":{},"cycle":{},"memory_level":{}}})", m.bits, m.core, num(m.cycle),
                       m.memory_level);
    });
    fmt::format_to(out, "{}\"time_unit\": \"cycle\",\n", in1);
    fmt::format_to(out, "{}\"transfer_purposes\": {{", in1);
    for (std::int32_t p = STREAM_TRANSFER_INPUT_FETCH; p <= STREAM_TRANSFER_STREAMING; ++p)
        fmt::format_to(out, "{}\"{}\": {}", p == STREAM_TRANSFER_INPUT_FETCH ? "" : ", ", p,
                       str(transfer_purpose_name(p)));
    s += "},\n";
    list(
        "transfers", v.transfers.size(),
        [&](std::size_t i) {
            const Transfer& t = v.transfers[i];
            fmt::format_to(
                out,
                R"({{"bits":{},"end_cycle":{},"energy_pj":{},"links":[{}],"node":{},"purpose":{},"start_cycle":{}}})",
                t.bits, num(t.end_cycle), num(t.energy_pj), fmt::join(t.links, ","), t.node, t.purpose,
                num(t.start_cycle));
        },
        true);
    s += std::string(static_cast<std::size_t>(2 * depth), ' ') + "}";
    return s;
}

nlohmann::json schedule_json(const ScheduleView& v) { return nlohmann::json::parse(schedule_json_text(v, 0)); }

ScheduleView schedule_view(const JsonReader& results) {
    ScheduleView v;
    v.title = results["pipeline"]["name"].string();
    if (results["allocator"].has("pareto_front")) v.allocator_front = results["allocator"]["pareto_front"].json();
    if (results.has("exploration")) v.exploration = results["exploration"].json();
    v.latency_cycles = results["latency_cycles"].number();
    v.energy_pj = results["energy_pj"].number();
    v.edp = results["edp"].number();
    for (const auto& [name, pj] : results["energy_breakdown_pj"].members())
        v.energy_pj_by_component.emplace_back(name, pj.number());
    sort_components(v.energy_pj_by_component);
    const JsonReader s = results["schedule"];
    for (const JsonReader& c : s["cores"].elements())
        v.cores.push_back({c["id"].integer(), c["type"].string(), c["offchip"].boolean()});
    for (const JsonReader& l : s["links"].elements())
        v.links.push_back({l["id"].integer(), l["name"].string(), l["bandwidth_bits_per_cycle"].number()});
    for (const JsonReader& l : s["layers"].elements())
        v.layers.push_back({l["id"].integer(), l["name"].string()});
    for (const JsonReader& m : s["memories"].elements())
        v.memories.push_back({m["core"].integer(), static_cast<std::uint32_t>(m["memory_level"].integer()),
                              m["name"].string(), m["capacity_bits"].integer()});
    const JsonReader cns = s["cns"];
    v.cns.reserve(cns.json().size());
    for (const JsonReader& c : cns.elements())
        v.cns.push_back({c["node"].integer(), c["layer"].integer(), c["tile"].integer(), c["core"].integer(),
                         c["start_cycle"].number(), c["end_cycle"].number(), c["energy_pj"].number()});
    const JsonReader transfers = s["transfers"];
    v.transfers.reserve(transfers.json().size());
    for (const JsonReader& t : transfers.elements()) {
        Transfer x;
        for (const JsonReader& l : t["links"].elements())
            x.links.push_back(l.integer());
        x.start_cycle = t["start_cycle"].number();
        x.end_cycle = t["end_cycle"].number();
        x.bits = t["bits"].integer();
        x.purpose = static_cast<std::int32_t>(t["purpose"].integer());
        x.node = t["node"].integer();
        x.energy_pj = t["energy_pj"].number();
        v.transfers.push_back(std::move(x));
    }
    const JsonReader samples = s["memory_samples"];
    v.memory_samples.reserve(samples.json().size());
    for (const JsonReader& m : samples.elements())
        v.memory_samples.push_back({m["core"].integer(), static_cast<std::uint32_t>(m["memory_level"].integer()),
                                    m["cycle"].number(), m["bits"].integer()});
    // The writer sorts these; a hand-edited file may not, and lookups assume it.
    std::sort(v.cores.begin(), v.cores.end(), [](const auto& a, const auto& b) { return a.id < b.id; });
    std::sort(v.links.begin(), v.links.end(), [](const auto& a, const auto& b) { return a.id < b.id; });
    std::sort(v.layers.begin(), v.layers.end(), [](const auto& a, const auto& b) { return a.id < b.id; });
    std::stable_sort(v.cns.begin(), v.cns.end(), [](const auto& a, const auto& b) { return a.node < b.node; });
    return v;
}

} // namespace stream
