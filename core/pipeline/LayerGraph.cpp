#include "pipeline/LayerGraph.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <map>
#include <set>

namespace stream {

namespace {

std::optional<std::int64_t> parse_id(std::string_view s) {
    std::int64_t v = 0;
    auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (ec != std::errc{} || p != s.data() + s.size()) return std::nullopt;
    return v;
}

std::string_view trim(std::string_view s) {
    while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
    while (!s.empty() && s.back() == ' ') s.remove_suffix(1);
    return s;
}

// The computation layers whose outputs reach operand `op` (through layout-only layers),
// and whether part of it comes from a graph input.
void compute_sources(const Workload& w, std::int64_t producer, std::set<std::int64_t>& out, bool& from_graph_input) {
    if (producer < 0) {
        from_graph_input = true;
        return;
    }
    const Layer& p = w.layers[static_cast<std::size_t>(producer)];
    if (p.layer_class == LayerClass::Compute) {
        out.insert(p.id);
        return;
    }
    for (const Operand& o : p.operands)
        if (o.role == OperandRole::Input) compute_sources(w, o.producer_layer, out, from_graph_input);
}

} // namespace

std::vector<std::int64_t> assign_stacks(const Workload& w, const std::string& mode, const std::string& stacks,
                                        const SourceLoc& where) {
    const std::int64_t n = static_cast<std::int64_t>(w.layers.size());
    std::vector<std::int64_t> stack(static_cast<std::size_t>(n), -1);
    if (mode == "layer_by_layer") {
        if (!stacks.empty())
            fail_input(where, "layer stacks only apply to mode \"fused\" (layer-by-layer runs every layer alone)");
        for (std::int64_t i = 0; i < n; ++i) stack[static_cast<std::size_t>(i)] = i;
        return stack;
    }
    if (stacks.empty()) return std::vector<std::int64_t>(static_cast<std::size_t>(n), 0);
    std::int64_t next = 0;
    std::string_view rest{stacks};
    while (!rest.empty()) {
        auto comma = rest.find(',');
        std::string_view item = trim(rest.substr(0, comma));
        rest = comma == std::string_view::npos ? std::string_view{} : rest.substr(comma + 1);
        if (item.empty()) fail_input(where, fmt::format("layer stacks '{}': empty stack", stacks));
        std::int64_t first = -1, last = -1;
        auto dash = item.find('-');
        auto a = parse_id(trim(item.substr(0, dash)));
        auto b = dash == std::string_view::npos ? a : parse_id(trim(item.substr(dash + 1)));
        if (a && b) {
            first = *a;
            last = *b;
        } else {
            auto it = std::find_if(w.layers.begin(), w.layers.end(), [&](const Layer& l) { return l.name == item; });
            if (it == w.layers.end())
                fail_input(where, fmt::format("layer stacks: '{}' is neither a layer id range (\"0-10\") nor a layer name", item));
            first = last = it->id;
        }
        if (first > last) fail_input(where, fmt::format("layer stacks: range '{}' runs backwards", item));
        if (first < 0 || last >= n)
            fail_input(where, fmt::format("layer stacks: '{}' is outside the workload's layer ids 0..{}", item, n - 1));
        for (std::int64_t i = first; i <= last; ++i) {
            if (stack[static_cast<std::size_t>(i)] >= 0)
                fail_input(where, fmt::format("layer stacks: layer {} is in two stacks", i));
            stack[static_cast<std::size_t>(i)] = next;
        }
        ++next;
    }
    for (auto& s : stack)
        if (s < 0) s = next++;
    return stack;
}

CnGraph build_layer_graph(const Workload& w, const Mapping& m, const std::vector<std::int64_t>& stack_of_layer) {
    CnGraph g;
    std::map<std::int64_t, std::int64_t> node_of_layer;
    std::vector<const Layer*> compute;
    for (const Layer& l : w.layers)
        if (l.layer_class == LayerClass::Compute) compute.push_back(&l);
    // Depth-first within stacks: all of stack 0 before stack 1, each in graph order.
    std::stable_sort(compute.begin(), compute.end(), [&](const Layer* a, const Layer* b) {
        return stack_of_layer[static_cast<std::size_t>(a->id)] < stack_of_layer[static_cast<std::size_t>(b->id)];
    });
    for (const Layer* l : compute) node_of_layer[l->id] = static_cast<std::int64_t>(node_of_layer.size());

    std::map<std::int64_t, std::set<std::int64_t>> consumers; // producer layer -> consumer layers
    g.nodes.resize(compute.size());
    for (const Layer* l : compute) {
        const MappingEntry* entry = m.lookup(*l);
        if (!entry)
            fail_input(m.where, fmt::format("{} ({}): the mapping has no entry for it; add [layers.{}], [op_types.{}] or [default]",
                                            l->label(), l->op_type, l->name.empty() ? std::to_string(l->id) : l->name, l->op_type));
        CnNode& n = g.nodes[static_cast<std::size_t>(node_of_layer[l->id])];
        n.id = node_of_layer[l->id];
        n.layer = l->id;
        n.unit = n.id;
        n.stack = stack_of_layer[static_cast<std::size_t>(l->id)];
        n.priority = n.id;
        if (const Operand* out = l->output()) n.output_bits = out->size_bits();
        std::int64_t constant_bits = 0;
        for (const Operand& o : l->operands) {
            if (o.role == OperandRole::Constant) constant_bits += o.size_bits();
            if (o.role != OperandRole::Input) continue;
            std::set<std::int64_t> sources;
            bool from_input = false;
            compute_sources(w, o.producer_layer, sources, from_input);
            if (from_input) n.dram_input_bits += o.size_bits();
            for (std::int64_t src : sources) {
                const Layer& p = w.layers[static_cast<std::size_t>(src)];
                std::int64_t bits = std::min(o.size_bits(), p.output() ? p.output()->size_bits() : o.size_bits());
                g.edges.push_back({node_of_layer.at(src), n.id, bits});
                consumers[src].insert(l->id);
            }
        }
        AllocUnit u;
        u.layer = l->id;
        u.nodes = {n.id};
        for (std::int64_t core : entry->cores) {
            CoreCost c;
            c.core = core;
            c.constant_bits = constant_bits;
            n.costs.push_back(c);
            u.costs.push_back(c);
        }
        if (entry->cores.size() == 1) u.fixed_core = entry->cores.front();
        g.units.push_back(std::move(u));
    }
    for (CnNode& n : g.nodes) {
        const auto& cons = consumers[n.layer];
        bool leaves_stack = cons.empty() || std::any_of(cons.begin(), cons.end(), [&](std::int64_t c) {
                                return stack_of_layer[static_cast<std::size_t>(c)] != n.stack;
                            });
        n.produces_final_output = leaves_stack;
    }
    return g;
}

} // namespace stream
