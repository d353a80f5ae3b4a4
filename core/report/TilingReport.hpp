// What `stream-dse tiles` prints: how the fusion engine cut each layer into
// computation nodes, so a user can check stacks, tiling and dependencies
// before paying for cost models and schedules.
#pragma once

#include "fusion/CnGraphBuilder.hpp"
#include "ir/Workload.hpp"

#include <nlohmann/json.hpp>

#include <string>

namespace stream {

/// Stable keys: n_cns, n_edges, n_unique_shapes, stacks[] (id, layers, n_cns, weight_bits,
/// working_set_bits), layers[] (id, name, op, stack, tiling, groups, n_cns, n_unique_shapes,
/// edges_in, edges_out), warnings[].
/// working_set_bits of a stack: its weights plus, per layer, the largest tile's output and inputs
/// from other layers: what must be on chip at once to run one tile of every layer.
nlohmann::json tiling_json(const Workload& w, const FusionResult& f);
std::string tiling_table(const Workload& w, const FusionResult& f);

} // namespace stream
