#include "SplitOptions.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <tuple>

namespace stream::plugins::gecode_alloc {

namespace {

const CoreCostView* cost_on(const std::vector<CoreCostView>& costs, std::int64_t core) {
    for (const CoreCostView& c : costs)
        if (c.core == core) return &c;
    return nullptr;
}

int to_int(double v) { return static_cast<int>(std::llround(v)); }

/// One layer of a split problem: its units in group order and each unit's nodes by row.
struct SplitLayer {
    std::vector<std::size_t> units;
    std::vector<std::map<std::int64_t, std::size_t>> node_of_row;
};

std::map<std::int64_t, SplitLayer> layers_of(const ProblemTables& t) {
    std::map<std::int64_t, std::vector<std::size_t>> by_layer;
    for (std::size_t u = 0; u < t.units.size(); ++u)
        by_layer[t.units[u].layer].push_back(u);
    std::map<std::int64_t, SplitLayer> out;
    for (auto& [layer, units] : by_layer) {
        std::sort(units.begin(), units.end(), [&](std::size_t a, std::size_t b) { return t.units[a].group < t.units[b].group; });
        SplitLayer sl;
        sl.units = units;
        for (std::size_t u : units) {
            std::map<std::int64_t, std::size_t> rows;
            for (std::size_t n : t.units[u].nodes)
                rows.emplace(t.nodes[n].row, n);
            sl.node_of_row.push_back(std::move(rows));
        }
        out.emplace(layer, std::move(sl));
    }
    return out;
}

} // namespace

void add_split_options(SlotInstance& in, const ProblemTables& base, const std::vector<SplitProblem>& splits) {
    std::map<std::int64_t, std::size_t> base_units_of_layer;
    for (const UnitInfo& u : base.units)
        ++base_units_of_layer[u.layer];
    for (const SplitProblem& sp : splits) {
        const std::map<std::int64_t, SplitLayer> layers = layers_of(sp.tables);
        for (SlotInstance::Unit& unit : in.units) {
            const UnitInfo& bu = base.units[unit.problem_unit];
            if (bu.fixed_core >= 0 || base_units_of_layer[bu.layer] != 1) continue;
            if (static_cast<int>(unit.allowed.size()) < sp.cores) continue;
            const auto it = layers.find(bu.layer);
            if (it == layers.end() || static_cast<int>(it->second.units.size()) != sp.cores) continue;
            const SplitLayer& sl = it->second;
            // Every group has the unit's rows and a cost on every core the unit allows.
            bool usable = true;
            for (std::size_t g = 0; g < sl.units.size() && usable; ++g) {
                const UnitInfo& gu = sp.tables.units[sl.units[g]];
                usable = gu.fixed_core < 0 && gu.nodes.size() == bu.nodes.size();
                for (int c : unit.allowed)
                    usable = usable && cost_on(gu.costs, in.core_ids[static_cast<std::size_t>(c)]);
            }
            for (std::size_t i : unit.nodes) {
                const std::int64_t row = base.nodes[in.nodes[i].problem_node].row;
                for (std::size_t g = 0; g < sl.units.size() && usable; ++g) {
                    const auto node = sl.node_of_row[g].find(row);
                    usable = node != sl.node_of_row[g].end();
                    for (int c : unit.allowed)
                        usable = usable && cost_on(sp.tables.nodes[node->second].costs, in.core_ids[static_cast<std::size_t>(c)]);
                }
            }
            if (!usable) continue;

            const std::size_t C = in.core_ids.size();
            SlotInstance::Unit::Split split;
            split.cores = sp.cores;
            split.energy.assign(C, 0);
            split.weight.assign(C, 0);
            for (int c : unit.allowed) {
                const std::int64_t core = in.core_ids[static_cast<std::size_t>(c)];
                double energy = 0, weight = 0;
                for (std::size_t gu : sl.units) {
                    const CoreCostView& cost = *cost_on(sp.tables.units[gu].costs, core);
                    energy = std::max(energy, std::max(0.0, cost.energy_pj));
                    if (!cost.weights_streamed)
                        weight = std::max(weight, static_cast<double>(std::max<std::int64_t>(0, cost.constant_bits)));
                }
                split.energy[static_cast<std::size_t>(c)] = to_int(energy / in.pj_per_energy_unit);
                split.weight[static_cast<std::size_t>(c)] = static_cast<int>(std::ceil(weight / in.bits_per_weight_unit));
            }
            for (std::size_t i : unit.nodes) {
                const std::int64_t row = base.nodes[in.nodes[i].problem_node].row;
                std::vector<int> latency(C, 0);
                for (int c : unit.allowed) {
                    const std::int64_t core = in.core_ids[static_cast<std::size_t>(c)];
                    double cycles = 0;
                    for (std::size_t g = 0; g < sl.units.size(); ++g)
                        cycles = std::max(cycles, std::max(0.0, cost_on(sp.tables.nodes[sl.node_of_row[g].at(row)].costs, core)->latency_cycles));
                    latency[static_cast<std::size_t>(c)] = to_int(cycles / in.cycles_per_latency_unit);
                }
                // Options are added in ascending cores; a node's options follow its unit's.
                in.nodes[i].split_latency.resize(unit.splits.size());
                in.nodes[i].split_latency.push_back(std::move(latency));
            }
            unit.splits.push_back(std::move(split));
        }
    }
}

} // namespace stream::plugins::gecode_alloc
