// A mapping search's result as a latency-energy scatter plot: the Pareto front of the candidate
// mappings (results.json's exploration.pareto_front), the chosen one, and layer by layer and the
// mapping as written for reference; each dot's tooltip gives the mapping's stacks and objective.
#pragma once

#include <nlohmann/json.hpp>

#include <string>

namespace stream {

/// `exploration` is results.json's exploration section.
std::string exploration_front_svg(const std::string& title, const nlohmann::json& exploration);

} // namespace stream
