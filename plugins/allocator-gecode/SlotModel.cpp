#include "SlotModel.hpp"

#include "ProductLess.hpp"

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <limits>
#include <memory>
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
    : instance_(&in), objective_(objective), rnd_(kNeighbourhoodSeed),
      slave_calls_(std::make_shared<std::atomic<unsigned long>>(0)) {
    const int V = in.slots();
    const int C = static_cast<int>(in.core_ids.size());
    const int U = static_cast<int>(in.units.size());
    if (V == 0) throw std::invalid_argument("a slot model needs at least one steady-state node");
    for (const SlotInstance::Unit& u : in.units)
        if (u.allowed.empty()) throw std::invalid_argument("a unit without candidate cores has no slot model");
    const int period_ub = clamp_int(in.period_bound());
    const int N = static_cast<int>(in.iterations);
    const bool splits = in.has_splits();
    const int none = C; // the core of an unused part

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
    auto options_of = [&](int u) { return static_cast<int>(in.units[static_cast<std::size_t>(u)].splits.size()); };
    // k under option s (0 = one core).
    auto cores_under = [&](int u, int s) {
        return s == 0 ? 1 : in.units[static_cast<std::size_t>(u)].splits[static_cast<std::size_t>(s - 1)].cores;
    };
    auto parts_of = [&](int u) { return cores_under(u, options_of(u)); };

    // Split options: the option, the further parts' cores (NONE when unused, ascending when used).
    // parts[u][j]: the core variable of part j; on_part[u][j][c] <=> parts[u][j] == c.
    std::vector<IntVarArgs> parts(static_cast<std::size_t>(U));
    std::vector<std::vector<BoolVarArgs>> on_part(static_cast<std::size_t>(U));
    std::vector<BoolVarArgs> part_used(static_cast<std::size_t>(U)); // part_used[u][j - 1], j >= 1
    for (int u = 0; u < U; ++u) {
        parts[static_cast<std::size_t>(u)] << core_[u];
        on_part[static_cast<std::size_t>(u)].push_back(on[static_cast<std::size_t>(u)]);
    }
    if (splits) {
        option_ = IntVarArray(*this, U);
        IntVarArgs further;
        for (int u = 0; u < U; ++u) {
            const auto& unit = in.units[static_cast<std::size_t>(u)];
            option_[u] = IntVar(*this, 0, options_of(u));
            first_part_.push_back(further.size());
            for (int s = 1; s <= options_of(u); ++s)
                if (cores_under(u, s) > static_cast<int>(unit.allowed.size())) rel(*this, option_[u], IRT_NQ, s);
            IntArgs values(unit.allowed);
            values << none;
            for (int j = 1; j < parts_of(u); ++j) {
                IntVar x(*this, IntSet(values));
                further << x;
                parts[static_cast<std::size_t>(u)] << x;
                BoolVarArgs onj(*this, C + 1, 0, 1);
                channel(*this, onj, x);
                on_part[static_cast<std::size_t>(u)].push_back(onj);
                // Options ascend in k, so part j is used from the first option with more than j cores on.
                int from = 1;
                while (cores_under(u, from) <= j)
                    ++from;
                BoolVar used(*this, 0, 1);
                rel(*this, option_[u], IRT_GQ, from, Reify(used));
                rel(*this, x, IRT_NQ, none, Reify(used));
                rel(*this, x, IRT_GR, parts[static_cast<std::size_t>(u)][j - 1], Reify(used, RM_IMP));
                part_used[static_cast<std::size_t>(u)] << used;
            }
        }
        first_part_.push_back(further.size());
        part_ = IntVarArray(*this, further);
    }
    // A table over (option, core of part j) of a split unit: `whole(c)` under option 0 (part 0
    // only), `per_part(s, c)` under option s for the parts it uses, 0 elsewhere (NONE included).
    auto part_table = [&](int u, int j, auto whole, auto per_part) {
        const int width = j == 0 ? C : C + 1;
        IntArgs table;
        for (int s = 0; s <= options_of(u); ++s)
            for (int c = 0; c < width; ++c) {
                int value = 0;
                if (c < C && allows(u, c) && j < cores_under(u, s)) value = s == 0 ? whole(c) : per_part(s - 1, c);
                table << value;
            }
        return std::make_pair(table, width);
    };
    auto part_element = [&](int u, int j, const std::pair<IntArgs, int>& table) {
        IntVar value(*this, 0, std::max(0, largest(std::vector<int>(table.first.begin(), table.first.end()))));
        element(*this, IntSharedArray(table.first), parts[static_cast<std::size_t>(u)][j], table.second, option_[u],
                options_of(u) + 1, value);
        return value;
    };

    // Items: (node, part) pairs; without split options exactly the nodes.
    struct Item {
        int node;
        int unit;
        int part;
    };
    std::vector<Item> items;
    for (int i = 0; i < V; ++i)
        for (int j = 0; j < parts_of(unit_of(i)); ++j)
            items.push_back({i, unit_of(i), j});
    const int Q = static_cast<int>(items.size());
    auto core_var = [&](const Item& q) { return parts[static_cast<std::size_t>(q.unit)][q.part]; };
    auto on_core = [&](const Item& q, int c) {
        return on_part[static_cast<std::size_t>(q.unit)][static_cast<std::size_t>(q.part)][c];
    };

    IntVarArgs lat(Q);
    int max_latency = 0; // from the tables, not from the variables (posting may already prune them)
    for (int q = 0; q < Q; ++q) {
        const Item& item = items[static_cast<std::size_t>(q)];
        const SlotInstance::Node& node = in.nodes[static_cast<std::size_t>(item.node)];
        if (options_of(item.unit) == 0) {
            const std::vector<int>& row = node.latency;
            lat[q] = IntVar(*this, 0, largest(row));
            element(*this, IntArgs(row), core_[item.unit], lat[q]);
            max_latency = std::max(max_latency, largest(row));
        } else {
            lat[q] = part_element(
                item.unit, item.part,
                part_table(
                    item.unit, item.part, [&](int c) { return node.latency[static_cast<std::size_t>(c)]; },
                    [&](int s, int c) {
                        return node.split_latency[static_cast<std::size_t>(s)][static_cast<std::size_t>(c)];
                    }));
            max_latency = std::max(max_latency, lat[q].max());
        }
    }

    IntVarArgs cell(Q);
    for (int q = 0; q < Q; ++q) {
        const Item& item = items[static_cast<std::size_t>(q)];
        if (item.part == 0) {
            cell[q] = expr(*this, V * core_[item.unit] + slot_[item.node]);
        } else {
            // An unused part takes a key no used item can have (those stay below V * (C + 1)).
            cell[q] = IntVar(*this, 0, V * (C + 1) + Q);
            IntVar key = expr(*this, V * core_var(item) + slot_[item.node]);
            IntVar own(*this, V * (C + 1) + q, V * (C + 1) + q);
            ite(*this, part_used[static_cast<std::size_t>(item.unit)][item.part - 1], key, own, cell[q]);
        }
    }
    distinct(*this, cell);
    for (const auto& [from, to] : in.edges)
        rel(*this, slot_[static_cast<int>(to)], IRT_GR, slot_[static_cast<int>(from)]);
    if (weight_capacity)
        for (const SlotInstance::Capacity& cap : in.capacities) {
            IntArgs weight;
            BoolVarArgs placed;
            IntVarArgs split_weight; // the weight each part of a split unit keeps in this memory
            auto in_cap = [&](int c) { return std::find(cap.cores.begin(), cap.cores.end(), c) != cap.cores.end(); };
            for (int u = 0; u < U; ++u) {
                const SlotInstance::Unit& unit = in.units[static_cast<std::size_t>(u)];
                if (options_of(u) == 0) {
                    for (int c : cap.cores) {
                        const int w = unit.weight[static_cast<std::size_t>(c)];
                        if (w > 0 && allows(u, c)) {
                            weight << w;
                            placed << on[static_cast<std::size_t>(u)][c];
                        }
                    }
                    continue;
                }
                for (int j = 0; j < parts_of(u); ++j)
                    split_weight << part_element(
                        u, j,
                        part_table(
                            u, j, [&](int c) { return in_cap(c) ? unit.weight[static_cast<std::size_t>(c)] : 0; },
                            [&](int s, int c) {
                                return in_cap(c) ? unit.splits[static_cast<std::size_t>(s)]
                                                       .weight[static_cast<std::size_t>(c)]
                                                 : 0;
                            }));
            }
            if (split_weight.size() > 0) {
                LinIntExpr kept = sum(split_weight);
                if (placed.size() > 0) kept = kept + sum(weight, placed);
                rel(*this, kept <= cap.limit);
            } else if (placed.size() > 0) {
                linear(*this, weight, placed, IRT_LQ, cap.limit);
            }
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

    // Slot latency = its slowest item; the period and its prefix sums.
    IntVarArgs slot_latency(V);
    for (int s = 0; s < V; ++s) {
        IntVarArgs part(Q);
        for (int q = 0; q < Q; ++q) {
            part[q] = IntVar(*this, 0, lat[q].max());
            ite(*this, in_slot[static_cast<std::size_t>(items[static_cast<std::size_t>(q)].node)][s], lat[q], zero,
                part[q]);
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

    // Implied timing: item q runs inside its node's slot, from start[i] = before[slot[i]] for
    // lat[q]; the items of one core never overlap (they are in different slots) and a consumer
    // starts after every part of its producer ends. This unary-resource relaxation (edge
    // finding, not-first/not-last) bounds the period long before the slots are fixed, which is
    // what lets branch and bound prune.
    IntVarArgs start(V), finish(Q);
    for (int q = 0; q < Q; ++q) {
        const Item& item = items[static_cast<std::size_t>(q)];
        const int i = item.node;
        if (item.part == 0) {
            start[i] = IntVar(*this, 0, period_ub);
            finish[q] = IntVar(*this, 0, period_ub);
            IntVar slot_close(*this, 0, period_ub);
            element(*this, before, slot_[i], start[i]);
            element(*this, before, slot_end[i], slot_close);
            rel(*this, finish[q] == start[i] + lat[q]);
            rel(*this, finish[q] <= slot_close);
            // The further parts (next items) close with the same slot.
            for (int r = q + 1; r < Q && items[static_cast<std::size_t>(r)].node == i; ++r) {
                finish[r] = IntVar(*this, 0, period_ub);
                rel(*this, finish[r] == start[i] + lat[r]);
                rel(*this, finish[r] <= slot_close);
            }
        }
    }
    for (const auto& [from, to] : in.edges)
        for (int q = 0; q < Q; ++q)
            if (items[static_cast<std::size_t>(q)].node == static_cast<int>(from))
                rel(*this, start[static_cast<int>(to)] >= finish[q]);
    for (int c = 0; c < C; ++c) {
        IntVarArgs s, p, e;
        BoolVarArgs here;
        for (int q = 0; q < Q; ++q) {
            const Item& item = items[static_cast<std::size_t>(q)];
            if (allows(item.unit, c)) {
                s << start[item.node];
                p << lat[q];
                e << finish[q];
                here << on_core(item, c);
            }
        }
        if (s.size() > 1) unary(*this, s, p, e, here);
    }

    // Idle time per core: the slots before its first item and after its last.
    IntVarArgs idle, load;
    for (int c = 0; c < C; ++c) {
        IntVarArgs firsts, ends, busy;
        for (int q = 0; q < Q; ++q) {
            const Item& item = items[static_cast<std::size_t>(q)];
            if (!allows(item.unit, c)) continue;
            BoolVar here = on_core(item, c);
            IntVar f(*this, 0, V), e(*this, 0, V), l(*this, 0, lat[q].max());
            ite(*this, here, slot_[item.node], slot_count, f);
            ite(*this, here, slot_end[item.node], zero, e);
            ite(*this, here, lat[q], zero, l);
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
    // load (one item per core per slot), the loads share it at best evenly, and every
    // item lies within some slot of the period.
    IntVar span(*this, 0, period_ub);
    rel(*this, span == period_ - idle_min_);
    for (int c = 0; c < load.size(); ++c)
        rel(*this, span >= load[c]);
    rel(*this, load.size() * span >= sum(lat));
    for (int q = 0; q < Q; ++q)
        rel(*this, period_ >= lat[q]);

    total_ = IntVar(*this, 0, clamp_int(static_cast<long long>(N) * period_ub));
    rel(*this, total_ == period_ + (N - 1) * span);

    IntVarArgs unit_energy;
    for (int u = 0; u < U; ++u) {
        const SlotInstance::Unit& unit = in.units[static_cast<std::size_t>(u)];
        if (options_of(u) == 0) {
            const std::vector<int>& row = unit.energy;
            IntVar e(*this, 0, largest(row));
            element(*this, IntArgs(row), core_[u], e);
            unit_energy << e;
            continue;
        }
        for (int j = 0; j < parts_of(u); ++j)
            unit_energy << part_element(
                u, j,
                part_table(
                    u, j, [&](int c) { return unit.energy[static_cast<std::size_t>(c)]; },
                    [&](int s, int c) {
                        return unit.splits[static_cast<std::size_t>(s)].energy[static_cast<std::size_t>(c)];
                    }));
    }
    energy_ = IntVar(*this, 0, clamp_int(in.energy_bound()));
    linear(*this, unit_energy, IRT_EQ, energy_);

    // Cores that no quantity of the model tells apart (same candidates, latencies, energies,
    // weights and weight memory) are interchangeable values: only the first-used order of
    // each such class is searched. Over the parts unit by unit, each unit's used cores
    // ascending, this stays sound with splits: renaming the cores of a class in order of
    // first use keeps every unit's new cores above its earlier ones.
    IntVarArgs sequence;
    for (int u = 0; u < U; ++u)
        sequence << parts[static_cast<std::size_t>(u)];
    for (const std::vector<int>& cls : interchangeable_cores(in))
        if (cls.size() > 1) precede(*this, sequence, IntArgs(cls));

    if (!splits) {
        auto best_core = [](const Space& home, IntVar x, int u) {
            return static_cast<const SlotModel&>(home).preferred_core(x, u);
        };
        auto priority = [](const Space& home, IntVar x, int u) {
            return static_cast<const SlotModel&>(home).unit_priority(x, u);
        };
        branch(*this, core_, INT_VAR_MERIT_MAX(priority), INT_VAL(best_core));
    } else {
        IntVarArgs decisions;
        for (int u = 0; u < U; ++u) {
            if (options_of(u) > 0) {
                decisions << option_[u];
                decision_unit_.push_back(u);
                decision_part_.push_back(-1);
            }
            for (int j = 0; j < parts_of(u); ++j) {
                decisions << parts[static_cast<std::size_t>(u)][j];
                decision_unit_.push_back(u);
                decision_part_.push_back(j);
            }
        }
        decision_ = IntVarArray(*this, decisions);
        auto value = [](const Space& home, IntVar x, int i) {
            return static_cast<const SlotModel&>(home).decision_value(x, i);
        };
        // Ties go to the leftmost position: a unit's option before its cores.
        auto priority = [](const Space& home, IntVar, int i) {
            return static_cast<const SlotModel&>(home).decision_priority(i);
        };
        branch(*this, decision_, INT_VAR_MERIT_MAX(priority), INT_VAL(value));
    }
    branch(*this, slot_, INT_VAR_MIN_MIN(), INT_VAL_MIN());
    // Fixed by propagation once cores and slots are; branching makes reading them safe regardless.
    branch(*this, IntVarArgs({period_, idle_min_, total_, energy_}), INT_VAR_NONE(), INT_VAL_MIN());
}

SlotModel::SlotModel(SlotModel& other)
    : Space(other), instance_(other.instance_), objective_(other.objective_), rnd_(other.rnd_),
      first_part_(other.first_part_), decision_unit_(other.decision_unit_), decision_part_(other.decision_part_),
      slave_calls_(other.slave_calls_) {
    core_.update(*this, other.core_);
    slot_.update(*this, other.slot_);
    option_.update(*this, other.option_);
    part_.update(*this, other.part_);
    decision_.update(*this, other.decision_);
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
    // units keep their cores (and option). Such a restart proves nothing (false); the others
    // search the whole model under the improved bound and, once one completes, prove optimality.
    if (mi.type() != MetaInfo::RESTART || mi.last() == nullptr) return true;
    const auto& last = static_cast<const SlotModel&>(*mi.last());
    if (option_.size() == 0) {
        if (mi.restart() % 2 == 0) return true;
        relax(*this, core_, last.core_, rnd_, 0.5);
        return false;
    }
    // Gecode 6.2 does not count a restart after an exhausted neighbourhood, so alternating on
    // mi.restart() can repeat neighbourhoods forever once the best is optimal; the model's own
    // count of restarts alternates for sure.
    const std::uint64_t call = (*slave_calls_)++;
    if (call % 2 == 1) {
        // A unit's option and cores are kept together: a kept core under a changed option
        // would mostly fail. At least one unit stays free, as relax() guarantees. The draws are
        // a hash of the restart and the unit (splitmix64), not Gecode::Rnd: calling Rnd from
        // here makes UBSan's vptr check need a typeinfo that Gecode's library does not export.
        auto draw = [&](std::uint64_t k) {
            std::uint64_t z = (static_cast<std::uint64_t>(kNeighbourhoodSeed) << 32) ^ (call * 0x9E3779B97F4A7C15ULL) ^ k;
            z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
            z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
            return z ^ (z >> 31);
        };
        const int U = core_.size();
        const int free_unit = static_cast<int>(draw(~0ULL) % static_cast<std::uint64_t>(U));
        for (int u = 0; u < U; ++u) {
            if (u == free_unit || draw(static_cast<std::uint64_t>(u)) % 2 == 0) continue;
            rel(*this, option_[u], IRT_EQ, last.option_[u].val());
            rel(*this, core_[u], IRT_EQ, last.core_[u].val());
            for (int p = first_part_[static_cast<std::size_t>(u)]; p < first_part_[static_cast<std::size_t>(u) + 1];
                 ++p)
                rel(*this, part_[p], IRT_EQ, last.part_[p].val());
        }
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
    if (option_.size() > 0) {
        const int none = static_cast<int>(instance_->core_ids.size());
        for (int u = 0; u < core_.size(); ++u) {
            a.unit_split.push_back(option_[u].val());
            std::vector<int> cores;
            if (option_[u].val() > 0) {
                cores.push_back(core_[u].val());
                for (int p = first_part_[static_cast<std::size_t>(u)]; p < first_part_[static_cast<std::size_t>(u) + 1];
                     ++p)
                    if (part_[p].val() != none) cores.push_back(part_[p].val());
            }
            a.unit_cores.push_back(std::move(cores));
        }
        drop_unsplit(a);
    }
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

int SlotModel::current_option(int unit) const {
    return option_.size() > 0 && option_[unit].assigned() ? option_[unit].val() : 0;
}

long long SlotModel::unit_latency(int unit, int core, int option) const {
    long long latency = 0;
    for (std::size_t i : instance_->units[static_cast<std::size_t>(unit)].nodes) {
        const SlotInstance::Node& n = instance_->nodes[i];
        latency +=
            (option == 0 ? n.latency
                         : n.split_latency[static_cast<std::size_t>(option - 1)])[static_cast<std::size_t>(core)];
    }
    return latency;
}

long long SlotModel::unit_energy(int unit, int core, int option) const {
    const SlotInstance::Unit& u = instance_->units[static_cast<std::size_t>(unit)];
    return (option == 0 ? u.energy
                        : u.splits[static_cast<std::size_t>(option - 1)].energy)[static_cast<std::size_t>(core)];
}

std::pair<long long, long long> SlotModel::core_merit(int unit, int core) const {
    const int option = current_option(unit);
    const long long own = unit_latency(unit, core, option);
    const long long energy = unit_energy(unit, core, option);
    if (objective_ == Objective::energy) return {energy, own};
    // Greedy list scheduling: the load the core would carry with this unit added
    // (at most 1e9, times an energy of at most 1e7 for EDP: no overflow).
    long long load = own;
    for (int u = 0; u < core_.size(); ++u) {
        if (u == unit) continue;
        bool here = core_[u].assigned() && core_[u].val() == core;
        if (option_.size() > 0)
            for (int p = first_part_[static_cast<std::size_t>(u)]; p < first_part_[static_cast<std::size_t>(u) + 1];
                 ++p)
                here = here || (part_[p].assigned() && part_[p].val() == core);
        if (here) load += unit_latency(u, core, current_option(u));
    }
    if (objective_ == Objective::edp) load *= energy + 1;
    return {load, own};
}

int SlotModel::preferred_core(const IntVar& x, int unit) const {
    const int none = static_cast<int>(instance_->core_ids.size());
    int best = x.min();
    std::pair<long long, long long> best_merit{std::numeric_limits<long long>::max(), 0};
    for (IntVarValues v(x); v(); ++v) {
        if (v.val() == none) continue;
        if (const auto m = core_merit(unit, v.val()); m < best_merit) {
            best_merit = m;
            best = v.val();
        }
    }
    return best;
}

int SlotModel::preferred_option(const IntVar& x, int unit) const {
    const SlotInstance::Unit& u = instance_->units[static_cast<std::size_t>(unit)];
    int best = x.min();
    std::pair<long long, long long> best_merit{std::numeric_limits<long long>::max(), 0};
    for (IntVarValues v(x); v(); ++v) {
        const int option = v.val();
        const int k = option == 0 ? 1 : u.splits[static_cast<std::size_t>(option - 1)].cores;
        // The shortest part and the cheapest k cores among the unit's remaining candidates.
        long long part = std::numeric_limits<long long>::max();
        std::vector<long long> energies;
        for (IntVarValues c(core_[unit]); c(); ++c) {
            part = std::min(part, unit_latency(unit, c.val(), option));
            energies.push_back(unit_energy(unit, c.val(), option));
        }
        std::sort(energies.begin(), energies.end());
        long long energy = 0;
        for (std::size_t j = 0; j < energies.size() && j < static_cast<std::size_t>(k); ++j)
            energy += energies[j];
        std::pair<long long, long long> m{part, k};
        if (objective_ == Objective::energy) m = {energy, part};
        if (objective_ == Objective::edp) m = {part * (energy + 1), k};
        if (m < best_merit) {
            best_merit = m;
            best = option;
        }
    }
    return best;
}

double SlotModel::unit_priority(const IntVar& x, int unit) const {
    const SlotInstance::Unit& u = instance_->units[static_cast<std::size_t>(unit)];
    long long lo = std::numeric_limits<long long>::max(), hi = std::numeric_limits<long long>::min();
    for (IntVarValues v(x); v(); ++v) {
        const long long m = objective_ == Objective::energy ? u.energy[static_cast<std::size_t>(v.val())]
                                                            : unit_latency(unit, v.val(), 0);
        lo = std::min(lo, m);
        hi = std::max(hi, m);
    }
    // Energy: where the choice matters most. Latency: the largest work first (as LPT does).
    return static_cast<double>(objective_ == Objective::energy ? hi - lo : lo);
}

double SlotModel::decision_priority(int i) const {
    const int unit = decision_unit_[static_cast<std::size_t>(i)];
    if (option_[unit].assigned() && !instance_->units[static_cast<std::size_t>(unit)].splits.empty())
        return std::numeric_limits<double>::max();
    return unit_priority(core_[unit], unit);
}

int SlotModel::decision_value(const IntVar& x, int i) const {
    const int unit = decision_unit_[static_cast<std::size_t>(i)];
    return decision_part_[static_cast<std::size_t>(i)] < 0 ? preferred_option(x, unit) : preferred_core(x, unit);
}

} // namespace stream::plugins::gecode_alloc
