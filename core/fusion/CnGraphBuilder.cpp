#include "fusion/CnGraphBuilder.hpp"

#include "fusion/Box.hpp"
#include "fusion/DependencyFinder.hpp"
#include "fusion/LayerStacks.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <map>
#include <unordered_map>
#include <unordered_set>

namespace stream {

namespace {

struct BoxKeyHash {
    std::size_t operator()(const std::pair<std::int64_t, Box>& k) const {
        std::size_t h = std::hash<std::int64_t>{}(k.first);
        for (const Range& r : k.second.axes) h = h * 1000003u ^ std::hash<std::int64_t>{}(r.lo * 7919 + r.hi);
        return h;
    }
};

/// Interns tensors by identity (owner and slice), so tiles reading the same weight tile share one tensor.
class TensorTable {
public:
    explicit TensorTable(std::vector<Tensor>& tensors) : tensors_(tensors) {}
    /// `owner` names whose slice it is: an operand of a layer, or a network input.
    std::int64_t intern(std::int64_t owner, const Box& box, TensorKind kind, std::int64_t layer, const std::string& operand,
                        std::int64_t size_bits) {
        auto [it, fresh] = ids_.try_emplace({owner, box}, static_cast<std::int64_t>(tensors_.size()));
        if (fresh) tensors_.push_back({it->second, kind, layer, operand, size_bits, -1});
        return it->second;
    }

private:
    std::vector<Tensor>& tensors_;
    std::unordered_map<std::pair<std::int64_t, Box>, std::int64_t, BoxKeyHash> ids_;
};

/// Whether anything downstream reads a layer's output (through layout-only layers).
std::vector<bool> has_consumers(const Workload& w) {
    std::vector<bool> consumed(w.layers.size(), false);
    // Walking in reverse graph order settles layout-only layers before their producers.
    std::vector<bool> reaches_compute(w.layers.size(), false);
    for (auto it = w.layers.rbegin(); it != w.layers.rend(); ++it) {
        const Layer& l = *it;
        bool feeds = l.layer_class == LayerClass::Compute || reaches_compute[static_cast<std::size_t>(l.id)];
        if (!feeds) continue;
        for (const Operand& o : l.operands)
            if (o.role == OperandRole::Input && o.producer_layer >= 0) {
                consumed[static_cast<std::size_t>(o.producer_layer)] = true;
                reaches_compute[static_cast<std::size_t>(o.producer_layer)] = true;
            }
    }
    return consumed;
}

std::int64_t operand_owner(std::int64_t layer, std::size_t operand) { return layer * 256 + static_cast<std::int64_t>(operand); }

struct ShapeKey {
    std::int64_t layer;
    std::vector<std::int64_t> sizes; // tile loop sizes, then operand slice sizes
    bool operator==(const ShapeKey&) const = default;
};
struct ShapeKeyHash {
    std::size_t operator()(const ShapeKey& k) const {
        std::size_t h = std::hash<std::int64_t>{}(k.layer);
        for (std::int64_t v : k.sizes) h = h * 1000003u ^ std::hash<std::int64_t>{}(v);
        return h;
    }
};

} // namespace

FusionResult build_cn_graph(const Workload& w, const Mapping& m, const Accelerator& acc, const FusionOptions& options) {
    FusionResult r;
    CnGraph& g = r.graph;
    const bool lbl = options.mode == "layer_by_layer";
    r.stack_of_layer = assign_stacks(w, acc, options.mode, options.layer_stacks, options.compat_stream, options.stacks_where);
    if (lbl && !options.layer_stacks.empty())
        r.warnings.push_back(fmt::format("{}: layer stacks '{}' ignored: mode \"layer_by_layer\" runs every layer alone",
                                         options.stacks_where.str(), options.layer_stacks));
    std::map<std::int64_t, std::size_t> compute_in_stack;
    for (const Layer& l : w.layers)
        if (l.layer_class == LayerClass::Compute) ++compute_in_stack[r.stack_of_layer[static_cast<std::size_t>(l.id)]];

    // Tiles, nodes and allocation units, layer by layer.
    r.tiling_of_layer.resize(w.layers.size());
    std::vector<std::vector<std::int64_t>> nodes_of_layer(w.layers.size());
    std::vector<bool> consumed = has_consumers(w);
    TensorTable tensors(g.tensors);
    // Network inputs are owners after every layer operand.
    std::unordered_map<std::string, std::int64_t> input_ids;
    auto input_owner = [&](const std::string& name) {
        return -1 - input_ids.try_emplace(name, static_cast<std::int64_t>(input_ids.size())).first->second;
    };
    std::unordered_map<ShapeKey, std::int64_t, ShapeKeyHash> shape_ids;
    for (const Layer& l : w.layers) {
        if (l.layer_class != LayerClass::Compute) continue;
        auto rm = m.resolve(l);
        if (!rm)
            fail_input(m.where, fmt::format("{} ({}): the mapping has no entry with cores for it; add one for its name, its op type "
                                            "({}) or a default",
                                            l.label(), l.op_type, l.op_type));
        TilingContext ctx{lbl, compute_in_stack[r.stack_of_layer[static_cast<std::size_t>(l.id)]], options.compat_stream,
                          rm->cores.size()};
        if (static_cast<std::size_t>(l.id) < options.star_split_of_layer.size())
            ctx.star_split = options.star_split_of_layer[static_cast<std::size_t>(l.id)];
        LayerTiling tiling = resolve_tiling(l, *rm, ctx, r.warnings);
        if (rm->fixed && rm->cores.size() > 1 && tiling.groups > static_cast<std::int64_t>(rm->cores.size()))
            fail_input(rm->where, fmt::format("{}: {} tile groups but the fixed core list [{}] names only {} cores", l.label(),
                                              tiling.groups, fmt::join(rm->cores, ", "), rm->cores.size()));
        std::vector<Tile> tiles = make_tiles(l, tiling);
        r.tiling_of_layer[static_cast<std::size_t>(l.id)] = tiling;

        std::vector<std::int64_t> unit_of_group(static_cast<std::size_t>(tiling.groups), -1);
        const Operand* out = l.output();
        for (Tile& t : tiles) {
            CnNode n;
            n.id = static_cast<std::int64_t>(g.nodes.size());
            n.layer = l.id;
            n.stack = r.stack_of_layer[static_cast<std::size_t>(l.id)];
            n.group = t.group;
            n.sub_id = t.sub_id;
            n.loop_ranges = std::move(t.loops);
            std::int64_t& unit = unit_of_group[static_cast<std::size_t>(t.group)];
            if (unit < 0) {
                AllocUnit u;
                u.layer = l.id;
                u.group = t.group;
                std::vector<std::int64_t> cands = rm->cores;
                if (rm->fixed || cands.size() == 1) cands = {rm->cores[static_cast<std::size_t>(t.group) % rm->cores.size()]};
                for (std::int64_t c : cands) {
                    CoreCost cc;
                    cc.core = c;
                    u.costs.push_back(cc);
                }
                if (cands.size() == 1) u.fixed_core = cands.front();
                unit = static_cast<std::int64_t>(g.units.size());
                g.units.push_back(std::move(u));
            }
            n.unit = unit;
            g.units[static_cast<std::size_t>(unit)].nodes.push_back(n.id);

            // Tensors it writes and the weights it reads; inputs from producers come with the edges.
            ShapeKey key{l.id, {}};
            for (const Range& lr : n.loop_ranges) key.sizes.push_back(lr.size());
            std::int64_t weight_bits = 0;
            for (std::size_t oi = 0; oi < l.operands.size(); ++oi) {
                const Operand& op = l.operands[oi];
                Box box = operand_box(op, n.loop_ranges, true);
                for (const Range& ar : box.axes) key.sizes.push_back(ar.size());
                if (op.role == OperandRole::Constant) {
                    const std::int64_t bits = box.elements() * op.precision_bits;
                    n.inputs.push_back({tensors.intern(operand_owner(l.id, oi), box, TensorKind::Constant, l.id, op.name, bits),
                                        op.name});
                    weight_bits += bits;
                } else if (op.role == OperandRole::Output && &op == out) {
                    n.output_tensor = tensors.intern(operand_owner(l.id, oi), box, TensorKind::Activation, l.id, op.name,
                                                     box.elements() * op.precision_bits);
                    g.tensors[static_cast<std::size_t>(n.output_tensor)].producer_node = n.id;
                    n.output_bits = g.tensors[static_cast<std::size_t>(n.output_tensor)].size_bits;
                }
            }
            auto [sit, fresh] = shape_ids.try_emplace(std::move(key), static_cast<std::int64_t>(g.shapes.size()));
            if (fresh) g.shapes.push_back({l.id, n.id, 0});
            n.shape = sit->second;
            ++g.shapes[static_cast<std::size_t>(n.shape)].count;
            for (const CoreCost& c : g.units[static_cast<std::size_t>(unit)].costs) {
                CoreCost cc;
                cc.core = c.core;
                cc.constant_bits = weight_bits;
                n.costs.push_back(cc);
            }
            nodes_of_layer[static_cast<std::size_t>(l.id)].push_back(n.id);
            g.nodes.push_back(std::move(n));
        }
    }

    // Data dependencies between layers, and the network inputs each tile reads.
    DependencyFinder finder(w, g, nodes_of_layer);
    DependencyFinder::Sources sources;
    std::vector<std::int64_t> reader_of(g.nodes.size(), -1); // the last consumer that took each producer
    for (CnNode& n : g.nodes) {
        const Layer& l = w.layers[static_cast<std::size_t>(n.layer)];
        // A tile reads a producer's output once even when two of its operands come from it.
        for (const Operand& op : l.operands) {
            if (op.role != OperandRole::Input) continue;
            sources.clear();
            finder.sources(op, operand_box(op, n.loop_ranges, true), sources);
            std::sort(sources.producer_nodes.begin(), sources.producer_nodes.end());
            sources.producer_nodes.erase(std::unique(sources.producer_nodes.begin(), sources.producer_nodes.end()),
                                         sources.producer_nodes.end());
            for (std::int64_t p : sources.producer_nodes) {
                if (reader_of[static_cast<std::size_t>(p)] == n.id) continue;
                reader_of[static_cast<std::size_t>(p)] = n.id;
                const std::int64_t t = g.nodes[static_cast<std::size_t>(p)].output_tensor;
                g.edges.push_back({p, n.id, g.tensors[static_cast<std::size_t>(t)].size_bits, t});
                n.inputs.push_back({t, op.name});
            }
            for (const auto& gi : sources.graph_inputs) {
                // Stream sizes a tile of the network input with its padding halo.
                const bool direct = op.producer_layer < 0;
                const Box sized = options.compat_stream && direct ? operand_box(op, n.loop_ranges, false) : gi.box;
                const std::int64_t bits = sized.elements() * op.precision_bits;
                n.inputs.push_back({tensors.intern(input_owner(gi.tensor), gi.box, TensorKind::GraphInput, l.id, op.name, bits), op.name});
                n.dram_input_bits += bits;
            }
        }
        n.produces_final_output = !consumed[static_cast<std::size_t>(n.layer)] && DependencyFinder::finalises(l, n);
    }

    // Tiles of one group run in order on their core.
    for (const AllocUnit& u : g.units)
        for (std::size_t i = 1; i < u.nodes.size(); ++i) g.edges.push_back({u.nodes[i - 1], u.nodes[i], 0, -1});

    // Depth-first within stacks: earlier stacks first, and inside a stack the deepest layer's ready
    // tile first (Stream's order), so tiles flow through the stack instead of finishing layer by layer.
    std::vector<std::int64_t> order(g.nodes.size());
    for (std::size_t i = 0; i < order.size(); ++i) order[i] = static_cast<std::int64_t>(i);
    std::sort(order.begin(), order.end(), [&](std::int64_t a, std::int64_t b) {
        const CnNode& x = g.nodes[static_cast<std::size_t>(a)];
        const CnNode& y = g.nodes[static_cast<std::size_t>(b)];
        if (x.stack != y.stack) return x.stack < y.stack;
        if (x.layer != y.layer) return x.layer > y.layer;
        return x.sub_id > y.sub_id;
    });
    for (std::size_t rank = 0; rank < order.size(); ++rank) g.nodes[static_cast<std::size_t>(order[rank])].priority = static_cast<std::int64_t>(rank);
    return r;
}

} // namespace stream
