#include "SlotModel.hpp"

#include "ProductLess.hpp"

#include <algorithm>
#include <limits>
#include <stdexcept>
#include <utility>
#include <vector>

namespace stream::plugins::gecode_alloc {

using namespace Gecode;

namespace {

int clamp_int(long long v) { return static_cast<int>(std::min<long long>(v, Int::Limits::max)); }

int largest(const std::vector<int>& values) {
    return values.empty() ? 0 : *std::max_element(values.begin(), values.end());
}

} // namespace

SlotModel::SlotModel(const SlotInstance& in, Objective objective, bool weight_capacity)
    : instance_(&in), objective_(objective), rnd_(kNeighbourhoodSeed) {
    const int V = in.slots();
    const int C = static_cast<int>(in.core_ids.size());
    const int U = static_cast<int>(in.units.size());
    if (V == 0) throw std::invalid_argument("a slot model needs at least one steady-state node");
    for (const SlotInstance::Unit& u : in.units)
        if (u.allowed.empty()) throw std::invalid_argument("a unit without candidate cores has no slot model");
    const int period_ub = clamp_int(in.period_bound());
    const int N = static_cast<int>(in.iterations);

    // Decisions: a core per unit (its candidates only), a slot per node.
    core_ = IntVarArray(*this, U);
    for (int u = 0; u < U; ++u)
        core_[u] = IntVar(*this, IntSet(IntArgs(in.units[static_cast<std::size_t>(u)].allowed)));
    slot_ = IntVarArray(*this, V, 0, V - 1);
    IntVar zero(*this, 0, 0);
    IntVar slot_count(*this, V, V);

    std::vector<BoolVarArgs> on(static_cast<std::size_t>(U)); // on[u][c] <=> core[u] == c
    for (int u = 0; u < U; ++u) {
        on[static_cast<std::size_t>(u)] = BoolVarArgs(*this, C, 0, 1);
        channel(*this, on[static_cast<std::size_t>(u)], core_[u]);
    }
    auto unit_of = [&](int i) { return static_cast<int>(in.nodes[static_cast<std::size_t>(i)].unit); };
    auto allows = [&](int u, int c) {
        const auto& allowed = in.units[static_cast<std::size_t>(u)].allowed;
        return std::binary_search(allowed.begin(), allowed.end(), c);
    };

    IntVarArgs lat(V);
    int max_latency = 0;
    for (int i = 0; i < V; ++i) {
        const std::vector<int>& row = in.nodes[static_cast<std::size_t>(i)].latency;
        lat[i] = IntVar(*this, 0, largest(row));
        element(*this, IntArgs(row), core_[unit_of(i)], lat[i]);
        max_latency = std::max(max_latency, largest(row));
    }

    IntVarArgs cell(V);
    for (int i = 0; i < V; ++i)
        cell[i] = expr(*this, V * core_[unit_of(i)] + slot_[i]);
    distinct(*this, cell);
    for (const auto& [from, to] : in.edges)
        rel(*this, slot_[static_cast<int>(to)], IRT_GR, slot_[static_cast<int>(from)]);
    if (weight_capacity)
        for (const SlotInstance::Capacity& cap : in.capacities) {
            IntArgs weight;
            BoolVarArgs placed;
            for (int u = 0; u < U; ++u)
                for (int c : cap.cores) {
                    const int w = in.units[static_cast<std::size_t>(u)].weight[static_cast<std::size_t>(c)];
                    if (w > 0 && allows(u, c)) {
                        weight << w;
                        placed << on[static_cast<std::size_t>(u)][c];
                    }
                }
            if (placed.size() > 0) linear(*this, weight, placed, IRT_LQ, cap.limit);
        }

    // Slot occupancy; empty slots may only trail (removing one changes nothing).
    std::vector<BoolVarArgs> in_slot(static_cast<std::size_t>(V));
    for (int i = 0; i < V; ++i) {
        in_slot[static_cast<std::size_t>(i)] = BoolVarArgs(*this, V, 0, 1);
        channel(*this, in_slot[static_cast<std::size_t>(i)], slot_[i]);
    }
    BoolVarArgs used(*this, V, 0, 1);
    for (int s = 0; s < V; ++s) {
        BoolVarArgs column;
        for (int i = 0; i < V; ++i)
            column << in_slot[static_cast<std::size_t>(i)][s];
        rel(*this, BOT_OR, column, used[s]);
        if (s > 0) rel(*this, used[s - 1], IRT_GQ, used[s]);
    }

    // Slot latency = its slowest node; the period and its prefix sums.
    IntVarArgs slot_latency(V);
    for (int s = 0; s < V; ++s) {
        IntVarArgs part(V);
        for (int i = 0; i < V; ++i) {
            part[i] = IntVar(*this, 0, lat[i].max());
            ite(*this, in_slot[static_cast<std::size_t>(i)][s], lat[i], zero, part[i]);
        }
        slot_latency[s] = IntVar(*this, 0, max_latency);
        max(*this, part, slot_latency[s]);
    }
    period_ = IntVar(*this, 0, period_ub);
    linear(*this, slot_latency, IRT_EQ, period_);
    IntVarArgs before(V + 1); // before[s] = time from the wave's start to slot s
    before[0] = zero;
    for (int s = 0; s < V; ++s) {
        before[s + 1] = IntVar(*this, 0, period_ub);
        rel(*this, before[s + 1] == before[s] + slot_latency[s]);
    }

    IntVarArgs slot_end(V);
    for (int i = 0; i < V; ++i)
        slot_end[i] = expr(*this, slot_[i] + 1);

    // Implied timing: node i runs inside its slot, from start[i] = before[slot[i]] for lat[i];
    // the nodes of one core never overlap (they are in different slots) and a consumer starts
    // after its producer ends. This unary-resource relaxation (edge finding, not-first/not-last)
    // bounds the period long before the slots are fixed, which is what lets branch and bound prune.
    IntVarArgs start(V), finish(V);
    for (int i = 0; i < V; ++i) {
        start[i] = IntVar(*this, 0, period_ub);
        finish[i] = IntVar(*this, 0, period_ub);
        IntVar slot_close(*this, 0, period_ub);
        element(*this, before, slot_[i], start[i]);
        element(*this, before, slot_end[i], slot_close);
        rel(*this, finish[i] == start[i] + lat[i]);
        rel(*this, finish[i] <= slot_close);
    }
    for (const auto& [from, to] : in.edges)
        rel(*this, start[static_cast<int>(to)] >= finish[static_cast<int>(from)]);
    for (int c = 0; c < C; ++c) {
        IntVarArgs s, p, e;
        BoolVarArgs here;
        for (int i = 0; i < V; ++i)
            if (allows(unit_of(i), c)) {
                s << start[i];
                p << lat[i];
                e << finish[i];
                here << on[static_cast<std::size_t>(unit_of(i))][c];
            }
        if (s.size() > 1) unary(*this, s, p, e, here);
    }

    // Idle time per core: the slots before its first node and after its last.
    IntVarArgs idle, load;
    for (int c = 0; c < C; ++c) {
        IntVarArgs firsts, ends, busy;
        for (int i = 0; i < V; ++i) {
            if (!allows(unit_of(i), c)) continue;
            BoolVar here = on[static_cast<std::size_t>(unit_of(i))][c];
            IntVar f(*this, 0, V), e(*this, 0, V), l(*this, 0, lat[i].max());
            ite(*this, here, slot_[i], slot_count, f);
            ite(*this, here, slot_end[i], zero, e);
            ite(*this, here, lat[i], zero, l);
            firsts << f;
            ends << e;
            busy << l;
        }
        if (firsts.size() == 0) continue;
        IntVar first(*this, 0, V), end(*this, 0, V), lead(*this, 0, period_ub), upto(*this, 0, period_ub);
        min(*this, firsts, first);
        max(*this, ends, end);
        element(*this, before, first, lead);
        element(*this, before, end, upto);
        IntVar idle_c(*this, 0, clamp_int(2LL * period_ub));
        rel(*this, idle_c == lead + period_ - upto);
        IntVar load_c(*this, 0, period_ub);
        linear(*this, busy, IRT_EQ, load_c);
        idle << idle_c;
        load << load_c;
    }
    idle_min_ = IntVar(*this, 0, clamp_int(2LL * period_ub));
    min(*this, idle, idle_min_);

    // total = N * period - (N - 1) * idle_min, written as period + (N - 1) * span with
    // span = period - idle_min (the busiest core's first-to-last stretch), so that bounds
    // on the span reach the total. Implied bounds on the span: it covers every core's
    // load (one node per core per slot), the loads share it at best evenly, and every
    // node lies within some slot of the period.
    IntVar span(*this, 0, period_ub);
    rel(*this, span == period_ - idle_min_);
    for (int c = 0; c < load.size(); ++c)
        rel(*this, span >= load[c]);
    rel(*this, load.size() * span >= sum(lat));
    for (int i = 0; i < V; ++i)
        rel(*this, period_ >= lat[i]);

    total_ = IntVar(*this, 0, clamp_int(static_cast<long long>(N) * period_ub));
    rel(*this, total_ == period_ + (N - 1) * span);

    IntVarArgs unit_energy(U);
    for (int u = 0; u < U; ++u) {
        const std::vector<int>& row = in.units[static_cast<std::size_t>(u)].energy;
        unit_energy[u] = IntVar(*this, 0, largest(row));
        element(*this, IntArgs(row), core_[u], unit_energy[u]);
    }
    energy_ = IntVar(*this, 0, clamp_int(in.energy_bound()));
    linear(*this, unit_energy, IRT_EQ, energy_);

    // Cores that no quantity of the model tells apart (same candidates, latencies, energies,
    // weights and weight memory) are interchangeable values: only the first-used order of
    // each such class is searched.
    for (const std::vector<int>& cls : interchangeable_cores(in))
        if (cls.size() > 1) precede(*this, core_, IntArgs(cls));

    auto best_core = [](const Space& home, IntVar x, int u) {
        return static_cast<const SlotModel&>(home).preferred_core(x, u);
    };
    auto priority = [](const Space& home, IntVar x, int u) {
        return static_cast<const SlotModel&>(home).unit_priority(x, u);
    };
    branch(*this, core_, INT_VAR_MERIT_MAX(priority), INT_VAL(best_core));
    branch(*this, slot_, INT_VAR_MIN_MIN(), INT_VAL_MIN());
    // Fixed by propagation once cores and slots are; branching makes reading them safe regardless.
    branch(*this, IntVarArgs({period_, idle_min_, total_, energy_}), INT_VAR_NONE(), INT_VAL_MIN());
}

SlotModel::SlotModel(SlotModel& other)
    : Space(other), instance_(other.instance_), objective_(other.objective_), rnd_(other.rnd_) {
    core_.update(*this, other.core_);
    slot_.update(*this, other.slot_);
    period_.update(*this, other.period_);
    idle_min_.update(*this, other.idle_min_);
    total_.update(*this, other.total_);
    energy_.update(*this, other.energy_);
}

Space* SlotModel::copy() { return new SlotModel(*this); }

void SlotModel::constrain(const Space& best) {
    const auto& b = static_cast<const SlotModel&>(best);
    const int total = b.total_.val(), energy = b.energy_.val();
    switch (objective_) {
    case Objective::latency:
        rel(*this, (total_ < total) || ((total_ == total) && (energy_ < energy)));
        break;
    case Objective::energy:
        rel(*this, (energy_ < energy) || ((energy_ == energy) && (total_ < total)));
        break;
    case Objective::edp:
        product_less(*this, total_, energy_, static_cast<long long>(total) * energy);
        break;
    }
}

bool SlotModel::slave(const MetaInfo& mi) {
    // Every other restart searches a neighbourhood of the best solution: about half of the
    // units keep their cores. Such a restart proves nothing (false); the others search the
    // whole model under the improved bound and, once one completes, prove optimality.
    if (mi.type() == MetaInfo::RESTART && mi.last() != nullptr && mi.restart() % 2 == 1) {
        relax(*this, core_, static_cast<const SlotModel&>(*mi.last()).core_, rnd_, 0.5);
        return false;
    }
    return true;
}

Assignment SlotModel::assignment() const {
    Assignment a;
    for (int u = 0; u < core_.size(); ++u)
        a.unit_core.push_back(core_[u].val());
    for (int i = 0; i < slot_.size(); ++i)
        a.node_slot.push_back(slot_[i].val());
    return a;
}

ModelValue SlotModel::value() const { return {total_.val(), energy_.val(), period_.val(), idle_min_.val()}; }

long long SlotModel::lower_bound() const {
    switch (objective_) {
    case Objective::latency:
        return total_.min();
    case Objective::energy:
        return energy_.min();
    case Objective::edp:
        return static_cast<long long>(total_.min()) * energy_.min();
    }
    return 0;
}

long long SlotModel::unit_latency(int unit, int core) const {
    long long latency = 0;
    for (std::size_t i : instance_->units[static_cast<std::size_t>(unit)].nodes)
        latency += instance_->nodes[i].latency[static_cast<std::size_t>(core)];
    return latency;
}

std::pair<long long, long long> SlotModel::core_merit(int unit, int core) const {
    const long long own = unit_latency(unit, core);
    const long long energy = instance_->units[static_cast<std::size_t>(unit)].energy[static_cast<std::size_t>(core)];
    if (objective_ == Objective::energy) return {energy, own};
    // Greedy list scheduling: the load the core would carry with this unit added
    // (at most 1e9, times an energy of at most 1e7 for EDP: no overflow).
    long long load = own;
    for (int u = 0; u < core_.size(); ++u)
        if (u != unit && core_[u].assigned() && core_[u].val() == core) load += unit_latency(u, core);
    if (objective_ == Objective::edp) load *= energy + 1;
    return {load, own};
}

int SlotModel::preferred_core(const IntVar& x, int unit) const {
    int best = x.min();
    std::pair<long long, long long> best_merit{std::numeric_limits<long long>::max(), 0};
    for (IntVarValues v(x); v(); ++v)
        if (const auto m = core_merit(unit, v.val()); m < best_merit) {
            best_merit = m;
            best = v.val();
        }
    return best;
}

double SlotModel::unit_priority(const IntVar& x, int unit) const {
    const SlotInstance::Unit& u = instance_->units[static_cast<std::size_t>(unit)];
    long long lo = std::numeric_limits<long long>::max(), hi = std::numeric_limits<long long>::min();
    for (IntVarValues v(x); v(); ++v) {
        const long long m =
            objective_ == Objective::energy ? u.energy[static_cast<std::size_t>(v.val())] : unit_latency(unit, v.val());
        lo = std::min(lo, m);
        hi = std::max(hi, m);
    }
    // Energy: where the choice matters most. Latency: the largest work first (as LPT does).
    return static_cast<double>(objective_ == Objective::energy ? hi - lo : lo);
}

} // namespace stream::plugins::gecode_alloc
