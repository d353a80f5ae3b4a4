#include "fusion/Box.hpp"

#include <algorithm>

namespace stream {

bool Box::empty() const {
    return std::any_of(axes.begin(), axes.end(), [](const Range& r) { return r.hi <= r.lo; });
}

std::int64_t Box::elements() const {
    std::int64_t n = 1;
    for (const Range& r : axes) n *= std::max<std::int64_t>(0, r.size());
    return n;
}

Box operand_box(const Operand& op, const std::vector<Range>& loops, bool clip) {
    Box b;
    b.axes.reserve(op.axes.size());
    for (const TensorAxis& ax : op.axes) {
        if (ax.terms.empty()) {
            b.axes.push_back({0, ax.extent});
            continue;
        }
        std::int64_t lo = ax.offset, hi_incl = ax.offset;
        for (const AffineTerm& t : ax.terms) {
            const Range& r = loops[t.loop_dim];
            if (t.coefficient >= 0) {
                lo += t.coefficient * r.lo;
                hi_incl += t.coefficient * (r.hi - 1);
            } else {
                lo += t.coefficient * (r.hi - 1);
                hi_incl += t.coefficient * r.lo;
            }
        }
        Range r{lo, hi_incl + 1};
        if (clip) {
            r.lo = std::max<std::int64_t>(r.lo, 0);
            r.hi = std::min(r.hi, ax.extent);
        }
        b.axes.push_back(r);
    }
    return b;
}

std::vector<Range> full_loops(const Layer& layer) {
    std::vector<Range> loops;
    loops.reserve(layer.loop_dims.size());
    for (const LoopDim& d : layer.loop_dims) loops.push_back({0, d.size});
    return loops;
}

std::vector<Range> loops_producing(const Layer& layer, const Operand& out, const Box& box) {
    std::vector<Range> loops = full_loops(layer);
    for (std::size_t a = 0; a < out.axes.size() && a < box.axes.size(); ++a) {
        const TensorAxis& ax = out.axes[a];
        if (ax.terms.size() != 1 || ax.terms[0].coefficient != 1) continue;
        Range r{box.axes[a].lo - ax.offset, box.axes[a].hi - ax.offset};
        Range& l = loops[ax.terms[0].loop_dim];
        l.lo = std::max(l.lo, r.lo);
        l.hi = std::min(l.hi, r.hi);
    }
    return loops;
}

} // namespace stream
