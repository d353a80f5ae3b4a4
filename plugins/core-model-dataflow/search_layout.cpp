// Ordering-independent layout of a temporal mapping search; see search_layout.hpp.
#include "search_layout.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <stdexcept>

namespace stream::dataflow {

SearchLayout SearchLayout::make(const LoopNest& nest, const CoreDescription& core, const SpatialMapping& spatial) {
    SearchLayout s;
    s.nest = &nest;
    s.core = &core;
    const std::size_t nops = nest.operands().size();
    for (const auto& ad : spatial.dims) {
        bool known = std::any_of(core.array_dims.begin(), core.array_dims.end(),
                                 [&](const ArrayDim& d) { return d.name == ad.array_dim; });
        if (!known) throw std::invalid_argument("dataflow model: spatial mapping uses unknown array dimension " + ad.array_dim);
        for (const auto& l : ad.loops)
            if (l.factor != std::trunc(l.factor)) s.integral_spatial = false;
    }
    s.operands.resize(nops);
    s.level_of.assign(nops, std::vector<int>(core.memories.size(), -1));
    s.memory_operands.resize(core.memories.size());
    for (std::size_t o = 0; o < nops; ++o) {
        OperandLayout& L = s.operands[o];
        const std::string& name = nest.operands()[o].name;
        for (std::size_t m = 0; m < core.memories.size(); ++m) {
            const auto& ops = core.memories[m].operands;
            if (std::find(ops.begin(), ops.end(), name) == ops.end()) continue;
            s.level_of[o][m] = static_cast<int>(L.memory.size());
            L.memory.push_back(m);
        }
        if (L.memory.empty())
            throw std::invalid_argument("dataflow model: core " + core.name + " has no memory for operand " + name);
        L.levels = L.memory.size();
        L.output = o == nest.output_operand();
        for (const PrAxis& ax : nest.pr_axes(o)) {
            int64_t g = std::gcd(ax.coef_a, ax.coef_b);
            if (g == 0) g = 1;
            L.pr_axes.push_back({ax.dim_a, ax.dim_b, ax.coef_a / g, ax.coef_b / g, ax.extent});
        }
        for (std::size_t d = 0; d < nest.dims().size(); ++d) {
            L.relevancy.push_back(nest.relevancy(o, d));
            L.pr_axis.push_back(nest.pr_axis_of(o, d));
        }
        // §3.1: level i collects the unrollings of the array dims its memory serves that no lower
        // level claimed; leftovers sit above the top level.
        for (int v = 0; v < 2; ++v) {
            auto& su = L.spatial[v];
            su.assign(L.levels + 1, {});
            std::vector<bool> claimed(spatial.dims.size(), false);
            auto add = [&](std::size_t a, std::size_t lvl) {
                claimed[a] = true;
                for (const auto& l : spatial.dims[a].loops)
                    su[lvl].push_back({nest.dim_index(l.dim), v == 1 ? std::trunc(l.factor) : l.factor});
            };
            for (std::size_t i = 0; i < L.levels; ++i)
                for (const auto& served : core.memories[L.memory[i]].served_dims)
                    for (std::size_t a = 0; a < spatial.dims.size(); ++a)
                        if (!claimed[a] && spatial.dims[a].array_dim == served) add(a, i);
            for (std::size_t a = 0; a < spatial.dims.size(); ++a)
                if (!claimed[a]) add(a, L.levels);
        }
    }
    for (std::size_t m = 0; m < core.memories.size(); ++m)
        for (const auto& name : core.memories[m].operands)
            if (nest.has_operand(name)) {
                std::size_t o = nest.operand_index(name);
                auto& list = s.memory_operands[m];
                if (std::find(list.begin(), list.end(), o) == list.end()) list.push_back(o);
            }
    return s;
}

} // namespace stream::dataflow
