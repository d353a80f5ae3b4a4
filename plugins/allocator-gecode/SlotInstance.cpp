#include "SlotInstance.hpp"

#include <algorithm>
#include <cmath>
#include <functional>
#include <limits>
#include <map>
#include <unordered_map>

namespace stream::plugins::gecode_alloc {

namespace {

// Every model quantity stays below these, far inside Gecode's int range
// (Int::Limits::max = 2^31 - 2), so sums of a few of them still fit.
constexpr double kMaxTotalUnits = 1e9;
constexpr double kMaxEnergyUnits = 1e7;
constexpr double kMaxWeightUnits = 1e9;

const CoreCostView* cost_on(const std::vector<CoreCostView>& costs, std::int64_t core) {
    for (const CoreCostView& c : costs)
        if (c.core == core) return &c;
    return nullptr;
}

int to_int(double v) { return static_cast<int>(std::llround(v)); }

int largest(const std::vector<int>& values) {
    return values.empty() ? 0 : *std::max_element(values.begin(), values.end());
}

} // namespace

std::optional<Objective> objective_from_name(std::string_view name) {
    if (name == "latency") return Objective::latency;
    if (name == "energy") return Objective::energy;
    if (name == "edp") return Objective::edp;
    return std::nullopt;
}

std::string_view objective_name(Objective objective) {
    switch (objective) {
    case Objective::latency:
        return "latency";
    case Objective::energy:
        return "energy";
    case Objective::edp:
        return "edp";
    }
    return "?";
}

long long SlotInstance::period_bound() const {
    long long sum = 0;
    for (const Node& n : nodes) {
        // A part may outlast the whole in pathological data, so every option counts.
        int worst = largest(n.latency);
        for (const std::vector<int>& part : n.split_latency)
            worst = std::max(worst, largest(part));
        sum += worst;
    }
    return sum;
}

long long SlotInstance::energy_bound() const {
    long long sum = 0;
    for (const Unit& u : units) {
        long long worst = largest(u.energy);
        for (const Unit::Split& split : u.splits) {
            std::vector<int> parts = split.energy;
            const auto k = std::min(parts.size(), static_cast<std::size_t>(std::max(0, split.cores)));
            std::partial_sort(parts.begin(), parts.begin() + static_cast<std::ptrdiff_t>(k), parts.end(),
                              std::greater<>());
            long long option = 0;
            for (std::size_t j = 0; j < k; ++j)
                option += parts[j];
            worst = std::max(worst, option);
        }
        sum += worst;
    }
    return sum;
}

bool SlotInstance::has_splits() const {
    return std::any_of(units.begin(), units.end(), [](const Unit& u) { return !u.splits.empty(); });
}

void drop_unsplit(Assignment& a) {
    if (std::all_of(a.unit_split.begin(), a.unit_split.end(), [](int s) { return s == 0; })) {
        a.unit_split.clear();
        a.unit_cores.clear();
    }
}

long long objective_value(Objective objective, const ModelValue& v) {
    switch (objective) {
    case Objective::latency:
        return v.total;
    case Objective::energy:
        return v.energy;
    case Objective::edp:
        return v.total * v.energy;
    }
    return 0;
}

double real_objective(const SlotInstance& instance, Objective objective, long long value) {
    switch (objective) {
    case Objective::latency:
        return static_cast<double>(value) * instance.cycles_per_latency_unit;
    case Objective::energy:
        return static_cast<double>(value) * instance.pj_per_energy_unit;
    case Objective::edp:
        return static_cast<double>(value) * instance.cycles_per_latency_unit * instance.pj_per_energy_unit;
    }
    return 0;
}

bool better(Objective objective, const ModelValue& a, const ModelValue& b) {
    switch (objective) {
    case Objective::latency:
        return a.total < b.total || (a.total == b.total && a.energy < b.energy);
    case Objective::energy:
        return a.energy < b.energy || (a.energy == b.energy && a.total < b.total);
    case Objective::edp:
        return objective_value(objective, a) < objective_value(objective, b);
    }
    return false;
}

namespace {

// The cores each unit occupies under `a`, or nothing when `a` names an option the unit lacks,
// cores outside its candidates, or split cores that are not k distinct ascending ones
// starting at unit_core.
std::optional<std::vector<std::vector<int>>> occupied_cores(const SlotInstance& in, const Assignment& a) {
    const std::size_t U = in.units.size();
    if (!a.unit_split.empty() && a.unit_split.size() != U) return std::nullopt;
    if (!a.unit_cores.empty() && a.unit_cores.size() != U) return std::nullopt;
    std::vector<std::vector<int>> cores(U);
    for (std::size_t u = 0; u < U; ++u) {
        const SlotInstance::Unit& unit = in.units[u];
        const int option = a.unit_split.empty() ? 0 : a.unit_split[u];
        if (option < 0 || option > static_cast<int>(unit.splits.size())) return std::nullopt;
        const std::vector<int> none;
        const std::vector<int>& listed = a.unit_cores.empty() ? none : a.unit_cores[u];
        if (option == 0) {
            if (!listed.empty()) return std::nullopt;
            cores[u] = {a.unit_core[u]};
        } else {
            if (listed.empty() ||
                static_cast<int>(listed.size()) != unit.splits[static_cast<std::size_t>(option - 1)].cores)
                return std::nullopt;
            if (!std::is_sorted(listed.begin(), listed.end()) ||
                std::adjacent_find(listed.begin(), listed.end()) != listed.end() || listed.front() != a.unit_core[u])
                return std::nullopt;
            cores[u] = listed;
        }
        for (int c : cores[u])
            if (!std::binary_search(unit.allowed.begin(), unit.allowed.end(), c)) return std::nullopt;
    }
    return cores;
}

} // namespace

std::optional<ModelValue> evaluate(const SlotInstance& in, const Assignment& a) {
    const std::size_t V = in.nodes.size();
    const std::size_t C = in.core_ids.size();
    if (a.unit_core.size() != in.units.size() || a.node_slot.size() != V) return std::nullopt;
    const std::optional<std::vector<std::vector<int>>> occupied = occupied_cores(in, a);
    if (!occupied) return std::nullopt;
    for (int s : a.node_slot)
        if (s < 0 || s >= static_cast<int>(V)) return std::nullopt;
    auto option_of = [&](std::size_t u) { return a.unit_split.empty() ? 0 : a.unit_split[u]; };
    auto cores_of = [&](std::size_t i) -> const std::vector<int>& { return (*occupied)[in.nodes[i].unit]; };
    // Node i's latency on core c: the whole node on one core, else one part under the unit's option.
    auto latency_on = [&](std::size_t i, int c) {
        const int option = option_of(in.nodes[i].unit);
        const std::vector<int>& row =
            option == 0 ? in.nodes[i].latency : in.nodes[i].split_latency.at(static_cast<std::size_t>(option - 1));
        return static_cast<long long>(row.at(static_cast<std::size_t>(c)));
    };
    // The split data of unit u's option for energy and weight on core c.
    auto unit_cost = [&](std::size_t u, int c, bool weight) {
        const SlotInstance::Unit& unit = in.units[u];
        const int option = option_of(u);
        const std::vector<int>& row = option == 0 ? (weight ? unit.weight : unit.energy)
                                                  : (weight ? unit.splits[static_cast<std::size_t>(option - 1)].weight
                                                            : unit.splits[static_cast<std::size_t>(option - 1)].energy);
        return static_cast<long long>(row.at(static_cast<std::size_t>(c)));
    };

    std::vector<char> busy(C * V, 0);
    for (std::size_t i = 0; i < V; ++i)
        for (int c : cores_of(i)) {
            char& cell = busy[static_cast<std::size_t>(c) * V + static_cast<std::size_t>(a.node_slot[i])];
            if (cell) return std::nullopt; // two nodes (or parts) on one core in one slot
            cell = 1;
        }
    for (const auto& [from, to] : in.edges)
        if (a.node_slot[to] <= a.node_slot[from]) return std::nullopt;
    for (const SlotInstance::Capacity& cap : in.capacities) {
        long long used = 0;
        for (std::size_t u = 0; u < in.units.size(); ++u)
            for (int c : (*occupied)[u])
                if (std::find(cap.cores.begin(), cap.cores.end(), c) != cap.cores.end()) used += unit_cost(u, c, true);
        if (used > cap.limit) return std::nullopt;
    }

    ModelValue v;
    std::vector<long long> slot_latency(V, 0);
    for (std::size_t i = 0; i < V; ++i) {
        long long& ls = slot_latency[static_cast<std::size_t>(a.node_slot[i])];
        for (int c : cores_of(i))
            ls = std::max(ls, latency_on(i, c));
    }
    for (long long ls : slot_latency)
        v.period += ls;

    // The cores the model reasons about: those some unit may use. A core left unused
    // is idle twice over (leading and trailing), as in Stream, so it never sets the minimum.
    std::vector<char> candidate(C, 0);
    for (const SlotInstance::Unit& u : in.units)
        for (int c : u.allowed)
            candidate[static_cast<std::size_t>(c)] = 1;
    v.idle_min = std::numeric_limits<long long>::max();
    for (std::size_t c = 0; c < C; ++c) {
        if (!candidate[c]) continue;
        int first = static_cast<int>(V), last = -1;
        for (std::size_t i = 0; i < V; ++i) {
            const std::vector<int>& cores = cores_of(i);
            if (std::find(cores.begin(), cores.end(), static_cast<int>(c)) == cores.end()) continue;
            first = std::min(first, a.node_slot[i]);
            last = std::max(last, a.node_slot[i]);
        }
        long long idle = 0;
        if (last < 0) {
            idle = 2 * v.period;
        } else {
            for (int s = 0; s < first; ++s)
                idle += slot_latency[static_cast<std::size_t>(s)];
            for (std::size_t s = static_cast<std::size_t>(last) + 1; s < V; ++s)
                idle += slot_latency[s];
        }
        v.idle_min = std::min(v.idle_min, idle);
    }
    if (v.idle_min == std::numeric_limits<long long>::max()) v.idle_min = 0;
    v.total = in.iterations * v.period - (in.iterations - 1) * v.idle_min;
    for (std::size_t u = 0; u < in.units.size(); ++u)
        for (int c : (*occupied)[u])
            v.energy += unit_cost(u, c, false);
    return v;
}

std::vector<std::vector<int>> interchangeable_cores(const SlotInstance& in) {
    const int C = static_cast<int>(in.core_ids.size());
    // The weight-memory bound of each core: -1 none, -2 shared with other cores, else its limit.
    std::vector<long long> memory(static_cast<std::size_t>(C), -1);
    for (const SlotInstance::Capacity& cap : in.capacities)
        for (int c : cap.cores)
            memory[static_cast<std::size_t>(c)] = cap.cores.size() == 1 ? cap.limit : -2;
    auto same = [&](int a, int b) {
        const auto ua = static_cast<std::size_t>(a), ub = static_cast<std::size_t>(b);
        if (memory[ua] != memory[ub] || memory[ua] == -2) return false;
        for (const SlotInstance::Unit& u : in.units) {
            const bool has_a = std::binary_search(u.allowed.begin(), u.allowed.end(), a);
            const bool has_b = std::binary_search(u.allowed.begin(), u.allowed.end(), b);
            if (has_a != has_b) return false;
            if (has_a && (u.energy[ua] != u.energy[ub] || u.weight[ua] != u.weight[ub])) return false;
            for (const SlotInstance::Unit::Split& split : u.splits)
                if (has_a && (split.energy[ua] != split.energy[ub] || split.weight[ua] != split.weight[ub]))
                    return false;
        }
        for (const SlotInstance::Node& n : in.nodes) {
            if (n.latency[ua] != n.latency[ub]) return false;
            for (const std::vector<int>& part : n.split_latency)
                if (part[ua] != part[ub]) return false;
        }
        return true;
    };
    std::vector<std::vector<int>> classes;
    std::vector<char> taken(static_cast<std::size_t>(C), 0);
    for (int a = 0; a < C; ++a) {
        if (taken[static_cast<std::size_t>(a)]) continue;
        std::vector<int> cls{a};
        for (int b = a + 1; b < C; ++b)
            if (!taken[static_cast<std::size_t>(b)] && same(a, b)) {
                cls.push_back(b);
                taken[static_cast<std::size_t>(b)] = 1;
            }
        classes.push_back(std::move(cls));
    }
    return classes;
}

SlotInstance build_instance(const ProblemTables& tables, const SteadyState& steady, std::int64_t stack) {
    SlotInstance in;
    in.stack = stack;
    in.iterations = std::max<std::int64_t>(1, steady.iterations());
    const std::vector<std::size_t>& ss_nodes = steady.nodes();

    // Units in order of their first steady-state node, and the cores any of them may use.
    std::unordered_map<std::size_t, std::size_t> unit_index;
    std::vector<std::vector<std::int64_t>> unit_cores;
    for (std::size_t n : ss_nodes) {
        const std::size_t pu = tables.nodes[n].unit;
        auto [it, fresh] = unit_index.try_emplace(pu, in.units.size());
        if (!fresh) continue;
        const UnitInfo& unit = tables.units[pu];
        SlotInstance::Unit u;
        u.problem_unit = pu;
        u.layer = unit.layer;
        in.units.push_back(std::move(u));
        std::vector<std::int64_t> cores;
        if (unit.fixed_core >= 0)
            cores.push_back(unit.fixed_core);
        else
            for (const CoreCostView& c : unit.costs)
                cores.push_back(c.core);
        unit_cores.push_back(std::move(cores));
    }
    for (const auto& cores : unit_cores)
        in.core_ids.insert(in.core_ids.end(), cores.begin(), cores.end());
    std::sort(in.core_ids.begin(), in.core_ids.end());
    in.core_ids.erase(std::unique(in.core_ids.begin(), in.core_ids.end()), in.core_ids.end());
    const std::size_t C = in.core_ids.size();
    auto core_index = [&](std::int64_t core) {
        return static_cast<int>(std::lower_bound(in.core_ids.begin(), in.core_ids.end(), core) - in.core_ids.begin());
    };
    for (std::size_t u = 0; u < in.units.size(); ++u) {
        for (std::int64_t c : unit_cores[u])
            in.units[u].allowed.push_back(core_index(c));
        std::sort(in.units[u].allowed.begin(), in.units[u].allowed.end());
    }

    // Nodes and the edges among them.
    std::unordered_map<std::size_t, std::size_t> node_index;
    for (std::size_t n : ss_nodes) {
        SlotInstance::Node node;
        node.problem_node = n;
        node.unit = unit_index.at(tables.nodes[n].unit);
        node.layer = tables.nodes[n].layer;
        node_index.emplace(n, in.nodes.size());
        in.units[node.unit].nodes.push_back(in.nodes.size());
        in.nodes.push_back(std::move(node));
    }
    for (std::size_t n : ss_nodes)
        for (std::size_t s : tables.nodes[n].succs)
            if (auto it = node_index.find(s); it != node_index.end())
                in.edges.emplace_back(node_index.at(n), it->second);

    // Latencies, scaled so that N * period fits.
    std::vector<std::vector<double>> latency(in.nodes.size(), std::vector<double>(C, 0.0));
    double period_bound = 0;
    for (std::size_t i = 0; i < in.nodes.size(); ++i) {
        const NodeInfo& n = tables.nodes[in.nodes[i].problem_node];
        double largest = 0;
        for (int c : in.units[in.nodes[i].unit].allowed) {
            const CoreCostView* cost = cost_on(n.costs, in.core_ids[static_cast<std::size_t>(c)]);
            latency[i][static_cast<std::size_t>(c)] = cost ? std::max(0.0, cost->latency_cycles) : 0.0;
            largest = std::max(largest, latency[i][static_cast<std::size_t>(c)]);
        }
        period_bound += largest;
    }
    const double total_bound = static_cast<double>(in.iterations) * period_bound;
    in.cycles_per_latency_unit = total_bound > kMaxTotalUnits ? std::ceil(total_bound / kMaxTotalUnits) : 1.0;
    for (std::size_t i = 0; i < in.nodes.size(); ++i) {
        in.nodes[i].latency.resize(C, 0);
        for (std::size_t c = 0; c < C; ++c)
            in.nodes[i].latency[c] = to_int(latency[i][c] / in.cycles_per_latency_unit);
    }

    // Energies (whole units) and weights.
    std::vector<std::vector<double>> energy(in.units.size(), std::vector<double>(C, 0.0));
    std::vector<std::vector<double>> weight(in.units.size(), std::vector<double>(C, 0.0));
    double energy_bound = 0, weight_bound = 0;
    for (std::size_t u = 0; u < in.units.size(); ++u) {
        const UnitInfo& unit = tables.units[in.units[u].problem_unit];
        double largest_energy = 0, largest_weight = 0;
        for (int c : in.units[u].allowed) {
            const CoreCostView* cost = cost_on(unit.costs, in.core_ids[static_cast<std::size_t>(c)]);
            if (!cost) continue;
            energy[u][static_cast<std::size_t>(c)] = std::max(0.0, cost->energy_pj);
            weight[u][static_cast<std::size_t>(c)] =
                cost->weights_streamed ? 0.0 : static_cast<double>(std::max<std::int64_t>(0, cost->constant_bits));
            largest_energy = std::max(largest_energy, energy[u][static_cast<std::size_t>(c)]);
            largest_weight = std::max(largest_weight, weight[u][static_cast<std::size_t>(c)]);
        }
        energy_bound += largest_energy;
        weight_bound += largest_weight;
    }
    in.pj_per_energy_unit =
        energy_bound > 0 ? std::pow(10.0, std::ceil(std::log10(energy_bound / kMaxEnergyUnits))) : 1.0;
    while (weight_bound / in.bits_per_weight_unit > kMaxWeightUnits)
        in.bits_per_weight_unit *= 2;
    for (std::size_t u = 0; u < in.units.size(); ++u) {
        in.units[u].energy.resize(C, 0);
        in.units[u].weight.resize(C, 0);
        for (std::size_t c = 0; c < C; ++c) {
            in.units[u].energy[c] = to_int(energy[u][c] / in.pj_per_energy_unit);
            in.units[u].weight[c] = static_cast<int>(std::ceil(weight[u][c] / in.bits_per_weight_unit));
        }
    }

    // Weight memories. Stream drops the bound when the steady state is a single node (its
    // weights are then streamed if they do not fit), and a memory no allocation can overflow
    // needs no constraint.
    if (in.nodes.size() > 1) {
        std::map<std::int64_t, std::vector<int>> sharing; // owner -> model cores
        for (std::size_t c = 0; c < C; ++c) {
            const CoreInfo* core = tables.core(in.core_ids[c]);
            if (core && core->weight_capacity_bits >= 0)
                sharing[core->weight_memory_owner].push_back(static_cast<int>(c));
        }
        for (auto& [owner, cores] : sharing) {
            const CoreInfo* holder = tables.core(owner);
            if (!holder || holder->weight_capacity_bits < 0)
                holder = tables.core(in.core_ids[static_cast<std::size_t>(cores.front())]);
            const std::int64_t bits = holder->weight_capacity_bits;
            double worst = 0;
            for (std::size_t u = 0; u < in.units.size(); ++u) {
                double w = 0;
                for (int c : cores)
                    w = std::max(w, weight[u][static_cast<std::size_t>(c)]);
                worst += w;
            }
            if (worst <= static_cast<double>(bits)) continue;
            const double limit = std::floor(static_cast<double>(bits) / in.bits_per_weight_unit);
            in.capacities.push_back({cores, static_cast<int>(std::min(limit, kMaxWeightUnits)), bits});
        }
    }
    return in;
}

} // namespace stream::plugins::gecode_alloc
