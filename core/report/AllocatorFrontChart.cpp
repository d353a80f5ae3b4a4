#include "report/AllocatorFrontChart.hpp"

#include "sweep/ParetoPlot.hpp"

namespace stream {

std::string allocator_front_svg(const std::string& title, const nlohmann::json& front) {
    // Every member is on the front by construction: the sweep plot draws them all as front points
    // and joins them, the chosen allocation first in the table order.
    sweep::MergedSweep m;
    m.name = title + ": allocations on the allocator's Pareto front";
    m.metrics = {"latency_cycles", "energy_pj"};
    for (std::size_t i = 0; i < front.size(); ++i) {
        const nlohmann::json& f = front[i];
        nlohmann::json params = nlohmann::json::object();
        for (const auto& [layer, cores] : f.at("allocation").items()) params[layer] = cores;
        m.points.push_back({{"key", f.value("chosen", false) ? std::string("chosen") : "alternative " + std::to_string(i)},
                            {"status", "ok"},
                            {"params", params},
                            {"metrics", {{"latency_cycles", f.at("latency_cycles")}, {"energy_pj", f.at("energy_pj")}}}});
        m.front.push_back(i);
    }
    return sweep::pareto_svg(m);
}

} // namespace stream
