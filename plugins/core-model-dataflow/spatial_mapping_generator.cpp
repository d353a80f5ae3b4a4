// ZigZag 3.8's SpatialMappingGeneratorStage; see spatial_mapping_generator.hpp and zigzag.md §3.3.
// Where ZigZag iterates a Python set (hint dims, "an arbitrary" dim to drop), the order here is
// the order the user wrote, or the layer's dim order; ZigZag's own order varies between runs
// (its issue #72), so ties between equally ranked candidates may resolve differently.
#include "spatial_mapping_generator.hpp"

#include <algorithm>
#include <cmath>
#include <sstream>
#include <stdexcept>

namespace stream::dataflow {

namespace {

[[noreturn]] void fail(const std::string& what) { throw std::invalid_argument("spatial mapping generator: " + what); }

std::string_view trim(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\n')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\n')) s.remove_suffix(1);
    return s;
}

std::vector<std::string_view> split(std::string_view s, char sep) {
    std::vector<std::string_view> out;
    for (;;) {
        const std::size_t at = s.find(sep);
        out.push_back(trim(s.substr(0, at)));
        if (at == std::string_view::npos) return out;
        s.remove_prefix(at + 1);
    }
}

// One array dim's unrollings: (index into nest.dims(), factor).
using Unrolls = std::vector<std::pair<std::size_t, int64_t>>;

// A spatial mapping under construction: per core array dim, whether it is defined and its
// unrollings; `order` lists the defined array dims as the result will list them.
struct Draft {
    std::vector<bool> defined;
    std::vector<Unrolls> unrolls;
    std::vector<std::size_t> order;
};

int64_t utilization(const Unrolls& u) {
    int64_t p = 1;
    for (const auto& l : u) p *= l.second;
    return p;
}

std::vector<int64_t> divisors(int64_t n) {
    std::vector<int64_t> out;
    for (int64_t d = 1; d <= n; ++d)
        if (n % d == 0) out.push_back(d);
    return out;
}

std::size_t array_index(const CoreDescription& core, const std::string& name) {
    for (std::size_t a = 0; a < core.array_dims.size(); ++a)
        if (core.array_dims[a].name == name) return a;
    fail("core '" + core.name + "' has no array dimension " + name);
}

bool has_dim(const LoopNest& nest, const std::string& name) {
    for (const auto& d : nest.dims())
        if (d.name == name) return true;
    return false;
}

// ZigZag's get_inner_memories: memories no lower memory feeds, i.e. none of whose operands a
// lower memory already stores.
std::vector<std::size_t> inner_memories(const CoreDescription& core) {
    std::vector<std::size_t> out;
    for (std::size_t m = 0; m < core.memories.size(); ++m) {
        bool fed = false;
        for (std::size_t lower = 0; lower < m && !fed; ++lower)
            for (const auto& op : core.memories[m].operands)
                fed = fed || std::find(core.memories[lower].operands.begin(), core.memories[lower].operands.end(), op) !=
                                 core.memories[lower].operands.end();
        if (!fed) out.push_back(m);
    }
    return out;
}

// The precision ZigZag's generator reads for an operand: partial-sum precision for the output.
unsigned generator_precision(const LoopNest& nest, std::size_t op) {
    return op == nest.output_operand() ? nest.partial_precision(op) : nest.operands()[op].precision_bits;
}

