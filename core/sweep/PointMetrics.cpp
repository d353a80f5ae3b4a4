#include "sweep/PointMetrics.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>

namespace stream::sweep {

namespace {

const std::vector<std::string> kPlain = {"latency_cycles", "energy_pj", "edp", "peak_memory_bits", "n_cns", "n_edges"};
const std::string kComponent = "energy_breakdown_pj.";

} // namespace

bool is_metric_name(const std::string& name) {
    return std::find(kPlain.begin(), kPlain.end(), name) != kPlain.end() ||
           (name.size() > kComponent.size() && name.starts_with(kComponent));
}

std::string metric_names() { return fmt::format("{}, {}<component>", fmt::join(kPlain, ", "), kComponent); }

nlohmann::json run_metrics(const RunResult& r, const std::vector<std::string>& names) {
    const Metrics& m = r.schedule.metrics;
    nlohmann::json out = nlohmann::json::object();
    for (const std::string& name : names) {
        double v = 0;
        if (name == "latency_cycles") v = m.latency_cycles;
        else if (name == "energy_pj") v = m.energy_pj;
        else if (name == "edp") v = m.edp;
        else if (name == "peak_memory_bits") v = m.peak_memory_bits;
        else if (name == "n_cns") v = static_cast<double>(r.graph.nodes.size());
        else if (name == "n_edges") v = static_cast<double>(r.graph.edges.size());
        else
            for (const auto& [component, pj] : r.schedule.energy_pj_by_component)
                if (kComponent + component == name) v += pj;
        out[name] = v;
    }
    return out;
}

} // namespace stream::sweep
