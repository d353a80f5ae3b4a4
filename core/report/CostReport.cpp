#include "report/CostReport.hpp"

#include <fmt/format.h>

namespace stream {

nlohmann::json cost_json(const SingleCoreRun& r) {
    using nlohmann::json;
    json layers = json::array();
    double latency = 0, energy = 0;
    for (const LayerCostRow& row : r.layers) {
        json levels = json::array();
        for (const auto& e : row.energy_by_level)
            levels.push_back({{"memory", e.memory}, {"operand", e.operand}, {"reads", e.reads}, {"writes", e.writes}, {"energy_pj", e.energy_pj}});
        layers.push_back({{"id", row.layer->id},
                          {"name", row.layer->name},
                          {"op", row.layer->op_type},
                          {"core", row.core},
                          {"latency_cycles", row.cost.latency_cycles},
                          {"latency_no_offload_cycles", row.cost.latency_no_offload_cycles},
                          {"energy_pj", row.cost.energy_pj},
                          {"mac_energy_pj", row.mac_energy_pj},
                          {"offchip_energy_pj", row.cost.offchip_energy_pj},
                          {"utilization", row.utilization},
                          {"ideal_cycles", row.ideal_cycles},
                          {"onloading_cycles", row.onloading_cycles},
                          {"offloading_cycles", row.offloading_cycles},
                          {"energy_by_level", levels},
                          {"mapping", row.mapping_text}});
        latency += row.cost.latency_cycles;
        energy += row.cost.energy_pj;
    }
    return {{"workload", r.workload.name},
            {"accelerator", r.accelerator.name},
            {"total", {{"latency_cycles", latency}, {"energy_pj", energy}}},
            {"layers", layers},
            {"notes", r.notes}};
}

std::string cost_table(const SingleCoreRun& r, bool verbose) {
    std::string out = fmt::format("{:>4}  {:<30} {:<14} {:>14} {:>16} {:>7}\n", "id", "layer", "op", "latency cyc", "energy pJ", "util");
    double latency = 0, energy = 0;
    for (const LayerCostRow& row : r.layers) {
        std::string name = row.layer->name.size() > 30 ? "…" + row.layer->name.substr(row.layer->name.size() - 29) : row.layer->name;
        out += fmt::format("{:>4}  {:<30} {:<14} {:>14.1f} {:>16.6g} {:>6.1f}%\n", row.layer->id, name, row.layer->op_type.substr(0, 14),
                           row.cost.latency_cycles, row.cost.energy_pj, 100.0 * row.utilization);
        if (verbose) {
            out += fmt::format("        MACs {:.6g} pJ; ideal {:.0f}, on-loading {:.0f}, off-loading {:.0f} cycles\n", row.mac_energy_pj,
                               row.ideal_cycles, row.onloading_cycles, row.offloading_cycles);
            for (const auto& e : row.energy_by_level)
                out += fmt::format("        {:<14} {:<3} reads {:>12.6g} writes {:>12.6g}  {:>14.6g} pJ\n", e.memory, e.operand, e.reads,
                                   e.writes, e.energy_pj);
            if (!row.mapping_text.empty()) {
                std::string indented = "        ";
                for (char c : row.mapping_text) indented += c == '\n' ? std::string("\n        ") : std::string(1, c);
                out += indented + "\n";
            }
        }
        latency += row.cost.latency_cycles;
        energy += row.cost.energy_pj;
    }
    out += fmt::format("\ntotal  {} layers on core {}: {:.1f} cycles, {:.6g} pJ\n", r.layers.size(),
                       r.layers.empty() ? 0 : r.layers.front().core, latency, energy);
    for (const std::string& n : r.notes) out += "note: " + n + "\n";
    return out;
}

} // namespace stream
