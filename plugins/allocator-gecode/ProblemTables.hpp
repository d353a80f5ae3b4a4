// The allocation problem as plain C++ tables, read once from the host's C
// views: the node graph (layers, tiles, stacks, edges), each node's and each
// unit's cost per candidate core, and each core's weight memory. Everything the
// steady-state analysis and the slot model need, and nothing Gecode-specific,
// so both can be tested on hand-built tables.
//
//   ProblemTables tables = read_problem(problem);
//   for (const NodeInfo& n : tables.nodes) ... n.preds, n.costs, n.macs
#pragma once

#include <stream/plugin.h>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace stream::plugins::gecode_alloc {

/// What running a node (or all nodes of a unit) on one core costs.
struct CoreCostView {
    std::int64_t core = 0;
    double latency_cycles = 0;
    double energy_pj = 0;
    std::int64_t constant_bits = 0;
    /// The weights are streamed from DRAM while the node runs (too large for the
    /// core), so they do not occupy its weight memory.
    bool weights_streamed = false;
};

struct NodeInfo {
    std::int64_t id = 0;
    std::int64_t layer = 0;
    std::int64_t sub_id = 0;
    /// Position among its unit's nodes in sub_id order: the intra-core tile index, shared
    /// by the tiles of the layer's other tile groups that cover the same rows.
    std::int64_t row = 0;
    std::int64_t stack = 0;
    std::size_t unit = 0;
    std::int64_t priority = 0;
    /// Work used to score steady-state signatures: MACs when the layers carry
    /// loop sizes, else the node's smallest latency (see ProblemTables::weight_is_macs).
    double macs = 0;
    std::vector<std::size_t> preds; ///< node indices, every edge (data and ordering)
    std::vector<std::size_t> succs;
    std::vector<CoreCostView> costs; ///< one per candidate core of its unit, off-chip cores excluded
};

struct UnitInfo {
    std::int64_t layer = 0;
    std::int64_t group = 0;
    std::int64_t fixed_core = -1;
    std::vector<CoreCostView> costs; ///< summed over the unit's nodes; off-chip cores excluded
    std::vector<std::size_t> nodes;
};

struct CoreInfo {
    std::int64_t id = 0;
    std::string name;
    bool offchip = false;
    /// Size of the outermost memory level serving "W"; -1 when unknown (no such level).
    std::int64_t weight_capacity_bits = -1;
    /// Cores with the same owner share that memory (their weights add up); the
    /// core's own id unless its weight level is a top memory shared with others.
    std::int64_t weight_memory_owner = 0;
};

struct LayerInfo {
    std::int64_t id = 0;
    std::string name;
};

struct ProblemTables {
    std::vector<NodeInfo> nodes; ///< by position; NodeInfo::id is the problem's node id
    std::vector<UnitInfo> units; ///< in the order of problem.units
    std::vector<CoreInfo> cores; ///< by position in the accelerator (= core id)
    std::vector<LayerInfo> layers;
    /// True when NodeInfo::macs are MACs (layer loop sizes shared evenly over the
    /// layer's tiles); false when they are latencies because a layer had no loop sizes.
    bool weight_is_macs = true;

    /// "layer 3 'conv3'" (or "layer 3" without a name).
    std::string layer_label(std::int64_t layer) const;
    std::string layer_name(std::int64_t layer) const;
    /// "core 1 'gemm'" (or "core 1").
    std::string core_label(std::int64_t core) const;
    const CoreInfo* core(std::int64_t id) const;
};

/// Reads the host's problem. Throws sdk::Error(STREAM_ERROR_INVALID_INPUT) when
/// an edge or a node names something that does not exist.
ProblemTables read_problem(const stream_problem_v1& problem);

/// "12.5 Mbit", "800 kbit", "96 bit".
std::string format_bits(double bits);

} // namespace stream::plugins::gecode_alloc
