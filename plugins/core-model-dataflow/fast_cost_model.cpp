// ZigZag's cost model for the orderings of one search; see fast_cost_model.hpp. The structure
// follows evaluate() in dataflow_model.cpp step by step (§ numbers refer to zigzag.md); where the
// two differ it is only in how the same numbers are reached (ranges of the ordering instead of
// loop lists, an exact count of the memory-updating-window union instead of a timeline).
#include "fast_cost_model.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <stdexcept>

namespace stream::dataflow {

namespace {

// Python's round(): ties to even (default FP rounding mode).
double py_round(double x) { return std::nearbyint(x); }

int parse_flow(const std::string& f) {
    if (f == "tl") return 0;
    if (f == "fl") return 1;
    if (f == "th") return 2;
    if (f == "fh") return 3;
    throw std::invalid_argument("dataflow model: unknown port flow " + f);
}

// §1.2 pr decoupling, one loop at a time: `emit(size, relevant)` receives the loop, or its
// relevant and irrelevant halves when it is partially relevant. State (cum, prev) per pr axis.
template <class Emit>
void decouple_loop(const OperandLayout& L, std::size_t dim, double size,
                   std::vector<double>& cum_a, std::vector<double>& cum_b, std::vector<double>& prev_s,
                   std::vector<double>& prev_r, Emit&& emit) {
    const Relevancy rel = L.relevancy[dim];
    if (rel != Relevancy::Partial) {
        emit(size, rel == Relevancy::Relevant);
        return;
    }
    const auto ai = static_cast<std::size_t>(L.pr_axis[dim]);
    const ReducedPrAxis& ax = L.pr_axes[ai];
    if (dim == ax.dim_a) cum_a[ai] *= size;
    else cum_b[ai] *= size;
    const double s = static_cast<double>(ax.size(static_cast<int64_t>(cum_a[ai]), static_cast<int64_t>(cum_b[ai])));
    const double r = cum_a[ai] * cum_b[ai] / s;
    emit(s / prev_s[ai], true);
    emit(r / prev_r[ai], false);
    prev_s[ai] = s;
    prev_r[ai] = r;
}

void reset(std::vector<double>& v) { std::fill(v.begin(), v.end(), 1.0); }

} // namespace

int64_t nested_busy_cycles(const std::vector<int64_t>& periods, const std::vector<int64_t>& windows) {
    // U(j, x): busy cycles in [0, x) of the activities with the j+1 shortest periods, periodic
    // in periods[j]. Within one period, t is busy when t < windows[j] or a shorter period has it:
    // U(j, x) = (x / q) F(j) + a + U(j-1, rem) - U(j-1, a), rem = x mod q, a = min(w, rem),
    // with F(j) = U(j, q) the busy cycles of a whole period.
    const std::size_t groups = periods.size();
    if (groups == 0) return 0;
    int64_t small[16]; // distinct periods are prefix products of <= 10 loops: no allocation
    std::vector<int64_t> large;
    if (groups > 16) large.resize(groups);
    int64_t* full = groups > 16 ? large.data() : small;
    auto count = [&](auto&& self, std::ptrdiff_t j, int64_t x) -> int64_t {
        if (j < 0 || x <= 0) return 0;
        const auto u = static_cast<std::size_t>(j);
        const int64_t q = periods[u];
        const int64_t rem = x % q;
        const int64_t a = std::min(windows[u], rem);
        return (x / q) * full[u] + a + self(self, j - 1, rem) - self(self, j - 1, a);
    };
    for (std::size_t j = 0; j < groups; ++j) {
        const auto sj = static_cast<std::ptrdiff_t>(j);
        const int64_t a = std::min(windows[j], periods[j]);
        full[j] = a + count(count, sj - 1, periods[j]) - count(count, sj - 1, a);
    }
    return full[groups - 1];
}

FastCostModel::FastCostModel(const SearchLayout& layout, const CostModelOptions& options)
    : layout_(layout), options_(options) {
    const LoopNest& nest = *layout.nest;
    const CoreDescription& core = *layout.core;
    const std::size_t nops = layout.operands.size();

    // §3.2 spatial quantities, per variant (0: float unrollings, 1: integer ones).
    for (int v = 0; v < 2; ++v) {
        spatial_[v].resize(nops);
        for (std::size_t o = 0; o < nops; ++o) {
            const OperandLayout& L = layout.operands[o];
            const std::size_t n = L.levels;
            const std::size_t axes = nest.pr_axes(o).size();
            std::vector<double> cum_a(axes, 1), cum_b(axes, 1), prev_s(axes, 1), prev_r(axes, 1);
            std::vector<double> ur(n + 1, 1), uir(n + 1, 1), utot(n + 1, 1);
            for (std::size_t a = 0; a <= n; ++a)
                for (const DimLoop& l : L.spatial[v][a])
                    decouple_loop(L, l.dim, l.size, cum_a, cum_b, prev_s, prev_r, [&](double s, bool rel) {
                        (rel ? ur[a] : uir[a]) *= s;
                        utot[a] *= s;
                    });
            Spatial& S = spatial_[v][o];
            S.unit_count.resize(n + 1);
            S.unit_unique.resize(n + 1);
            for (std::size_t a = 0; a <= n; ++a) {
                double p = 1, u = 1;
                for (std::size_t i = a; i <= n; ++i) p *= utot[i];
                for (std::size_t i = a; i <= n; ++i) u *= ur[i];
                S.unit_count[a] = py_round(std::round(p * 1000.0) / 1000.0); // round(round(p, 3))
                S.unit_unique[a] = u;
            }
            S.boost.assign(n + 1, 1);
            for (std::size_t a = 0; a < n; ++a) S.boost[a] = py_round(S.unit_unique[a] / S.unit_unique[a + 1]);
        }
    }
    for (std::size_t o = 1; o < nops; ++o)
        if (spatial_[0][o].unit_count[0] != spatial_[0][0].unit_count[0])
            throw std::invalid_argument("dataflow model: spatial mapping: operands see different MAC counts");

    // Physical ports, per memory in order of first use, with every (operand, level, flow) of
    // the layer routed to them (§5.5 d).
    for (std::size_t mem = 0; mem < core.memories.size(); ++mem) {
        const MemoryLevel& ml = core.memories[mem];
        std::vector<std::string> names;
        std::vector<Port> ports;
        for (const PortUse& pu : ml.port_uses) {
            auto it = std::find(names.begin(), names.end(), pu.port);
            std::size_t p = static_cast<std::size_t>(it - names.begin());
            if (it == names.end()) {
                names.push_back(pu.port);
                Port port;
                // 3.8.0: r and rw ports run at r_bw, w ports at w_bw.
                port.bw = pu.port.rfind("w_port", 0) == 0 ? ml.write_bw : ml.read_bw;
                ports.push_back(port);
            }
            if (!nest.has_operand(pu.operand)) continue;
            const std::size_t o = nest.operand_index(pu.operand);
            const int lv = layout.level_of[o][mem];
            if (lv < 0)
                throw std::invalid_argument("dataflow model: memory " + ml.name + " routes operand " + pu.operand +
                                            " it does not store");
            ports[p].acts.push_back({o, static_cast<std::size_t>(lv), static_cast<Dir>(parse_flow(pu.flow))});
        }
        for (std::size_t p = 0; p < ports.size(); ++p) {
            std::vector<std::string> ins;
            for (const PortUse& pu : ml.port_uses)
                if (pu.port == names[p] && pu.operand != "O" &&
                    std::find(ins.begin(), ins.end(), pu.operand) == ins.end())
                    ins.push_back(pu.operand);
            ports[p].shared_inputs = ins.size() > 1;
            ports_.push_back(std::move(ports[p]));
        }
        size_bits_.push_back(static_cast<double>(ml.size_bits));
    }

    mac_energy_ = core.mac_energy_pj * static_cast<double>(nest.mac_count());
    ideal_cycle_ = std::ceil(static_cast<double>(nest.mac_count()) / static_cast<double>(core.total_units()));
    size_o_elements_ = nest.operand_size_elements(nest.output_operand());

    // Buffers, sized once.
    std::size_t most_acts = 0;
    for (const Port& p : ports_) most_acts = std::max(most_acts, p.acts.size());
    for (int v = 0; v < 2; ++v) {
        work_[v].resize(nops);
        for (std::size_t o = 0; o < nops; ++o) {
            const std::size_t n = layout.operands[o].levels;
            const std::size_t axes = nest.pr_axes(o).size();
            Work& w = work_[v][o];
            w.start.assign(n + 1, 0);
            for (auto* vec : {&w.r2, &w.ir1, &w.pd, &w.cyc, &w.top_r, &w.top_ir}) vec->assign(n + 1, 0);
            w.ca.assign(n + 3, 1);
            w.ir_flag.assign(n + 1, 0);
            w.psum.assign(n + 1, 0);
            w.data.assign(n + 1, 0);
            w.data_bits.assign(n + 1, 0);
            w.eff_bits.assign(n + 1, 0);
            w.dtl.assign(n, {});
            for (auto* vec : {&w.cum_a, &w.cum_b, &w.prev_s, &w.prev_r}) vec->assign(axes, 1);
        }
    }
    ue_.resize(nops);
    ues_.resize(nops);
    db_.resize(nops);
    allowed_.resize(nops);
    real_.resize(nops);
    load_.resize(nops);
    for (std::size_t o = 0; o < nops; ++o) {
        const std::size_t n = layout.operands[o].levels;
        ue_[o].assign(n, 0);
        ues_[o].assign(n, 0);
        db_[o].assign(n + 1, 0);
        allowed_[o].assign(n, {});
        real_[o].assign(n, {});
        load_[o].assign(n, {});
    }
    active_.reserve(most_acts);
    one_.reserve(most_acts);
    periodic_.reserve(most_acts);
    for (auto* vec : {&total_, &minimal_, &reduced_}) vec->reserve(most_acts);
    order_.reserve(most_acts);
    periods_.reserve(most_acts);
    windows_.reserve(most_acts);
}

// §4.1 stationarity merge-down. Moving the innermost irrelevant run of a level to the top of the
// level below never reorders loops, it only moves level boundaries outwards: at the fixpoint a
// level starts at its first loop that is not irrelevant, or where the level above starts.
void FastCostModel::stationary_levels(const std::vector<LoopFactor>& ordering, const Allocation& allocation,
                                      std::size_t op, Work& w) const {
    const OperandLayout& L = layout_.operands[op];
    const std::size_t n = L.levels;
    const auto& ends = allocation.ends[op];
    w.start[0] = 0;
    w.start[n] = ordering.size();
    for (std::size_t lv = n - 1; lv >= 1; --lv) {
        std::size_t f = ends[lv - 1];
        while (f < ordering.size() && L.relevancy[ordering[f].dim] == Relevancy::Irrelevant) ++f;
        w.start[lv] = std::min(f, w.start[lv + 1]);
    }
    w.mac_stationary = 1;
    for (std::size_t j = 0; j < w.start[1] && L.relevancy[ordering[j].dim] == Relevancy::Irrelevant; ++j)
        w.mac_stationary *= static_cast<double>(ordering[j].size);
}

// dataflow_model.cpp's build_operand for one operand, variant 0 (float) or 1 (integer).
void FastCostModel::build(const std::vector<LoopFactor>& ordering, std::size_t op, int variant, Work& w) {
    const LoopNest& nest = *layout_.nest;
    const OperandLayout& L = layout_.operands[op];
    const Spatial& S = spatial_[variant][op];
    const auto& su = L.spatial[variant];
    const std::size_t n = L.levels;
    const bool is_out = L.output;
    auto temporal = [&](std::size_t level, auto&& f) {
        for (std::size_t j = w.start[level]; j < w.start[level + 1]; ++j)
            f(ordering[j].dim, static_cast<double>(ordering[j].size));
    };

    // §5.1 C1 (own temporal loops + fan-out above): irrelevant products and flags.
    reset(w.cum_a), reset(w.cum_b), reset(w.prev_s), reset(w.prev_r);
    for (std::size_t a = 0; a <= n; ++a) {
        w.ir1[a] = 1;
        w.ir_flag[a] = 0;
        auto emit = [&](double s, bool rel) {
            if (rel) return;
            w.ir1[a] *= s;
            if (s > 1) w.ir_flag[a] = 1;
        };
        auto feed = [&](std::size_t dim, double size) {
            decouple_loop(L, dim, size, w.cum_a, w.cum_b, w.prev_s, w.prev_r, emit);
        };
        if (a >= 1) temporal(a - 1, feed);
        for (const DimLoop& l : su[a]) feed(l.dim, l.size);
    }
    // C2 (own temporal loops + fan-out below): relevant products.
    reset(w.cum_a), reset(w.cum_b), reset(w.prev_s), reset(w.prev_r);
    w.r2[0] = 1;
    for (std::size_t a = 1; a <= n; ++a) {
        w.r2[a] = 1;
        auto emit = [&](double s, bool rel) {
            if (rel) w.r2[a] *= s;
        };
        auto feed = [&](std::size_t dim, double size) {
            decouple_loop(L, dim, size, w.cum_a, w.cum_b, w.prev_s, w.prev_r, emit);
        };
        temporal(a - 1, feed);
        for (const DimLoop& l : su[a - 1]) feed(l.dim, l.size);
    }
    // §5.2 partial-sum flag (with ZigZag's shift by one under compat) and precisions.
    for (std::size_t a = 0; a <= n; ++a) {
        w.psum[a] = 0;
        if (is_out && a < n)
            for (std::size_t j = options_.compat_zigzag ? a + 1 : a; j <= n; ++j)
                if (w.ir_flag[j]) w.psum[a] = 1;
    }
    const double p_x = nest.operands()[op].precision_bits;
    const double p_partial = nest.partial_precision(op);
    for (std::size_t a = 0; a <= n; ++a) w.pd[a] = is_out && w.psum[a] ? p_partial : p_x;
    double p = 1;
    for (std::size_t a = 0; a <= n; ++a) {
        p *= w.r2[a];
        w.data[a] = static_cast<int64_t>(py_round(py_round(p)));
        w.data_bits[a] = w.data[a] * static_cast<int64_t>(w.pd[a]);
    }
    // top r / ir runs of each stationary level
    w.top_r[0] = w.top_ir[0] = 1;
    for (std::size_t m = 0; m < n; ++m) {
        double r = 1, ir = 1;
        for (std::size_t j = w.start[m + 1]; j-- > w.start[m];) {
            if (L.relevancy[ordering[j].dim] != Relevancy::Relevant) break;
            r *= static_cast<double>(ordering[j].size);
        }
        for (std::size_t j = w.start[m + 1]; j-- > w.start[m];) {
            if (L.relevancy[ordering[j].dim] != Relevancy::Irrelevant) break;
            ir *= static_cast<double>(ordering[j].size);
        }
        w.top_r[m + 1] = r;
        w.top_ir[m + 1] = ir;
    }
    for (std::size_t a = 0; a <= n; ++a)
        w.eff_bits[a] = static_cast<int64_t>(std::floor(static_cast<double>(w.data_bits[a]) / w.top_r[a]));

    // §5.3 periodic data transfers.
    w.cyc[0] = !is_out && options_.access_same_data_considered_as_no_access ? w.mac_stationary : 1;
    for (std::size_t a = 1; a <= n; ++a) w.cyc[a] = prefix_[w.start[a]];
    const double T = w.cyc[n];
    for (std::size_t a = 0; a <= n; ++a) {
        double c = 1;
        for (std::size_t i = a; i <= n; ++i) c *= w.ir1[i];
        w.ca[a] = c;
    }
    const double p_final = nest.operands()[op].precision_bits;
    for (std::size_t m = 0; m < n; ++m) {
        auto& d = w.dtl[m];
        d = {};
        const double low_bw = std::trunc(static_cast<double>(w.data[m]) * w.pd[m] / w.cyc[m] * S.boost[m]);
        const double high_bw = std::trunc(static_cast<double>(w.data[m + 1]) * w.pd[m + 1] / w.cyc[m + 1]);
        const Dtl low{w.cyc[m], std::floor(T / w.cyc[m]), std::trunc(static_cast<double>(w.data[m]) * S.boost[m]), 0,
                      low_bw, 0};
        const Dtl high{w.cyc[m + 1], std::floor(T / w.cyc[m + 1]), static_cast<double>(w.data[m + 1]), 0, high_bw, 0};
        if (!is_out) {
            d[TL] = low;
            d[TL].precision = p_x;
            d[FH] = high;
            d[FH].precision = p_x;
        } else {
            const bool psum_back_low = std::trunc(size_o_elements_ * (w.ca[m + 1] - 1)) != 0;
            const bool psum_back_high = std::trunc(size_o_elements_ * (w.ca[m + 2] - 1)) != 0;
            d[FL] = low;
            d[FL].precision = psum_back_low ? p_partial : p_final;
            if (w.psum[m]) {
                d[TL] = low;
                d[TL].precision = psum_back_low ? p_partial : 0;
            }
            d[TH] = high;
            d[TH].precision = psum_back_high ? p_partial : p_final;
            if (w.psum[m + 1]) {
                d[FH] = high;
                d[FH].precision = psum_back_high ? p_partial : 0;
            }
        }
        for (int k = 0; k < 4; ++k) {
            const double f = (k == TL || k == FL) ? w.top_ir[m] : w.top_ir[m + 1];
            d[k].window = std::trunc(d[k].period / f);
        }
    }
    // traffic between the top level and the outside world is ignored
    w.dtl[n - 1][TH] = Dtl{};
    w.dtl[n - 1][FH] = Dtl{};
}

// §5.4 word accesses and energy, with the float spatial mapping.
double FastCostModel::energy() const {
    const CoreDescription& core = *layout_.core;
    double mem_energy = 0;
    for (std::size_t o = 0; o < layout_.operands.size(); ++o) {
        const OperandLayout& L = layout_.operands[o];
        const Work& w = work_[0][o];
        const Spatial& S = spatial_[0][o];
        for (std::size_t m = 0; m < L.levels; ++m) {
            const MemoryLevel& mem = core.memories[L.memory[m]];
            double acc[4];
            for (int k = 0; k < 4; ++k) {
                const Dtl& d = w.dtl[m][k];
                const bool read = k == TL || k == TH;
                const double bw = read ? mem.read_bw : mem.write_bw;
                const double bwmin =
                    read ? (mem.min_read_bits ? static_cast<double>(mem.min_read_bits) : mem.read_bw)
                         : (mem.min_write_bits ? static_cast<double>(mem.min_write_bits) : mem.write_bw);
                if (d.amount == 0 || d.precision == 0) {
                    acc[k] = 0;
                    continue;
                }
                const double a = std::ceil(d.amount * d.precision / bwmin) * (bwmin / bw) * d.count * S.unit_count[m + 1];
                acc[k] = options_.compat_zigzag ? std::trunc(a) : a;
            }
            const double e_tl = acc[TL] * mem.read_energy_pj, e_fl = acc[FL] * mem.write_energy_pj;
            const double e_th = acc[TH] * mem.read_energy_pj, e_fh = acc[FH] * mem.write_energy_pj;
            mem_energy += (e_th + e_tl) + (e_fh + e_fl);
        }
    }
    return mem_energy + mac_energy_;
}

// Busy cycles of the union of the ports' memory-updating windows within the longest period
// (§5.5 d): activity i is busy in the first A_i cycles of every period P_i. The periods are
// prefix products of one ordering, so each divides the next; the count then follows from the
// periods alone, without walking a timeline that can be millions of cycles long. Same result
// as the timeline walk (which stays as the fallback for periods that do not nest).
double FastCostModel::union_busy_cycles() {
    double pmax = 0;
    for (const Active& a : active_) pmax = std::max(pmax, a.period);
    const auto P = static_cast<std::size_t>(pmax);
    periods_.clear();
    windows_.clear();
    bool nested = true;
    for (const Active& a : active_) {
        const auto pi = static_cast<int64_t>(static_cast<std::size_t>(a.period));
        const auto ai = static_cast<int64_t>(static_cast<std::size_t>(std::max(0.0, a.allowed)));
        if (pi <= 0) continue; // never busy
        auto it = std::lower_bound(periods_.begin(), periods_.end(), pi);
        const auto at = it - periods_.begin();
        if (it != periods_.end() && *it == pi) {
            windows_[static_cast<std::size_t>(at)] = std::max(windows_[static_cast<std::size_t>(at)], std::min(ai, pi));
        } else {
            periods_.insert(it, pi);
            windows_.insert(windows_.begin() + at, std::min(ai, pi));
        }
    }
    for (std::size_t j = 1; j < periods_.size(); ++j) nested = nested && periods_[j] % periods_[j - 1] == 0;
    if (!nested || periods_.empty() || periods_.back() != static_cast<int64_t>(P)) {
        int64_t busy = 0;
        for (std::size_t t = 0; t < P; ++t) {
            bool b = false;
            for (const Active& a : active_) {
                const auto pi = static_cast<std::size_t>(a.period);
                const auto ai = static_cast<std::size_t>(std::max(0.0, a.allowed));
                b = b || (pi > 0 && t % pi < ai);
            }
            busy += b ? 1 : 0;
        }
        return static_cast<double>(busy);
    }
    return static_cast<double>(nested_busy_cycles(periods_, windows_));
}

// §5.5 utilisation, double buffering, stalls, on- and off-loading; latency_total2.
double FastCostModel::latency(const std::vector<LoopFactor>& ordering) {
    const LoopNest& nest = *layout_.nest;
    const CoreDescription& core = *layout_.core;
    const std::size_t nops = layout_.operands.size();
    const auto& wf = work_[0];
    const auto& wi = work_[layout_.integral_spatial ? 0 : 1];

    // (a) utilisation, float mapping; (b) double-buffer flags in ZigZag's operand order, which
    // feeds each decision into the shared utilisation later operands see.
    for (std::size_t o = 0; o < nops; ++o)
        for (std::size_t m = 0; m < layout_.operands[o].levels; ++m)
            ue_[o][m] = static_cast<double>(wf[o].eff_bits[m + 1]) / size_bits_[layout_.operands[o].memory[m]];
    for (std::size_t o = 0; o < nops; ++o)
        for (std::size_t m = 0; m < layout_.operands[o].levels; ++m) {
            double s = 0;
            for (std::size_t p = 0; p < nops; ++p) {
                const int k = layout_.level_of[p][layout_.operands[o].memory[m]];
                if (k >= 0) s += ue_[p][static_cast<std::size_t>(k)];
            }
            ues_[o][m] = s;
        }
    for (std::size_t o : nest.operand_order()) {
        db_[o][0] = 0;
        for (std::size_t m = 0; m < layout_.operands[o].levels; ++m) {
            if (ues_[o][m] <= 0.5) {
                db_[o][m + 1] = 1;
            } else if (ue_[o][m] <= 1 - ues_[o][m]) {
                db_[o][m + 1] = 1;
                for (std::size_t p = 0; p < nops; ++p) {
                    const int k = layout_.level_of[p][layout_.operands[o].memory[m]];
                    if (k >= 0) ues_[p][static_cast<std::size_t>(k)] += ue_[o][m];
                }
            } else {
                db_[o][m + 1] = 0;
            }
        }
    }
    // (c) allowed vs real cycles, integer mapping
    for (std::size_t o = 0; o < nops; ++o)
        for (std::size_t m = 0; m < layout_.operands[o].levels; ++m) {
            const MemoryLevel& mem = core.memories[layout_.operands[o].memory[m]];
            for (int k = 0; k < 4; ++k) {
                const Dtl& d = wi[o].dtl[m][k];
                const bool flag = (k == TL || k == FL) ? db_[o][m] : db_[o][m + 1];
                allowed_[o][m][k] = flag ? d.period : d.window;
                const double bw = (k == TL || k == TH) ? mem.read_bw : mem.write_bw;
                real_[o][m][k] = std::ceil(d.amount * d.precision / bw);
            }
        }
    // (d) stall / slack per port
    double ss_comb = 0;
    for (const Port& p : ports_) {
        active_.clear();
        for (const PortAct& a : p.acts) {
            const Dtl& d = wi[a.op].dtl[a.lvl][a.dir];
            if (d.count == 0) continue;
            const double r = real_[a.op][a.lvl][a.dir], al = allowed_[a.op][a.lvl][a.dir];
            active_.push_back({r, al, d.period, d.count, (r - al) * (d.count - 1), al * (d.count - 1)});
        }
        if (active_.empty()) continue;
        double ss;
        if (active_.size() == 1) {
            ss = active_[0].ss; // may be negative (§5.7.7)
        } else {
            double uni = -1;
            for (const Active& a : active_)
                if (a.period == a.allowed) {
                    uni = a.period * a.count;
                    break;
                }
            if (uni < 0) {
                double pmax = 0;
                std::size_t imax = 0;
                for (std::size_t i = 0; i < active_.size(); ++i)
                    if (active_[i].period > pmax) {
                        pmax = active_[i].period;
                        imax = i;
                    }
                uni = union_busy_cycles() * active_[imax].count;
            }
            double pos = 0, neg = 0, muw = 0;
            for (const Active& a : active_) {
                (a.ss > 0 ? pos : neg) += a.ss;
                muw += a.muw;
            }
            ss = pos + std::max(0.0, neg + muw - uni);
        }
        ss_comb = std::max(ss_comb, ss);
    }

    // (e) on-loading / off-loading
    const double total_cycle = prefix_[ordering.size()];
    const double t_comp = total_cycle + ss_comb;
    for (auto& per_op : load_)
        for (auto& lv : per_op) lv = {};
    const std::size_t out_op = nest.output_operand();
    for (const Port& p : ports_) {
        one_.clear();
        periodic_.clear();
        for (const PortAct& a : p.acts) {
            if (a.op == out_op && (a.dir == TL || a.dir == FH)) continue;
            const Dtl& d = wi[a.op].dtl[a.lvl][a.dir];
            if (d.count == 0) continue;
            (d.count == 1 ? one_ : periodic_).push_back(a);
        }
        double b_periodic = 0;
        for (const PortAct& a : periodic_) b_periodic += wi[a.op].dtl[a.lvl][a.dir].avg_bw;
        total_.clear();
        minimal_.clear();
        for (const PortAct& a : one_) {
            minimal_.push_back(std::ceil(static_cast<double>(wi[a.op].data_bits[1]) / p.bw));
            total_.push_back(real_[a.op][a.lvl][a.dir]);
        }
        double surplus = std::max(0.0, (p.bw - b_periodic) / p.bw * t_comp);
        // reduce_balanced (dataflow_model.cpp), in place on small buffers
        reduced_.assign(total_.begin(), total_.end());
        if (surplus > 0 && !total_.empty()) {
            order_.resize(total_.size());
            std::iota(order_.begin(), order_.end(), 0);
            // stable sort by total, descending (insertion sort: a handful of entries, no buffer)
            for (std::size_t i = 1; i < order_.size(); ++i)
                for (std::size_t j = i; j > 0 && total_[order_[j - 1]] < total_[order_[j]]; --j)
                    std::swap(order_[j - 1], order_[j]);
            for (std::size_t i = 0; i < order_.size(); ++i) reduced_[i] = total_[order_[i]]; // cs, sorted
            double s = surplus;
            for (std::size_t i = 0; i < order_.size(); ++i) {
                const double mi = minimal_[order_[i]];
                const double cap = (reduced_[i] - mi) * static_cast<double>(i + 1);
                if (s >= cap) {
                    const double red = reduced_[i] - mi;
                    for (std::size_t j = 0; j <= i; ++j) reduced_[j] -= red;
                    s -= cap;
                } else {
                    const double red = s / static_cast<double>(i + 1);
                    for (std::size_t j = 0; j <= i; ++j) reduced_[j] -= red;
                    break;
                }
            }
            for (std::size_t i = 0; i < order_.size(); ++i) {
                double v = reduced_[i];
                if (!options_.compat_zigzag) v = std::max(v, std::min(total_[order_[i]], minimal_[order_[i]]));
                minimal_[order_[i]] = v; // minimal_ is free now: the result in original order
            }
            reduced_.swap(minimal_);
        }
        for (std::size_t i = 0; i < one_.size(); ++i) load_[one_[i].op][one_[i].lvl][one_[i].dir] = {reduced_[i], p.shared_inputs};
        for (const PortAct& a : periodic_) load_[a.op][a.lvl][a.dir] = {real_[a.op][a.lvl][a.dir], p.shared_inputs};
    }
    double indiv[2] = {0, 0}, half[2] = {0, 0}, shared[2] = {0, 0};
    const auto& ins = nest.input_operands();
    for (std::size_t i = 0; i < ins.size() && i < 2; ++i) {
        const std::size_t o = ins[i];
        for (std::size_t m = 0; m + 1 < layout_.operands[o].levels; ++m) {
            const Load e1 = load_[o][m][FH], e2 = load_[o][m + 1][TL];
            const double l = std::max(e1.cycles, e2.cycles);
            if (e1.shared && e2.shared) shared[i] += l;
            else if (!e1.shared && !e2.shared) indiv[i] += l;
            else if (options_.compat_zigzag) half[i] = l; // ZigZag assigns instead of adding (§5.7.5)
            else half[i] += l;
        }
    }
    double onload;
    if (ins.size() == 1) {
        onload = indiv[0];
    } else {
        const double p1 = shared[0] + std::max(shared[1] + half[1] + indiv[1], half[0] + indiv[0]);
        const double p2 = shared[1] + std::max(shared[0] + half[0] + indiv[0], half[1] + indiv[1]);
        onload = std::min(p1, p2);
    }
    double offload = 0;
    for (std::size_t m = 0; m + 1 < layout_.operands[out_op].levels; ++m)
        offload += std::max(load_[out_op][m][TH].cycles, load_[out_op][m + 1][FL].cycles);

    // (f) totals
    const double total0 = total_cycle + ss_comb;
    const double total1 = total0 + onload;
    return total1 + offload;
}

bool FastCostModel::evaluate(const std::vector<LoopFactor>& ordering, const Allocation& allocation,
                             Objective objective, const CostScalars* incumbent, CostScalars& out) {
    const std::size_t nops = layout_.operands.size();
    prefix_.resize(ordering.size() + 1);
    prefix_[0] = 1;
    for (std::size_t j = 0; j < ordering.size(); ++j) prefix_[j + 1] = prefix_[j] * static_cast<double>(ordering[j].size);
    const bool two = !layout_.integral_spatial;
    for (std::size_t o = 0; o < nops; ++o) {
        stationary_levels(ordering, allocation, o, work_[0][o]);
        build(ordering, o, 0, work_[0][o]);
        if (two) {
            work_[1][o].start = work_[0][o].start;
            work_[1][o].mac_stationary = work_[0][o].mac_stationary;
            build(ordering, o, 1, work_[1][o]);
        }
    }
    if (objective == Objective::Energy) {
        out.energy_total = energy();
        if (incumbent && out.energy_total > incumbent->energy_total) return false;
        out.latency_total2 = latency(ordering);
        return true;
    }
    out.latency_total2 = latency(ordering);
    if (objective == Objective::Latency && incumbent && out.latency_total2 > incumbent->latency_total2) return false;
    out.energy_total = energy();
    return true;
}

} // namespace stream::dataflow
