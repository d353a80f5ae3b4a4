#include "report/HardwareReport.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <iterator>

namespace stream {

namespace {

// On-chip capacity counts each physical memory once: a shared top memory belongs to its owner.
std::int64_t onchip_bits(const Accelerator& acc) {
    std::int64_t bits = 0;
    for (const Core& c : acc.cores) {
        if (c.is_offchip) continue;
        const auto& mems = c.type->memories;
        for (std::size_t i = 0; i < mems.size(); ++i) {
            bool top = i + 1 == mems.size();
            if (top && c.top_memory_owner != c.id) continue;
            // A level shared over no array dimension exists once per MAC unit... ZigZag counts instances that way,
            // but the capacity a scheduler manages is the level as written; report it as written.
            bits += mems[i].size_bits;
        }
    }
    return bits;
}

std::string link_text(const Link& l) {
    std::string ends;
    if (!l.bus_cores.empty()) {
        ends = fmt::format("bus [{}]", fmt::join(l.bus_cores, ", "));
        if (l.from_core >= 0) ends += fmt::format(", sent by {} only", l.from_core);
        if (l.to_core >= 0) ends += fmt::format(", to {} only", l.to_core);
    } else {
        ends = fmt::format("{} {} {}", l.from_core, l.bidirectional ? "<->" : "->", l.to_core);
    }
    return ends;
}

} // namespace

nlohmann::json hardware_json(const Accelerator& acc) {
    using nlohmann::json;
    json cores = json::array();
    for (const Core& c : acc.cores) {
        const CoreType& t = *c.type;
        json mems = json::array();
        for (const MemoryLevel& m : t.memories)
            mems.push_back({{"name", m.name},
                            {"size_bits", m.size_bits},
                            {"operands", m.operands},
                            {"served_dims", m.served_dims},
                            {"read_bw_bits_per_cycle", m.read_bw_bits_per_cycle},
                            {"write_bw_bits_per_cycle", m.write_bw_bits_per_cycle},
                            {"read_energy_pj", m.read_energy_pj},
                            {"write_energy_pj", m.write_energy_pj},
                            {"area_mm2", m.area_mm2},
                            {"leakage_mw", m.leakage_mw},
                            {"latency_cycles", m.latency_cycles},
                            {"ports", {{"read", m.read_ports}, {"write", m.write_ports}, {"read_write", m.read_write_ports}}},
                            {"cost_source", m.cost_source}});
        json dims = json::array();
        for (const ArrayDim& d : t.array_dims) dims.push_back({{"name", d.name}, {"size", d.size}});
        cores.push_back({{"id", c.id},
                         {"name", t.name},
                         {"offchip", c.is_offchip},
                         {"top_memory_owner", c.top_memory_owner},
                         {"array", dims},
                         {"mac_units", t.mac_units()},
                         {"mac_energy_pj", t.mac_energy_pj},
                         {"model", t.model_plugin},
                         {"memories", mems}});
    }
    json links = json::array();
    for (const Link& l : acc.links)
        links.push_back({{"id", l.id},
                         {"from", l.from_core},
                         {"to", l.to_core},
                         {"bus_cores", l.bus_cores},
                         {"bidirectional", l.bidirectional},
                         {"bandwidth_bits_per_cycle", l.bandwidth_bits_per_cycle},
                         {"energy_pj_per_bit", l.energy_pj_per_bit},
                         {"latency_cycles", l.latency_cycles}});
    return {{"name", acc.name},
            {"file", acc.where.file},
            {"offchip_core", acc.offchip_core},
            {"cores", cores},
            {"links", links},
            {"totals", {{"cores", acc.cores.size()}, {"links", acc.links.size()}, {"onchip_bits", onchip_bits(acc)}}}};
}

std::string hardware_table(const Accelerator& acc) {
    std::string s;
    auto out = std::back_inserter(s);
    fmt::format_to(out, "{}: {} cores, {} links ({})\n", acc.name, acc.cores.size(), acc.links.size(), acc.where.file);
    for (const Core& c : acc.cores) {
        const CoreType& t = *c.type;
        std::vector<std::string> dims;
        for (const ArrayDim& d : t.array_dims) dims.push_back(fmt::format("{}={}", d.name, d.size));
        fmt::format_to(out, "\ncore {} '{}'{}", c.id, t.name, c.is_offchip ? " (off-chip)" : "");
        if (!c.is_offchip)
            fmt::format_to(out, ": array {} ({} MACs, {} pJ/MAC){}", fmt::join(dims, " x "), t.mac_units(), t.mac_energy_pj,
                           t.model_plugin.empty() ? "" : ", model " + t.model_plugin);
        if (c.top_memory_owner != c.id) fmt::format_to(out, ", top memory shared with core {}", c.top_memory_owner);
        fmt::format_to(out, "\n  {:<14} {:>14} {:>8} {:>8} {:>10} {:>10}  {:<14} {}\n", "memory", "size bits", "rd b/c",
                       "wr b/c", "rd pJ", "wr pJ", "operands", "costs from");
        for (const MemoryLevel& m : t.memories)
            fmt::format_to(out, "  {:<14} {:>14} {:>8} {:>8} {:>10.4g} {:>10.4g}  {:<14} {}\n", m.name.substr(0, 14), m.size_bits,
                           m.read_bw_bits_per_cycle, m.write_bw_bits_per_cycle, m.read_energy_pj, m.write_energy_pj,
                           fmt::format("{}", fmt::join(m.operands, ",")), m.cost_source);
    }
    fmt::format_to(out, "\nlinks\n");
    for (const Link& l : acc.links)
        fmt::format_to(out, "  {:>3}  {:<34} {:>8} bits/cycle  {:>6} pJ/bit  {} cycles\n", l.id, link_text(l),
                       l.bandwidth_bits_per_cycle, l.energy_pj_per_bit, l.latency_cycles);
    fmt::format_to(out, "\non-chip capacity: {} bits\n", onchip_bits(acc));
    return s;
}

} // namespace stream
