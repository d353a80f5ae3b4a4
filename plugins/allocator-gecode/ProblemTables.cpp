#include "ProblemTables.hpp"

#include <stream/plugin.hpp>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>
#include <set>
#include <string_view>
#include <unordered_map>

namespace stream::plugins::gecode_alloc {

namespace {

bool serves(const stream_memory_level_v1& level, std::string_view operand) {
    for (const char* op : sdk::view(level.operands, level.operand_count))
        if (sdk::str(op) == operand) return true;
    return false;
}

// The outermost level holding weights: Stream bounds the weights of a stack by
// the top memory of operand I2, which is ZigZag's name for what layers call "W".
void read_weight_memory(const stream_core_v1& core, CoreInfo& out) {
    out.weight_memory_owner = core.id;
    if (core.memory_count == 0) return;
    for (std::uint32_t i = core.memory_count; i-- > 0;) {
        const stream_memory_level_v1& level = *STREAM_AT(stream_memory_level_v1, core.memories, i);
        if (!serves(level, "W")) continue;
        out.weight_capacity_bits = level.size_bits > 0 ? level.size_bits : -1;
        const bool top = i + 1 == core.memory_count;
        if (top && STREAM_HAS_FIELD(stream_core_v1, core.struct_size, top_memory_owner) && core.top_memory_owner >= 0)
            out.weight_memory_owner = core.top_memory_owner;
        return;
    }
}

CoreCostView read_cost(const stream_core_cost_v1& c, const std::set<std::string, std::less<>>& constants) {
    CoreCostView v;
    v.core = c.core;
    v.latency_cycles = c.latency_cycles;
    v.energy_pj = c.energy_pj;
    v.constant_bits = c.constant_bits;
    for (const char* op : sdk::view(c.streamed_operands, c.streamed_operand_count))
        if (constants.count(sdk::str(op)) != 0) v.weights_streamed = true;
    return v;
}

} // namespace

std::string format_bits(double bits) {
    char text[64];
    if (bits >= 1e6)
        std::snprintf(text, sizeof text, "%.4g Mbit", bits / 1e6);
    else if (bits >= 1e3)
        std::snprintf(text, sizeof text, "%.4g kbit", bits / 1e3);
    else
        std::snprintf(text, sizeof text, "%.0f bit", bits);
    return text;
}

std::string ProblemTables::layer_name(std::int64_t layer) const {
    for (const LayerInfo& l : layers)
        if (l.id == layer) return l.name;
    return {};
}

std::string ProblemTables::layer_label(std::int64_t layer) const {
    const std::string name = layer_name(layer);
    return "layer " + std::to_string(layer) + (name.empty() ? "" : " '" + name + "'");
}

const CoreInfo* ProblemTables::core(std::int64_t id) const {
    if (id < 0 || id >= static_cast<std::int64_t>(cores.size())) return nullptr;
    return &cores[static_cast<std::size_t>(id)];
}

std::string ProblemTables::core_label(std::int64_t id) const {
    const CoreInfo* c = core(id);
    return "core " + std::to_string(id) + (c && !c->name.empty() ? " '" + c->name + "'" : "");
}

ProblemTables read_problem(const stream_problem_v1& problem) {
    ProblemTables t;
    if (const stream_accelerator_v1* acc = problem.accelerator) {
        for (std::uint32_t i = 0; i < acc->core_count; ++i) {
            const stream_core_v1& c = *STREAM_AT(stream_core_v1, acc->cores, i);
            CoreInfo info;
            info.id = c.id;
            info.name = sdk::str(c.name);
            info.offchip = c.is_offchip != 0 || c.id == acc->offchip_core;
            read_weight_memory(c, info);
            t.cores.push_back(std::move(info));
        }
    }
    auto offchip = [&](std::int64_t core) {
        const CoreInfo* c = t.core(core);
        return c && c->offchip;
    };

    // Per layer: its name, which operands are weights, and its MACs (the loop nest's size).
    std::unordered_map<std::int64_t, std::set<std::string, std::less<>>> constants;
    std::unordered_map<std::int64_t, double> layer_macs;
    for (std::uint32_t i = 0; i < problem.layer_count; ++i) {
        const stream_layer_v1& l = *STREAM_AT(stream_layer_v1, problem.layers, i);
        t.layers.push_back({l.id, std::string(sdk::str(l.name))});
        auto& names = constants[l.id];
        for (std::uint32_t o = 0; o < l.operand_count; ++o) {
            const stream_operand_v1& op = *STREAM_AT(stream_operand_v1, l.operands, o);
            if (op.role == STREAM_OPERAND_CONSTANT && op.name) names.emplace(op.name);
        }
        if (names.empty()) names.emplace("W");
        double macs = l.loop_dim_count > 0 ? 1.0 : 0.0;
        for (std::uint32_t d = 0; d < l.loop_dim_count; ++d)
            macs *= static_cast<double>(std::max<std::int64_t>(0, STREAM_AT(stream_loop_dim_v1, l.loop_dims, d)->size));
        layer_macs[l.id] = macs;
    }
    auto constants_of = [&](std::int64_t layer) -> const std::set<std::string, std::less<>>& {
        auto& names = constants[layer];
        if (names.empty()) names.emplace("W");
        return names;
    };

    for (std::uint32_t u = 0; u < problem.unit_count; ++u) {
        const stream_alloc_unit_v1& unit = *STREAM_AT(stream_alloc_unit_v1, problem.units, u);
        UnitInfo info;
        info.layer = unit.layer;
        info.group = unit.group;
        info.fixed_core = unit.fixed_core;
        for (std::uint32_t c = 0; c < unit.cost_count; ++c) {
            const stream_core_cost_v1& cost = *STREAM_AT(stream_core_cost_v1, unit.costs, c);
            if (!offchip(cost.core)) info.costs.push_back(read_cost(cost, constants_of(unit.layer)));
        }
        t.units.push_back(std::move(info));
    }

    std::unordered_map<std::int64_t, std::size_t> index_of;
    std::unordered_map<std::int64_t, std::size_t> nodes_of_layer;
    for (std::uint32_t i = 0; i < problem.node_count; ++i) {
        const stream_node_v1& n = *STREAM_AT(stream_node_v1, problem.nodes, i);
        if (n.unit < 0 || n.unit >= static_cast<std::int64_t>(t.units.size()))
            throw sdk::Error(STREAM_ERROR_INVALID_INPUT,
                             "node " + std::to_string(n.id) + " names unit " + std::to_string(n.unit) +
                                 ", which does not exist",
                             sdk::Item::node(n.id));
        NodeInfo info;
        info.id = n.id;
        info.layer = n.layer;
        info.sub_id = n.sub_id;
        info.stack = n.stack;
        info.unit = static_cast<std::size_t>(n.unit);
        info.priority = n.priority;
        UnitInfo& unit = t.units[info.unit];
        // A node's own cost per core; a host that only costs units gives each node its share.
        for (const CoreCostView& uc : unit.costs) {
            CoreCostView nc = uc;
            bool found = false;
            for (std::uint32_t c = 0; c < n.cost_count; ++c) {
                const stream_core_cost_v1& cost = *STREAM_AT(stream_core_cost_v1, n.costs, c);
                if (cost.core == uc.core) {
                    nc = read_cost(cost, constants_of(n.layer));
                    found = true;
                    break;
                }
            }
            if (!found) {
                const std::uint32_t count = STREAM_AT(stream_alloc_unit_v1, problem.units, n.unit)->node_count;
                const double share = 1.0 / static_cast<double>(std::max<std::uint32_t>(1, count));
                nc.latency_cycles *= share;
                nc.energy_pj *= share;
            }
            info.costs.push_back(nc);
        }
        index_of.emplace(n.id, t.nodes.size());
        unit.nodes.push_back(t.nodes.size());
        ++nodes_of_layer[n.layer];
        t.nodes.push_back(std::move(info));
    }

    for (UnitInfo& unit : t.units) {
        std::sort(unit.nodes.begin(), unit.nodes.end(), [&](std::size_t a, std::size_t b) {
            return t.nodes[a].sub_id != t.nodes[b].sub_id ? t.nodes[a].sub_id < t.nodes[b].sub_id : a < b;
        });
        for (std::size_t r = 0; r < unit.nodes.size(); ++r)
            t.nodes[unit.nodes[r]].row = static_cast<std::int64_t>(r);
    }

    // Stream scores a signature by MACs; a tile's MACs are its layer's MACs over its tile count
    // (exact for even tilings). Without loop sizes the smallest latency stands in for the work.
    for (const NodeInfo& n : t.nodes)
        if (!(layer_macs[n.layer] > 0)) t.weight_is_macs = false;
    for (NodeInfo& n : t.nodes) {
        if (t.weight_is_macs) {
            n.macs = layer_macs[n.layer] / static_cast<double>(nodes_of_layer[n.layer]);
        } else {
            double best = std::numeric_limits<double>::infinity();
            for (const CoreCostView& c : n.costs)
                best = std::min(best, c.latency_cycles);
            n.macs = std::isfinite(best) ? best : 0.0;
        }
    }

    for (std::uint32_t e = 0; e < problem.edge_count; ++e) {
        const stream_edge_v1& edge = *STREAM_AT(stream_edge_v1, problem.edges, e);
        auto from = index_of.find(edge.from_node);
        auto to = index_of.find(edge.to_node);
        if (from == index_of.end() || to == index_of.end())
            throw sdk::Error(STREAM_ERROR_INVALID_INPUT, "edge " + std::to_string(edge.from_node) + " -> " +
                                                             std::to_string(edge.to_node) +
                                                             " names a node that does not exist");
        t.nodes[from->second].succs.push_back(to->second);
        t.nodes[to->second].preds.push_back(from->second);
    }
    for (NodeInfo& n : t.nodes) {
        std::sort(n.preds.begin(), n.preds.end());
        n.preds.erase(std::unique(n.preds.begin(), n.preds.end()), n.preds.end());
        std::sort(n.succs.begin(), n.succs.end());
        n.succs.erase(std::unique(n.succs.begin(), n.succs.end()), n.succs.end());
    }
    return t;
}

} // namespace stream::plugins::gecode_alloc
