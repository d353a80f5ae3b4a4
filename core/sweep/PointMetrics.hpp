// The metrics a sweep can keep from a run: latency_cycles, energy_pj, edp,
// peak_memory_bits, n_cns, n_edges, and energy_breakdown_pj.<component>.
// Only values that a rerun reproduces exactly: no wall-clock times.
#pragma once

#include "pipeline/Stages.hpp"

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

namespace stream::sweep {

/// Whether `name` is a metric this host knows (energy components are checked per run).
bool is_metric_name(const std::string& name);
/// "latency_cycles, energy_pj, ..." for messages.
std::string metric_names();

/// {name: value} for `names`; an energy component the run does not have is 0.
nlohmann::json run_metrics(const RunResult& r, const std::vector<std::string>& names);

} // namespace stream::sweep
