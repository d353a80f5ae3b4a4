#include "report/TilingReport.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <map>
#include <set>

namespace stream {

namespace {

std::string tiling_text(const Layer& l, const LayerTiling& t) {
    if (t.loops.empty()) return "-";
    std::vector<std::string> parts;
    for (const OuterLoop& o : t.loops)
        parts.push_back(fmt::format("{}{}x{}", o.inter_core ? "cores:" : "", l.loop_dims[o.dim].name, o.factor));
    return fmt::format("{}", fmt::join(parts, " "));
}

struct LayerStats {
    std::int64_t n_cns = 0, edges_in = 0, edges_out = 0;
    std::set<std::int64_t> shapes;
    std::int64_t max_tile_io_bits = 0;
    std::set<std::int64_t> weight_tensors;
};

} // namespace

nlohmann::json tiling_json(const Workload& w, const FusionResult& f) {
    const CnGraph& g = f.graph;
    std::map<std::int64_t, LayerStats> stats;
    std::vector<std::int64_t> in_bits(g.nodes.size(), 0);
    for (const CnEdge& e : g.edges) {
        const std::int64_t from = g.nodes[static_cast<std::size_t>(e.from_node)].layer, to = g.nodes[static_cast<std::size_t>(e.to_node)].layer;
        if (from == to) continue; // the order of tiles within a group
        ++stats[from].edges_out;
        ++stats[to].edges_in;
        in_bits[static_cast<std::size_t>(e.to_node)] += e.bits;
    }
    for (const CnNode& n : g.nodes) {
        LayerStats& s = stats[n.layer];
        ++s.n_cns;
        s.shapes.insert(n.shape);
        std::int64_t io = n.output_bits + n.dram_input_bits + in_bits[static_cast<std::size_t>(n.id)];
        s.max_tile_io_bits = std::max(s.max_tile_io_bits, io);
        for (const NodeInput& in : n.inputs)
            if (g.tensors[static_cast<std::size_t>(in.tensor)].kind == TensorKind::Constant) s.weight_tensors.insert(in.tensor);
    }
    nlohmann::json layers = nlohmann::json::array();
    std::map<std::int64_t, nlohmann::json> stacks;
    for (const Layer& l : w.layers) {
        if (l.layer_class != LayerClass::Compute) continue;
        const LayerStats& s = stats[l.id];
        const LayerTiling& t = f.tiling_of_layer[static_cast<std::size_t>(l.id)];
        const std::int64_t stack = f.stack_of_layer[static_cast<std::size_t>(l.id)];
        layers.push_back({{"id", l.id}, {"name", l.name}, {"op", l.op_type}, {"stack", stack}, {"tiling", tiling_text(l, t)},
                          {"groups", t.groups}, {"n_cns", s.n_cns}, {"n_unique_shapes", s.shapes.size()},
                          {"edges_in", s.edges_in}, {"edges_out", s.edges_out}});
        std::int64_t weights = 0;
        for (std::int64_t tid : s.weight_tensors) weights += g.tensors[static_cast<std::size_t>(tid)].size_bits;
        auto& st = stacks[stack];
        if (st.is_null()) st = {{"id", stack}, {"layers", nlohmann::json::array()}, {"n_cns", 0}, {"weight_bits", 0}, {"working_set_bits", 0}};
        st["layers"].push_back(l.id);
        st["n_cns"] = st["n_cns"].get<std::int64_t>() + s.n_cns;
        st["weight_bits"] = st["weight_bits"].get<std::int64_t>() + weights;
        st["working_set_bits"] = st["working_set_bits"].get<std::int64_t>() + weights + s.max_tile_io_bits;
    }
    nlohmann::json stack_list = nlohmann::json::array();
    for (auto& [id, st] : stacks) stack_list.push_back(st);
    std::int64_t data_edges = 0;
    for (const CnEdge& e : g.edges)
        if (e.tensor >= 0) ++data_edges;
    return {{"n_cns", g.nodes.size()},
            {"n_edges", g.edges.size()},
            {"n_data_edges", data_edges},
            {"n_unique_shapes", g.shapes.size()},
            {"n_units", g.units.size()},
            {"stacks", stack_list},
            {"layers", layers},
            {"warnings", f.warnings}};
}

std::string tiling_table(const Workload& w, const FusionResult& f) {
    nlohmann::json j = tiling_json(w, f);
    std::string out = fmt::format("{:>4}  {:<28} {:<18} {:>5}  {:<22} {:>7} {:>6} {:>8} {:>9}\n", "id", "layer", "op", "stack",
                                  "tiling", "CNs", "shapes", "edges in", "edges out");
    for (const auto& l : j["layers"]) {
        std::string name = l["name"].get<std::string>();
        if (name.size() > 28) name = "…" + name.substr(name.size() - 27);
        out += fmt::format("{:>4}  {:<28} {:<18} {:>5}  {:<22} {:>7} {:>6} {:>8} {:>9}\n", l["id"].get<std::int64_t>(), name,
                           l["op"].get<std::string>(), l["stack"].get<std::int64_t>(), l["tiling"].get<std::string>(),
                           l["n_cns"].get<std::int64_t>(), l["n_unique_shapes"].get<std::size_t>(), l["edges_in"].get<std::int64_t>(),
                           l["edges_out"].get<std::int64_t>());
    }
    out += "\nstacks:\n";
    for (const auto& s : j["stacks"]) {
        const auto& ls = s["layers"];
        std::string range = ls.size() == 1 ? fmt::format("{}", ls[0].get<std::int64_t>())
                                           : fmt::format("{}-{}", ls.front().get<std::int64_t>(), ls.back().get<std::int64_t>());
        out += fmt::format("  stack {:>3}: layers {:<8} {:>7} CNs, weights {:.3f} Mbit, working set {:.3f} Mbit\n",
                           s["id"].get<std::int64_t>(), range, s["n_cns"].get<std::int64_t>(),
                           s["weight_bits"].get<std::int64_t>() / 1e6, s["working_set_bits"].get<std::int64_t>() / 1e6);
    }
    out += fmt::format("\n{} CNs, {} edges ({} carrying data), {} unique tile shapes, {} allocation units\n",
                       j["n_cns"].get<std::size_t>(), j["n_edges"].get<std::size_t>(), j["n_data_edges"].get<std::int64_t>(),
                       j["n_unique_shapes"].get<std::size_t>(), j["n_units"].get<std::size_t>());
    for (const auto& wmsg : j["warnings"]) out += "warning: " + wmsg.get<std::string>() + "\n";
    return out;
}

} // namespace stream
