// One (problem, allocation) pair resolved into the flat arrays the scheduler
// walks: each node's core, cost and runtime; the memory instance each operand
// of each core lives in; each tensor's "slots" (every memory it can ever be
// in: DRAM, its producer's memory, each consumer's memory); successor lists.
// Everything is validated here, so the scheduling loop itself never meets
// bad input. Building is linear in nodes + inputs + edges and reuses the
// vectors of the previous call.
//
// Memory instances. A core keeps an operand in the outermost of its memory
// levels that lists it (the outermost level if none does); when that is the
// core's outermost level and the core shares it (top_memory_owner), the
// instance is the owner's. DRAM is one more instance, never full.
//
// Problems from hosts that do not fill tensors and node inputs yet are read
// the way the list scheduler reads them: a node's output is one tensor, an
// edge with bits carries it, dram_input_bits is a graph-input tile of the
// node and constant_bits of its cost one weight tile per (layer, core).
#pragma once

#include "MemoryTimeline.hpp"

#include <stream/plugin.h>

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace stream::plugins::stream_scheduler {

/// Energy and bandwidth of the memory level a transfer reads or writes.
struct MemoryPort {
    double read_energy_pj = 0;  ///< per access of read_bw bits
    double write_energy_pj = 0; ///< per access of write_bw bits
    double read_bw_bits_per_cycle = 0;
    double write_bw_bits_per_cycle = 0;
};

struct MemoryInstance {
    std::int64_t owner_core = -1; ///< the core whose memory this is (the DRAM core for DRAM)
    std::uint32_t level = 0;      ///< index into the owner's memories
    std::int64_t capacity_bits = MemoryTimeline::kUnlimited;
    bool is_dram = false;
    bool reported = false; ///< an on-chip memory level: its use goes into the memory samples
    MemoryPort port;
    std::string_view name; ///< the memory level's name, for messages
};

enum class TensorKind : std::uint8_t { constant, graph_input, activation };

struct TensorInfo {
    std::int64_t size_bits = 0;
    std::int64_t layer = -1;
    std::int64_t producer = -1; ///< activations: the node that writes it
    std::int32_t operand = 0;   ///< the operand of its own layer (interned)
    TensorKind kind = TensorKind::activation;
    std::int32_t first_slot = -1; ///< its slots form a list through Slot::next
};

/// One memory a tensor may be held in. With DRAM, slot t is tensor t's DRAM slot.
struct Slot {
    std::int32_t instance = -1;
    std::int32_t initial_uses = 0; ///< reads of the tensor from this memory by nodes (Stream's priority)
    std::int32_t tensor = -1;
    std::int32_t next = -1; ///< the tensor's next slot
    bool holds = false;     ///< the tensor can be stored here (not only counted, as compat counts streamed inputs)
};

struct NodeInput {
    std::int32_t tensor = -1;
    std::int32_t slot = -1; ///< where the node reads it (DRAM when streamed, except in compat)
    std::int32_t operand = 0;
    bool streamed = false; ///< the operand is too large for the core: read from DRAM while running
};

struct NodeInfo {
    std::int64_t layer = 0;
    std::int64_t core = -1;
    const stream_core_cost_v1* cost = nullptr;
    std::int64_t runtime_cycles = 0;
    std::int64_t priority = 0;
    std::int64_t output_tensor = -1;
    std::int32_t output_slot = -1;
    bool output_streamed = false; ///< the output goes straight to DRAM while the node runs
    bool final_output = false;    ///< produces_final_output
    bool stream_sink = false;     ///< Stream's sink rule (compat): final output of a layer with a node without successors
    bool streams_inputs = false;
    std::uint32_t first_input = 0, input_count = 0;
    std::uint32_t first_successor = 0, successor_count = 0;
    std::uint32_t in_degree = 0;
    std::uint32_t first_cleared = 0, cleared_count = 0; ///< on-chip instances of streamed operands
    std::uint32_t first_streamed = 0, streamed_count = 0; ///< interned streamed operand names
};

class ProblemIndex {
public:
    /// Throws sdk::Error for anything the scheduler cannot work with. With `reuse_graph`, the
    /// tensors, node inputs and successor lists of the previous call are kept when the problem is the
    /// same one (see graph_matches); everything that depends on the allocation is redone.
    void build(const stream_problem_v1& problem, const stream_allocation_v1& allocation, bool reuse_graph);

    /// True when the last build reused the previous call's graph.
    bool reused_graph() const { return reused_graph_; }

    bool compat = false; ///< problem->compat == "stream"
    std::int64_t offchip_core = -1;
    std::int32_t dram_instance = -1;

    std::vector<MemoryInstance> instances;
    std::vector<TensorInfo> tensors;
    std::vector<Slot> slots;
    std::vector<NodeInfo> nodes;
    std::vector<NodeInput> inputs;
    std::vector<std::int32_t> successors;   ///< node ids, one per edge (so repeated edges repeat)
    std::vector<std::int32_t> cleared;      ///< instance ids, see NodeInfo::first_cleared
    std::vector<std::int64_t> memory_owner; ///< per core: the core whose outermost memory it uses

    /// The DRAM memory level's port for an operand (energy of DRAM reads/writes).
    const MemoryPort& dram_port(std::int32_t operand) const { return dram_ports_[static_cast<std::size_t>(operand)]; }
    /// The instance core `core` keeps `operand` in.
    std::int32_t top_instance(std::int64_t core, std::int32_t operand) const {
        return top_table_[static_cast<std::size_t>(core) * operand_names_.size() + static_cast<std::size_t>(operand)];
    }

    /// The DRAM slot of `tensor`, or -1 without DRAM.
    std::int32_t dram_slot(std::int64_t tensor) const {
        return dram_instance < 0 ? -1 : static_cast<std::int32_t>(tensor);
    }

    std::string core_label(std::int64_t core) const;
    std::string_view operand_name(std::int32_t operand) const { return operand_names_[static_cast<std::size_t>(operand)]; }

private:
    std::int32_t intern(std::string_view name);
    std::int32_t intern(const char* name);
    std::uint32_t level_for(const stream_core_v1& core, std::string_view operand) const;
    std::int32_t instance_for(std::int64_t owner, std::uint32_t level);
    std::int32_t resolve_top_instance(std::int64_t core, std::int32_t operand);
    std::int32_t slot_for(std::int32_t tensor, std::int32_t instance);
    void resolve_nodes(const stream_allocation_v1& allocation);
    void read_tensors();
    void read_inputs();
    void derive_legacy_tensors();
    void resolve_memories();
    void index_edges();
    void mark_stream_sinks();
    void check_capacities();
    bool graph_matches(const stream_problem_v1& problem) const;
    void remember_graph(const stream_problem_v1& problem);

    const stream_problem_v1* problem_ = nullptr;
    const stream_accelerator_v1* accelerator_ = nullptr;
    std::vector<std::string_view> operand_names_;
    std::vector<std::pair<const char*, std::int32_t>> recent_names_; ///< pointers seen, for a fast intern
    std::vector<MemoryPort> dram_ports_;
    std::vector<std::int32_t> top_table_;                    ///< core * operand count + operand
    std::vector<std::vector<std::int32_t>> level_instance_; ///< per core, per memory level; -1 when absent
    std::vector<std::int32_t> virtual_instance_;            ///< per core without memories: an unlimited instance
    std::vector<std::int32_t> streamed_operands_;           ///< see NodeInfo::first_streamed
    std::vector<std::int64_t> scratch_;

    // The graph kept between calls (node inputs, successors) and what identifies its problem.
    struct NodeKey {
        const void* inputs;
        std::uint32_t input_count;
        std::int64_t output_tensor;
    };
    struct TensorKey {
        std::int64_t size_bits;
        std::int64_t producer;
        std::int64_t layer;
        const char* operand;
        std::int32_t kind;
    };
    struct EdgeSample {
        std::size_t index;
        std::int64_t from, to, tensor;
    };
    struct InputSample {
        std::size_t node;
        std::uint32_t index;
        std::int64_t tensor;
        const char* operand;
    };
    bool graph_valid_ = false;
    bool reused_graph_ = false;
    const void* graph_nodes_ = nullptr;
    const void* graph_edges_ = nullptr;
    const void* graph_tensors_ = nullptr;
    std::uint32_t graph_node_count_ = 0, graph_edge_count_ = 0, graph_tensor_count_ = 0;
    std::vector<NodeKey> node_keys_;
    std::vector<TensorKey> tensor_keys_;
    std::vector<EdgeSample> edge_samples_;
    std::vector<InputSample> input_samples_;
};

} // namespace stream::plugins::stream_scheduler