// check_and_reduce (zigzag.md §3.1): drop dims the layer lacks, clamp to max_unroll, drop loops
// from an array dim that overflows, then from array dims while a layer dim's total exceeds it.
Draft reduce_template(const LoopNest& nest, const CoreDescription& core, const SpatialMapping& user,
                      const std::vector<std::vector<int64_t>>& max_unroll) {
    Draft t{std::vector<bool>(core.array_dims.size(), false), std::vector<Unrolls>(core.array_dims.size()), {}};
    for (const auto& ad : user.dims) {
        const std::size_t a = array_index(core, ad.array_dim);
        if (!t.defined[a]) t.order.push_back(a);
        t.defined[a] = true;
        for (const auto& l : ad.loops) {
            if (!has_dim(nest, l.dim)) continue;
            const std::size_t d = nest.dim_index(l.dim);
            const int64_t f = std::min(static_cast<int64_t>(l.factor), max_unroll[a][d]);
            t.unrolls[a].push_back({d, std::max<int64_t>(f, 1)});
        }
        while (utilization(t.unrolls[a]) > core.array_dims[a].size) t.unrolls[a].erase(t.unrolls[a].begin());
    }
    for (std::size_t d = 0; d < nest.dims().size(); ++d) {
        auto total = [&] {
            int64_t p = 1;
            for (const auto& u : t.unrolls)
                for (const auto& l : u)
                    if (l.first == d) p *= l.second;
            return p;
        };
        for (std::size_t k = t.order.size(); k-- > 0 && total() > nest.dims()[d].size;) {
            auto& u = t.unrolls[t.order[k]];
            u.erase(std::remove_if(u.begin(), u.end(), [&](const auto& l) { return l.first == d; }), u.end());
        }
    }
    return t;
}

// The layer dims array dim `a` may unroll: its hint's dims the layer has (in the order given,
// once each), or every layer dim when no hint names one (clear_invalid_hits + complete_with_defaults).
std::vector<std::size_t> hinted_dims(const LoopNest& nest, const CoreDescription& core, const SpatialHints& hints,
                                     std::size_t a) {
    std::vector<std::size_t> out;
    for (const auto& h : hints)
        if (h.array_dim == core.array_dims[a].name)
            for (const auto& name : h.dims)
                if (has_dim(nest, name)) {
                    const std::size_t d = nest.dim_index(name);
                    if (std::find(out.begin(), out.end(), d) == out.end()) out.push_back(d);
                }
    if (out.empty())
        for (std::size_t d = 0; d < nest.dims().size(); ++d) out.push_back(d);
    return out;
}

// generate_spatial_mapping_single_oa_dim: each hinted dim alone at every divisor of its largest
// unrolling, largest first; then, when mixing, every product over 2.. hinted dims of divisors
// other than 1 that fits the array dim (first dim slowest, as itertools.product).
std::vector<Unrolls> single_array_dim_candidates(const std::vector<std::size_t>& dims, const std::vector<int64_t>& max_unroll,
                                                 int64_t size, bool mixed) {
    std::vector<Unrolls> out;
    for (std::size_t d : dims) {
        std::vector<int64_t> div = divisors(max_unroll[d]);
        for (auto it = div.rbegin(); it != div.rend(); ++it) out.push_back({{d, *it}});
    }
    if (!mixed) return out;
    const std::size_t n = dims.size();
    for (std::size_t len = 2; len <= n; ++len) {
        // combinations of `len` of the hinted dims, in order (itertools.combinations)
        std::vector<std::size_t> pick(len);
        for (std::size_t i = 0; i < len; ++i) pick[i] = i;
        for (;;) {
            std::vector<std::vector<int64_t>> pools;
            for (std::size_t i : pick) {
                std::vector<int64_t> div = divisors(max_unroll[dims[i]]);
                div.erase(div.begin()); // 1
                pools.push_back(std::move(div));
            }
            bool empty = false;
            for (const auto& p : pools) empty = empty || p.empty();
            if (!empty) {
                std::vector<std::size_t> idx(len, 0);
                for (;;) {
                    Unrolls u;
                    for (std::size_t i = 0; i < len; ++i) u.push_back({dims[pick[i]], pools[i][idx[i]]});
                    if (utilization(u) <= size) out.push_back(std::move(u));
                    std::size_t k = len;
                    while (k > 0 && ++idx[k - 1] == pools[k - 1].size()) idx[--k] = 0;
                    if (k == 0) break;
                }
            }
            std::size_t i = len;
            while (i > 0 && pick[i - 1] == n - len + (i - 1)) --i;
            if (i == 0) break;
            ++pick[i - 1];
            for (std::size_t j = i; j < len; ++j) pick[j] = pick[j - 1] + 1;
        }
    }
    return out;
}

