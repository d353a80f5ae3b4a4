// Scheduling problems built in code: cores with memory hierarchies, DRAM,
// links and buses, tensors, nodes with their inputs and outputs, edges, and an
// allocation. Owns everything; problem() and allocation() rebuild the ABI
// views, which stay valid until the builder changes or dies.
//
//   stream::test::ProblemBuilder b;
//   auto c0 = b.add_core("c0", {stream::test::sram("sram", 1024)});
//   auto dram = b.add_dram();
//   b.add_link(dram, c0, 8);                          // 8 bits/cycle
//   auto w = b.add_constant(64, /*layer=*/0);        // a weight tile in DRAM
//   auto n0 = b.add_node({.layer = 0, .core = c0, .latency_cycles = 10, .output_bits = 32, .inputs = {{w, "W"}}});
//   const stream_problem_v1& p = b.problem();
#pragma once

#include <stream/plugin.h>

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace stream::test {

/// One memory level of a core (innermost first in a core's list).
struct MemorySpec {
    std::string name = "sram";
    std::int64_t size_bits = 0; ///< 0: unknown (unlimited)
    double read_bw_bits_per_cycle = 64;
    double write_bw_bits_per_cycle = 64;
    double read_energy_pj = 0;  ///< per access of read_bw bits
    double write_energy_pj = 0; ///< per access of write_bw bits
    std::vector<std::string> operands = {"I", "W", "O"};
};

inline MemorySpec sram(std::string name, std::int64_t size_bits, double bw_bits_per_cycle = 64, double read_pj = 0,
                       double write_pj = 0, std::vector<std::string> operands = {"I", "W", "O"}) {
    return {std::move(name), size_bits, bw_bits_per_cycle, bw_bits_per_cycle, read_pj, write_pj, std::move(operands)};
}

class ProblemBuilder {
public:
    struct Input {
        std::int64_t tensor;
        std::string operand;
    };
    struct Node {
        std::int64_t layer = 0;
        std::int64_t core = 0;
        std::int64_t priority = 0;
        double latency_cycles = 1;
        double energy_pj = 0;
        double offchip_energy_pj = 0;
        std::int64_t output_bits = 0; ///< > 0: the node writes an activation tensor of this size (operand "O")
        std::vector<Input> inputs = {};
        bool final_output = false;
        std::vector<std::string> streamed_operands = {}; ///< too large for the core: streamed from DRAM
        double offchip_read_bw_bits_per_cycle = 0;
        double offchip_write_bw_bits_per_cycle = 0;
        std::vector<std::int64_t> other_cores = {}; ///< more candidate cores (same cost), for allocators
        std::int64_t allocate_to = -1;         ///< >= 0: the allocation puts the node there instead of `core`
        // Fields of problems without tensors (older hosts).
        std::int64_t constant_bits = 0;
        std::int64_t dram_input_bits = 0;
    };

    std::string compat; ///< "stream" to reproduce Stream's quirks
    std::vector<std::int64_t> node_priority; ///< an allocator's own order; empty: the nodes' priorities

    std::int64_t add_core(const std::string& name, std::vector<MemorySpec> memories) {
        cores_.push_back({name, false, -1, std::move(memories)});
        return static_cast<std::int64_t>(cores_.size()) - 1;
    }
    /// The off-chip DRAM core (one per accelerator), with one unlimited memory by default.
    std::int64_t add_dram(MemorySpec memory = {"dram", 0, 64, 64, 0, 0, {"I", "W", "O"}}) {
        cores_.push_back({"dram", true, -1, {std::move(memory)}});
        offchip_ = static_cast<std::int64_t>(cores_.size()) - 1;
        return offchip_;
    }
    /// `core` uses `owner`'s outermost memory as its own.
    void share_top_memory(std::int64_t core, std::int64_t owner) { cores_[static_cast<std::size_t>(core)].owner = owner; }

    std::int64_t add_link(std::int64_t from, std::int64_t to, double bw_bits_per_cycle, double energy_pj_per_bit = 0,
                          double latency_cycles = 0, bool bidirectional = true) {
        stream_link_v1 link{};
        link.struct_size = sizeof link;
        link.id = 100 + static_cast<std::int64_t>(links_.size()); // ids differ from indices on purpose
        link.from_core = from;
        link.to_core = to;
        link.bandwidth_bits_per_cycle = bw_bits_per_cycle;
        link.energy_pj_per_bit = energy_pj_per_bit;
        link.latency_cycles = latency_cycles;
        link.bidirectional = bidirectional ? 1 : 0;
        links_.push_back(link);
        bus_members_.emplace_back();
        return link.id;
    }
    /// A bus joining `members`; from/to >= 0 restrict its sender/receiver (DRAM read/write buses).
    std::int64_t add_bus(std::vector<std::int64_t> members, double bw_bits_per_cycle, double energy_pj_per_bit = 0,
                         std::int64_t from = -1, std::int64_t to = -1) {
        std::int64_t id = add_link(from, to, bw_bits_per_cycle, energy_pj_per_bit);
        bus_members_.back() = std::move(members);
        return id;
    }

    std::int64_t add_tensor(stream_tensor_kind kind, std::int64_t size_bits, std::int64_t layer, std::string operand,
                            std::int64_t producer = -1) {
        tensors_.push_back({kind, size_bits, layer, std::move(operand), producer});
        return static_cast<std::int64_t>(tensors_.size()) - 1;
    }
    std::int64_t add_constant(std::int64_t size_bits, std::int64_t layer, std::string operand = "W") {
        return add_tensor(STREAM_TENSOR_CONSTANT, size_bits, layer, std::move(operand));
    }
    std::int64_t add_graph_input(std::int64_t size_bits, std::int64_t layer, std::string operand = "I") {
        return add_tensor(STREAM_TENSOR_GRAPH_INPUT, size_bits, layer, std::move(operand));
    }

    /// Adds a node (its own allocation unit) and, with output_bits > 0, its output tensor.
    std::int64_t add_node(Node node) {
        const auto id = static_cast<std::int64_t>(nodes_.size());
        std::int64_t out = -1;
        if (node.output_bits > 0) out = add_tensor(STREAM_TENSOR_ACTIVATION, node.output_bits, node.layer, "O", id);
        nodes_.push_back(std::move(node));
        outputs_.push_back(out);
        return id;
    }
    std::int64_t output_of(std::int64_t node) const { return outputs_[static_cast<std::size_t>(node)]; }
    Node& node(std::int64_t id) { return nodes_[static_cast<std::size_t>(id)]; }

    /// `to` reads `from`'s output as `operand`: an edge carrying it and an input of `to`.
    void connect(std::int64_t from, std::int64_t to, const std::string& operand = "I") {
        const std::int64_t tensor = output_of(from);
        edges_.push_back({sizeof(stream_edge_v1), from, to, tensors_[static_cast<std::size_t>(tensor)].size_bits, tensor});
        node(to).inputs.push_back({tensor, operand});
    }
    /// An ordering-only edge (tiles of one layer).
    void add_order(std::int64_t from, std::int64_t to) { edges_.push_back({sizeof(stream_edge_v1), from, to, 0, -1}); }
    /// A raw edge, for problems without tensors.
    void add_edge(std::int64_t from, std::int64_t to, std::int64_t bits, std::int64_t tensor = -1) {
        edges_.push_back({sizeof(stream_edge_v1), from, to, bits, tensor});
    }
    /// Moves `node` to `core` in the current allocation view, leaving every problem view where
    /// it is (an allocator trying allocations of one problem). Call after problem().
    void reallocate(std::int64_t node, std::int64_t core) {
        nodes_[static_cast<std::size_t>(node)].allocate_to = core;
        unit_core_[static_cast<std::size_t>(node)] = core;
    }
    /// Leave the tensors and node inputs out of the problem, as older hosts do.
    void omit_tensors() { omit_tensors_ = true; }

    const stream_problem_v1& problem() {
        build();
        return problem_view_;
    }
    const stream_allocation_v1& allocation() {
        build();
        return allocation_view_;
    }
    /// The views as last built, without rebuilding them.
    const stream_problem_v1& problem_view() const { return problem_view_; }
    const stream_allocation_v1& allocation_view() const { return allocation_view_; }
    std::size_t node_count() const { return nodes_.size(); }
    std::size_t tensor_count() const { return tensors_.size(); }

private:
    struct CoreSpec {
        std::string name;
        bool offchip;
        std::int64_t owner;
        std::vector<MemorySpec> memories;
    };
    struct TensorSpec {
        stream_tensor_kind kind;
        std::int64_t size_bits;
        std::int64_t layer;
        std::string operand;
        std::int64_t producer;
    };

    void build() {
        // Cores and their memories.
        memory_views_.assign(cores_.size(), {});
        operand_views_.assign(cores_.size(), {});
        core_views_.clear();
        for (std::size_t c = 0; c < cores_.size(); ++c) {
            const CoreSpec& spec = cores_[c];
            operand_views_[c].resize(spec.memories.size());
            for (std::size_t m = 0; m < spec.memories.size(); ++m) {
                const MemorySpec& ms = spec.memories[m];
                for (const std::string& op : ms.operands) operand_views_[c][m].push_back(op.c_str());
                stream_memory_level_v1 level{};
                level.struct_size = sizeof level;
                level.name = ms.name.c_str();
                level.size_bits = ms.size_bits;
                level.read_bw_bits_per_cycle = ms.read_bw_bits_per_cycle;
                level.write_bw_bits_per_cycle = ms.write_bw_bits_per_cycle;
                level.read_energy_pj = ms.read_energy_pj;
                level.write_energy_pj = ms.write_energy_pj;
                level.operands = operand_views_[c][m].data();
                level.operand_count = static_cast<std::uint32_t>(operand_views_[c][m].size());
                memory_views_[c].push_back(level);
            }
            stream_core_v1 core{};
            core.struct_size = sizeof core;
            core.id = static_cast<std::int64_t>(c);
            core.name = spec.name.c_str();
            core.is_offchip = spec.offchip ? 1 : 0;
            core.memories = memory_views_[c].empty() ? nullptr : memory_views_[c].data();
            core.memory_count = static_cast<std::uint32_t>(memory_views_[c].size());
            core.top_memory_owner = spec.owner >= 0 ? spec.owner : static_cast<std::int64_t>(c);
            core_views_.push_back(core);
        }
        link_views_ = links_;
        for (std::size_t l = 0; l < link_views_.size(); ++l) {
            link_views_[l].bus_cores = bus_members_[l].empty() ? nullptr : bus_members_[l].data();
            link_views_[l].bus_core_count = static_cast<std::uint32_t>(bus_members_[l].size());
        }
        accelerator_view_ = {sizeof accelerator_view_, "test", core_views_.data(), static_cast<std::uint32_t>(core_views_.size()),
                             offchip_, link_views_.empty() ? nullptr : link_views_.data(),
                             static_cast<std::uint32_t>(link_views_.size())};

        // Tensors.
        tensor_views_.clear();
        for (std::size_t t = 0; t < tensors_.size(); ++t) {
            const TensorSpec& s = tensors_[t];
            tensor_views_.push_back({sizeof(stream_tensor_v1), static_cast<std::int64_t>(t), s.kind, s.layer,
                                     s.operand.c_str(), s.size_bits, s.producer});
        }

        // Nodes, one allocation unit each.
        cost_views_.assign(nodes_.size(), {});
        streamed_views_.assign(nodes_.size(), {});
        input_views_.assign(nodes_.size(), {});
        node_ids_.clear();
        for (std::size_t n = 0; n < nodes_.size(); ++n) node_ids_.push_back(static_cast<std::int64_t>(n));
        unit_views_.clear();
        node_views_.clear();
        unit_core_.clear();
        for (std::size_t n = 0; n < nodes_.size(); ++n) {
            const Node& spec = nodes_[n];
            for (const std::string& op : spec.streamed_operands) streamed_views_[n].push_back(op.c_str());
            std::vector<std::int64_t> candidates{spec.core};
            candidates.insert(candidates.end(), spec.other_cores.begin(), spec.other_cores.end());
            for (std::int64_t core : candidates) {
                stream_core_cost_v1 c{};
                c.struct_size = sizeof c;
                c.core = core;
                c.latency_cycles = spec.latency_cycles;
                c.energy_pj = spec.energy_pj;
                c.offchip_energy_pj = spec.offchip_energy_pj;
                c.constant_bits = spec.constant_bits;
                c.latency_no_offload_cycles = spec.latency_cycles;
                c.streamed_operands = streamed_views_[n].empty() ? nullptr : streamed_views_[n].data();
                c.streamed_operand_count = static_cast<std::uint32_t>(streamed_views_[n].size());
                c.offchip_read_bw_bits_per_cycle = spec.offchip_read_bw_bits_per_cycle;
                c.offchip_write_bw_bits_per_cycle = spec.offchip_write_bw_bits_per_cycle;
                cost_views_[n].push_back(c);
            }
            if (!omit_tensors_)
                for (const Input& in : spec.inputs)
                    input_views_[n].push_back({sizeof(stream_node_input_v1), in.tensor, in.operand.c_str()});
        }
        for (std::size_t n = 0; n < nodes_.size(); ++n) {
            const Node& spec = nodes_[n];
            stream_alloc_unit_v1 u{};
            u.struct_size = sizeof u;
            u.layer = spec.layer;
            u.nodes = &node_ids_[n];
            u.node_count = 1;
            u.costs = cost_views_[n].data();
            u.cost_count = static_cast<std::uint32_t>(cost_views_[n].size());
            u.fixed_core = -1;
            unit_views_.push_back(u);

            stream_node_v1 v{};
            v.struct_size = sizeof v;
            v.id = static_cast<std::int64_t>(n);
            v.layer = spec.layer;
            v.unit = static_cast<std::int64_t>(n);
            v.priority = spec.priority;
            v.produces_final_output = spec.final_output ? 1 : 0;
            v.output_bits = outputs_[n] >= 0 ? tensors_[static_cast<std::size_t>(outputs_[n])].size_bits : 0;
            v.dram_input_bits = spec.dram_input_bits;
            v.costs = cost_views_[n].data();
            v.cost_count = static_cast<std::uint32_t>(cost_views_[n].size());
            v.sub_id = static_cast<std::int64_t>(n);
            v.inputs = input_views_[n].empty() ? nullptr : input_views_[n].data();
            v.input_count = static_cast<std::uint32_t>(input_views_[n].size());
            v.output_tensor = omit_tensors_ ? -1 : outputs_[n];
            node_views_.push_back(v);
            unit_core_.push_back(spec.allocate_to >= 0 ? spec.allocate_to : spec.core);
        }
        edge_views_ = edges_;
        if (omit_tensors_)
            for (auto& e : edge_views_) e.tensor = -1;

        problem_view_ = {};
        problem_view_.struct_size = sizeof problem_view_;
        problem_view_.accelerator = &accelerator_view_;
        problem_view_.units = unit_views_.empty() ? nullptr : unit_views_.data();
        problem_view_.unit_count = static_cast<std::uint32_t>(unit_views_.size());
        problem_view_.nodes = node_views_.empty() ? nullptr : node_views_.data();
        problem_view_.node_count = static_cast<std::uint32_t>(node_views_.size());
        problem_view_.edges = edge_views_.empty() ? nullptr : edge_views_.data();
        problem_view_.edge_count = static_cast<std::uint32_t>(edge_views_.size());
        problem_view_.tensors = omit_tensors_ || tensor_views_.empty() ? nullptr : tensor_views_.data();
        problem_view_.tensor_count = omit_tensors_ ? 0 : static_cast<std::uint32_t>(tensor_views_.size());
        problem_view_.compat = compat.c_str();
        allocation_view_ = {sizeof allocation_view_, unit_core_.empty() ? nullptr : unit_core_.data(),
                            static_cast<std::uint32_t>(unit_core_.size()),
                            node_priority.empty() ? nullptr : node_priority.data(),
                            static_cast<std::uint32_t>(node_priority.size())};
    }

    std::vector<CoreSpec> cores_;
    std::int64_t offchip_ = -1;
    std::vector<stream_link_v1> links_;
    std::vector<std::vector<std::int64_t>> bus_members_;
    std::vector<TensorSpec> tensors_;
    std::vector<Node> nodes_;
    std::vector<std::int64_t> outputs_;
    std::vector<stream_edge_v1> edges_;
    bool omit_tensors_ = false;

    // Views, rebuilt by build().
    std::vector<std::vector<stream_memory_level_v1>> memory_views_;
    std::vector<std::vector<std::vector<const char*>>> operand_views_;
    std::vector<stream_core_v1> core_views_;
    std::vector<stream_link_v1> link_views_;
    stream_accelerator_v1 accelerator_view_{};
    std::vector<stream_tensor_v1> tensor_views_;
    std::vector<std::vector<stream_core_cost_v1>> cost_views_;
    std::vector<std::vector<const char*>> streamed_views_;
    std::vector<std::vector<stream_node_input_v1>> input_views_;
    std::vector<std::int64_t> node_ids_;
    std::vector<stream_alloc_unit_v1> unit_views_;
    std::vector<stream_node_v1> node_views_;
    std::vector<std::int64_t> unit_core_;
    std::vector<stream_edge_v1> edge_views_;
    stream_problem_v1 problem_view_{};
    stream_allocation_v1 allocation_view_{};
};

} // namespace stream::test
