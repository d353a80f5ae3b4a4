// The computation-node graph that allocators and schedulers work on, with the
// cost of every node on each of its candidate cores. Until the fusion engine
// tiles layers, each computation layer is one node and one allocation unit.
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
};

struct CnEdge {
    std::int64_t from_node = 0;
    std::int64_t to_node = 0;
    std::int64_t bits = 0;
};

struct AllocUnit {
    std::int64_t layer = 0;
    std::int64_t group = 0;
    std::vector<std::int64_t> nodes;
    std::vector<CoreCost> costs; ///< summed over the unit's nodes, per candidate core
    std::int64_t fixed_core = -1;
};

struct CnGraph {
    std::vector<CnNode> nodes; ///< indexed by id
    std::vector<CnEdge> edges;
    std::vector<AllocUnit> units;
};

/// The core of each unit, in the order of CnGraph::units.
struct Allocation {
    std::vector<std::int64_t> unit_core;
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
