// The computation-node graph that allocators and schedulers work on: tiles of
// layers (CNs) with the tensors they read and write, the edges between them,
// and the cost of every node on each of its candidate cores.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace stream {

struct CoreCost {
    std::int64_t core = 0;
    double latency_cycles = 0;
    double energy_pj = 0;
    double offchip_energy_pj = 0;
    std::int64_t constant_bits = 0;
    double latency_no_offload_cycles = 0;
    std::vector<std::string> streamed_operands; ///< too large for the core: streamed from/to DRAM
    double offchip_read_bw_bits_per_cycle = 0;
    double offchip_write_bw_bits_per_cycle = 0;
};

enum class TensorKind { Constant = 1, GraphInput = 2, Activation = 3 };

/// A tile of weights, of a network input or of a node's output.
struct Tensor {
    std::int64_t id = 0;
    TensorKind kind = TensorKind::Activation;
    std::int64_t layer = 0;
    std::string operand;
    std::int64_t size_bits = 0;
    std::int64_t producer_node = -1;
};

struct NodeInput {
    std::int64_t tensor = 0;
    std::string operand; ///< operand of the consuming layer
};

/// Half-open range [lo, hi) of one loop dimension (or tensor axis).
struct Range {
    std::int64_t lo = 0;
    std::int64_t hi = 0;
    std::int64_t size() const { return hi - lo; }
    bool operator==(const Range&) const = default;
};

struct CnNode {
    std::int64_t id = 0;
    std::int64_t layer = 0;
    std::int64_t unit = 0;
    std::int64_t stack = 0;
    std::int64_t priority = 0;
    bool produces_final_output = false;
    std::int64_t output_bits = 0;
    std::int64_t dram_input_bits = 0;
    std::vector<CoreCost> costs; ///< one per candidate core
    std::int64_t group = 0;
    std::int64_t sub_id = 0;
    std::vector<Range> loop_ranges; ///< per loop dim of the layer: the tile's iterations
    std::vector<NodeInput> inputs;
    std::int64_t output_tensor = -1;
    std::int64_t shape = -1; ///< index into CnGraph::shapes: nodes with equal cost share it
};

struct CnEdge {
    std::int64_t from_node = 0;
    std::int64_t to_node = 0;
    std::int64_t bits = 0;
    std::int64_t tensor = -1; ///< -1: ordering only (tiles of one group run in order)
};

struct AllocUnit {
    std::int64_t layer = 0;
    std::int64_t group = 0;
    std::vector<std::int64_t> nodes;
    std::vector<CoreCost> costs; ///< summed over the unit's nodes, per candidate core
    std::int64_t fixed_core = -1;
};

/// A distinct cost question: one tile size of one layer (with its border
/// situation), asked once per candidate core.
struct CnShape {
    std::int64_t layer = 0;
    std::int64_t representative = 0; ///< a node with this shape
    std::int64_t count = 0;          ///< nodes sharing it
};

struct CnGraph {
    std::vector<CnNode> nodes; ///< indexed by id
    std::vector<CnEdge> edges;
    std::vector<AllocUnit> units;
    std::vector<Tensor> tensors; ///< indexed by id
    std::vector<CnShape> shapes;
};

/// The core of each unit, in the order of CnGraph::units.
/// Another allocation the allocator found worth keeping (a member of its Pareto front), with what
/// the scheduler measured for it.
struct AllocationAlternative {
    std::vector<std::int64_t> unit_core;
    double latency_cycles = 0;
    double energy_pj = 0;
    double edp = 0;
};

struct Allocation {
    std::vector<std::int64_t> unit_core;
    std::vector<AllocationAlternative> alternatives; ///< the rest of the allocator's front; may be empty
    std::vector<std::int64_t> node_priority; ///< empty: the nodes' own priorities
    bool proven_optimal = false;
    double objective = 0;
    double best_bound = 0;
    std::string summary;
};

struct Metrics {
    double latency_cycles = 0;
    double energy_pj = 0;
    double edp = 0;
    double peak_memory_bits = 0;
};

struct ScheduledNode {
    std::int64_t node = 0;
    std::int64_t core = 0;
    double start_cycle = 0;
    double end_cycle = 0;
};

struct Transfer {
    std::vector<std::int64_t> links;
    double start_cycle = 0;
    double end_cycle = 0;
    std::int64_t bits = 0;
    std::int32_t purpose = 0; ///< stream_transfer_purpose
    std::int64_t node = -1;
    double energy_pj = 0;
};

struct MemorySample {
    std::int64_t core = 0;
    std::uint32_t memory_level = 0;
    double cycle = 0;
    std::int64_t bits = 0;
};

struct Schedule {
    Metrics metrics;
    std::vector<ScheduledNode> nodes;
    std::vector<Transfer> transfers;
    std::vector<MemorySample> memory_samples;
    std::vector<std::pair<std::string, double>> energy_pj_by_component;
};

} // namespace stream
