// What `stream-dse workload show` prints: the layers as the tool understood
// them, so a user can check shapes, MACs and producers before exploring.
#pragma once

#include "ir/Workload.hpp"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <string>

namespace stream {

/// Multiply-accumulates: the loop iterations of Conv, ConvTranspose, Gemm and
/// MatMul layers, the count papers quote. 0 for every other layer.
std::int64_t layer_macs(const Layer& layer);
/// The work of other computation layers (element-wise, pooling, normalisation), in loop iterations.
std::int64_t layer_other_ops(const Layer& layer);

/// Stable keys: total_macs, total_other_ops, layers[] with id, name, op, class, loop_sizes, macs,
/// other_ops, operands[] (name, role, bits, producer).
nlohmann::json workload_json(const Workload& w);
std::string workload_table(const Workload& w);

} // namespace stream