// is_valid: unrollings within max_unroll, array dims within their size, layer dims within theirs.
bool valid(const LoopNest& nest, const CoreDescription& core, const std::vector<const Unrolls*>& per_array,
           const std::vector<std::vector<int64_t>>& max_unroll) {
    std::vector<int64_t> total(nest.dims().size(), 1);
    for (std::size_t a = 0; a < per_array.size(); ++a) {
        for (const auto& l : *per_array[a]) {
            if (l.second > max_unroll[a][l.first]) return false;
            total[l.first] *= l.second;
        }
        if (utilization(*per_array[a]) > core.array_dims[a].size) return false;
    }
    for (std::size_t d = 0; d < total.size(); ++d)
        if (total[d] > nest.dims()[d].size) return false;
    return true;
}

double indicator(const std::vector<const Unrolls*>& per_array, std::size_t dim_count) {
    std::vector<int64_t> total(dim_count, 1);
    std::vector<bool> seen(dim_count, false);
    double hw = 1;
    for (const Unrolls* u : per_array)
        for (const auto& l : *u) {
            hw *= static_cast<double>(l.second);
            total[l.first] *= l.second;
            seen[l.first] = true;
        }
    int64_t largest = 0;
    for (std::size_t d = 0; d < dim_count; ++d)
        if (seen[d]) largest = std::max(largest, total[d]);
    return largest > 0 ? hw + (hw / static_cast<double>(largest) - 1) : hw;
}

// limit_unrolling_to_mem_capacity: per innermost memory and operand, the unrollings of its
// served array dims that are not irrelevant to the operand must fit size/precision elements;
// otherwise the largest of them loses 1 until they do (ZigZag then writes the new factors back
// by old value, so equal old factors end up equal; kept).
void limit_to_capacity(const LoopNest& nest, const CoreDescription& core, Draft& m) {
    for (std::size_t mi : inner_memories(core)) {
        const MemoryLevel& mem = core.memories[mi];
        for (const auto& name : mem.operands) {
            if (!nest.has_operand(name)) continue;
            const std::size_t op = nest.operand_index(name);
            std::vector<std::size_t> served;
            for (const auto& s : mem.served_dims) served.push_back(array_index(core, s));
            std::vector<std::size_t> dims;
            double total = 1;
            for (std::size_t a : served)
                for (const auto& l : m.unrolls[a])
                    if (nest.relevancy(op, l.first) != Relevancy::Irrelevant) {
                        if (std::find(dims.begin(), dims.end(), l.first) == dims.end()) dims.push_back(l.first);
                        total *= static_cast<double>(l.second);
                    }
            const double max_elements = static_cast<double>(mem.size_bits) / generator_precision(nest, op);
            if (dims.empty() || !(max_elements < total)) continue;
            std::vector<int64_t> old;
            for (std::size_t d : dims)
                for (std::size_t a : served)
                    for (const auto& l : m.unrolls[a])
                        if (l.first == d) old.push_back(l.second);
            std::vector<int64_t> adjusted = old;
            auto product = [&] {
                double p = 1;
                for (int64_t f : adjusted) p *= static_cast<double>(f);
                return p;
            };
            while (product() > max_elements) {
                auto largest = std::max_element(adjusted.begin(), adjusted.end());
                if (*largest <= 1) break;
                --*largest;
            }
            for (std::size_t a : served)
                for (auto& l : m.unrolls[a]) {
                    if (std::find(dims.begin(), dims.end(), l.first) == dims.end()) continue;
                    for (std::size_t i = old.size(); i-- > 0;)
                        if (old[i] == l.second) {
                            l.second = adjusted[i];
                            break;
                        }
                }
        }
    }
}

