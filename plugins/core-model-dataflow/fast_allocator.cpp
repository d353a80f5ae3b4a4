// LOMA memory allocation without per-ordering allocation; see fast_allocator.hpp. Every
// floating-point product is formed in the same order as allocate_ordering() forms it, so the
// decisions (and ties) are the same bit for bit.
#include "fast_allocator.hpp"

#include <algorithm>

namespace stream::dataflow {

TemporalMapping to_temporal_mapping(const SearchLayout& layout, const std::vector<LoopFactor>& ordering,
                                    const Allocation& allocation) {
    const LoopNest& nest = *layout.nest;
    TemporalMapping tm;
    for (std::size_t o = 0; o < layout.operands.size(); ++o) {
        auto& levels = tm.levels[nest.operands()[o].name];
        levels.assign(layout.operands[o].levels, {});
        std::size_t begin = 0;
        for (std::size_t m = 0; m < levels.size(); ++m) {
            for (std::size_t j = begin; j < allocation.ends[o][m]; ++j)
                levels[m].push_back({nest.dims()[ordering[j].dim].name, ordering[j].size});
            begin = allocation.ends[o][m];
        }
    }
    return tm;
}

FastAllocator::FastAllocator(const SearchLayout& layout) : layout_(layout) {
    const std::size_t nops = layout.operands.size();
    tile_.resize(nops);
    for (std::size_t o = 0; o < nops; ++o) {
        tile_[o].cum_a.resize(layout.nest->pr_axes(o).size());
        tile_[o].cum_b.resize(layout.nest->pr_axes(o).size());
    }
    level_.resize(nops);
    pos_.resize(nops);
    sizes_.resize(nops);
    first_.resize(nops);
    fewest_.resize(nops);
    idx_.resize(nops);
    best_.resize(nops);
}

void FastAllocator::grow(std::size_t op, Tile& t, std::size_t dim, double size) const {
    const OperandLayout& L = layout_.operands[op];
    const Relevancy r = L.relevancy[dim];
    if (r == Relevancy::Relevant) {
        t.relevant *= size;
    } else if (r == Relevancy::Partial) {
        const int ai = L.pr_axis[dim];
        if (ai < 0) return;
        const ReducedPrAxis& ax = L.pr_axes[static_cast<std::size_t>(ai)];
        (dim == ax.dim_a ? t.cum_a : t.cum_b)[static_cast<std::size_t>(ai)] *= size;
    }
}

double FastAllocator::elements(std::size_t op, const Tile& t) const {
    const auto& axes = layout_.operands[op].pr_axes;
    double n = t.relevant;
    for (std::size_t a = 0; a < axes.size(); ++a)
        n *= static_cast<double>(axes[a].size(static_cast<int64_t>(t.cum_a[a]), static_cast<int64_t>(t.cum_b[a])));
    return n;
}

bool FastAllocator::allocate(const std::vector<LoopFactor>& ordering, Allocation& out) {
    const LoopNest& nest = *layout_.nest;
    const std::size_t nops = layout_.operands.size();
    const std::size_t len = ordering.size();
    suffix_.assign(len + 1, 1.0);
    for (std::size_t j = len; j-- > 0;) suffix_[j] = suffix_[j + 1] * static_cast<double>(ordering[j].size);
    out.ends.resize(nops);
    for (std::size_t o = 0; o < nops; ++o) {
        const OperandLayout& L = layout_.operands[o];
        Tile& t = tile_[o];
        t.relevant = 1;
        std::fill(t.cum_a.begin(), t.cum_a.end(), 1.0);
        std::fill(t.cum_b.begin(), t.cum_b.end(), 1.0);
        for (const DimLoop& l : L.spatial[0][0]) grow(o, t, l.dim, l.size);
        level_[o] = 0;
        pos_[o] = 0;
        out.ends[o].assign(L.levels, len);
    }
    const std::size_t out_op = nest.output_operand();

    for (std::size_t mi = 0; mi < layout_.core->memories.size(); ++mi) {
        const auto& ops = layout_.memory_operands[mi];
        if (ops.empty()) continue;
        const double cap = static_cast<double>(layout_.core->memories[mi].size_bits);
        for (std::size_t k = 0; k < ops.size(); ++k) {
            const std::size_t o = ops[k];
            const OperandLayout& L = layout_.operands[o];
            const std::size_t m = level_[o];
            const bool top = m + 1 == L.levels;
            // The output tile counts at partial-sum precision while any reduction (temporal or
            // spatial) is still above this level.
            unsigned prec = nest.operands()[o].precision_bits;
            if (o == out_op) {
                bool partial = false;
                for (std::size_t j = pos_[o]; j < len && !partial; ++j)
                    partial = L.relevancy[ordering[j].dim] == Relevancy::Irrelevant;
                for (std::size_t a = m + 1; a < L.spatial[0].size() && !partial; ++a)
                    for (const DimLoop& l : L.spatial[0][a]) partial = partial || L.relevancy[l.dim] == Relevancy::Irrelevant;
                if (partial) prec = nest.partial_precision(o);
            }
            const std::size_t remaining = len - pos_[o];
            auto& sizes = sizes_[k];
            sizes.clear();
            scratch_ = tile_[o];
            first_[k] = 0;
            if (top) {
                // The top level takes everything left; every slice must fit (MemoryHierarchyTooSmall
                // otherwise). Slice sizes never shrink as loops are added (each factor >= 1, pr
                // sizes grow with their loops, rounding is monotone), so that is: the whole fits.
                for (std::size_t i = 0; i < remaining; ++i)
                    grow(o, scratch_, ordering[pos_[o] + i].dim, static_cast<double>(ordering[pos_[o] + i].size));
                const double bits = elements(o, scratch_) * prec;
                if (bits > cap) return false;
                sizes.push_back(bits);
                first_[k] = remaining;
                continue;
            }
            for (std::size_t i = 0;; ++i) {
                const double bits = elements(o, scratch_) * prec;
                if (bits > cap) break;
                sizes.push_back(bits);
                if (i == remaining) break;
                grow(o, scratch_, ordering[pos_[o] + i].dim, static_cast<double>(ordering[pos_[o] + i].size));
            }
            if (sizes.empty()) return false; // MemoryTooSmall
        }
        // The combination allocate_ordering() keeps: among those that fit, minimal accesses, the
        // last one in its order (last operand fastest) among equals. Visited here depth first in
        // the reverse order, keeping the first strictly better one: the same combination, but a
        // partial one already over capacity, or that cannot get below the best even if every
        // remaining operand adds its fewest accesses, is dropped with everything below it (sums
        // of non-negative doubles never decrease, rounding is monotone).
        for (std::size_t k = 0; k < ops.size(); ++k) {
            const std::size_t o = ops[k];
            double fewest = 0;
            if (level_[o] + 1 != layout_.operands[o].levels)
                for (std::size_t i = 0; i < sizes_[k].size(); ++i) {
                    const double a = suffix_[pos_[o] + first_[k] + i] * sizes_[k][i];
                    fewest = i == 0 ? a : std::min(fewest, a);
                }
            fewest_[k] = fewest;
        }
        bool found = false;
        double best_acc = 0;
        auto bound = [&](std::size_t k, double acc) {
            for (std::size_t j = k; j < ops.size(); ++j) acc += fewest_[j];
            return acc;
        };
        auto combine = [&](auto&& self, std::size_t k, double total, double acc) -> void {
            if (k == ops.size()) {
                std::copy(idx_.begin(), idx_.begin() + static_cast<std::ptrdiff_t>(ops.size()), best_.begin());
                best_acc = acc;
                found = true;
                return;
            }
            const std::size_t o = ops[k];
            const bool top = level_[o] + 1 == layout_.operands[o].levels; // top level: no accesses counted
            for (std::size_t i = sizes_[k].size(); i-- > 0;) {
                const double t = total + sizes_[k][i];
                if (t > cap) continue;
                const double a = top ? acc : acc + suffix_[pos_[o] + first_[k] + i] * sizes_[k][i];
                if (found && bound(k + 1, a) >= best_acc) continue;
                idx_[k] = i;
                self(self, k + 1, t, a);
            }
        };
        combine(combine, 0, 0.0, 0.0);
        if (!found) return false; // operands do not fit together
        for (std::size_t k = 0; k < ops.size(); ++k) {
            const std::size_t o = ops[k];
            const OperandLayout& L = layout_.operands[o];
            const std::size_t take = first_[k] + best_[k];
            for (std::size_t j = 0; j < take; ++j)
                grow(o, tile_[o], ordering[pos_[o] + j].dim, static_cast<double>(ordering[pos_[o] + j].size));
            pos_[o] += take;
            out.ends[o][level_[o]] = pos_[o];
            ++level_[o];
            for (const DimLoop& l : L.spatial[0][level_[o]]) grow(o, tile_[o], l.dim, l.size);
        }
    }
    for (std::size_t o = 0; o < nops; ++o)
        if (pos_[o] != len || level_[o] != layout_.operands[o].levels) return false;
    return true;
}

} // namespace stream::dataflow
