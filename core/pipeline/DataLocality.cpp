// ZigZag 3.8.0's inter-layer data locality; see DataLocality.hpp. Comments name the ZigZag
// behaviour each step reproduces (zigzag/stages/exploit_data_locality_stages.py).
#include "pipeline/DataLocality.hpp"

#include "error/Error.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <numeric>
#include <set>

namespace stream {

namespace {

bool stores(const MemoryLevel& m, const std::string& operand) {
    return !operand.empty() && std::find(m.operands.begin(), m.operands.end(), operand) != m.operands.end();
}

bool any_stores(const CoreType& core, const std::string& operand) {
    return std::any_of(core.memories.begin(), core.memories.end(), [&](const MemoryLevel& m) { return stores(m, operand); });
}

// Where the dataflow model keeps a layer operand: under its own name, or, on a core described for
// ZigZag (memories for I, W, O), an element-wise layer's I1 with I and I2 with W, which are
// ZigZag's memory_operand_links I -> I1, W -> I2 for its Add layers.
std::string memory_operand(const CoreType& core, const std::string& name) {
    if (any_stores(core, name)) return name;
    if (name == "I1" && any_stores(core, "I")) return "I";
    if (name == "I2" && any_stores(core, "W")) return "W";
    return name;
}

// ZigZag's MemoryLevel.unroll_count: one instance per combination of the array dims the memory
// is not shared over.
std::int64_t instance_count(const CoreType& core, const MemoryLevel& m) {
    std::int64_t n = 1;
    for (const ArrayDim& d : core.array_dims)
        if (std::find(m.served_dims.begin(), m.served_dims.end(), d.name) == m.served_dims.end()) n *= d.size;
    return n;
}

// Distinct values of ca*x + cb*y for x < a, y < b: ZigZag's calc_pr_dimension_size.
std::int64_t pr_size(std::int64_t a, std::int64_t ca, std::int64_t b, std::int64_t cb) {
    std::int64_t g = std::gcd(ca, cb);
    if (g == 0) g = 1;
    return a * b - std::max<std::int64_t>(0, b - ca / g) * (a - cb / g);
}

// ZigZag's operand_size_bit, as the dataflow model computes it: the sizes of the loops the
// operand depends on fully, times the distinct indices of each sliding-window axis (clipped to the
// tensor), times the precision; the output at its partial-sum precision, as it may accumulate in
// place.
std::int64_t operand_size_bits(const Layer& l, const Operand& op) {
    auto loop_size = [&](std::uint32_t d) { return d < l.loop_dims.size() ? l.loop_dims[d].size : 1; };
    std::set<std::uint32_t> in_window;
    for (const TensorAxis& a : op.axes)
        if (a.terms.size() == 2)
            for (const AffineTerm& t : a.terms) in_window.insert(t.loop_dim);
    std::set<std::uint32_t> relevant;
    std::int64_t elements = 1;
    for (const TensorAxis& a : op.axes) {
        if (a.terms.size() == 1 && !in_window.count(a.terms[0].loop_dim)) relevant.insert(a.terms[0].loop_dim);
        if (a.terms.size() != 2) continue;
        std::int64_t s = pr_size(loop_size(a.terms[0].loop_dim), a.terms[0].coefficient, loop_size(a.terms[1].loop_dim),
                                 a.terms[1].coefficient);
        if (a.extent > 0) s = std::min(s, a.extent);
        elements *= s;
    }
    for (std::uint32_t d : relevant) elements *= loop_size(d);
    const std::uint32_t precision =
        op.role == OperandRole::Output && op.partial_precision_bits ? op.partial_precision_bits : op.precision_bits;
    return elements * static_cast<std::int64_t>(precision);
}

// ZigZag's get_act_layer_op / get_weight_layer_op, on the layer's own operands.
struct OperandRoles {
    const Operand* activation = nullptr;
    const Operand* weight = nullptr;
    const Operand* output = nullptr;
    bool element_wise = false; ///< no constant operand: ZigZag's "Adder" layers
    std::vector<const Operand*> inputs;
};

bool has_window_axis(const Operand& op) {
    return std::any_of(op.axes.begin(), op.axes.end(), [](const TensorAxis& a) { return a.terms.size() == 2; });
}

OperandRoles roles_of(const Layer& l) {
    OperandRoles r;
    std::vector<const Operand*> constants;
    for (const Operand& op : l.operands) {
        if (op.role == OperandRole::Output) {
            r.output = &op;
            continue;
        }
        r.inputs.push_back(&op);
        if (op.role == OperandRole::Constant) constants.push_back(&op);
    }
    if (constants.size() == 1) {
        r.weight = constants.front();
        for (const Operand* in : r.inputs)
            if (in != r.weight) r.activation = in;
    } else if (constants.empty()) {
        // ZigZag takes an Add's second input (linked to I1) as activation and its first (linked to
        // I2) as weight; here the first input is the one kept with I (memory_operand), so roles
        // follow the memories, which is what the levels are about.
        r.element_wise = true;
        if (!r.inputs.empty()) r.activation = r.inputs[0];
        if (r.inputs.size() > 1) r.weight = r.inputs[1];
    } else {
        // Several constants (a YAML layer whose input names the layer itself): the activation is
        // the operand with a sliding-window axis, the weight another constant.
        for (const Operand* in : r.inputs)
            if (has_window_axis(*in)) r.activation = in;
        if (!r.activation) r.activation = r.inputs.front();
        for (const Operand* c : constants)
            if (c != r.activation) r.weight = c;
    }
    return r;
}

// ZigZag's update_io_mem_level: a level only ever moves down.
void lower(int& level, int target) {
    if (level == -1 || level > target) level = target;
}

const Layer& layer_at(const Workload& w, std::int64_t id) {
    if (id < 0 || static_cast<std::size_t>(id) >= w.layers.size() || w.layers[static_cast<std::size_t>(id)].id != id)
        throw Error(ErrorKind::Internal, fmt::format("data locality: the workload has no layer {} at its id", id), w.where);
    return w.layers[static_cast<std::size_t>(id)];
}

// The costed layers whose output reaches `layer` through uncosted layers only: ZigZag's
// get_copy_no_dummy links each dummy node's predecessors to its successors.
std::vector<std::int64_t> costed_sources(const Workload& w, const std::set<std::int64_t>& costed, const Layer& layer) {
    std::vector<std::int64_t> out;
    std::set<std::int64_t> seen;
    std::vector<const Layer*> todo = {&layer};
    while (!todo.empty()) {
        const Layer* l = todo.back();
        todo.pop_back();
        for (const Operand& op : l->operands) {
            if (op.role == OperandRole::Output || op.producer_layer < 0 || !seen.insert(op.producer_layer).second) continue;
            if (costed.count(op.producer_layer)) out.push_back(op.producer_layer);
            else todo.push_back(&layer_at(w, op.producer_layer));
        }
    }
    return out;
}

} // namespace

DataLocality::DataLocality(const Workload& w, const std::vector<const Layer*>& costed_layers, const CoreType& core) {
    if (costed_layers.empty()) return;
    std::vector<const Layer*> layers = costed_layers;
    std::sort(layers.begin(), layers.end(), [](const Layer* a, const Layer* b) { return a->id < b->id; });
    std::set<std::int64_t> costed;
    for (const Layer* l : layers) costed.insert(l->id);

    std::map<std::int64_t, std::vector<std::int64_t>> preds, succs;
    std::map<std::int64_t, bool> element_wise;
    std::map<std::int64_t, std::map<std::string, std::int64_t>> io_bits; // memory operand -> bits
    std::int64_t all_weights_bits = 0;
    for (const Layer* l : layers) {
        preds[l->id] = costed_sources(w, costed, *l);
        for (std::int64_t p : preds[l->id]) succs[p].push_back(l->id);
        const OperandRoles r = roles_of(*l);
        if (!r.output || !r.activation)
            throw Error(ErrorKind::BadInput,
                        fmt::format("data locality: {} needs an output and an input operand", l->label()), l->where);
        LocalityLevels& lv = levels_[l->id];
        lv.activation = memory_operand(core, r.activation->name);
        lv.output = memory_operand(core, r.output->name);
        if (r.weight) lv.weight = memory_operand(core, r.weight->name);
        element_wise[l->id] = r.element_wise;
        // An element-wise layer's activation stands for all of its inputs.
        std::int64_t act_bits = 0;
        if (r.element_wise)
            for (const Operand* in : r.inputs) act_bits += operand_size_bits(*l, *in);
        else
            act_bits = operand_size_bits(*l, *r.activation);
        io_bits[l->id][lv.activation] = act_bits;
        io_bits[l->id][lv.output] = operand_size_bits(*l, *r.output);
        if (!r.element_wise && r.weight) all_weights_bits += operand_size_bits(*l, *r.weight);
    }

    // networkx's topological_sort: generation by generation, each in insertion order.
    std::vector<std::int64_t> order;
    {
        std::map<std::int64_t, std::size_t> waiting;
        std::vector<std::int64_t> generation;
        for (const Layer* l : layers) {
            waiting[l->id] = preds[l->id].size();
            if (preds[l->id].empty()) generation.push_back(l->id);
        }
        while (!generation.empty()) {
            std::vector<std::int64_t> next;
            for (std::int64_t id : generation) {
                order.push_back(id);
                for (std::int64_t s : succs[id])
                    if (--waiting[s] == 0) next.push_back(s);
            }
            generation = std::move(next);
        }
        if (order.size() != layers.size())
            throw Error(ErrorKind::BadInput, "data locality: the layer graph has a cycle", w.where);
    }

    const auto& mems = core.memories;
    const int n_mems = static_cast<int>(mems.size());
    auto top_level = [&](const std::string& operand) {
        int top = -1;
        for (int m = 0; m < n_mems; ++m)
            if (stores(mems[static_cast<std::size_t>(m)], operand)) top = m;
        return top;
    };
    // ZigZag reads the top levels off its first layer (node_list[0]).
    const LocalityLevels& first_layer = levels_.at(layers.front()->id);
    const int top_act = top_level(first_layer.activation);
    const int top_output = top_level(first_layer.output);
    // ZigZag starts from the first layer's weight memory; when that layer has no weight, the
    // first layer that has one (ZigZag would drop weights from every memory).
    for (const Layer* l : layers)
        if (!levels_.at(l->id).weight.empty()) {
            weight_level_ = top_level(levels_.at(l->id).weight);
            break;
        }

    std::vector<std::string> unplaced;
    for (std::size_t k = 0; k < order.size(); ++k) {
        const std::int64_t id = order[k];
        LocalityLevels& lv = levels_.at(id);
        const bool is_first = k == 0;
        const auto& next = succs[id];
        const bool branch_start = next.size() > 1;
        const bool branch_end = next.size() == 1 && preds[next.front()].size() > 1;
        // The input stays where the producer left its output. Every predecessor of a layer with
        // several is a branch end or start, all at the top level, so the first one is as good as
        // any (ZigZag reads the first). A later source (ZigZag fails on one) is sized like the first layer.
        const bool source = preds[id].empty();
        if (!source) lower(lv.activation_level, levels_.at(preds[id].front()).output_level);
        if (branch_start || branch_end) {
            if (is_first || source) lower(lv.activation_level, top_act);
            lower(lv.output_level, top_output);
            continue;
        }
        for (int m = n_mems - 1; m >= 0; --m) {
            const MemoryLevel& mem = mems[static_cast<std::size_t>(m)];
            // The next layer's input must be served here too; the last layer (the last in the
            // order has no successor; ZigZag fails on any other sink) checks its own input instead.
            const bool serves_next_input =
                !next.empty() ? stores(mem, levels_.at(next.front()).activation) : stores(mem, lv.activation);
            const bool serves_io = serves_next_input && stores(mem, lv.output);
            const bool serves_weight = stores(mem, lv.weight);
            std::vector<std::string> counted = mem.operands;
            if (element_wise[id] && serves_io) counted = {lv.output, lv.activation};
            if (!serves_io && !serves_weight) continue;
            std::int64_t needed_bits = 0;
            for (const std::string& op : counted) {
                if (op == lv.weight) continue;
                const auto it = io_bits[id].find(op);
                if (it != io_bits[id].end()) needed_bits += it->second;
            }
            if (!lv.weight.empty() && std::find(counted.begin(), counted.end(), lv.weight) != counted.end())
                needed_bits += all_weights_bits;
            if (needed_bits > mem.size_bits * instance_count(core, mem)) continue;
            if (serves_io) {
                if (is_first || source) lower(lv.activation_level, m);
                lower(lv.output_level, m);
            }
            // Weights stay in one memory for the whole network, which must serve the whole array.
            const bool serves_all_dims = mem.served_dims.size() == core.array_dims.size();
            if (m < weight_level_ && serves_all_dims && serves_weight) weight_level_ = m;
        }
        // ZigZag stops with an assertion when no memory holds the data (a core whose DRAM is
        // off-chip); the data then keeps every level, as without locality, and the layers after
        // it read it from there.
        if (lv.activation_level < 0 || lv.output_level < 0) {
            unplaced.push_back(layer_at(w, id).label());
            if (lv.activation_level < 0) lv.activation_level = top_level(lv.activation);
            if (lv.output_level < 0) lv.output_level = top_level(lv.output);
        }
    }

    if (!unplaced.empty())
        notes_.push_back(fmt::format("data locality: no memory of core '{}' serves and holds both the output and the next "
                                     "layer's input of {} layer(s) ({}); their data keeps the top memory",
                                     core.name, unplaced.size(), fmt::join(unplaced, ", ")));
    // An element-wise layer's second input is an activation too: it follows the first.
    for (const std::int64_t id : order) {
        LocalityLevels& lv = levels_.at(id);
        lv.weight_level = element_wise[id] ? lv.activation_level : weight_level_;
    }
}

const LocalityLevels& DataLocality::levels(std::int64_t layer_id) const {
    const auto it = levels_.find(layer_id);
    if (it == levels_.end())
        throw Error(ErrorKind::Internal, fmt::format("data locality: layer {} was not among the costed layers", layer_id));
    return it->second;
}

CoreType DataLocality::core_for(std::int64_t layer_id, const CoreType& core) const {
    const LocalityLevels& lv = levels(layer_id);
    CoreType out = core;
    out.memories.clear();
    for (std::size_t m = 0; m < core.memories.size(); ++m) {
        const int level = static_cast<int>(m);
        auto kept = [&](const std::string& op) {
            return (op == lv.activation && level <= lv.activation_level) || (op == lv.weight && level <= lv.weight_level) ||
                   (op == lv.output && level <= lv.output_level);
        };
        MemoryLevel mem = core.memories[m];
        std::erase_if(mem.operands, [&](const std::string& op) { return !kept(op); });
        std::erase_if(mem.port_uses, [&](const PortUse& u) { return !kept(u.operand); });
        if (!mem.operands.empty()) out.memories.push_back(std::move(mem));
    }
    return out;
}

} // namespace stream
