// ZigZag 3.8.0 cost model for one mapping; see dataflow_model.hpp and
// shared/docs/algorithms/zigzag.md (§ numbers below refer to that document).
#include "dataflow_model.hpp"

#include <stream/plugin.h>

#include <algorithm>
#include <array>
#include <tuple>
#include <cctype>
#include <cmath>
#include <numeric>
#include <stdexcept>

namespace stream::dataflow {

namespace {

[[noreturn]] void fail(const std::string& what) { throw std::invalid_argument("dataflow model: " + what); }

// Python's round(): ties to even (default FP rounding mode).
double py_round(double x) { return std::nearbyint(x); }

double product(const std::vector<double>& v, std::size_t from, std::size_t to) {
    double p = 1;
    for (std::size_t i = from; i < to && i < v.size(); ++i) p *= v[i];
    return p;
}

bool is_output_name(std::string_view name) { return name == "O"; }

} // namespace

// =======================================================================================
// LoopNest
// =======================================================================================

int64_t LoopNest::pr_size(int64_t a, int64_t ca, int64_t b, int64_t cb, int64_t extent) {
    // §1.2: number of distinct ca*x + cb*y, x in [0,a), y in [0,b).
    int64_t g = std::gcd(ca, cb);
    if (g == 0) g = 1;
    int64_t s = a * b - std::max<int64_t>(0, b - ca / g) * (a - cb / g);
    if (extent > 0) s = std::min(s, extent);
    return s;
}

LoopNest::LoopNest(std::vector<LoopDim> dims, std::vector<Operand> operands)
    : dims_(std::move(dims)), operands_(std::move(operands)) {
    if (dims_.empty()) fail("layer without loop dimensions");
    for (const auto& d : dims_)
        if (d.size < 1) fail("loop dimension " + d.name + " has size < 1");
    int outputs = 0;
    relevancy_.assign(operands_.size(), std::vector<Relevancy>(dims_.size(), Relevancy::Irrelevant));
    pr_axes_.assign(operands_.size(), {});
    for (std::size_t o = 0; o < operands_.size(); ++o) {
        const Operand& op = operands_[o];
        if (op.role == OperandRole::Output) {
            output_ = o;
            ++outputs;
        }
        for (const auto& ax : op.axes) {
            for (const auto& t : ax.terms)
                if (t.dim >= dims_.size()) fail("operand " + op.name + " refers to an unknown loop dim");
            if (ax.terms.size() == 1) {
                if (relevancy_[o][ax.terms[0].dim] != Relevancy::Partial)
                    relevancy_[o][ax.terms[0].dim] = Relevancy::Relevant;
            } else if (ax.terms.size() == 2) {
                PrAxis p{ax.terms[0].dim, ax.terms[1].dim, ax.terms[0].coefficient, ax.terms[1].coefficient,
                         ax.extent};
                relevancy_[o][p.dim_a] = Relevancy::Partial;
                relevancy_[o][p.dim_b] = Relevancy::Partial;
                pr_axes_[o].push_back(p);
            } else if (ax.terms.size() > 2) {
                fail("operand " + op.name + " has an axis with more than two terms");
            }
        }
    }
    if (outputs != 1) fail("a layer needs exactly one output operand");
    order_.push_back(output_);
    for (OperandRole role : {OperandRole::Constant, OperandRole::Input})
        for (std::size_t o = 0; o < operands_.size(); ++o)
            if (operands_[o].role == role) {
                order_.push_back(o);
                inputs_.push_back(o);
            }
    if (inputs_.empty() || inputs_.size() > 2) fail("the cost model needs one or two input operands");
}

LoopNest LoopNest::from_abi(const stream_layer_v1& layer) {
    std::vector<LoopDim> dims;
    for (uint32_t i = 0; i < layer.loop_dim_count; ++i)
        dims.push_back({layer.loop_dims[i].name ? layer.loop_dims[i].name : "", layer.loop_dims[i].size});
    std::vector<Operand> ops;
    for (uint32_t i = 0; i < layer.operand_count; ++i) {
        const stream_operand_v1& src = layer.operands[i];
        Operand op;
        op.name = src.name ? src.name : "";
        op.role = src.role == STREAM_OPERAND_OUTPUT     ? OperandRole::Output
                  : src.role == STREAM_OPERAND_CONSTANT ? OperandRole::Constant
                                                        : OperandRole::Input;
        op.precision_bits = src.precision_bits;
        op.partial_precision_bits = src.partial_precision_bits;
        for (uint32_t a = 0; a < src.axis_count; ++a) {
            TensorAxis ax;
            ax.extent = src.axes[a].extent;
            for (uint32_t t = 0; t < src.axes[a].term_count; ++t)
                ax.terms.push_back({src.axes[a].terms[t].loop_dim, src.axes[a].terms[t].coefficient});
            op.axes.push_back(std::move(ax));
        }
        ops.push_back(std::move(op));
    }
    return LoopNest(std::move(dims), std::move(ops));
}

std::size_t LoopNest::dim_index(std::string_view name) const {
    for (std::size_t i = 0; i < dims_.size(); ++i)
        if (dims_[i].name == name) return i;
    fail("unknown loop dimension " + std::string(name));
}

bool LoopNest::has_operand(std::string_view name) const {
    return std::any_of(operands_.begin(), operands_.end(), [&](const Operand& o) { return o.name == name; });
}

std::size_t LoopNest::operand_index(std::string_view name) const {
    for (std::size_t i = 0; i < operands_.size(); ++i)
        if (operands_[i].name == name) return i;
    fail("unknown operand " + std::string(name));
}

int LoopNest::pr_axis_of(std::size_t op, std::size_t dim) const {
    for (std::size_t i = 0; i < pr_axes_[op].size(); ++i)
        if (pr_axes_[op][i].dim_a == dim || pr_axes_[op][i].dim_b == dim) return static_cast<int>(i);
    return -1;
}

int64_t LoopNest::mac_count() const {
    int64_t n = 1;
    for (const auto& d : dims_) n *= d.size;
    return n;
}

double LoopNest::operand_size_elements(std::size_t op) const {
    double n = 1;
    for (std::size_t d = 0; d < dims_.size(); ++d)
        if (relevancy_[op][d] == Relevancy::Relevant) n *= static_cast<double>(dims_[d].size);
    for (const auto& p : pr_axes_[op])
        n *= static_cast<double>(pr_size(dims_[p.dim_a].size, p.coef_a, dims_[p.dim_b].size, p.coef_b, p.extent));
    return n;
}

unsigned LoopNest::partial_precision(std::size_t op) const {
    const Operand& o = operands_[op];
    return o.partial_precision_bits ? o.partial_precision_bits : o.precision_bits;
}

// =======================================================================================
// CoreDescription
// =======================================================================================

int64_t CoreDescription::total_units() const {
    int64_t n = 1;
    for (const auto& d : array_dims) n *= d.size;
    return n;
}

MemoryLevel MemoryLevel::from_abi(const stream_memory_level_v1& m) {
    MemoryLevel l;
    l.name = m.name ? m.name : "";
    l.size_bits = m.size_bits;
    l.read_bw = m.read_bw_bits_per_cycle;
    l.write_bw = m.write_bw_bits_per_cycle;
    l.read_energy_pj = m.read_energy_pj;
    l.write_energy_pj = m.write_energy_pj;
    l.min_read_bits = m.min_read_bits;
    l.min_write_bits = m.min_write_bits;
    for (uint32_t k = 0; k < m.operand_count; ++k) l.operands.emplace_back(m.operands[k]);
    for (uint32_t k = 0; k < m.served_dim_count; ++k) l.served_dims.emplace_back(m.served_dims[k]);
    l.read_ports = m.read_ports;
    l.write_ports = m.write_ports;
    l.read_write_ports = m.read_write_ports;
    for (uint32_t k = 0; k < m.port_use_count; ++k)
        l.port_uses.push_back({m.port_uses[k].operand ? m.port_uses[k].operand : "",
                               m.port_uses[k].flow ? m.port_uses[k].flow : "",
                               m.port_uses[k].port ? m.port_uses[k].port : ""});
    return l;
}

CoreDescription CoreDescription::from_abi(const stream_core_v1& core) {
    CoreDescription c;
    c.name = core.name ? core.name : "";
    for (uint32_t i = 0; i < core.array_dim_count; ++i)
        c.array_dims.push_back({core.array_dims[i].name ? core.array_dims[i].name : "", core.array_dims[i].size});
    c.mac_energy_pj = core.mac_energy_pj;
    for (uint32_t i = 0; i < core.memory_count; ++i) c.memories.push_back(MemoryLevel::from_abi(core.memories[i]));
    return c;
}

// =======================================================================================
// Mappings
// =======================================================================================

SpatialMapping SpatialMapping::normalized(const LoopNest& nest, const CoreDescription& core,
                                          const SpatialMapping& user) {
    auto array_size = [&](const std::string& name) -> int64_t {
        for (const auto& d : core.array_dims)
            if (d.name == name) return d.size;
        fail("unknown array dimension " + name);
    };
    SpatialMapping out;
    // §3.1 check_and_reduce steps 1-2: drop absent dims, clamp to min(L, array size).
    for (const auto& ad : user.dims) {
        ArrayDimUnrolling u{ad.array_dim, {}};
        int64_t size = array_size(ad.array_dim);
        for (const auto& l : ad.loops) {
            bool present = false;
            for (const auto& d : nest.dims())
                if (d.name == l.dim) present = true;
            if (!present) continue;
            int64_t L = nest.dims()[nest.dim_index(l.dim)].size;
            double f = std::min({l.factor, static_cast<double>(L), static_cast<double>(size)});
            u.loops.push_back({l.dim, f});
        }
        out.dims.push_back(std::move(u));
    }
    // Conversion stage: the first array dim carrying the largest unrolling of a layer dim gets
    // L / ceil(L / (u*e)) / e (float), e = product of that dim's unrollings on earlier array dims.
    for (const auto& d : nest.dims()) {
        double best = 0;
        std::size_t best_ad = 0, best_l = 0;
        bool found = false;
        for (std::size_t a = 0; a < out.dims.size(); ++a)
            for (std::size_t l = 0; l < out.dims[a].loops.size(); ++l)
                if (out.dims[a].loops[l].dim == d.name && out.dims[a].loops[l].factor > best) {
                    best = out.dims[a].loops[l].factor;
                    best_ad = a;
                    best_l = l;
                    found = true;
                }
        if (!found) continue;
        double e = 1;
        for (std::size_t a = 0; a < best_ad; ++a)
            for (const auto& l : out.dims[a].loops)
                if (l.dim == d.name) e *= l.factor;
        double L = static_cast<double>(d.size);
        double t = std::ceil(L / (best * e));
        out.dims[best_ad].loops[best_l].factor = L / t / e;
    }
    return out;
}

TemporalMapping TemporalMapping::parse_zigzag(std::string_view s) {
    TemporalMapping tm;
    std::size_t i = 0;
    auto skip_ws = [&] {
        while (i < s.size() && std::isspace(static_cast<unsigned char>(s[i]))) ++i;
    };
    auto expect = [&](char c) {
        skip_ws();
        if (i >= s.size() || s[i] != c) fail(std::string("temporal mapping text: expected '") + c + "'");
        ++i;
    };
    auto peek = [&]() -> char {
        skip_ws();
        return i < s.size() ? s[i] : '\0';
    };
    auto ident = [&] {
        skip_ws();
        std::size_t b = i;
        while (i < s.size() && (std::isalnum(static_cast<unsigned char>(s[i])) || s[i] == '_')) ++i;
        if (b == i) fail("temporal mapping text: expected a name");
        return std::string(s.substr(b, i - b));
    };
    expect('{');
    while (peek() != '}') {
        std::string op = ident();
        expect(':');
        expect('[');
        std::vector<std::vector<TemporalLoop>> levels;
        while (peek() != ']') {
            expect('[');
            std::vector<TemporalLoop> loops;
            while (peek() != ']') {
                expect('(');
                std::string dim = ident();
                expect(',');
                skip_ws();
                std::size_t b = i;
                while (i < s.size() && (std::isdigit(static_cast<unsigned char>(s[i])) || s[i] == '.')) ++i;
                if (b == i) fail("temporal mapping text: expected a loop size");
                double v = std::stod(std::string(s.substr(b, i - b)));
                expect(')');
                loops.push_back({dim, static_cast<int64_t>(v)});
                if (peek() == ',') ++i;
            }
            expect(']');
            levels.push_back(std::move(loops));
            if (peek() == ',') ++i;
        }
        expect(']');
        tm.levels[op] = std::move(levels);
        if (peek() == ',') ++i;
    }
    expect('}');
    return tm;
}

// =======================================================================================
// Evaluation
// =======================================================================================

namespace {

enum Dir { TL = 0, FL = 1, TH = 2, FH = 3 }; // rd_out_to_low, wr_in_by_low, rd_out_to_high, wr_in_by_high

Dir parse_flow(const std::string& f) {
    if (f == "tl") return TL;
    if (f == "fl") return FL;
    if (f == "th") return TH;
    if (f == "fh") return FH;
    fail("unknown port flow " + f);
}

struct Loop {
    std::size_t dim;
    double size;
};

// A loop after pr decoupling: only its size and whether it is relevant to the operand.
struct RLoop {
    double size;
    bool relevant;
};

// One data transfer link direction (§5.3).
struct Dtl {
    double period = 0, count = 0, amount = 0, precision = 0, avg_bw = 0, window = 0, inst_bw = 0;
};

// Everything ZigZag's `Mapping` derives for one operand (for one spatial-mapping variant).
struct OperandMapping {
    std::size_t n = 0;                         // memory levels
    std::vector<std::vector<Loop>> tm;         // stationary temporal loops per memory level
    double mac_stationary = 1;
    std::vector<int64_t> data;                 // D[a], a = 0..n (elements per instance)
    std::vector<int64_t> data_bits;            // D[a] * Pd[a]
    std::vector<int64_t> eff_bits;             // data_bits // top_r
    std::vector<double> unit_count;            // a = 0..n
    std::vector<double> unit_unique;
    std::vector<double> boost;                 // a = 0..n (1 at n)
    std::vector<double> top_ir;                // index 0..n
    std::vector<std::array<Dtl, 4>> dtl;       // per memory level
};

struct Context {
    const LoopNest& nest;
    const CoreDescription& core;
    const CostModelOptions& opt;
    std::vector<std::vector<std::size_t>> mem_of; // per operand: core memory index per level
    double total_cycle = 0;
};

// §1.2 pr decoupling over a list of per-level loop lists (cumulative over the levels).
std::vector<std::vector<RLoop>> decouple(const Context& cx, std::size_t op, const std::vector<std::vector<Loop>>& lv) {
    const auto& axes = cx.nest.pr_axes(op);
    std::vector<double> cum_a(axes.size(), 1), cum_b(axes.size(), 1), prev_s(axes.size(), 1), prev_r(axes.size(), 1);
    std::vector<std::vector<RLoop>> out(lv.size());
    for (std::size_t l = 0; l < lv.size(); ++l) {
        for (const Loop& lp : lv[l]) {
            Relevancy rel = cx.nest.relevancy(op, lp.dim);
            if (rel != Relevancy::Partial) {
                out[l].push_back({lp.size, rel == Relevancy::Relevant});
                continue;
            }
            int ai = cx.nest.pr_axis_of(op, lp.dim);
            const PrAxis& ax = axes[static_cast<std::size_t>(ai)];
            if (lp.dim == ax.dim_a) cum_a[ai] *= lp.size;
            else cum_b[ai] *= lp.size;
            // ZigZag truncates the cumulative (possibly fractional) sizes with int().
            double s = static_cast<double>(LoopNest::pr_size(static_cast<int64_t>(cum_a[ai]), ax.coef_a,
                                                             static_cast<int64_t>(cum_b[ai]), ax.coef_b, ax.extent));
            double r = cum_a[ai] * cum_b[ai] / s;
            out[l].push_back({s / prev_s[ai], true});  // IX_r
            out[l].push_back({r / prev_r[ai], false}); // IX_ir, inserted above its _r loop
            prev_s[ai] = s;
            prev_r[ai] = r;
        }
    }
    return out;
}

// §4.1 stationarity merge-down (uses plain ir: not r and not pr).
void merge_down(const Context& cx, std::size_t op, std::vector<std::vector<Loop>>& tm, double& mac_st) {
    auto is_ir = [&](const Loop& l) { return cx.nest.relevancy(op, l.dim) == Relevancy::Irrelevant; };
    for (;;) {
        std::vector<std::vector<Loop>> st(tm.size());
        mac_st = 1;
        for (std::size_t lv = 0; lv < tm.size(); ++lv) {
            std::size_t k = 0;
            while (k < tm[lv].size() && is_ir(tm[lv][k])) {
                if (lv == 0) {
                    mac_st *= tm[lv][k].size;
                    st[0].push_back(tm[lv][k]);
                } else {
                    st[lv - 1].push_back(tm[lv][k]);
                }
                ++k;
            }
            st[lv].insert(st[lv].end(), tm[lv].begin() + static_cast<std::ptrdiff_t>(k), tm[lv].end());
        }
        bool same = st.size() == tm.size();
        for (std::size_t lv = 0; same && lv < st.size(); ++lv) {
            if (st[lv].size() != tm[lv].size()) same = false;
            for (std::size_t k = 0; same && k < st[lv].size(); ++k)
                if (st[lv][k].dim != tm[lv][k].dim || st[lv][k].size != tm[lv][k].size) same = false;
        }
        tm = std::move(st);
        if (same) return;
    }
}

// Spatial loops per arch level a = 0..n (§3.1): level i collects the unrollings of the array
// dims its memory serves that no lower level claimed; leftovers form level n.
std::vector<std::vector<Loop>> spatial_levels(const Context& cx, std::size_t op, const SpatialMapping& sm,
                                              bool integer) {
    const auto& mems = cx.mem_of[op];
    std::vector<std::vector<Loop>> su(mems.size() + 1);
    std::vector<bool> claimed(sm.dims.size(), false);
    auto add = [&](std::size_t a, std::size_t lvl) {
        claimed[a] = true;
        for (const auto& l : sm.dims[a].loops) {
            double f = integer ? std::trunc(l.factor) : l.factor;
            su[lvl].push_back({cx.nest.dim_index(l.dim), f});
        }
    };
    for (std::size_t i = 0; i < mems.size(); ++i) {
        const MemoryLevel& m = cx.core.memories[mems[i]];
        for (const auto& served : m.served_dims)
            for (std::size_t a = 0; a < sm.dims.size(); ++a)
                if (!claimed[a] && sm.dims[a].array_dim == served) add(a, i);
    }
    for (std::size_t a = 0; a < sm.dims.size(); ++a)
        if (!claimed[a]) add(a, mems.size());
    return su;
}

OperandMapping build_operand(const Context& cx, std::size_t op, const SpatialMapping& sm, bool integer,
                             const std::vector<std::vector<Loop>>& tm_origin) {
    const LoopNest& nest = cx.nest;
    const bool is_out = op == nest.output_operand();
    OperandMapping om;
    om.n = cx.mem_of[op].size();
    const std::size_t n = om.n;
    om.tm = tm_origin;
    merge_down(cx, op, om.tm, om.mac_stationary);

    // --- spatial quantities (§3.2) ---
    auto su = spatial_levels(cx, op, sm, integer);
    auto su_d = decouple(cx, op, su);
    std::vector<double> ur(n + 1, 1), uir(n + 1, 1), utot(n + 1, 1);
    for (std::size_t a = 0; a <= n; ++a)
        for (const RLoop& l : su_d[a]) {
            (l.relevant ? ur[a] : uir[a]) *= l.size;
            utot[a] *= l.size;
        }
    om.unit_count.resize(n + 1);
    om.unit_unique.resize(n + 1);
    for (std::size_t a = 0; a <= n; ++a) {
        double p = product(utot, a, n + 1);
        om.unit_count[a] = py_round(std::round(p * 1000.0) / 1000.0); // round(round(p, 3))
        om.unit_unique[a] = product(ur, a, n + 1);
    }
    om.boost.assign(n + 1, 1);
    for (std::size_t a = 0; a < n; ++a) om.boost[a] = py_round(om.unit_unique[a] / om.unit_unique[a + 1]);

    // --- combined loop lists (§5.1) ---
    std::vector<std::vector<Loop>> c1(n + 1), c2(n + 2);
    for (std::size_t a = 0; a <= n; ++a) {
        if (a >= 1) c1[a] = om.tm[a - 1];
        c1[a].insert(c1[a].end(), su[a].begin(), su[a].end());
    }
    for (std::size_t a = 1; a <= n + 1; ++a) {
        if (a - 1 < n) c2[a] = om.tm[a - 1];
        c2[a].insert(c2[a].end(), su[a - 1].begin(), su[a - 1].end());
    }
    auto d1 = decouple(cx, op, c1), d2 = decouple(cx, op, c2);
    std::vector<double> r2(n + 1, 1), ir1(n + 1, 1);
    std::vector<bool> ir_flag(n + 1, false);
    for (std::size_t a = 0; a <= n; ++a) {
        for (const RLoop& l : d1[a])
            if (!l.relevant) {
                ir1[a] *= l.size;
                if (l.size > 1) ir_flag[a] = true;
            }
        for (const RLoop& l : d2[a])
            if (l.relevant) r2[a] *= l.size;
    }
    // §5.2 psum flag of arch level a.
    // QUIRK (§5.2, §5.7.3): ZigZag looks at levels >= a+1 (shifted by one w.r.t. "does this
    // level hold partial sums"); without compat_zigzag, levels >= a are used.
    std::vector<bool> psum(n + 1, false);
    if (is_out)
        for (std::size_t a = 0; a < n; ++a)
            for (std::size_t j = cx.opt.compat_zigzag ? a + 1 : a; j <= n; ++j)
                if (ir_flag[j]) psum[a] = true;
    const double p_x = nest.operands()[op].precision_bits;
    const double p_partial = nest.partial_precision(op);
    std::vector<double> pd(n + 1, p_x);
    if (is_out)
        for (std::size_t a = 0; a <= n; ++a) pd[a] = psum[a] ? p_partial : p_x;

    om.data.resize(n + 1);
    om.data_bits.resize(n + 1);
    for (std::size_t a = 0; a <= n; ++a) {
        om.data[a] = static_cast<int64_t>(py_round(py_round(product(r2, 0, a + 1))));
        om.data_bits[a] = om.data[a] * static_cast<int64_t>(pd[a]);
    }
    // top r / ir runs of each (stationary) memory level, plain relevancy (§4.1)
    std::vector<double> top_r(n + 1, 1);
    om.top_ir.assign(n + 1, 1);
    for (std::size_t m = 0; m < n; ++m) {
        for (auto it = om.tm[m].rbegin(); it != om.tm[m].rend(); ++it) {
            if (nest.relevancy(op, it->dim) != Relevancy::Relevant) break;
            top_r[m + 1] *= it->size;
        }
        for (auto it = om.tm[m].rbegin(); it != om.tm[m].rend(); ++it) {
            if (nest.relevancy(op, it->dim) != Relevancy::Irrelevant) break;
            om.top_ir[m + 1] *= it->size;
        }
    }
    om.eff_bits.resize(n + 1);
    for (std::size_t a = 0; a <= n; ++a)
        om.eff_bits[a] = static_cast<int64_t>(std::floor(static_cast<double>(om.data_bits[a]) / top_r[a]));

    // --- periodic data transfer model (§5.3) ---
    std::vector<double> cyc(n + 1, 1);
    if (!is_out && cx.opt.access_same_data_considered_as_no_access) cyc[0] = om.mac_stationary;
    double c = 1;
    for (std::size_t a = 1; a <= n; ++a) {
        for (const Loop& l : om.tm[a - 1]) c *= l.size;
        cyc[a] = c;
    }
    const double T = cyc[n];
    // "current and above" ir products of the output, extended with two 1s
    std::vector<double> ca(n + 3, 1);
    for (std::size_t a = 0; a <= n; ++a) ca[a] = product(ir1, a, n + 1);
    const double size_o = nest.operand_size_elements(op);
    const double p_final = nest.operands()[op].precision_bits;

    om.dtl.assign(n, {});
    for (std::size_t m = 0; m < n; ++m) {
        auto& d = om.dtl[m];
        const double low_bw = std::trunc(static_cast<double>(om.data[m]) * pd[m] / cyc[m] * om.boost[m]);
        const double high_bw = std::trunc(static_cast<double>(om.data[m + 1]) * pd[m + 1] / cyc[m + 1]);
        Dtl low{cyc[m], std::floor(T / cyc[m]), std::trunc(static_cast<double>(om.data[m]) * om.boost[m]), 0, low_bw, 0};
        Dtl high{cyc[m + 1], std::floor(T / cyc[m + 1]), static_cast<double>(om.data[m + 1]), 0, high_bw, 0};
        if (!is_out) {
            d[TL] = low;
            d[TL].precision = p_x;
            d[FH] = high;
            d[FH].precision = p_x;
        } else {
            const bool psum_back_low = std::trunc(size_o * (ca[m + 1] - 1)) != 0;  // elem tl != 0
            const bool psum_back_high = std::trunc(size_o * (ca[m + 2] - 1)) != 0; // elem fh != 0
            d[FL] = low;
            d[FL].precision = psum_back_low ? p_partial : p_final;
            if (psum[m]) {
                d[TL] = low;
                d[TL].precision = psum_back_low ? p_partial : 0;
            }
            d[TH] = high;
            d[TH].precision = psum_back_high ? p_partial : p_final;
            if (psum[m + 1]) {
                d[FH] = high;
                d[FH].precision = psum_back_high ? p_partial : 0;
            }
        }
        const double f_cur = om.top_ir[m], f_next = om.top_ir[m + 1];
        for (int k = 0; k < 4; ++k) {
            double f = (k == TL || k == FL) ? f_cur : f_next;
            d[k].window = std::trunc(d[k].period / f);
            d[k].inst_bw = std::trunc(d[k].avg_bw * f);
        }
    }
    // traffic between the top level and the outside world is ignored
    if (n > 0) {
        om.dtl[n - 1][TH] = Dtl{};
        om.dtl[n - 1][FH] = Dtl{};
    }
    return om;
}

// §5.5(e) reduce_balanced: lower the one-shot loading cycles c towards minima m using the
// surplus s of port bandwidth during computation.
// QUIRK (§5.5, §5.7.5, open ZigZag issue #125): the water-filling lowers all earlier (larger)
// entries by the same amount and can push them below their minimum, even negative.
// Without compat_zigzag each entry is clamped to min(its original, its minimum).
std::vector<double> reduce_balanced(const std::vector<double>& c, const std::vector<double>& m, double s,
                                    bool compat) {
    if (s <= 0 || c.empty()) return c;
    std::vector<std::size_t> idx(c.size());
    std::iota(idx.begin(), idx.end(), 0);
    std::stable_sort(idx.begin(), idx.end(), [&](std::size_t a, std::size_t b) { return c[a] > c[b]; });
    std::vector<double> cs, ms;
    for (std::size_t i : idx) {
        cs.push_back(c[i]);
        ms.push_back(m[i]);
    }
    for (std::size_t i = 0; i < cs.size(); ++i) {
        double cap = (cs[i] - ms[i]) * static_cast<double>(i + 1);
        if (s >= cap) {
            double red = cs[i] - ms[i];
            for (std::size_t j = 0; j <= i; ++j) cs[j] -= red;
            s -= cap;
        } else {
            double red = s / static_cast<double>(i + 1);
            for (std::size_t j = 0; j <= i; ++j) cs[j] -= red;
            break;
        }
    }
    std::vector<double> out(c.size());
    for (std::size_t i = 0; i < idx.size(); ++i) {
        double v = cs[i];
        if (!compat) v = std::max(v, std::min(c[idx[i]], m[idx[i]]));
        out[idx[i]] = v;
    }
    return out;
}

} // namespace

CostResult evaluate(const LoopNest& nest, const CoreDescription& core, const SpatialMapping& spatial,
                    const TemporalMapping& temporal, const CostModelOptions& options) {
    Context cx{nest, core, options, {}, 0};
    const std::size_t nops = nest.operands().size();
    cx.mem_of.resize(nops);
    for (std::size_t o = 0; o < nops; ++o) {
        for (std::size_t mi = 0; mi < core.memories.size(); ++mi) {
            const auto& ops = core.memories[mi].operands;
            if (std::find(ops.begin(), ops.end(), nest.operands()[o].name) != ops.end()) cx.mem_of[o].push_back(mi);
        }
        if (cx.mem_of[o].empty()) fail("core " + core.name + " has no memory for operand " + nest.operands()[o].name);
    }
    for (const auto& ad : spatial.dims) {
        bool ok = false;
        for (const auto& d : core.array_dims) ok = ok || d.name == ad.array_dim;
        if (!ok) fail("spatial mapping uses unknown array dimension " + ad.array_dim);
    }

    // temporal loops per operand (as given by the allocator, before the merge-down)
    std::vector<std::vector<std::vector<Loop>>> tm(nops);
    double total_cycle = -1;
    for (std::size_t o = 0; o < nops; ++o) {
        const std::string& name = nest.operands()[o].name;
        auto it = temporal.levels.find(name);
        if (it == temporal.levels.end()) fail("temporal mapping lacks operand " + name);
        if (it->second.size() != cx.mem_of[o].size())
            fail("temporal mapping of " + name + " has " + std::to_string(it->second.size()) + " levels, the core has " +
                 std::to_string(cx.mem_of[o].size()));
        double cyc = 1;
        for (const auto& lv : it->second) {
            tm[o].emplace_back();
            for (const auto& l : lv) {
                if (l.size < 1) fail("temporal loop of size < 1");
                tm[o].back().push_back({nest.dim_index(l.dim), static_cast<double>(l.size)});
                cyc *= static_cast<double>(l.size);
            }
        }
        if (total_cycle >= 0 && cyc != total_cycle) fail("temporal mapping: operands differ in total cycles");
        total_cycle = cyc;
    }
    cx.total_cycle = total_cycle;

    // Energy uses the float spatial mapping, latency the integer one (§5, §5.7.1).
    std::vector<OperandMapping> mf(nops), mi(nops);
    for (std::size_t o = 0; o < nops; ++o) {
        mf[o] = build_operand(cx, o, spatial, false, tm[o]);
        mi[o] = build_operand(cx, o, spatial, true, tm[o]);
    }
    if (mf.size() > 1)
        for (std::size_t o = 1; o < nops; ++o)
            if (mf[o].unit_count[0] != mf[0].unit_count[0])
                fail("spatial mapping: operands see different MAC counts");

    CostResult res;
    // ----- word accesses and energy (§5.4) -----
    for (std::size_t o = 0; o < nops; ++o) {
        const OperandMapping& om = mf[o];
        auto& out = res.levels[nest.operands()[o].name];
        for (std::size_t m = 0; m < om.n; ++m) {
            const MemoryLevel& mem = core.memories[cx.mem_of[o][m]];
            OperandLevelCost lc;
            lc.memory = cx.mem_of[o][m];
            lc.tile_elements = om.data[m + 1];
            lc.tile_bits = om.data_bits[m + 1];
            double acc[4];
            for (int k = 0; k < 4; ++k) {
                const Dtl& d = om.dtl[m][k];
                const bool read = k == TL || k == TH;
                const double bw = read ? mem.read_bw : mem.write_bw;
                const double bwmin =
                    read ? (mem.min_read_bits ? static_cast<double>(mem.min_read_bits) : mem.read_bw)
                         : (mem.min_write_bits ? static_cast<double>(mem.min_write_bits) : mem.write_bw);
                if (d.amount == 0 || d.precision == 0) {
                    acc[k] = 0;
                    continue;
                }
                double a = std::ceil(d.amount * d.precision / bwmin) * (bwmin / bw) * d.count * om.unit_count[m + 1];
                // QUIRK (§5.7.2): ZigZag truncates the word-access count with int().
                acc[k] = options.compat_zigzag ? std::trunc(a) : a;
            }
            lc.word_accesses = {acc[TL], acc[FL], acc[TH], acc[FH]};
            lc.inst_bw_bits_per_cycle = {om.dtl[m][TL].inst_bw, om.dtl[m][FL].inst_bw, om.dtl[m][TH].inst_bw,
                                         om.dtl[m][FH].inst_bw};
            lc.energy_pj = {acc[TL] * mem.read_energy_pj, acc[FL] * mem.write_energy_pj, acc[TH] * mem.read_energy_pj,
                            acc[FH] * mem.write_energy_pj};
            lc.energy_total_pj = (lc.energy_pj.rd_out_to_high + lc.energy_pj.rd_out_to_low) +
                                 (lc.energy_pj.wr_in_by_high + lc.energy_pj.wr_in_by_low);
            res.mem_energy += lc.energy_total_pj;
            out.push_back(lc);
        }
    }
    res.mac_energy = core.mac_energy_pj * static_cast<double>(nest.mac_count());
    res.energy_total = res.mem_energy + res.mac_energy;

    // ----- memory utilisation and double buffering (§5.5 a, b; float mapping) -----
    std::vector<std::vector<double>> ue(nops), ues(nops);
    for (std::size_t o = 0; o < nops; ++o)
        for (std::size_t m = 0; m < mf[o].n; ++m) {
            double size = static_cast<double>(core.memories[cx.mem_of[o][m]].size_bits);
            ue[o].push_back(static_cast<double>(mf[o].eff_bits[m + 1]) / size);
        }
    auto level_of = [&](std::size_t o, std::size_t mem) -> int {
        for (std::size_t m = 0; m < cx.mem_of[o].size(); ++m)
            if (cx.mem_of[o][m] == mem) return static_cast<int>(m);
        return -1;
    };
    ues = ue;
    for (std::size_t o = 0; o < nops; ++o)
        for (std::size_t m = 0; m < mf[o].n; ++m) {
            double s = 0;
            for (std::size_t p = 0; p < nops; ++p) {
                int k = level_of(p, cx.mem_of[o][m]);
                if (k >= 0) s += ue[p][static_cast<std::size_t>(k)];
            }
            ues[o][m] = s;
        }
    std::vector<std::vector<bool>> db(nops);
    for (std::size_t o : nest.operand_order()) {
        db[o].push_back(false);
        for (std::size_t m = 0; m < mi[o].n; ++m) {
            if (ues[o][m] <= 0.5) {
                db[o].push_back(true);
            } else if (ue[o][m] <= 1 - ues[o][m]) {
                db[o].push_back(true);
                // Order dependent (§5.5 b, §5.7.6): mutates the shared utilisation seen by later
                // operands (order O, W, I); this is ZigZag's model, kept with or without compat.
                for (std::size_t p = 0; p < nops; ++p) {
                    int k = level_of(p, cx.mem_of[o][m]);
                    if (k >= 0) ues[p][static_cast<std::size_t>(k)] += ue[o][m];
                }
            } else {
                db[o].push_back(false);
            }
        }
    }

    // ----- allowed vs real cycles per DTL (§5.5 c; integer mapping) -----
    std::vector<std::vector<std::array<double, 4>>> allowed(nops), real(nops);
    for (std::size_t o = 0; o < nops; ++o)
        for (std::size_t m = 0; m < mi[o].n; ++m) {
            const MemoryLevel& mem = core.memories[cx.mem_of[o][m]];
            std::array<double, 4> al{}, re{};
            for (int k = 0; k < 4; ++k) {
                const Dtl& d = mi[o].dtl[m][k];
                bool flag = (k == TL || k == FL) ? db[o][m] : db[o][m + 1];
                al[k] = flag ? d.period : d.window;
                double bw = (k == TL || k == TH) ? mem.read_bw : mem.write_bw;
                re[k] = std::ceil(d.amount * d.precision / bw);
            }
            allowed[o].push_back(al);
            real[o].push_back(re);
        }

    // physical ports: per memory, grouped by port name in order of first use
    struct PortAct {
        std::size_t op, lvl;
        Dir dir;
    };
    struct Port {
        std::string name;
        double bw = 0;
        std::vector<PortAct> acts; // every (operand, level, dir) of the layer routed here
        bool shared_inputs = false;
    };
    std::vector<std::vector<Port>> ports(core.memories.size());
    for (std::size_t mem = 0; mem < core.memories.size(); ++mem) {
        const MemoryLevel& ml = core.memories[mem];
        for (const PortUse& pu : ml.port_uses) {
            auto it = std::find_if(ports[mem].begin(), ports[mem].end(), [&](const Port& p) { return p.name == pu.port; });
            if (it == ports[mem].end()) {
                Port p;
                p.name = pu.port;
                // 3.8.0: r and rw ports run at r_bw, w ports at w_bw.
                p.bw = pu.port.rfind("w_port", 0) == 0 ? ml.write_bw : ml.read_bw;
                ports[mem].push_back(p);
                it = ports[mem].end() - 1;
            }
            if (!nest.has_operand(pu.operand)) continue;
            std::size_t o = nest.operand_index(pu.operand);
            int lv = level_of(o, mem);
            if (lv < 0) fail("memory " + ml.name + " routes operand " + pu.operand + " it does not store");
            it->acts.push_back({o, static_cast<std::size_t>(lv), parse_flow(pu.flow)});
        }
        // a port shared by two input memory operands (ZigZag's I1 and I2): from the core's uses
        for (Port& p : ports[mem]) {
            std::vector<std::string> ins;
            for (const PortUse& pu : ml.port_uses)
                if (pu.port == p.name && !is_output_name(pu.operand) &&
                    std::find(ins.begin(), ins.end(), pu.operand) == ins.end())
                    ins.push_back(pu.operand);
            p.shared_inputs = ins.size() > 1;
        }
    }

    // ----- stall / slack per port (§5.5 d) -----
    double ss_comb = 0;
    for (std::size_t mem = 0; mem < core.memories.size(); ++mem)
        for (const Port& p : ports[mem]) {
            struct A {
                double real, allowed, period, count, ss, muw;
            };
            std::vector<A> acts;
            for (const PortAct& a : p.acts) {
                const Dtl& d = mi[a.op].dtl[a.lvl][a.dir];
                if (d.count == 0) continue;
                double r = real[a.op][a.lvl][a.dir], al = allowed[a.op][a.lvl][a.dir];
                acts.push_back({r, al, d.period, d.count, (r - al) * (d.count - 1), al * (d.count - 1)});
            }
            if (acts.empty()) continue;
            double ss;
            if (acts.size() == 1) {
                // §5.7.7: a single-activity port contributes its SS, possibly negative.
                ss = acts[0].ss;
            } else {
                // MUW union (§5.5 d, §5.7.8)
                double uni = -1;
                for (const A& a : acts)
                    if (a.period == a.allowed) {
                        uni = a.period * a.count;
                        break;
                    }
                if (uni < 0) {
                    double pmax = 0;
                    std::size_t imax = 0;
                    for (std::size_t i = 0; i < acts.size(); ++i)
                        if (acts[i].period > pmax) {
                            pmax = acts[i].period;
                            imax = i;
                        }
                    const auto P = static_cast<std::size_t>(pmax);
                    std::vector<char> busy(P, 0);
                    for (const A& a : acts) {
                        const auto pi = static_cast<std::size_t>(a.period);
                        const auto ai = static_cast<std::size_t>(std::max(0.0, a.allowed));
                        for (std::size_t t = 0; t < P; ++t)
                            if (pi > 0 && t % pi < ai) busy[t] = 1;
                    }
                    double nbusy = static_cast<double>(std::count(busy.begin(), busy.end(), 1));
                    uni = nbusy * acts[imax].count;
                }
                double pos = 0, neg = 0, muw = 0;
                for (const A& a : acts) {
                    (a.ss > 0 ? pos : neg) += a.ss;
                    muw += a.muw;
                }
                ss = pos + std::max(0.0, neg + muw - uni);
            }
            ss_comb = std::max(ss_comb, ss);
        }
    res.stall_slack_comb = ss_comb;

    // ----- on-loading / off-loading (§5.5 e) -----
    struct LoadEntry {
        double cycles = 0;
        bool shared = false;
        bool set = false;
    };
    // keyed by (operand, level, dir)
    std::map<std::tuple<std::size_t, std::size_t, int>, LoadEntry> loading;
    const double t_comp = total_cycle + ss_comb;
    res.loading_bw_borrowed_bits_per_cycle.assign(core.memories.size(), 0.0);
    for (std::size_t mem = 0; mem < core.memories.size(); ++mem)
        for (const Port& p : ports[mem]) {
            std::vector<PortAct> one, periodic;
            for (const PortAct& a : p.acts) {
                if (a.op == nest.output_operand() && (a.dir == TL || a.dir == FH)) continue;
                const Dtl& d = mi[a.op].dtl[a.lvl][a.dir];
                if (d.count == 0) continue;
                (d.count == 1 ? one : periodic).push_back(a);
            }
            double b_periodic = 0;
            for (const PortAct& a : periodic) b_periodic += mi[a.op].dtl[a.lvl][a.dir].avg_bw;
            std::vector<double> total, minimal;
            for (const PortAct& a : one) {
                // QUIRK (§5.5 e, §5.7.5): the minimal loading is always the innermost tile (arch
                // level 1) of the operand, whatever the level being loaded; kept without compat too
                // (no better-defined replacement in the model).
                minimal.push_back(std::ceil(static_cast<double>(mi[a.op].data_bits[1]) / p.bw));
                total.push_back(real[a.op][a.lvl][a.dir]);
            }
            double surplus = std::max(0.0, (p.bw - b_periodic) / p.bw * t_comp);
            auto reduced = reduce_balanced(total, minimal, surplus, options.compat_zigzag);
            double borrowed = 0;
            for (std::size_t i = 0; i < one.size(); ++i) {
                borrowed += total[i] - reduced[i];
                loading[{one[i].op, one[i].lvl, one[i].dir}] = {reduced[i], p.shared_inputs, true};
            }
            res.loading_cycles_borrowed_from_computation =
                std::max(res.loading_cycles_borrowed_from_computation, borrowed);
            res.loading_bw_borrowed_bits_per_cycle[mem] += borrowed / t_comp * p.bw;
            for (const PortAct& a : periodic)
                loading[{a.op, a.lvl, a.dir}] = {real[a.op][a.lvl][a.dir], p.shared_inputs, true};
        }
    auto get = [&](std::size_t o, std::size_t m, Dir d) {
        auto it = loading.find({o, m, static_cast<int>(d)});
        return it == loading.end() ? LoadEntry{} : it->second;
    };
    std::map<std::size_t, double> indiv, half, shared;
    for (std::size_t o : nest.input_operands()) {
        indiv[o] = half[o] = shared[o] = 0;
        for (std::size_t m = 0; m + 1 < mi[o].n; ++m) {
            LoadEntry e1 = get(o, m, FH), e2 = get(o, m + 1, TL);
            double l = std::max(e1.cycles, e2.cycles);
            if (e1.shared && e2.shared) shared[o] += l;
            else if (!e1.shared && !e2.shared) indiv[o] += l;
            // QUIRK (§5.5 e, §5.7.5): ZigZag assigns (=) the half-shared part instead of adding.
            else if (options.compat_zigzag) half[o] = l;
            else half[o] += l;
        }
    }
    const auto& ins = nest.input_operands();
    if (ins.size() == 1) {
        res.data_onloading_cycle = indiv[ins[0]];
    } else {
        std::size_t a = ins[0], b = ins[1];
        double p1 = shared[a] + std::max(shared[b] + half[b] + indiv[b], half[a] + indiv[a]);
        double p2 = shared[b] + std::max(shared[a] + half[a] + indiv[a], half[b] + indiv[b]);
        res.data_onloading_cycle = std::min(p1, p2);
    }
    {
        std::size_t o = nest.output_operand();
        double off = 0;
        for (std::size_t m = 0; m + 1 < mi[o].n; ++m) off += std::max(get(o, m, TH).cycles, get(o, m + 1, FL).cycles);
        res.data_offloading_cycle = off;
    }

    // ----- totals (§5.5 f) -----
    res.ideal_cycle = std::ceil(static_cast<double>(nest.mac_count()) / static_cast<double>(core.total_units()));
    res.ideal_temporal_cycle = total_cycle;
    res.mac_spatial_utilization = res.ideal_cycle / res.ideal_temporal_cycle;
    res.latency_total0 = res.ideal_temporal_cycle + res.stall_slack_comb;
    res.latency_total1 = res.latency_total0 + res.data_onloading_cycle;
    res.latency_total2 = res.latency_total1 + res.data_offloading_cycle;
    return res;
}

double total_inst_bandwidth(const CostResult& cost, std::size_t memory, const std::vector<std::string>& operands) {
    double bw = 0;
    for (const std::string& op : operands) {
        auto it = cost.levels.find(op);
        if (it == cost.levels.end() || it->second.empty() || it->second.back().memory != memory) continue;
        const FourWay& f = it->second.back().inst_bw_bits_per_cycle;
        bw += f.rd_out_to_low + f.wr_in_by_low + f.rd_out_to_high + f.wr_in_by_high;
    }
    if (memory < cost.loading_bw_borrowed_bits_per_cycle.size()) bw += cost.loading_bw_borrowed_bits_per_cycle[memory];
    return bw;
}

} // namespace stream::dataflow
