// Hand-built layers with the loop nests and affine axes the ONNX frontend
// gives (see plugins/frontend-onnx/ConvConverters.cpp), and a one-core
// accelerator, for tests of the fusion engine without plugins.
#pragma once

#include "fusion/CnGraphBuilder.hpp"
#include "ir/Accelerator.hpp"
#include "ir/Mapping.hpp"
#include "ir/Workload.hpp"

#include <algorithm>
#include <memory>
#include <string>

namespace fusion_test {

using namespace stream;

struct ConvSpec {
    std::int64_t k = 4, c = 4, oy = 8, ox = 8, fy = 3, fx = 3, stride = 1, pad = 1;
    std::int64_t producer = -1;
    std::int64_t in_size = 0; ///< input rows and columns; 0: what the output needs without overhang
};

inline TensorAxis axis(std::uint32_t dim, std::int64_t extent) { return TensorAxis{{{dim, 1}}, 0, extent}; }

/// NCHW conv: O[b][k][oy][ox] += W[k][c][fy][fx] * I[b][c][s*oy+fy-p][s*ox+fx-p].
inline Layer conv(std::int64_t id, const ConvSpec& s) {
    Layer l;
    l.id = id;
    l.name = "conv" + std::to_string(id);
    l.op_type = "Conv";
    l.loop_dims = {{"B", 1}, {"G", 1}, {"K", s.k}, {"C", s.c}, {"OY", s.oy}, {"OX", s.ox}, {"FY", s.fy}, {"FX", s.fx}};
    const std::int64_t iy = s.in_size ? s.in_size : (s.oy - 1) * s.stride + s.fy - 2 * s.pad;
    const std::int64_t ix = s.in_size ? s.in_size : (s.ox - 1) * s.stride + s.fx - 2 * s.pad;
    Operand in;
    in.name = "I";
    in.role = OperandRole::Input;
    in.producer_layer = s.producer;
    in.tensor_name = s.producer < 0 ? "x" : "t" + std::to_string(s.producer);
    in.axes = {axis(0, 1), TensorAxis{{{1, s.c}, {3, 1}}, 0, s.c}, TensorAxis{{{4, s.stride}, {6, 1}}, -s.pad, iy},
               TensorAxis{{{5, s.stride}, {7, 1}}, -s.pad, ix}};
    Operand w;
    w.name = "W";
    w.role = OperandRole::Constant;
    w.tensor_name = "w" + std::to_string(id);
    w.axes = {TensorAxis{{{1, s.k}, {2, 1}}, 0, s.k}, axis(3, s.c), axis(6, s.fy), axis(7, s.fx)};
    Operand out;
    out.name = "O";
    out.role = OperandRole::Output;
    out.tensor_name = "t" + std::to_string(id);
    out.axes = {axis(0, 1), TensorAxis{{{1, s.k}, {2, 1}}, 0, s.k}, axis(4, s.oy), axis(5, s.ox)};
    l.operands = {in, w, out};
    return l;
}

/// Max pooling with a k x k window and stride k over a C x H x W input.
inline Layer pool(std::int64_t id, std::int64_t channels, std::int64_t out_rows, std::int64_t window, std::int64_t producer) {
    Layer l;
    l.id = id;
    l.name = "pool" + std::to_string(id);
    l.op_type = "MaxPool";
    l.loop_dims = {{"B", 1}, {"K", channels}, {"OY", out_rows}, {"OX", out_rows}, {"FY", window}, {"FX", window}};
    Operand in;
    in.name = "I";
    in.producer_layer = producer;
    in.tensor_name = "t" + std::to_string(producer);
    in.axes = {axis(0, 1), axis(1, channels), TensorAxis{{{2, window}, {4, 1}}, 0, out_rows * window},
               TensorAxis{{{3, window}, {5, 1}}, 0, out_rows * window}};
    Operand out;
    out.name = "O";
    out.role = OperandRole::Output;
    out.tensor_name = "t" + std::to_string(id);
    out.axes = {axis(0, 1), axis(1, channels), axis(2, out_rows), axis(3, out_rows)};
    l.operands = {in, out};
    return l;
}

/// One compute core with a big memory for W, and a DRAM core.
inline Accelerator one_core_accelerator(std::int64_t cores = 1) {
    auto type = std::make_shared<CoreType>();
    type->name = "pe";
    type->array_dims = {{"D1", 4}};
    MemoryLevel m;
    m.name = "sram";
    m.size_bits = 1 << 24;
    m.operands = {"I", "W", "O"};
    type->memories = {m};
    Accelerator acc;
    acc.name = "toy";
    for (std::int64_t i = 0; i < cores; ++i) acc.cores.push_back({i, type, false, i, {}});
    auto dram = std::make_shared<CoreType>();
    dram->name = "dram";
    acc.cores.push_back({cores, dram, true, cores, {}});
    acc.offchip_core = cores;
    return acc;
}

inline TilingFactor tf(const std::string& dim, std::int64_t factor) { return {dim, TilingFactor::Kind::Count, factor, {}}; }
inline TilingFactor all(const std::string& dim) { return {dim, TilingFactor::Kind::All, 1, {}}; }
inline TilingFactor star(const std::string& dim) { return {dim, TilingFactor::Kind::Star, 1, {}}; }

inline Mapping mapping(std::vector<std::int64_t> cores, std::vector<TilingFactor> intra, std::vector<TilingFactor> inter = {},
                       bool fixed = false) {
    Mapping m;
    MappingEntry e;
    e.cores = std::move(cores);
    e.fixed = fixed;
    e.intra_core_tiling = std::move(intra);
    e.inter_core_tiling = std::move(inter);
    m.default_entry = e;
    return m;
}

inline FusionResult build(const Workload& w, const Mapping& m, const Accelerator& acc, const std::string& stacks = "all",
                          const std::string& mode = "fused", bool compat = false) {
    FusionOptions o;
    o.mode = mode;
    o.layer_stacks = mode == "fused" ? stacks : "";
    o.compat_stream = compat;
    return build_cn_graph(w, m, acc, o);
}

/// Data edges (those carrying a tensor) as (producer sub_id, consumer sub_id) between two layers.
inline std::vector<std::pair<std::int64_t, std::int64_t>> data_edges(const CnGraph& g, std::int64_t from_layer, std::int64_t to_layer) {
    std::vector<std::pair<std::int64_t, std::int64_t>> out;
    for (const CnEdge& e : g.edges) {
        const CnNode& a = g.nodes[static_cast<std::size_t>(e.from_node)];
        const CnNode& b = g.nodes[static_cast<std::size_t>(e.to_node)];
        if (e.tensor >= 0 && a.layer == from_layer && b.layer == to_layer) out.emplace_back(a.sub_id, b.sub_id);
    }
    std::sort(out.begin(), out.end());
    return out;
}

} // namespace fusion_test