SpatialMapping to_mapping(const LoopNest& nest, const CoreDescription& core, const Draft& m) {
    SpatialMapping out;
    for (std::size_t a : m.order) {
        ArrayDimUnrolling u{core.array_dims[a].name, {}};
        for (const auto& l : m.unrolls[a]) u.loops.push_back({nest.dims()[l.first].name, static_cast<double>(l.second)});
        out.dims.push_back(std::move(u));
    }
    return out;
}

} // namespace

SpatialHints parse_spatial_hints(std::string_view text) {
    SpatialHints out;
    if (trim(text).empty()) return out;
    for (std::string_view part : split(text, ';')) {
        if (part.empty()) continue;
        const std::size_t colon = part.find(':');
        if (colon == std::string_view::npos)
            fail("spatial_mapping_hint: expected \"ARRAY_DIM: DIM, DIM\", got \"" + std::string(part) + "\"");
        SpatialHint h{std::string(trim(part.substr(0, colon))), {}};
        for (std::string_view d : split(part.substr(colon + 1), ','))
            if (!d.empty()) h.dims.emplace_back(d);
        if (h.array_dim.empty() || h.dims.empty())
            fail("spatial_mapping_hint: expected \"ARRAY_DIM: DIM, DIM\", got \"" + std::string(part) + "\"");
        out.push_back(std::move(h));
    }
    return out;
}

std::vector<std::vector<int64_t>> max_unrollings(const LoopNest& nest, const CoreDescription& core) {
    std::vector<std::vector<int64_t>> max(core.array_dims.size(), std::vector<int64_t>(nest.dims().size()));
    for (std::size_t a = 0; a < core.array_dims.size(); ++a)
        for (std::size_t d = 0; d < nest.dims().size(); ++d) max[a][d] = std::min(nest.dims()[d].size, core.array_dims[a].size);
    for (std::size_t mi : inner_memories(core)) {
        const MemoryLevel& mem = core.memories[mi];
        for (const auto& name : mem.operands) {
            if (!nest.has_operand(name)) continue;
            const std::size_t op = nest.operand_index(name);
            const double bw = op == nest.output_operand() ? mem.write_bw : mem.read_bw;
            const unsigned precision = generator_precision(nest, op);
            if (precision == 0) continue;
            // ZigZag's bw // precision; below one element per cycle the array dim can still take one
            const int64_t multicast = std::max<int64_t>(1, static_cast<int64_t>(std::floor(bw / precision)));
            for (const auto& served : mem.served_dims) {
                const std::size_t a = array_index(core, served);
                for (std::size_t d = 0; d < nest.dims().size(); ++d)
                    if (nest.relevancy(op, d) != Relevancy::Irrelevant) max[a][d] = std::min(max[a][d], multicast);
            }
        }
    }
    return max;
}

bool defines_every_array_dim(const CoreDescription& core, const SpatialMapping& user) {
    for (const auto& ad : core.array_dims) {
        bool found = false;
        for (const auto& u : user.dims) found = found || u.array_dim == ad.name;
        if (!found) return false;
    }
    return true;
}

double performance_indicator(const SpatialMapping& mapping) {
    std::vector<std::string> names;
    std::vector<Unrolls> per_array;
    for (const auto& ad : mapping.dims) {
        Unrolls u;
        for (const auto& l : ad.loops) {
            auto it = std::find(names.begin(), names.end(), l.dim);
            if (it == names.end()) it = names.insert(names.end(), l.dim);
            u.push_back({static_cast<std::size_t>(it - names.begin()), static_cast<int64_t>(l.factor)});
        }
        per_array.push_back(std::move(u));
    }
    std::vector<const Unrolls*> view;
    for (const auto& u : per_array) view.push_back(&u);
    return indicator(view, names.size());
}

