#include "fusion/DependencyFinder.hpp"

#include <fmt/format.h>

#include <boost/geometry.hpp>
#include <boost/geometry/index/rtree.hpp>

#include <algorithm>
#include <array>
#include <utility>

namespace stream {

namespace bg = boost::geometry;
namespace bgi = boost::geometry::index;

namespace {

// Tensors of higher rank are indexed on their first axes only: the R-tree
// then over-approximates, and the exact check below removes false hits.
constexpr std::size_t kIndexRank = 6;
using Point = bg::model::point<double, kIndexRank, bg::cs::cartesian>;
using RBox = bg::model::box<Point>;
using Entry = std::pair<RBox, std::int64_t>;

template <std::size_t... I>
Point make_point(const std::array<double, kIndexRank>& c, std::index_sequence<I...>) {
    Point p;
    (bg::set<I>(p, c[I]), ...);
    return p;
}

// Inclusive integer boxes: [lo, hi - 1] per axis, so touching means sharing an element.
RBox to_rbox(const Box& b) {
    std::array<double, kIndexRank> lo{}, hi{};
    for (std::size_t a = 0; a < kIndexRank && a < b.axes.size(); ++a) {
        lo[a] = static_cast<double>(b.axes[a].lo);
        hi[a] = static_cast<double>(b.axes[a].hi - 1);
    }
    return RBox(make_point(lo, std::make_index_sequence<kIndexRank>{}), make_point(hi, std::make_index_sequence<kIndexRank>{}));
}

bool overlaps(const Box& a, const Box& b) {
    for (std::size_t i = 0; i < a.axes.size() && i < b.axes.size(); ++i)
        if (a.axes[i].hi <= b.axes[i].lo || b.axes[i].hi <= a.axes[i].lo) return false;
    return true;
}

} // namespace

const Operand* output_operand(const Layer& layer, std::uint32_t k) {
    std::uint32_t seen = 0;
    for (const Operand& o : layer.operands)
        if (o.role == OperandRole::Output && seen++ == k) return &o;
    return nullptr;
}

struct DependencyFinder::ProducerIndex {
    bgi::rtree<Entry, bgi::quadratic<16>> tree;
    std::vector<Box> boxes; // by position in the layer's node list
    std::int64_t first_node = 0;
};

DependencyFinder::DependencyFinder(const Workload& w, const CnGraph& g, const std::vector<std::vector<std::int64_t>>& nodes_of_layer)
    : w_(w), g_(g), nodes_of_layer_(nodes_of_layer), indices_(w.layers.size()) {}

DependencyFinder::~DependencyFinder() = default;

bool DependencyFinder::finalises(const Layer& layer, const CnNode& node) {
    const Operand* out = layer.output();
    if (!out) return true;
    std::vector<bool> relevant(layer.loop_dims.size(), false);
    for (const TensorAxis& ax : out->axes)
        for (const AffineTerm& t : ax.terms) relevant[t.loop_dim] = true;
    for (std::size_t d = 0; d < layer.loop_dims.size(); ++d)
        if (!relevant[d] && node.loop_ranges[d].hi < layer.loop_dims[d].size) return false;
    return true;
}

const DependencyFinder::ProducerIndex& DependencyFinder::index_of(std::int64_t layer, std::uint32_t output) const {
    auto& slots = indices_[static_cast<std::size_t>(layer)];
    if (slots.size() <= output) slots.resize(output + 1);
    if (!slots[output]) {
        auto idx = std::make_unique<ProducerIndex>();
        const Layer& l = w_.layers[static_cast<std::size_t>(layer)];
        const Operand* out = output_operand(l, output);
        std::vector<Entry> entries;
        const auto& nodes = nodes_of_layer_[static_cast<std::size_t>(layer)];
        idx->boxes.reserve(nodes.size());
        for (std::size_t i = 0; i < nodes.size(); ++i) {
            const CnNode& n = g_.nodes[static_cast<std::size_t>(nodes[i])];
            Box b = out ? operand_box(*out, n.loop_ranges, true) : Box{};
            if (out && !b.empty() && finalises(l, n)) entries.emplace_back(to_rbox(b), static_cast<std::int64_t>(i));
            idx->boxes.push_back(std::move(b));
        }
        idx->tree = bgi::rtree<Entry, bgi::quadratic<16>>(entries); // packing construction: one pass, balanced
        slots[output] = std::move(idx);
    }
    return *slots[output];
}

void DependencyFinder::sources(const Operand& op, const Box& box, Sources& out) const {
    if (box.empty()) return;
    trace(op.producer_layer, op.producer_output, op.tensor_name, box, out, 0);
}

void DependencyFinder::trace(std::int64_t producer, std::uint32_t output, const std::string& tensor, const Box& box,
                             Sources& out, int depth) const {
    if (producer < 0) {
        out.graph_inputs.push_back({tensor, box});
        return;
    }
    if (depth > static_cast<int>(w_.layers.size()))
        throw Error(ErrorKind::Internal, "dependency tracing loops through layout-only layers");
    const Layer& p = w_.layers[static_cast<std::size_t>(producer)];
    if (p.layer_class == LayerClass::Compute) {
        const ProducerIndex& idx = index_of(producer, output);
        const auto& nodes = nodes_of_layer_[static_cast<std::size_t>(producer)];
        // The query visits hits in place: no intermediate list per consumer.
        for (auto it = idx.tree.qbegin(bgi::intersects(to_rbox(box))); it != idx.tree.qend(); ++it)
            if (overlaps(idx.boxes[static_cast<std::size_t>(it->second)], box))
                out.producer_nodes.push_back(nodes[static_cast<std::size_t>(it->second)]);
        return;
    }
    // A layout-only layer: find the iterations that write the slice, then what they read.
    const Operand* out_op = output_operand(p, output);
    if (!out_op) throw Error(ErrorKind::Internal, fmt::format("{} has no output {}", p.label(), output));
    std::vector<Range> loops = loops_producing(p, *out_op, box);
    for (const Range& r : loops)
        if (r.hi <= r.lo) return;
    for (const Operand& in : p.operands) {
        if (in.role != OperandRole::Input) continue;
        Box in_box = operand_box(in, loops, true);
        if (in_box.empty()) continue;
        trace(in.producer_layer, in.producer_output, in.tensor_name, in_box, out, depth + 1);
    }
}

} // namespace stream
