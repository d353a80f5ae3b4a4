// LOMA temporal mapping search; see mapping_search.hpp and zigzag.md §4.
#include "mapping_search.hpp"

#include "fast_allocator.hpp"
#include "fast_cost_model.hpp"
#include "search_layout.hpp"

#include <algorithm>
#include <cmath>
#include <sstream>
#include <stdexcept>
#include <string_view>

namespace stream::dataflow {

namespace {

struct SLoop {
    std::size_t dim;
    double size; // spatial unrollings may be fractional (§3.1)
};

// Memory indices (innermost first) that store operand `op`.
std::vector<std::size_t> memories_of(const LoopNest& nest, const CoreDescription& core, std::size_t op) {
    std::vector<std::size_t> out;
    for (std::size_t mi = 0; mi < core.memories.size(); ++mi) {
        const auto& ops = core.memories[mi].operands;
        if (std::find(ops.begin(), ops.end(), nest.operands()[op].name) != ops.end()) out.push_back(mi);
    }
    return out;
}

// §3.1: spatial loops per arch level a = 0..n of operand `op` (same rule as the cost model).
std::vector<std::vector<SLoop>> spatial_levels(const LoopNest& nest, const CoreDescription& core,
                                               const SpatialMapping& sm, const std::vector<std::size_t>& mems) {
    std::vector<std::vector<SLoop>> su(mems.size() + 1);
    std::vector<bool> claimed(sm.dims.size(), false);
    auto add = [&](std::size_t a, std::size_t lvl) {
        claimed[a] = true;
        for (const auto& l : sm.dims[a].loops) su[lvl].push_back({nest.dim_index(l.dim), l.factor});
    };
    for (std::size_t i = 0; i < mems.size(); ++i)
        for (const auto& served : core.memories[mems[i]].served_dims)
            for (std::size_t a = 0; a < sm.dims.size(); ++a)
                if (!claimed[a] && sm.dims[a].array_dim == served) add(a, i);
    for (std::size_t a = 0; a < sm.dims.size(); ++a)
        if (!claimed[a]) add(a, mems.size());
    return su;
}

// Elements of operand `op` touched by the loops (r dims multiplied, pr axes via §1.2 with
// ZigZag's int() truncation of the cumulative sizes, ir dims ignored).
double tile_elements(const LoopNest& nest, std::size_t op, const std::vector<SLoop>& loops) {
    const auto& axes = nest.pr_axes(op);
    std::vector<double> cum_a(axes.size(), 1), cum_b(axes.size(), 1);
    double n = 1;
    for (const SLoop& l : loops) {
        Relevancy r = nest.relevancy(op, l.dim);
        if (r == Relevancy::Relevant) {
            n *= l.size;
        } else if (r == Relevancy::Partial) {
            int ai = nest.pr_axis_of(op, l.dim);
            if (ai < 0) continue;
            const PrAxis& ax = axes[static_cast<std::size_t>(ai)];
            (l.dim == ax.dim_a ? cum_a : cum_b)[static_cast<std::size_t>(ai)] *= l.size;
        }
    }
    for (std::size_t a = 0; a < axes.size(); ++a)
        n *= static_cast<double>(LoopNest::pr_size(static_cast<int64_t>(cum_a[a]), axes[a].coef_a,
                                                   static_cast<int64_t>(cum_b[a]), axes[a].coef_b, axes[a].extent));
    return n;
}

std::vector<int64_t> prime_factors(int64_t n) {
    std::vector<int64_t> out;
    for (int64_t p = 2; p * p <= n; ++p)
        while (n % p == 0) {
            out.push_back(p);
            n /= p;
        }
    if (n > 1) out.push_back(n);
    return out;
}

} // namespace

bool better(Objective objective, const CostResult& a, const CostResult& b) {
    switch (objective) {
    case Objective::Latency:
        return a.latency_total2 < b.latency_total2 ||
               (a.latency_total2 == b.latency_total2 && a.energy_total < b.energy_total);
    case Objective::Energy:
        return a.energy_total < b.energy_total ||
               (a.energy_total == b.energy_total && a.latency_total2 < b.latency_total2);
    case Objective::Edp:
        return a.latency_total2 * a.energy_total < b.latency_total2 * b.energy_total;
    }
    return false;
}

std::vector<int64_t> temporal_sizes(const LoopNest& nest, const SpatialMapping& spatial) {
    std::vector<int64_t> out;
    for (const auto& d : nest.dims()) {
        double u = 1;
        for (const auto& ad : spatial.dims)
            for (const auto& l : ad.loops)
                if (l.dim == d.name) u *= l.factor;
        double t = static_cast<double>(d.size) / u;
        // ceil, but a quotient that is an integer up to rounding noise stays that integer
        double r = std::round(t);
        out.push_back(std::max<int64_t>(1, static_cast<int64_t>(std::fabs(t - r) < 1e-9 ? r : std::ceil(t))));
    }
    return out;
}

std::vector<LoopFactor> loop_prime_factors(const LoopNest& nest, const SpatialMapping& spatial, int lpf_limit) {
    std::vector<int64_t> sizes = temporal_sizes(nest, spatial);
    std::vector<std::vector<int64_t>> per_dim(sizes.size());
    std::size_t temporal_dims = 0, count = 0;
    for (std::size_t d = 0; d < sizes.size(); ++d) {
        if (sizes[d] <= 1) continue;
        ++temporal_dims;
        per_dim[d] = prime_factors(sizes[d]);
        count += per_dim[d].size();
    }
    const std::size_t limit = std::max<std::size_t>(static_cast<std::size_t>(std::max(lpf_limit, 1)), temporal_dims);
    while (count > limit) {
        std::size_t best = 0;
        for (std::size_t d = 1; d < per_dim.size(); ++d)
            if (per_dim[d].size() > per_dim[best].size()) best = d;
        auto& f = per_dim[best]; // sorted ascending: merge the two smallest
        int64_t merged = f[0] * f[1];
        f.erase(f.begin(), f.begin() + 2);
        f.insert(std::upper_bound(f.begin(), f.end(), merged), merged);
        --count;
    }
    std::vector<LoopFactor> out;
    for (std::size_t d = 0; d < per_dim.size(); ++d)
        for (int64_t p : per_dim[d]) out.push_back({d, p});
    if (out.empty() && !nest.dims().empty()) out.push_back({0, 1});
    return out;
}

std::optional<TemporalMapping> allocate_ordering(const LoopNest& nest, const CoreDescription& core,
                                                 const SpatialMapping& spatial,
                                                 const std::vector<LoopFactor>& ordering) {
    const std::size_t nops = nest.operands().size();
    std::vector<std::vector<std::size_t>> mems(nops);
    std::vector<std::vector<std::vector<SLoop>>> su(nops);
    std::vector<std::vector<SLoop>> allocated(nops);
    std::vector<std::vector<LoopFactor>> unallocated(nops, ordering);
    std::vector<std::size_t> level(nops, 0);
    TemporalMapping tm;
    for (std::size_t o = 0; o < nops; ++o) {
        mems[o] = memories_of(nest, core, o);
        if (mems[o].empty()) return std::nullopt;
        su[o] = spatial_levels(nest, core, spatial, mems[o]);
        allocated[o] = su[o][0];
        tm.levels[nest.operands()[o].name].assign(mems[o].size(), {});
    }
    const std::size_t out_op = nest.output_operand();

    for (std::size_t mi = 0; mi < core.memories.size(); ++mi) {
        const MemoryLevel& mem = core.memories[mi];
        std::vector<std::size_t> ops;
        for (const auto& name : mem.operands)
            if (nest.has_operand(name)) {
                std::size_t o = nest.operand_index(name);
                if (std::find(ops.begin(), ops.end(), o) == ops.end()) ops.push_back(o);
            }
        if (ops.empty()) continue;
        const double cap = static_cast<double>(mem.size_bits);
        std::vector<std::vector<double>> sizes(ops.size()); // bits per candidate slice
        std::vector<std::size_t> first(ops.size(), 0);      // slice index of sizes[k][0]
        for (std::size_t k = 0; k < ops.size(); ++k) {
            const std::size_t o = ops[k];
            const std::size_t m = level[o];
            const bool top = m + 1 == mems[o].size();
            unsigned prec = nest.operands()[o].precision_bits;
            if (o == out_op) {
                bool partial = false;
                for (const auto& f : unallocated[o])
                    partial = partial || nest.relevancy(o, f.dim) == Relevancy::Irrelevant;
                for (std::size_t a = m + 1; a < su[o].size(); ++a)
                    for (const auto& l : su[o][a]) partial = partial || nest.relevancy(o, l.dim) == Relevancy::Irrelevant;
                if (partial) prec = nest.partial_precision(o);
            }
            std::vector<SLoop> loops = allocated[o];
            for (std::size_t i = 0;; ++i) {
                double bits = tile_elements(nest, o, loops) * prec;
                if (bits > cap) break;
                sizes[k].push_back(bits);
                if (i == unallocated[o].size()) break;
                loops.push_back({unallocated[o][i].dim, static_cast<double>(unallocated[o][i].size)});
            }
            if (sizes[k].empty()) return std::nullopt; // MemoryTooSmall
            if (top) {
                // the top level takes everything left (MemoryHierarchyTooSmall otherwise)
                if (sizes[k].size() != unallocated[o].size() + 1) return std::nullopt;
                first[k] = unallocated[o].size();
                sizes[k] = {sizes[k].back()};
            }
        }
        // All slice combinations, last operand fastest; minimise the accesses, ties keep the later.
        std::vector<std::size_t> idx(ops.size(), 0), best;
        double best_acc = 0;
        for (;;) {
            double total = 0, acc = 0;
            for (std::size_t k = 0; k < ops.size(); ++k) {
                const std::size_t o = ops[k];
                total += sizes[k][idx[k]];
                if (level[o] + 1 == mems[o].size()) continue; // top level: no accesses counted
                double reps = 1;
                for (std::size_t j = first[k] + idx[k]; j < unallocated[o].size(); ++j)
                    reps *= static_cast<double>(unallocated[o][j].size);
                acc += reps * sizes[k][idx[k]];
            }
            if (total <= cap && (best.empty() || acc <= best_acc)) {
                best = idx;
                best_acc = acc;
            }
            std::size_t k = ops.size();
            while (k > 0 && ++idx[k - 1] == sizes[k - 1].size()) idx[--k] = 0;
            if (k == 0) break;
        }
        if (best.empty()) return std::nullopt; // operands do not fit together
        for (std::size_t k = 0; k < ops.size(); ++k) {
            const std::size_t o = ops[k];
            const std::size_t take = first[k] + best[k];
            auto& dst = tm.levels[nest.operands()[o].name][level[o]];
            for (std::size_t j = 0; j < take; ++j) {
                const LoopFactor& f = unallocated[o][j];
                dst.push_back({nest.dims()[f.dim].name, f.size});
                allocated[o].push_back({f.dim, static_cast<double>(f.size)});
            }
            unallocated[o].erase(unallocated[o].begin(), unallocated[o].begin() + static_cast<std::ptrdiff_t>(take));
            ++level[o];
            for (const auto& l : su[o][level[o]]) allocated[o].push_back(l);
        }
    }
    for (std::size_t o = 0; o < nops; ++o)
        if (!unallocated[o].empty() || level[o] != mems[o].size()) return std::nullopt;
    return tm;
}

std::string format_zigzag(const LoopNest& nest, const TemporalMapping& mapping) {
    std::ostringstream s;
    s << '{';
    bool first_op = true;
    for (std::size_t o : nest.operand_order()) {
        const std::string& name = nest.operands()[o].name;
        auto it = mapping.levels.find(name);
        if (it == mapping.levels.end()) continue;
        s << (first_op ? "" : ", ") << name << ": [";
        first_op = false;
        for (std::size_t lv = 0; lv < it->second.size(); ++lv) {
            s << (lv ? ", " : "") << '[';
            for (std::size_t k = 0; k < it->second[lv].size(); ++k)
                s << (k ? ", " : "") << '(' << it->second[lv][k].dim << ", " << it->second[lv][k].size << ')';
            s << ']';
        }
        s << ']';
    }
    s << '}';
    return s.str();
}

namespace {

// The LPFs sorted as the enumeration starts: by dim name, then size (std::next_permutation from
// the sorted multiset visits every distinct ordering once). Names are ranked once.
struct FactorLess {
    std::vector<std::size_t> rank; // per layer dim: its position among the dims sorted by name
    explicit FactorLess(const LoopNest& nest) : rank(nest.dims().size()) {
        std::vector<std::size_t> by_name(rank.size());
        for (std::size_t d = 0; d < by_name.size(); ++d) by_name[d] = d;
        std::sort(by_name.begin(), by_name.end(),
                  [&](std::size_t a, std::size_t b) { return nest.dims()[a].name < nest.dims()[b].name; });
        for (std::size_t i = 0; i < by_name.size(); ++i) rank[by_name[i]] = i;
        // equal names share a rank, as they compare equal by name
        for (std::size_t i = 1; i < by_name.size(); ++i)
            if (nest.dims()[by_name[i]].name == nest.dims()[by_name[i - 1]].name) rank[by_name[i]] = rank[by_name[i - 1]];
    }
    bool operator()(const LoopFactor& a, const LoopFactor& b) const {
        return rank[a.dim] != rank[b.dim] ? rank[a.dim] < rank[b.dim] : a.size < b.size;
    }
};

// better() of two CostResults, on the two numbers it reads.
bool better(Objective objective, const CostScalars& a, const CostScalars& b) {
    switch (objective) {
    case Objective::Latency:
        return a.latency_total2 < b.latency_total2 ||
               (a.latency_total2 == b.latency_total2 && a.energy_total < b.energy_total);
    case Objective::Energy:
        return a.energy_total < b.energy_total ||
               (a.energy_total == b.energy_total && a.latency_total2 < b.latency_total2);
    case Objective::Edp:
        return a.latency_total2 * a.energy_total < b.latency_total2 * b.energy_total;
    }
    return false;
}

} // namespace

SearchResult search_temporal_mapping(const LoopNest& nest, const CoreDescription& core,
                                     const SpatialMapping& spatial, const SearchOptions& options) {
    SearchResult res;
    const SearchLayout layout = SearchLayout::make(nest, core, spatial);
    FastAllocator allocator(layout);
    FastCostModel model(layout, options.model);
    std::vector<LoopFactor> ordering = loop_prime_factors(nest, spatial, options.lpf_limit);
    res.stats.factors = ordering.size();
    const FactorLess less(nest);
    std::sort(ordering.begin(), ordering.end(), less);

    Allocation allocation, best_allocation;
    std::vector<LoopFactor> best_ordering;
    CostScalars cost, best;
    bool found = false;
    do {
        if (options.cancelled && res.stats.orderings % 16 == 0 && options.cancelled()) {
            res.cancelled = true;
            break;
        }
        ++res.stats.orderings;
        if (!allocator.allocate(ordering, allocation)) continue;
        ++res.stats.allocated;
        if (!model.evaluate(ordering, allocation, options.objective, found ? &best : nullptr, cost)) {
            ++res.stats.pruned;
            continue;
        }
        ++res.stats.evaluated;
        if (!found || better(options.objective, cost, best)) {
            found = true;
            best = cost;
            best_ordering = ordering;
            best_allocation = allocation;
        }
    } while (std::next_permutation(ordering.begin(), ordering.end(), less));
    if (found) {
        res.mapping = to_temporal_mapping(layout, best_ordering, best_allocation);
        res.cost = evaluate(nest, core, spatial, *res.mapping, options.model);
    }
    return res;
}

SearchResult search_temporal_mapping_exhaustive(const LoopNest& nest, const CoreDescription& core,
                                                const SpatialMapping& spatial, const SearchOptions& options) {
    SearchResult res;
    std::vector<LoopFactor> ordering = loop_prime_factors(nest, spatial, options.lpf_limit);
    res.stats.factors = ordering.size();
    const FactorLess less(nest);
    std::sort(ordering.begin(), ordering.end(), less);
    do {
        if (options.cancelled && res.stats.orderings % 16 == 0 && options.cancelled()) {
            res.cancelled = true;
            break;
        }
        ++res.stats.orderings;
        std::optional<TemporalMapping> tm = allocate_ordering(nest, core, spatial, ordering);
        if (!tm) continue;
        ++res.stats.allocated;
        CostResult cost = evaluate(nest, core, spatial, *tm, options.model);
        ++res.stats.evaluated;
        if (!res.mapping || better(options.objective, cost, res.cost)) {
            res.mapping = std::move(tm);
            res.cost = std::move(cost);
        }
    } while (std::next_permutation(ordering.begin(), ordering.end(), less));
    return res;
}

} // namespace stream::dataflow