std::vector<SpatialMapping> generate_spatial_mappings(const LoopNest& nest, const CoreDescription& core,
                                                      const SpatialMapping& user, const SpatialHints& hints,
                                                      const SpatialGeneratorOptions& options) {
    if (options.nb_mappings == 0) fail("nb_mappings_generated must be at least 1");
    const auto max_unroll = max_unrollings(nest, core);
    Draft tmpl = reduce_template(nest, core, user, max_unroll);
    std::vector<std::size_t> to_fill;
    for (std::size_t a = 0; a < core.array_dims.size(); ++a)
        if (!tmpl.defined[a]) to_fill.push_back(a);
    if (to_fill.empty()) {
        limit_to_capacity(nest, core, tmpl);
        return {to_mapping(nest, core, tmpl)};
    }

    std::vector<std::vector<Unrolls>> options_of(to_fill.size());
    double combinations = 1;
    for (std::size_t i = 0; i < to_fill.size(); ++i) {
        const std::size_t a = to_fill[i];
        options_of[i] = single_array_dim_candidates(hinted_dims(nest, core, hints, a), max_unroll[a], core.array_dims[a].size,
                                                    options.mixed);
        combinations *= static_cast<double>(options_of[i].size());
    }
    if (combinations > static_cast<double>(options.max_combinations))
        fail(std::to_string(static_cast<long long>(combinations)) + " combinations of array-dim unrollings exceed the limit of " +
             std::to_string(options.max_combinations) + "; give spatial_mapping_hint or more of the mapping");

    struct Ranked {
        std::vector<std::size_t> pick;
        double indicator;
    };
    std::vector<Ranked> ranked;
    std::vector<const Unrolls*> per_array(core.array_dims.size());
    for (std::size_t a = 0; a < core.array_dims.size(); ++a) per_array[a] = &tmpl.unrolls[a];
    std::vector<std::size_t> idx(to_fill.size(), 0);
    bool any = true;
    for (const auto& o : options_of) any = any && !o.empty();
    while (any) {
        for (std::size_t i = 0; i < to_fill.size(); ++i) per_array[to_fill[i]] = &options_of[i][idx[i]];
        if (valid(nest, core, per_array, max_unroll)) ranked.push_back({idx, indicator(per_array, nest.dims().size())});
        std::size_t k = idx.size();
        while (k > 0 && ++idx[k - 1] == options_of[k - 1].size()) idx[--k] = 0;
        if (k == 0) break;
    }
    if (ranked.empty()) fail("no valid spatial mapping for layer on core '" + core.name + "'");
    std::stable_sort(ranked.begin(), ranked.end(), [](const Ranked& a, const Ranked& b) { return a.indicator > b.indicator; });

    std::vector<SpatialMapping> out;
    for (std::size_t r = 0; r < std::min(options.nb_mappings, ranked.size()); ++r) {
        Draft c = tmpl;
        for (std::size_t i = 0; i < to_fill.size(); ++i) {
            c.unrolls[to_fill[i]] = options_of[i][ranked[r].pick[i]];
            c.defined[to_fill[i]] = true;
            c.order.push_back(to_fill[i]);
        }
        limit_to_capacity(nest, core, c);
        out.push_back(to_mapping(nest, core, c));
    }
    return out;
}

std::string format_spatial(const SpatialMapping& mapping) {
    std::ostringstream s;
    s << '{';
    for (std::size_t a = 0; a < mapping.dims.size(); ++a) {
        s << (a ? ", " : "") << mapping.dims[a].array_dim << ": [";
        for (std::size_t l = 0; l < mapping.dims[a].loops.size(); ++l)
            s << (l ? ", " : "") << '(' << mapping.dims[a].loops[l].dim << ", " << mapping.dims[a].loops[l].factor << ')';
        s << ']';
    }
    s << '}';
    return s.str();
}

} // namespace stream::dataflow
