#include "ProblemIndex.hpp"

#include <stream/plugin.hpp>

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <unordered_set>
#include <utility>

namespace stream::plugins::stream_scheduler {

namespace {

[[noreturn]] void invalid(const std::string& message, std::optional<sdk::Item> item = std::nullopt) {
    throw sdk::Error(STREAM_ERROR_INVALID_INPUT, message, std::move(item));
}

// Whole cycles, forgiving the last ulps of a quotient that is exact on paper.
std::int64_t ceil_cycles(double x) {
    const double whole = std::floor(x);
    return static_cast<std::int64_t>(x - whole <= 1e-9 * std::max(1.0, x) ? whole : whole + 1.0);
}

const stream_node_v1& node_at(const stream_problem_v1& p, std::size_t i) { return *STREAM_AT(stream_node_v1, p.nodes, i); }
const stream_core_v1& core_at(const stream_accelerator_v1& a, std::int64_t i) {
    return *STREAM_AT(stream_core_v1, a.cores, static_cast<std::size_t>(i));
}

std::string_view text(const char* s) { return s ? std::string_view{s} : std::string_view{}; }

} // namespace

std::int32_t ProblemIndex::intern(std::string_view name) {
    for (std::size_t i = 0; i < operand_names_.size(); ++i)
        if (operand_names_[i] == name) return static_cast<std::int32_t>(i);
    operand_names_.push_back(name);
    return static_cast<std::int32_t>(operand_names_.size() - 1);
}

std::int32_t ProblemIndex::intern(const char* name) {
    // Hosts pass the same few names again and again, often the very same pointers: try those first.
    for (const auto& [pointer, id] : recent_names_)
        if (pointer == name) return id;
    const std::int32_t id = intern(text(name));
    if (recent_names_.size() < 16) recent_names_.emplace_back(name, id);
    return id;
}

std::string ProblemIndex::core_label(std::int64_t core) const {
    std::string label = "core " + std::to_string(core);
    if (accelerator_ && core >= 0 && core < static_cast<std::int64_t>(accelerator_->core_count)) {
        std::string_view name = text(core_at(*accelerator_, core).name);
        if (!name.empty()) label += " (" + std::string(name) + ")";
    }
    return label;
}

std::uint32_t ProblemIndex::level_for(const stream_core_v1& core, std::string_view operand) const {
    for (std::uint32_t i = core.memory_count; i-- > 0;) {
        const stream_memory_level_v1& level = *STREAM_AT(stream_memory_level_v1, core.memories, i);
        for (std::uint32_t o = 0; o < level.operand_count; ++o)
            if (text(level.operands[o]) == operand) return i;
    }
    return core.memory_count - 1; // every operand reaches the outermost level (the hardware schema's rule)
}

std::int32_t ProblemIndex::instance_for(std::int64_t owner, std::uint32_t level) {
    std::int32_t& id = level_instance_[static_cast<std::size_t>(owner)][level];
    if (id >= 0) return id;
    const stream_core_v1& core = core_at(*accelerator_, owner);
    const stream_memory_level_v1& m = *STREAM_AT(stream_memory_level_v1, core.memories, level);
    MemoryInstance inst;
    inst.owner_core = owner;
    inst.level = level;
    inst.capacity_bits = m.size_bits > 0 ? m.size_bits : MemoryTimeline::kUnlimited;
    inst.reported = true;
    inst.port = {m.read_energy_pj, m.write_energy_pj, m.read_bw_bits_per_cycle, m.write_bw_bits_per_cycle};
    inst.name = text(m.name);
    id = static_cast<std::int32_t>(instances.size());
    instances.push_back(inst);
    return id;
}

std::int32_t ProblemIndex::resolve_top_instance(std::int64_t core, std::int32_t operand) {
    const stream_core_v1& c = core_at(*accelerator_, core);
    if (c.memory_count == 0) {
        // A core without memories: an unlimited store, so its nodes can still be scheduled.
        std::int32_t& v = virtual_instance_[static_cast<std::size_t>(core)];
        if (v < 0) {
            MemoryInstance inst;
            inst.owner_core = core;
            v = static_cast<std::int32_t>(instances.size());
            instances.push_back(inst);
        }
        return v;
    }
    std::int64_t owner = core;
    std::uint32_t level = level_for(c, operand_name(operand));
    const std::int64_t shared_with = memory_owner[static_cast<std::size_t>(core)];
    if (shared_with != core && level + 1 == c.memory_count && core_at(*accelerator_, shared_with).memory_count > 0) {
        owner = shared_with;
        level = core_at(*accelerator_, owner).memory_count - 1;
    }
    return instance_for(owner, level);
}

std::int32_t ProblemIndex::slot_for(std::int32_t tensor, std::int32_t instance) {
    TensorInfo& t = tensors[static_cast<std::size_t>(tensor)];
    for (std::int32_t s = t.first_slot; s >= 0; s = slots[static_cast<std::size_t>(s)].next)
        if (slots[static_cast<std::size_t>(s)].instance == instance) return s;
    slots.push_back(Slot{instance, 0, tensor, t.first_slot, false});
    t.first_slot = static_cast<std::int32_t>(slots.size() - 1);
    return t.first_slot;
}

void ProblemIndex::build(const stream_problem_v1& problem, const stream_allocation_v1& allocation, bool reuse_graph) {
    problem_ = &problem;
    if (!problem.accelerator) invalid("the problem has no accelerator");
    accelerator_ = problem.accelerator;
    const stream_accelerator_v1& acc = *accelerator_;
    compat = STREAM_HAS_FIELD(stream_problem_v1, problem.struct_size, compat) && text(problem.compat) == "stream";
    offchip_core = acc.offchip_core;
    if (offchip_core >= static_cast<std::int64_t>(acc.core_count) || offchip_core < -1)
        invalid("the off-chip core " + std::to_string(offchip_core) + " is not among the " +
                std::to_string(acc.core_count) + " cores");
    const bool has_tensors =
        STREAM_HAS_FIELD(stream_problem_v1, problem.struct_size, tensor_count) && problem.tensor_count > 0;
    reused_graph_ = reuse_graph && has_tensors && graph_matches(problem);
    if (!reused_graph_) {
        graph_valid_ = false;
        operand_names_.clear();
        recent_names_.clear();
        inputs.clear();
        successors.clear();
        nodes.assign(problem.node_count, NodeInfo{});
    }

    instances.clear();
    if (!reused_graph_) tensors.clear();
    slots.clear();
    cleared.clear();
    streamed_operands_.clear();
    level_instance_.resize(acc.core_count);
    memory_owner.resize(acc.core_count);
    for (std::uint32_t c = 0; c < acc.core_count; ++c) {
        const stream_core_v1& core = core_at(acc, c);
        level_instance_[c].assign(core.memory_count, -1);
        const bool shares = STREAM_HAS_FIELD(stream_core_v1, core.struct_size, top_memory_owner) &&
                            core.top_memory_owner >= 0 && core.top_memory_owner < static_cast<std::int64_t>(acc.core_count);
        memory_owner[c] = shares ? core.top_memory_owner : static_cast<std::int64_t>(c);
    }
    virtual_instance_.assign(acc.core_count, -1);
    dram_instance = -1;
    if (offchip_core >= 0) {
        MemoryInstance dram;
        dram.owner_core = offchip_core;
        const stream_core_v1& c = core_at(acc, offchip_core);
        dram.level = c.memory_count > 0 ? c.memory_count - 1 : 0;
        dram.is_dram = true;
        dram.name = "DRAM";
        dram_instance = 0;
        instances.push_back(dram);
    }

    resolve_nodes(allocation);
    if (has_tensors) {
        if (!reused_graph_) {
            read_tensors();
            read_inputs();
            index_edges();
            remember_graph(problem);
        }
    } else {
        derive_legacy_tensors();
        index_edges();
    }

    // Every (core, operand) pair's memory, now that every operand name is known.
    const std::size_t operand_count = operand_names_.size();
    top_table_.assign(static_cast<std::size_t>(acc.core_count) * operand_count, -1);
    for (std::uint32_t c = 0; c < acc.core_count; ++c)
        if (static_cast<std::int64_t>(c) != offchip_core)
            for (std::size_t op = 0; op < operand_count; ++op)
                top_table_[c * operand_count + op] = resolve_top_instance(c, static_cast<std::int32_t>(op));
    resolve_memories();

    dram_ports_.assign(operand_count, MemoryPort{});
    if (offchip_core >= 0) {
        const stream_core_v1& dram = core_at(acc, offchip_core);
        if (dram.memory_count > 0)
            for (std::size_t op = 0; op < operand_count; ++op) {
                const auto& m = *STREAM_AT(stream_memory_level_v1, dram.memories, level_for(dram, operand_names_[op]));
                dram_ports_[op] = {m.read_energy_pj, m.write_energy_pj, m.read_bw_bits_per_cycle, m.write_bw_bits_per_cycle};
            }
    }
    if (compat) mark_stream_sinks();
    check_capacities();
}

bool ProblemIndex::graph_matches(const stream_problem_v1& p) const {
    // An allocator evaluates thousands of allocations of one problem, and the graph (tensors,
    // node inputs, successor lists) costs as much to rebuild as the schedule itself. It is kept
    // when the problem's arrays are where they were, as long, every node reads the same input
    // array with the same count and writes the same tensor, and the edges and inputs at a few
    // hundred places spread over the arrays are unchanged: a const view the host still owns.
    if (!graph_valid_ || p.nodes != graph_nodes_ || p.edges != graph_edges_ || p.tensors != graph_tensors_ ||
        p.node_count != graph_node_count_ || p.edge_count != graph_edge_count_ || p.tensor_count != graph_tensor_count_)
        return false;
    for (std::size_t n = 0; n < p.node_count; ++n) {
        const stream_node_v1& v = node_at(p, n);
        if (!STREAM_HAS_FIELD(stream_node_v1, v.struct_size, output_tensor)) return false;
        const NodeKey& key = node_keys_[n];
        if (v.inputs != key.inputs || v.input_count != key.input_count || v.output_tensor != key.output_tensor)
            return false;
    }
    // Every tensor, not a sample: a tensor's size decides evictions, and re-reading them all
    // (names interned) costs several times this comparison.
    for (std::size_t t = 0; t < p.tensor_count; ++t) {
        const stream_tensor_v1& v = *STREAM_AT(stream_tensor_v1, p.tensors, t);
        const TensorKey& key = tensor_keys_[t];
        if (v.size_bits != key.size_bits || v.kind != key.kind || v.producer_node != key.producer || v.layer != key.layer ||
            v.operand != key.operand)
            return false;
    }
    for (const EdgeSample& sample : edge_samples_) {
        const stream_edge_v1& e = *STREAM_AT(stream_edge_v1, p.edges, sample.index);
        if (e.from_node != sample.from || e.to_node != sample.to || e.tensor != sample.tensor) return false;
    }
    for (const InputSample& sample : input_samples_) {
        const stream_node_input_v1& in = *STREAM_AT(stream_node_input_v1, node_at(p, sample.node).inputs, sample.index);
        if (in.tensor != sample.tensor || in.operand != sample.operand) return false;
    }
    return true;
}

void ProblemIndex::remember_graph(const stream_problem_v1& p) {
    constexpr std::size_t kSamples = 256;
    graph_nodes_ = p.nodes;
    graph_edges_ = p.edges;
    graph_tensors_ = p.tensors;
    graph_node_count_ = p.node_count;
    graph_edge_count_ = p.edge_count;
    graph_tensor_count_ = p.tensor_count;
    node_keys_.resize(p.node_count);
    for (std::size_t n = 0; n < p.node_count; ++n) {
        const stream_node_v1& v = node_at(p, n);
        node_keys_[n] = {v.inputs, v.input_count, v.output_tensor};
    }
    tensor_keys_.resize(p.tensor_count);
    for (std::size_t t = 0; t < p.tensor_count; ++t) {
        const stream_tensor_v1& v = *STREAM_AT(stream_tensor_v1, p.tensors, t);
        tensor_keys_[t] = {v.size_bits, v.producer_node, v.layer, v.operand, v.kind};
    }
    edge_samples_.clear();
    for (std::size_t k = 0; k < kSamples && p.edge_count > 0; ++k) {
        const std::size_t e = k * p.edge_count / kSamples;
        const stream_edge_v1& edge = *STREAM_AT(stream_edge_v1, p.edges, e);
        edge_samples_.push_back({e, edge.from_node, edge.to_node, edge.tensor});
    }
    input_samples_.clear();
    for (std::size_t k = 0; k < kSamples && p.node_count > 0; ++k) {
        const std::size_t n = k * p.node_count / kSamples;
        const stream_node_v1& v = node_at(p, n);
        if (v.input_count == 0) continue;
        const auto i = static_cast<std::uint32_t>(k % v.input_count);
        const stream_node_input_v1& in = *STREAM_AT(stream_node_input_v1, v.inputs, i);
        input_samples_.push_back({n, i, in.tensor, in.operand});
    }
    graph_valid_ = true;
}

void ProblemIndex::resolve_nodes(const stream_allocation_v1& allocation) {
    const stream_problem_v1& p = *problem_;
    const stream_accelerator_v1& acc = *accelerator_;
    if (p.node_count > static_cast<std::uint32_t>(std::numeric_limits<std::int32_t>::max()))
        invalid("the problem has " + std::to_string(p.node_count) + " nodes, more than this scheduler indexes");
    if (allocation.unit_count != p.unit_count)
        invalid("the allocation has " + std::to_string(allocation.unit_count) + " units, the problem " +
                std::to_string(p.unit_count));
    const bool own_order = STREAM_HAS_FIELD(stream_allocation_v1, allocation.struct_size, node_priority_count) &&
                           allocation.node_priority && allocation.node_priority_count > 0;
    if (own_order && allocation.node_priority_count != p.node_count)
        invalid("the allocation orders " + std::to_string(allocation.node_priority_count) + " nodes, the problem has " +
                std::to_string(p.node_count));
    for (std::size_t n = 0; n < p.node_count; ++n) {
        const stream_node_v1& v = node_at(p, n);
        const sdk::Item item = sdk::Item::node(static_cast<std::int64_t>(n));
        if (v.id != static_cast<std::int64_t>(n))
            invalid("node at index " + std::to_string(n) + " has id " + std::to_string(v.id) +
                        "; nodes must be indexed by id",
                    item);
        if (v.unit < 0 || v.unit >= static_cast<std::int64_t>(p.unit_count))
            invalid("node " + std::to_string(n) + " belongs to unit " + std::to_string(v.unit) + " of " +
                        std::to_string(p.unit_count),
                    item);
        NodeInfo& node = nodes[n];
        node.layer = v.layer;
        node.core = allocation.unit_core[v.unit];
        node.cost = nullptr;
        node.output_slot = -1;
        node.output_streamed = node.streams_inputs = node.stream_sink = false;
        if (node.core < 0 || node.core >= static_cast<std::int64_t>(acc.core_count))
            invalid("node " + std::to_string(n) + " is allocated to core " + std::to_string(node.core) + ", but there are " +
                        std::to_string(acc.core_count) + " cores",
                    item);
        if (node.core == offchip_core || core_at(acc, node.core).is_offchip)
            invalid("node " + std::to_string(n) + " of layer " + std::to_string(v.layer) + " is allocated to " +
                        core_label(node.core) + ", the off-chip memory, which does not compute",
                    item);
        for (std::uint32_t c = 0; c < v.cost_count; ++c) {
            const stream_core_cost_v1& cost = *STREAM_AT(stream_core_cost_v1, v.costs, c);
            if (cost.core == node.core) {
                node.cost = &cost;
                break;
            }
        }
        if (!node.cost)
            invalid("node " + std::to_string(n) + " of layer " + std::to_string(v.layer) + " has no cost on " +
                        core_label(node.core) + ", the core its unit is allocated to",
                    item);
        if (!(node.cost->latency_cycles >= 0.0) || !std::isfinite(node.cost->latency_cycles))
            invalid("node " + std::to_string(n) + " has latency " + std::to_string(node.cost->latency_cycles) + " on " +
                        core_label(node.core),
                    item);
        node.runtime_cycles = ceil_cycles(node.cost->latency_cycles);
        node.priority = own_order ? allocation.node_priority[n] : v.priority;
        node.final_output = v.produces_final_output != 0;
        node.first_streamed = static_cast<std::uint32_t>(streamed_operands_.size());
        if (STREAM_HAS_FIELD(stream_core_cost_v1, node.cost->struct_size, streamed_operand_count))
            for (std::uint32_t s = 0; s < node.cost->streamed_operand_count; ++s) {
                const std::int32_t op = intern(node.cost->streamed_operands[s]);
                if (std::find(streamed_operands_.begin() + node.first_streamed, streamed_operands_.end(), op) ==
                    streamed_operands_.end())
                    streamed_operands_.push_back(op);
            }
        node.streamed_count = static_cast<std::uint32_t>(streamed_operands_.size()) - node.first_streamed;
    }
}

void ProblemIndex::read_tensors() {
    const stream_problem_v1& p = *problem_;
    if (p.tensor_count > static_cast<std::uint32_t>(std::numeric_limits<std::int32_t>::max()))
        invalid("the problem has " + std::to_string(p.tensor_count) + " tensors, more than this scheduler indexes");
    tensors.resize(p.tensor_count);
    for (std::size_t t = 0; t < p.tensor_count; ++t) {
        const stream_tensor_v1& v = *STREAM_AT(stream_tensor_v1, p.tensors, t);
        if (v.id != static_cast<std::int64_t>(t))
            invalid("tensor at index " + std::to_string(t) + " has id " + std::to_string(v.id) +
                    "; tensors must be indexed by id");
        if (v.size_bits < 0) invalid("tensor " + std::to_string(t) + " has " + std::to_string(v.size_bits) + " bits");
        TensorInfo& info = tensors[t];
        info.size_bits = v.size_bits;
        info.layer = v.layer;
        info.operand = intern(v.operand);
        switch (v.kind) {
        case STREAM_TENSOR_CONSTANT: info.kind = TensorKind::constant; break;
        case STREAM_TENSOR_GRAPH_INPUT: info.kind = TensorKind::graph_input; break;
        case STREAM_TENSOR_ACTIVATION: info.kind = TensorKind::activation; break;
        default: invalid("tensor " + std::to_string(t) + " has unknown kind " + std::to_string(v.kind));
        }
        if (info.kind == TensorKind::activation) {
            if (v.producer_node < 0 || v.producer_node >= static_cast<std::int64_t>(p.node_count))
                invalid("activation tensor " + std::to_string(t) + " has producer node " +
                        std::to_string(v.producer_node) + ", which does not exist");
            info.producer = v.producer_node;
        }
    }
    for (std::size_t n = 0; n < p.node_count; ++n) {
        const stream_node_v1& v = node_at(p, n);
        NodeInfo& node = nodes[n];
        node.output_tensor = -1;
        if (!STREAM_HAS_FIELD(stream_node_v1, v.struct_size, output_tensor) || v.output_tensor < 0) continue;
        const sdk::Item item = sdk::Item::node(static_cast<std::int64_t>(n));
        if (v.output_tensor >= static_cast<std::int64_t>(p.tensor_count))
            invalid("node " + std::to_string(n) + " writes tensor " + std::to_string(v.output_tensor) +
                        ", which does not exist",
                    item);
        const TensorInfo& out = tensors[static_cast<std::size_t>(v.output_tensor)];
        if (out.kind != TensorKind::activation || out.producer != static_cast<std::int64_t>(n))
            invalid("node " + std::to_string(n) + " writes tensor " + std::to_string(v.output_tensor) +
                        ", whose producer is " + std::to_string(out.producer),
                    item);
        node.output_tensor = v.output_tensor;
    }
}

void ProblemIndex::read_inputs() {
    const stream_problem_v1& p = *problem_;
    std::size_t total = 0;
    for (std::size_t n = 0; n < p.node_count; ++n)
        if (STREAM_HAS_FIELD(stream_node_v1, node_at(p, n).struct_size, input_count)) total += node_at(p, n).input_count;
    inputs.reserve(total);
    for (std::size_t n = 0; n < p.node_count; ++n) {
        const stream_node_v1& v = node_at(p, n);
        NodeInfo& node = nodes[n];
        const sdk::Item item = sdk::Item::node(static_cast<std::int64_t>(n));
        node.first_input = static_cast<std::uint32_t>(inputs.size());
        if (STREAM_HAS_FIELD(stream_node_v1, v.struct_size, input_count))
            for (std::uint32_t i = 0; i < v.input_count; ++i) {
                const stream_node_input_v1& in = *STREAM_AT(stream_node_input_v1, v.inputs, i);
                if (in.tensor < 0 || in.tensor >= static_cast<std::int64_t>(p.tensor_count))
                    invalid("node " + std::to_string(n) + " reads tensor " + std::to_string(in.tensor) +
                                ", which does not exist",
                            item);
                if (tensors[static_cast<std::size_t>(in.tensor)].producer == static_cast<std::int64_t>(n))
                    invalid("node " + std::to_string(n) + " reads its own output tensor " + std::to_string(in.tensor), item);
                inputs.push_back({static_cast<std::int32_t>(in.tensor), -1, intern(in.operand), false});
            }
        node.input_count = static_cast<std::uint32_t>(inputs.size()) - node.first_input;
    }
}

void ProblemIndex::derive_legacy_tensors() {
    const stream_problem_v1& p = *problem_;
    for (std::size_t n = 0; n < p.node_count; ++n) {
        const stream_node_v1& v = node_at(p, n);
        if (STREAM_HAS_FIELD(stream_node_v1, v.struct_size, input_count) && v.input_count > 0)
            invalid("node " + std::to_string(n) + " reads tensors, but the problem lists none",
                    sdk::Item::node(static_cast<std::int64_t>(n)));
    }
    const std::int32_t op_in = intern("I");
    const std::int32_t op_weight = intern("W");
    const std::int32_t op_out = intern("O");
    // One output tensor per node: its output bits, or what its edges carry when it gives none.
    std::vector<std::int64_t>& out_bits = scratch_;
    out_bits.assign(p.node_count, 0);
    for (std::size_t e = 0; e < p.edge_count; ++e) {
        const stream_edge_v1& edge = *STREAM_AT(stream_edge_v1, p.edges, e);
        if (edge.from_node >= 0 && edge.from_node < static_cast<std::int64_t>(p.node_count))
            out_bits[static_cast<std::size_t>(edge.from_node)] =
                std::max(out_bits[static_cast<std::size_t>(edge.from_node)], edge.bits);
    }
    tensors.resize(p.node_count);
    for (std::size_t n = 0; n < p.node_count; ++n) {
        const stream_node_v1& v = node_at(p, n);
        TensorInfo& t = tensors[n];
        t.size_bits = v.output_bits > 0 ? v.output_bits : out_bits[n];
        t.layer = v.layer;
        t.producer = static_cast<std::int64_t>(n);
        t.operand = op_out;
        t.kind = TensorKind::activation;
        nodes[n].output_tensor = t.size_bits > 0 ? static_cast<std::int64_t>(n) : -1;
    }
    // Weight tiles: one per (layer, core), as large as the largest need of its nodes there.
    std::map<std::pair<std::int64_t, std::int64_t>, std::int64_t> weights;
    for (std::size_t n = 0; n < p.node_count; ++n) {
        const std::int64_t bits = nodes[n].cost->constant_bits;
        if (bits <= 0) continue;
        auto [it, added] = weights.try_emplace({node_at(p, n).layer, nodes[n].core}, static_cast<std::int64_t>(tensors.size()));
        if (added) tensors.push_back({bits, node_at(p, n).layer, -1, op_weight, TensorKind::constant, -1});
        tensors[static_cast<std::size_t>(it->second)].size_bits =
            std::max(tensors[static_cast<std::size_t>(it->second)].size_bits, bits);
    }
    // Inputs: weights, the node's graph-input tile, then each producer's output once.
    std::vector<std::vector<std::int64_t>> producers(p.node_count);
    for (std::size_t e = 0; e < p.edge_count; ++e) {
        const stream_edge_v1& edge = *STREAM_AT(stream_edge_v1, p.edges, e);
        if (edge.bits <= 0 || edge.from_node < 0 || edge.to_node < 0 ||
            edge.from_node >= static_cast<std::int64_t>(p.node_count) ||
            edge.to_node >= static_cast<std::int64_t>(p.node_count) || edge.from_node == edge.to_node)
            continue;
        producers[static_cast<std::size_t>(edge.to_node)].push_back(edge.from_node);
    }
    for (std::size_t n = 0; n < p.node_count; ++n) {
        const stream_node_v1& v = node_at(p, n);
        NodeInfo& node = nodes[n];
        node.first_input = static_cast<std::uint32_t>(inputs.size());
        if (node.cost->constant_bits > 0)
            inputs.push_back({static_cast<std::int32_t>(weights.at({v.layer, node.core})), -1, op_weight, false});
        if (v.dram_input_bits > 0) {
            inputs.push_back({static_cast<std::int32_t>(tensors.size()), -1, op_in, false});
            tensors.push_back({v.dram_input_bits, v.layer, -1, op_in, TensorKind::graph_input, -1});
        }
        std::vector<std::int64_t>& from = producers[n];
        std::sort(from.begin(), from.end());
        from.erase(std::unique(from.begin(), from.end()), from.end());
        for (std::int64_t producer : from)
            if (nodes[static_cast<std::size_t>(producer)].output_tensor >= 0)
                inputs.push_back({static_cast<std::int32_t>(producer), -1, op_in, false});
        node.input_count = static_cast<std::uint32_t>(inputs.size()) - node.first_input;
    }
}

void ProblemIndex::resolve_memories() {
    // Slots: with DRAM, slot t is tensor t's DRAM slot; every other memory a node writes a
    // tensor to or reads it from gets one slot, found by walking the tensor's short list.
    slots.clear();
    if (dram_instance >= 0) {
        slots.reserve(tensors.size() * 2);
        for (std::size_t t = 0; t < tensors.size(); ++t) {
            slots.push_back(Slot{dram_instance, 0, static_cast<std::int32_t>(t), -1, false});
            tensors[t].first_slot = static_cast<std::int32_t>(t);
        }
    } else {
        for (TensorInfo& t : tensors) t.first_slot = -1; // a reused graph keeps the last call's tensors
    }
    if (dram_instance < 0)
        for (std::size_t t = 0; t < tensors.size(); ++t)
            if (tensors[t].kind != TensorKind::activation)
                invalid("tensor " + std::to_string(t) + " of layer " + std::to_string(tensors[t].layer) +
                        " starts in DRAM, but the accelerator has no off-chip core");

    const std::size_t operand_count = operand_names_.size();
    for (std::size_t n = 0; n < nodes.size(); ++n) {
        NodeInfo& node = nodes[n];
        const auto first = streamed_operands_.begin() + node.first_streamed;
        const auto last = first + node.streamed_count;
        auto streamed = [&](std::int32_t op) { return node.streamed_count > 0 && std::find(first, last, op) != last; };
        const std::int32_t* memory_of = top_table_.data() + static_cast<std::size_t>(node.core) * operand_count;
        NodeInput* const begin = inputs.data() + node.first_input;
        NodeInput* const end = begin + node.input_count;
        if (node.streamed_count == 0) {
            // The common case, kept tight (it runs for every input of every evaluation): most
            // reads of a tensor come from the memory its newest slot was made for.
            const TensorInfo* tensor_data = tensors.data();
            Slot* slot_data = slots.data();
            for (NodeInput* in = begin; in != end; ++in) {
                const std::int32_t instance = memory_of[in->operand];
                std::int32_t slot = tensor_data[in->tensor].first_slot;
                if (slot < 0 || slot_data[slot].instance != instance) {
                    slot = slot_for(in->tensor, instance);
                    slot_data = slots.data();
                }
                in->slot = slot;
                in->streamed = false;
                ++slot_data[slot].initial_uses;
                slot_data[slot].holds = true;
            }
        } else {
            for (NodeInput* in = begin; in != end; ++in) {
                in->streamed = streamed(in->operand);
                // Stream keeps counting a streamed input on the core's memory; Stream-DSE reads it from DRAM.
                const std::int32_t instance =
                    in->streamed && !compat && dram_instance >= 0 ? dram_instance : memory_of[in->operand];
                in->slot = slot_for(in->tensor, instance);
                Slot& slot = slots[static_cast<std::size_t>(in->slot)];
                ++slot.initial_uses;
                if (!in->streamed) slot.holds = true;
                else node.streams_inputs = true;
            }
        }
        if (node.output_tensor >= 0) {
            const std::int32_t operand = tensors[static_cast<std::size_t>(node.output_tensor)].operand;
            node.output_streamed = streamed(operand);
            const std::int32_t instance =
                node.output_streamed && dram_instance >= 0 ? dram_instance : top_instance(node.core, operand);
            node.output_slot = slot_for(static_cast<std::int32_t>(node.output_tensor), instance);
            slots[static_cast<std::size_t>(node.output_slot)].holds = true;
        }
        if ((node.output_streamed || node.streams_inputs) && offchip_core < 0)
            invalid("node " + std::to_string(n) + " streams operands from DRAM, but the accelerator has no off-chip core",
                    sdk::Item::node(static_cast<std::int64_t>(n)));
        // A streamed operand stages through the core's memory of that operand: it gets cleared.
        node.first_cleared = static_cast<std::uint32_t>(cleared.size());
        for (auto op = first; op != last; ++op) {
            const std::int32_t inst = top_instance(node.core, *op);
            if (std::find(cleared.begin() + node.first_cleared, cleared.end(), inst) == cleared.end())
                cleared.push_back(inst);
        }
        node.cleared_count = static_cast<std::uint32_t>(cleared.size()) - node.first_cleared;
    }
}

void ProblemIndex::index_edges() {
    const stream_problem_v1& p = *problem_;
    const std::size_t node_count = nodes.size();
    std::vector<std::uint32_t> count(node_count + 1, 0);
    for (std::size_t e = 0; e < p.edge_count; ++e) {
        const stream_edge_v1& edge = *STREAM_AT(stream_edge_v1, p.edges, e);
        auto valid = [&](std::int64_t n) { return n >= 0 && n < static_cast<std::int64_t>(node_count); };
        if (!valid(edge.from_node) || !valid(edge.to_node))
            invalid("edge " + std::to_string(e) + " connects node " + std::to_string(edge.from_node) + " to node " +
                    std::to_string(edge.to_node) + ", which do not exist");
        ++count[static_cast<std::size_t>(edge.from_node)];
        ++nodes[static_cast<std::size_t>(edge.to_node)].in_degree;
    }
    std::uint32_t offset = 0;
    for (std::size_t n = 0; n < node_count; ++n) {
        nodes[n].first_successor = offset;
        nodes[n].successor_count = 0;
        offset += count[n];
    }
    successors.resize(offset);
    for (std::size_t e = 0; e < p.edge_count; ++e) {
        const stream_edge_v1& edge = *STREAM_AT(stream_edge_v1, p.edges, e);
        NodeInfo& from = nodes[static_cast<std::size_t>(edge.from_node)];
        successors[from.first_successor + from.successor_count++] = static_cast<std::int32_t>(edge.to_node);
    }
}

void ProblemIndex::mark_stream_sinks() {
    // Stream's sinks: final-output nodes of a layer that has some node without successors.
    std::unordered_set<std::int64_t> open_layers;
    for (const NodeInfo& node : nodes)
        if (node.successor_count == 0) open_layers.insert(node.layer);
    for (NodeInfo& node : nodes) node.stream_sink = node.final_output && open_layers.contains(node.layer);
}

void ProblemIndex::check_capacities() {
    // With DRAM, the first slot of every tensor is its DRAM slot, never full.
    const std::size_t first = dram_instance >= 0 ? tensors.size() : 0;
    for (std::size_t s = first; s < slots.size(); ++s) {
        const Slot& slot = slots[s];
        const MemoryInstance& inst = instances[static_cast<std::size_t>(slot.instance)];
        const TensorInfo& info = tensors[static_cast<std::size_t>(slot.tensor)];
        if (inst.is_dram || !slot.holds || info.size_bits <= inst.capacity_bits) continue;
        throw sdk::Error(STREAM_ERROR_INFEASIBLE,
                         "tensor " + std::to_string(slot.tensor) + " (" + std::to_string(info.size_bits) +
                             " bits) of layer " + std::to_string(info.layer) + " does not fit " +
                             core_label(inst.owner_core) + "'s memory " + std::string(inst.name) + " (" +
                             std::to_string(inst.capacity_bits) + " bits)",
                         sdk::Item::core(inst.owner_core, std::string(text(core_at(*accelerator_, inst.owner_core).name))));
    }
}

} // namespace stream::plugins::stream_scheduler
