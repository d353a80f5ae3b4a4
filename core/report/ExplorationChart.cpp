#include "report/ExplorationChart.hpp"

#include "sweep/ParetoPlot.hpp"

#include <algorithm>

namespace stream {

std::string exploration_front_svg(const std::string& title, const nlohmann::json& exploration) {
    // Drawn like a sweep's front: front members joined, the seeds as the other points.
    sweep::MergedSweep m;
    m.name = title + ": mappings on the search's Pareto front (" + exploration.value("strategy", std::string{}) + ")";
    m.parameters = {"layer_stacks", "objective"};
    m.metrics = {"latency_cycles", "energy_pj"};
    const std::size_t chosen = exploration.at("chosen").at("index").get<std::size_t>();
    auto add = [&](const nlohmann::json& c, const std::string& key) {
        m.points.push_back({{"key", key},
                            {"status", "ok"},
                            {"params", {{"layer_stacks", c.at("layer_stacks")}, {"objective", c.at("objective")}}},
                            {"metrics", {{"latency_cycles", c.at("latency_cycles")}, {"energy_pj", c.at("energy_pj")}}}});
    };
    for (const nlohmann::json& c : exploration.at("pareto_front")) {
        const std::size_t index = c.at("index").get<std::size_t>();
        m.front.push_back(m.points.size());
        add(c, index == chosen ? "chosen" : "mapping " + std::to_string(index));
    }
    for (const char* seed : {"layer_by_layer", "as_written"})
        if (exploration.contains(seed) && exploration[seed].value("feasible", false)) {
            const std::size_t index = exploration[seed].at("index").get<std::size_t>();
            const bool on_front = std::any_of(exploration.at("pareto_front").begin(), exploration.at("pareto_front").end(),
                                              [&](const nlohmann::json& c) { return c.at("index").get<std::size_t>() == index; });
            if (!on_front) add(exploration[seed], seed == std::string("layer_by_layer") ? "layer by layer" : "as written");
        }
    return sweep::pareto_svg(m);
}

} // namespace stream
