// What a mapping search reports: the `exploration` section of results.json
// (strategy, budget used, the Pareto front of candidate mappings, the chosen
// one), its lines in the summary, and the chosen mapping as a mapping TOML
// that reproduces the run with the search off (--save-mapping).
#pragma once

#include "explore/Exploration.hpp"
#include "ir/Mapping.hpp"
#include "ir/Workload.hpp"

#include <nlohmann/json.hpp>

#include <string>

namespace stream {

nlohmann::json exploration_json(const ExplorationResult& e, const Workload& w);
/// Summary lines (each ending in a newline): strategy, evaluations, the chosen mapping and its
/// ratio to layer by layer and to the mapping as written.
std::string exploration_summary(const ExplorationResult& e);
/// A mapping file that gives every computation layer the chosen tiling, split and cores;
/// `layer_stacks` is what [mapping] layer_stacks (or --layer-stacks) must say with it.
std::string chosen_mapping_toml(const ExplorationResult& e, const Workload& w, const Mapping& base, std::string& layer_stacks);

} // namespace stream
