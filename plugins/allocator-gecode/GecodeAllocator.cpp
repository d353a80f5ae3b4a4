#include "GecodeAllocator.hpp"

#include "ProblemTables.hpp"
#include "SlotSearch.hpp"
#include "SplitOptions.hpp"
#include "SteadyState.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <limits>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace stream::plugins::gecode_alloc {

namespace {

using Clock = std::chrono::steady_clock;

// Largest steady state given to the slot model: it has |V|^2 slot-latency terms, so a
// wave of a few hundred nodes already makes every search node (a clone) megabytes.
constexpr std::size_t kMaxModelNodes = 256;

std::string number(double v) {
    char text[48];
    std::snprintf(text, sizeof text, "%.6g", v);
    return text;
}

std::string seconds(double s) {
    char text[32];
    std::snprintf(text, sizeof text, "%.3g", s);
    return text;
}

// "1 node", "3 nodes".
std::string counted(std::int64_t n, const char* what) { return std::to_string(n) + " " + what + (n == 1 ? "" : "s"); }
std::string counted(std::size_t n, const char* what) { return counted(static_cast<std::int64_t>(n), what); }

std::string unit_of(Objective o) {
    switch (o) {
    case Objective::latency:
        return "cycles";
    case Objective::energy:
        return "pJ";
    case Objective::edp:
        return "cycles*pJ";
    }
    return "";
}

/// What one stack's optimisation produced.
struct StackOutcome {
    std::int64_t stack = 0;
    std::vector<std::size_t> nodes; ///< the stack's nodes
    SteadyState steady;
    std::size_t steady_nodes = 0;
    std::int64_t iterations = 0;
    std::optional<SlotInstance> instance; ///< empty when the stack had no slot model
    std::optional<SearchResult> search;
    std::vector<std::pair<std::size_t, std::int64_t>> placements; ///< problem unit -> core (the first, when split)
    std::map<std::size_t, std::vector<std::int64_t>> split_cores; ///< problem unit -> its cores, for units split over several
    std::vector<std::size_t> slot_units; ///< the units of the steady-state nodes in slot order
    std::vector<std::size_t> order;                               ///< the stack's nodes in scheduling order
    bool weights_relaxed = false; ///< solved without the weight-capacity family (it had no solution)
};

std::string join_layers(const ProblemTables& t, const std::vector<std::int64_t>& layers) {
    std::string text = layers.size() == 1 ? "layer " : "layers ";
    for (std::size_t i = 0; i < layers.size(); ++i) {
        if (i) text += ", ";
        const std::string name = t.layer_name(layers[i]);
        text += std::to_string(layers[i]) + (name.empty() ? "" : " '" + name + "'");
    }
    return text;
}

std::string describe_memory(const ProblemTables& t, const SlotInstance& in, const SlotInstance::Capacity& cap) {
    std::string text;
    for (std::size_t i = 0; i < cap.cores.size(); ++i) {
        if (i) text += ", ";
        text += t.core_label(in.core_ids[static_cast<std::size_t>(cap.cores[i])]);
    }
    return text + (cap.cores.size() > 1 ? " sharing " : " ") + format_bits(static_cast<double>(cap.bits));
}

// The weight memory (capacity group) of model core c, if it has a bound.
const SlotInstance::Capacity* capacity_of(const SlotInstance& in, int c) {
    for (const SlotInstance::Capacity& cap : in.capacities)
        if (std::find(cap.cores.begin(), cap.cores.end(), c) != cap.cores.end()) return &cap;
    return nullptr;
}

// "weight capacity: the weights of layers 3 'a', 4 'b' (12.5 Mbit) exceed ..."
sdk::Error weight_error(const ProblemTables& t, const SlotInstance& in, const std::string& where) {
    auto bits_of = [&](const SlotInstance::Unit& u) {
        std::int64_t bits = 0;
        for (const CoreCostView& c : t.units[u.problem_unit].costs)
            bits = std::max(bits, c.constant_bits);
        return bits;
    };
    // Units that fit none of their candidate cores even alone.
    std::vector<std::int64_t> alone, all;
    double alone_bits = 0, all_bits = 0;
    std::int64_t largest = 0;
    for (const SlotInstance::Unit& u : in.units) {
        bool fits_somewhere = false;
        for (int c : u.allowed) {
            const SlotInstance::Capacity* cap = capacity_of(in, c);
            if (!cap || u.weight[static_cast<std::size_t>(c)] <= cap->limit) fits_somewhere = true;
            if (cap) largest = std::max(largest, cap->bits);
        }
        const std::int64_t bits = bits_of(u);
        if (bits == 0) continue;
        if (std::find(all.begin(), all.end(), u.layer) == all.end()) all.push_back(u.layer);
        all_bits += static_cast<double>(bits);
        if (!fits_somewhere) {
            if (std::find(alone.begin(), alone.end(), u.layer) == alone.end()) alone.push_back(u.layer);
            alone_bits += static_cast<double>(bits);
        }
    }
    if (!alone.empty())
        return sdk::Error(STREAM_ERROR_INFEASIBLE,
                          where + "weight capacity: the weights of " + join_layers(t, alone) + " (" +
                              format_bits(alone_bits) + ") exceed every candidate core's weight memory (largest " +
                              format_bits(static_cast<double>(largest)) + ")",
                          sdk::Item::layer(alone.front(), t.layer_name(alone.front())));
    std::string memories;
    for (const SlotInstance::Capacity& cap : in.capacities)
        memories += (memories.empty() ? "" : "; ") + describe_memory(t, in, cap);
    const std::int64_t first = all.empty() ? in.units.front().layer : all.front();
    return sdk::Error(STREAM_ERROR_INFEASIBLE,
                      where + "weight capacity: the weights of " + join_layers(t, all) + " (" + format_bits(all_bits) +
                          ") exceed what their candidate cores' weight memories hold together in any allocation (" +
                          memories + ")",
                      sdk::Item::layer(first, t.layer_name(first)));
}

sdk::Error infeasible_error(const ProblemTables& t, const SlotInstance& in, const std::optional<std::string>& family) {
    const std::string where = "stack " + std::to_string(in.stack) + ": ";
    std::vector<std::int64_t> layers;
    for (const SlotInstance::Unit& u : in.units)
        if (std::find(layers.begin(), layers.end(), u.layer) == layers.end()) layers.push_back(u.layer);
    const sdk::Item first = sdk::Item::layer(layers.front(), t.layer_name(layers.front()));
    if (!family)
        return sdk::Error(STREAM_ERROR_INFEASIBLE,
                          where + "the steady-state slot model of " + join_layers(t, layers) +
                              " has no solution; which constraint family fails was not found within time_limit_s",
                          first);
    if (*family == "candidate cores") {
        for (const SlotInstance::Unit& u : in.units)
            if (u.allowed.empty()) {
                const UnitInfo& unit = t.units[u.problem_unit];
                return sdk::Error(STREAM_ERROR_INFEASIBLE,
                                  where + "candidate cores: " + t.layer_label(unit.layer) + " (tile group " +
                                      std::to_string(unit.group) + ") has no candidate core that computes",
                                  sdk::Item::layer(unit.layer, t.layer_name(unit.layer)));
            }
    }
    if (*family == "weight capacity") return weight_error(t, in, where);
    if (*family == "precedence")
        return sdk::Error(STREAM_ERROR_INFEASIBLE,
                          where + "precedence: the dependencies among the steady-state nodes of " +
                              join_layers(t, layers) + " form a cycle, so no slot order satisfies them",
                          first);
    return sdk::Error(STREAM_ERROR_INFEASIBLE,
                      where + *family + ": the " + std::to_string(in.nodes.size()) + " steady-state nodes of " +
                          join_layers(t, layers) + " cannot be placed",
                      first);
}

std::vector<std::size_t> by_priority(const ProblemTables& t, std::vector<std::size_t> nodes) {
    std::sort(nodes.begin(), nodes.end(), [&](std::size_t a, std::size_t b) {
        return t.nodes[a].priority != t.nodes[b].priority ? t.nodes[a].priority < t.nodes[b].priority : a < b;
    });
    return nodes;
}

// The units' cores for one modelled stack and Stream's step C order of its nodes.
void read_solution(const ProblemTables& t, const std::vector<std::size_t>& nodes, const SteadyState& steady,
                   StackOutcome& out) {
    const SlotInstance& in = *out.instance;
    const Assignment& a = *out.search->assignment;
    for (std::size_t u = 0; u < in.units.size(); ++u) {
        out.placements.emplace_back(in.units[u].problem_unit, in.core_ids[static_cast<std::size_t>(a.unit_core[u])]);
        if (u < a.unit_split.size() && a.unit_split[u] > 0) {
            std::vector<std::int64_t>& cores = out.split_cores[in.units[u].problem_unit];
            for (int c : a.unit_cores[u])
                cores.push_back(in.core_ids[static_cast<std::size_t>(c)]);
        }
    }
    // The units of the steady-state nodes in slot order drive the steady waves.
    std::vector<std::size_t> by_slot(in.nodes.size());
    for (std::size_t i = 0; i < by_slot.size(); ++i)
        by_slot[i] = i;
    std::sort(by_slot.begin(), by_slot.end(), [&](std::size_t x, std::size_t y) {
        return a.node_slot[x] != a.node_slot[y] ? a.node_slot[x] < a.node_slot[y]
                                                : in.nodes[x].problem_node < in.nodes[y].problem_node;
    });
    std::vector<std::size_t> units;
    for (std::size_t i : by_slot)
        units.push_back(in.units[in.nodes[i].unit].problem_unit);
    out.order = scheduling_order(t.nodes, nodes, steady, units);
    out.slot_units = std::move(units);
}

// A unit no slot model placed: its layer's steady-state cores (tile group g on the g-th,
// as Stream spreads a layer's groups over its cores), else the candidate that would finish
// its work earliest given what the fallback already put on each core (`load_cycles`). Taking
// merely the fastest candidate would pile a whole unmodelled stack onto the first of several
// identical cores and serialise it.
std::int64_t fallback_core(const ProblemTables& t, const UnitInfo& unit,
                           const std::map<std::int64_t, std::set<std::int64_t>>& layer_cores,
                           std::map<std::int64_t, double>& load_cycles) {
    if (auto it = layer_cores.find(unit.layer); it != layer_cores.end()) {
        const std::vector<std::int64_t> cores(it->second.begin(), it->second.end());
        const std::int64_t core = cores[static_cast<std::size_t>(unit.group) % cores.size()];
        for (const CoreCostView& c : unit.costs)
            if (c.core == core) return core;
    }
    const CoreCostView* earliest = nullptr;
    auto finish = [&](const CoreCostView& c) { return load_cycles[c.core] + c.latency_cycles; };
    for (const CoreCostView& c : unit.costs)
        if (!earliest || finish(c) < finish(*earliest)) earliest = &c;
    if (!earliest)
        throw sdk::Error(STREAM_ERROR_INVALID_INPUT,
                         t.layer_label(unit.layer) + " (tile group " + std::to_string(unit.group) +
                             ") has no candidate core that computes",
                         sdk::Item::layer(unit.layer, t.layer_name(unit.layer)));
    load_cycles[earliest->core] += earliest->latency_cycles;
    return earliest->core;
}

// The steady state of one stack and, when it can be modelled, its slot model.
StackOutcome prepare_stack(const sdk::Host& host, const ProblemTables& t, std::int64_t stack,
                           std::vector<std::size_t> nodes) {
    StackOutcome out;
    out.stack = stack;
    out.nodes = std::move(nodes);
    const std::string label = "stack " + std::to_string(stack) + ": ";
    out.steady = find_steady_state(t.nodes, out.nodes);
    const SteadyState& steady = out.steady;
    if (steady.empty()) {
        host.warn(
            label +
            "no sink tile, so no steady state; its units take the cores that finish them earliest and its nodes keep their priorities");
        out.order = by_priority(t, out.nodes);
        return out;
    }
    out.steady_nodes = steady.nodes().size();
    out.iterations = steady.iterations();
    double steady_work = 0, stack_work = 0;
    for (std::size_t n : steady.nodes())
        steady_work += t.nodes[n].macs * static_cast<double>(out.iterations);
    for (std::size_t n : out.nodes)
        stack_work += t.nodes[n].macs;
    const double node_share = static_cast<double>(out.steady_nodes) * static_cast<double>(out.iterations) /
                              static_cast<double>(out.nodes.size());
    host.info(label + "steady state " + describe(steady.signatures[*steady.chosen]) + " x " +
              std::to_string(out.iterations) + " waves covers " + number(100.0 * node_share) + "% of its " +
              std::to_string(out.nodes.size()) + " nodes and " +
              number(stack_work > 0 ? 100.0 * steady_work / stack_work : 100.0) + "% of its " +
              (t.weight_is_macs ? "MACs" : "latency (no MACs: layers without loop sizes)"));
    if (out.steady_nodes > kMaxModelNodes) {
        host.warn(label + "the steady state has " + std::to_string(out.steady_nodes) +
                  " nodes, more than the slot model takes (" + std::to_string(kMaxModelNodes) +
                  "); its units take the cores that finish them earliest and its nodes keep their priorities");
        out.order = by_priority(t, out.nodes);
        return out;
    }
    out.instance = build_instance(t, steady, stack);
    return out;
}

// Searches a prepared stack's slot model. A model whose weights cannot all stay on chip is
// solved again without the weight-capacity family (the scheduler fetches what does not fit
// from DRAM again, as it does for any allocation); that is the allocation a stack whose
// layers are pinned to one small core must get anyway. Throws sdk::Error(STREAM_ERROR_INFEASIBLE)
// naming the family only when no allocation exists at all: a unit without a candidate core,
// or dependencies in a cycle, which no scheduler can order either.
void search_stack(const sdk::Host& host, double time_limit_s, const ProblemTables& t, const SearchSettings& settings,
                  StackOutcome& out) {
    const std::string label = "stack " + std::to_string(out.stack) + ": ";
    const SlotInstance& in = *out.instance;
    if (const std::optional<std::string> family = structural_family(in)) throw infeasible_error(t, in, family);
    SearchResult result = solve(in, settings);
    if (result.status == SearchStatus::infeasible) {
        // Neither structural family fails, so the weight capacities do (structural_family).
        host.warn(label + weight_error(t, in, "").what() +
                  "; allocated without that constraint, the weights that do not fit being fetched from DRAM again");
        SearchSettings relaxed = settings;
        relaxed.weight_capacity = false;
        // The proof of infeasibility may have used the stack's share of the time; a first
        // solution of the relaxed model comes within milliseconds, so a short grace suffices.
        relaxed.deadline = std::max(settings.deadline, Clock::now() + std::chrono::milliseconds(500));
        result = solve(in, relaxed);
        out.weights_relaxed = true;
    }
    host.log(STREAM_LOG_DEBUG, label + std::to_string(result.solutions) + " solutions, " +
                                   std::to_string(result.nodes) + " search nodes, " + std::to_string(result.fails) +
                                   " fails, " + std::to_string(result.restarts) + " restarts in " +
                                   seconds(result.seconds) + " s");
    out.search = std::move(result);
    if (out.search->assignment) {
        read_solution(t, out.nodes, out.steady, out);
    } else {
        const std::string why = out.search->cancelled
                                    ? "the search was cancelled"
                                    : "the time limit (" + number(time_limit_s) + " s in all) ran out";
        host.warn(label + "no slot allocation found before " + why + "; its units take the cores that finish them earliest");
        out.order = by_priority(t, out.nodes);
    }
}

// The problem the slot models are built on and the split problems their options come from.
struct SplitSetup {
    const stream_problem_v1* base = nullptr;
    const stream_evaluator_v1* base_evaluator = nullptr;
    std::vector<SplitProblem> splits;
};

// A problem the host re-tiled: every layer's inter-core "*" over split[layer] cores.
std::pair<const stream_problem_v1*, const stream_evaluator_v1*> retile(const stream_evaluator_v1& evaluator,
                                                                        const std::vector<std::int64_t>& split) {
    const stream_problem_v1* p = nullptr;
    const stream_evaluator_v1* e = nullptr;
    const stream_status status =
        evaluator.retile(evaluator.ctx, split.data(), static_cast<std::uint32_t>(split.size()), &p, &e);
    if (status != STREAM_OK || !p || !e)
        throw sdk::Error(status == STREAM_OK ? STREAM_ERROR_INTERNAL : status,
                         "the host could not re-tile the problem for split counts (status " + std::to_string(status) + ")");
    return {p, e};
}

// Stream's split counts need the host to re-tile (ABI 1.1). The slot models are then built on
// the problem with every layer whole (one tile group per "*"), and each k up to the largest
// number of cores a unit may use gives the parts' costs. Without re-tiling, or when no layer
// has a "*" to split, each unit runs on one core of the problem as given.
SplitSetup prepare_splits(const sdk::Host& host, const stream_problem_v1& problem, const stream_evaluator_v1& evaluator,
                          int max_split, Clock::time_point deadline) {
    SplitSetup setup{&problem, &evaluator, {}};
    if (max_split < 2 || !STREAM_HAS_FIELD(stream_evaluator_v1, evaluator.struct_size, retile) || !evaluator.retile) return setup;
    try {
        auto [whole, whole_evaluator] = retile(evaluator, std::vector<std::int64_t>(problem.layer_count, 1));
        // Equal unit counts: no layer was split by "*", so the problem as given is already whole.
        if (whole->unit_count != problem.unit_count) setup = {whole, whole_evaluator, {}};
        const ProblemTables base = read_problem(*setup.base);
        std::vector<std::int64_t> cores_of_layer(problem.layer_count, 1);
        int most = 1;
        for (const UnitInfo& u : base.units) {
            if (u.fixed_core >= 0 || u.layer < 0 || u.layer >= static_cast<std::int64_t>(problem.layer_count)) continue;
            cores_of_layer[static_cast<std::size_t>(u.layer)] = static_cast<std::int64_t>(u.costs.size());
            most = std::max(most, static_cast<int>(u.costs.size()));
        }
        // Each k is a whole re-tiled and re-costed problem and adds parts to every split unit of the
        // model, so k stops at max_split, and at the deadline.
        for (int k = 2; k <= std::min(most, max_split) && Clock::now() < deadline; ++k) {
            std::vector<std::int64_t> split(problem.layer_count);
            for (std::size_t l = 0; l < split.size(); ++l)
                split[l] = std::max<std::int64_t>(1, std::min<std::int64_t>(k, cores_of_layer[l]));
            const stream_problem_v1* p = retile(*setup.base_evaluator, split).first;
            ProblemTables tables = read_problem(*p);
            if (tables.units.size() == base.units.size()) break; // no "*" anywhere: nothing splits
            setup.splits.push_back({k, std::move(tables), p});
        }
    } catch (const sdk::Error& e) {
        host.warn(std::string("split counts left out: ") + e.what());
        setup = {&problem, &evaluator, {}};
    }
    return setup;
}

// The allocation of the re-tiled problem in which each split unit's layer has one tile group
// per core of the unit (group g on its g-th core) and every other unit keeps its base unit's
// core; and Stream's step C order there, the split nodes' parts taking their node's place.
struct SplitAllocation {
    const stream_problem_v1* problem = nullptr;
    const stream_evaluator_v1* evaluator = nullptr;
    std::vector<std::int64_t> unit_core;
    std::vector<std::int64_t> node_priority;
    std::size_t split_layers = 0;
};

SplitAllocation split_allocation(const stream_evaluator_v1& base_evaluator, const ProblemTables& t,
                                 const std::vector<std::int64_t>& base_unit_core, const std::vector<StackOutcome>& outcomes) {
    std::map<std::int64_t, std::vector<std::int64_t>> layer_split_cores;
    for (const StackOutcome& o : outcomes)
        for (const auto& [unit, cores] : o.split_cores)
            layer_split_cores[t.units[unit].layer] = cores;
    std::vector<std::int64_t> split(t.layers.size(), 1);
    for (const auto& [layer, cores] : layer_split_cores)
        split[static_cast<std::size_t>(layer)] = static_cast<std::int64_t>(cores.size());
    SplitAllocation out;
    out.split_layers = layer_split_cores.size();
    std::tie(out.problem, out.evaluator) = retile(base_evaluator, split);
    const ProblemTables f = read_problem(*out.problem);

    std::map<std::pair<std::int64_t, std::int64_t>, std::size_t> base_unit; // (layer, group) -> base unit
    for (std::size_t u = 0; u < t.units.size(); ++u)
        base_unit.emplace(std::make_pair(t.units[u].layer, t.units[u].group), u);
    std::map<std::int64_t, std::vector<std::size_t>> units_of_layer; // final units by layer, group order
    out.unit_core.assign(f.units.size(), -1);
    for (std::size_t u = 0; u < f.units.size(); ++u) {
        const UnitInfo& unit = f.units[u];
        units_of_layer[unit.layer].push_back(u);
        if (auto it = layer_split_cores.find(unit.layer); it != layer_split_cores.end()) {
            if (unit.group < 0 || unit.group >= static_cast<std::int64_t>(it->second.size()))
                throw sdk::Error(STREAM_ERROR_INTERNAL, t.layer_label(unit.layer) + " came back from re-tiling with tile group " +
                                                            std::to_string(unit.group) + " for " +
                                                            std::to_string(it->second.size()) + " cores");
            out.unit_core[u] = it->second[static_cast<std::size_t>(unit.group)];
        } else if (auto b = base_unit.find({unit.layer, unit.group}); b != base_unit.end()) {
            out.unit_core[u] = base_unit_core[b->second];
        } else {
            throw sdk::Error(STREAM_ERROR_INTERNAL, t.layer_label(unit.layer) + " came back from re-tiling with tile group " +
                                                        std::to_string(unit.group) + ", which it did not have");
        }
    }
    for (auto& [layer, units] : units_of_layer)
        std::sort(units.begin(), units.end(), [&](std::size_t a, std::size_t b) { return f.units[a].group < f.units[b].group; });

    std::map<std::int64_t, std::vector<std::size_t>> stacks;
    for (std::size_t n = 0; n < f.nodes.size(); ++n)
        stacks[f.nodes[n].stack].push_back(n);
    out.node_priority.assign(f.nodes.size(), 0);
    std::int64_t rank = 0;
    for (const auto& [stack_id, nodes] : stacks) {
        const std::int64_t stack = stack_id; // a structured binding cannot be captured before C++20 in clang 14
        const auto o = std::find_if(outcomes.begin(), outcomes.end(), [&](const StackOutcome& x) { return x.stack == stack; });
        std::vector<std::size_t> order;
        if (o != outcomes.end() && !o->slot_units.empty()) {
            std::vector<std::size_t> units;
            for (std::size_t bu : o->slot_units) {
                const UnitInfo& b = t.units[bu];
                if (layer_split_cores.count(b.layer)) {
                    const std::vector<std::size_t>& parts = units_of_layer[b.layer];
                    units.insert(units.end(), parts.begin(), parts.end());
                } else {
                    for (std::size_t u : units_of_layer[b.layer])
                        if (f.units[u].group == b.group) units.push_back(u);
                }
            }
            order = scheduling_order(f.nodes, nodes, find_steady_state(f.nodes, nodes), units);
        } else {
            order = by_priority(f, nodes);
        }
        for (std::size_t n : order)
            out.node_priority[n] = rank++;
    }
    return out;
}

// Strictly better evaluated metrics under the allocator's objective; a tie on it goes to the
// other quantity, as in the model's lexicographic objectives.
bool better_metrics(Objective objective, const stream_metrics_v1& a, const stream_metrics_v1& b) {
    switch (objective) {
    case Objective::latency:
        return a.latency_cycles < b.latency_cycles || (a.latency_cycles == b.latency_cycles && a.energy_pj < b.energy_pj);
    case Objective::energy:
        return a.energy_pj < b.energy_pj || (a.energy_pj == b.energy_pj && a.latency_cycles < b.latency_cycles);
    case Objective::edp:
        return a.latency_cycles * a.energy_pj < b.latency_cycles * b.energy_pj;
    }
    return false;
}

} // namespace

GecodeAllocator::GecodeAllocator(sdk::Host host) : host_(host) {
    const sdk::Config config = host_.config();
    const std::string objective = config.get_string("objective");
    if (auto o = objective_from_name(objective))
        objective_ = *o;
    else
        throw sdk::Error(STREAM_ERROR_INVALID_CONFIG,
                         "objective = \"" + objective +
                             "\" is not an objective of this allocator; expected \"latency\", "
                             "\"energy\" or \"edp\"",
                         sdk::Item::config_key("objective"));
    time_limit_s_ = config.get_float("time_limit_s");
    if (!(time_limit_s_ > 0) || !std::isfinite(time_limit_s_))
        throw sdk::Error(STREAM_ERROR_INVALID_CONFIG,
                         "time_limit_s = " + number(time_limit_s_) + " must be a positive number of seconds",
                         sdk::Item::config_key("time_limit_s"));
    restarts_ = config.get_bool("restarts");
    const std::int64_t threads = config.get_int("threads");
    if (threads < 0 || threads > 4096)
        throw sdk::Error(STREAM_ERROR_INVALID_CONFIG,
                         "threads = " + std::to_string(threads) +
                             " must be a thread count, or 0 for one per hardware thread",
                         sdk::Item::config_key("threads"));
    threads_ = static_cast<unsigned>(threads);
    const std::int64_t max_split = config.get_int("max_split");
    if (max_split < 1 || max_split > 1024)
        throw sdk::Error(STREAM_ERROR_INVALID_CONFIG,
                         "max_split = " + std::to_string(max_split) +
                             " must be a number of cores from 1 (never split) to 1024",
                         sdk::Item::config_key("max_split"));
    max_split_ = static_cast<int>(max_split);
}

namespace {

// One way of allocating: slot models on one problem, with or without split options, solved,
// turned into an allocation, and evaluated by the host.
struct Candidate {
    const stream_problem_v1* problem = nullptr; ///< the problem the allocation is for
    const stream_evaluator_v1* evaluator = nullptr;
    std::vector<StackOutcome> outcomes;
    bool stop_requested = false;
    std::vector<std::int64_t> unit_core;
    std::vector<std::int64_t> node_priority; ///< empty: the host's order
    std::size_t split_layers = 0;
    stream_metrics_v1 metrics{};
};

// The stacks of `t` with their steady states and, with `splits`, the split options.
std::vector<StackOutcome> prepare_stacks(const sdk::Host& host, const ProblemTables& t, const std::vector<SplitProblem>& splits) {
    std::map<std::int64_t, std::vector<std::size_t>> stacks;
    for (std::size_t n = 0; n < t.nodes.size(); ++n)
        stacks[t.nodes[n].stack].push_back(n);
    std::vector<StackOutcome> outcomes;
    for (auto& [stack, nodes] : stacks) {
        outcomes.push_back(prepare_stack(host, t, stack, std::move(nodes)));
        if (outcomes.back().instance && !splits.empty()) add_split_options(*outcomes.back().instance, t, splits);
    }
    return outcomes;
}

// Searches every stack's model until `deadline`, small models first: they usually finish
// early and leave their share of the time to the large ones.
void search_stacks(const sdk::Host& host, double time_limit_s, const ProblemTables& t, SearchSettings settings,
                   Clock::time_point deadline, Candidate& c) {
    std::vector<std::size_t> modelled;
    for (std::size_t k = 0; k < c.outcomes.size(); ++k)
        if (c.outcomes[k].instance) modelled.push_back(k);
    std::stable_sort(modelled.begin(), modelled.end(), [&](std::size_t a, std::size_t b) {
        return c.outcomes[a].instance->nodes.size() < c.outcomes[b].instance->nodes.size();
    });
    for (std::size_t done = 0; done < modelled.size(); ++done) {
        if (host.progress(static_cast<double>(done), static_cast<double>(modelled.size()), "steady-state slot models"))
            c.stop_requested = true;
        // What is left of the time, shared evenly by the stacks still to solve.
        const Clock::time_point now = Clock::now();
        settings.deadline = now >= deadline || c.stop_requested
                                ? now
                                : now + (deadline - now) / static_cast<long>(modelled.size() - done);
        search_stack(host, time_limit_s, t, settings, c.outcomes[modelled[done]]);
    }
}

// The solved models as an allocation of `t` (units outside every model on their fallback
// cores) and Stream's step C order; splits move it to the re-tiled problem.
void read_allocation(const ProblemTables& t, Candidate& c) {
    c.unit_core.assign(t.units.size(), -1);
    for (std::size_t u = 0; u < t.units.size(); ++u)
        if (t.units[u].fixed_core >= 0) c.unit_core[u] = t.units[u].fixed_core;
    std::map<std::int64_t, std::set<std::int64_t>> layer_cores;
    for (const StackOutcome& o : c.outcomes)
        for (const auto& [unit, core] : o.placements) {
            c.unit_core[unit] = core;
            layer_cores[t.units[unit].layer].insert(core);
        }
    std::map<std::int64_t, double> fallback_load_cycles;
    for (std::size_t u = 0; u < t.units.size(); ++u)
        if (c.unit_core[u] < 0) c.unit_core[u] = fallback_core(t, t.units[u], layer_cores, fallback_load_cycles);
    c.node_priority.assign(t.nodes.size(), 0);
    std::int64_t rank = 0;
    for (const StackOutcome& o : c.outcomes)
        for (std::size_t n : o.order)
            c.node_priority[n] = rank++;
    if (std::any_of(c.outcomes.begin(), c.outcomes.end(), [](const StackOutcome& o) { return !o.split_cores.empty(); })) {
        SplitAllocation split = split_allocation(*c.evaluator, t, c.unit_core, c.outcomes);
        c.problem = split.problem;
        c.evaluator = split.evaluator;
        c.unit_core = std::move(split.unit_core);
        c.node_priority = std::move(split.node_priority);
        c.split_layers = split.split_layers;
    }
}

// The slots' order (Stream's step C) and the host's own order of the same cores: the
// steady-state model sees neither memory traffic nor the waves outside the steady state,
// so the host's order may schedule the same allocation better. The better under the
// objective is kept, so Gecode never does worse than the host's order of its own
// allocation (all a search can do when no unit has a choice of core).
void evaluate_candidate(Objective objective, Candidate& c) {
    auto evaluate = [&](const std::vector<std::int64_t>& priority) {
        stream_allocation_v1 allocation{sizeof(stream_allocation_v1), c.unit_core.data(),
                                        static_cast<std::uint32_t>(c.unit_core.size()),
                                        priority.empty() ? nullptr : priority.data(),
                                        static_cast<std::uint32_t>(priority.size())};
        stream_metrics_v1 m{};
        m.struct_size = sizeof m;
        const stream_status status = c.evaluator->evaluate(c.evaluator->ctx, &allocation, &m);
        if (status != STREAM_OK)
            throw sdk::Error(status, "the host could not evaluate the allocation the slot models chose (status " +
                                         std::to_string(status) + ")");
        return m;
    };
    c.metrics = evaluate(c.node_priority);
    if (const stream_metrics_v1 host_order = evaluate({}); better_metrics(objective, host_order, c.metrics)) {
        c.metrics = host_order;
        c.node_priority.clear();
    }
}

} // namespace

sdk::AllocationResult GecodeAllocator::allocate(const stream_problem_v1& problem,
                                                const stream_evaluator_v1& evaluator) {
    const Clock::time_point start = Clock::now();
    const Clock::time_point deadline =
        start + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(time_limit_s_));
    SearchSettings settings;
    settings.objective = objective_;
    settings.restarts = restarts_;
    settings.threads = threads_;
    settings.cancelled = [this] { return host_.cancelled(); };

    // Two candidates when the host can re-tile: the problem as given with one core per unit,
    // and Stream's split counts on the problem with every layer whole. Neither model sees
    // memory traffic (a split layer's parts each fetch their whole input), so the host's
    // evaluation decides; each gets half of the time.
    const bool can_split = max_split_ >= 2 && STREAM_HAS_FIELD(stream_evaluator_v1, evaluator.struct_size, retile) && evaluator.retile;
    const ProblemTables given = read_problem(problem);
    Candidate plain;
    plain.problem = &problem;
    plain.evaluator = &evaluator;
    plain.outcomes = prepare_stacks(host_, given, {});
    search_stacks(host_, time_limit_s_, given, settings, can_split ? start + (deadline - start) / 2 : deadline, plain);
    read_allocation(given, plain);
    evaluate_candidate(objective_, plain);
    Candidate chosen = std::move(plain);
    std::string split_note; // what became of the split-count candidate
    const SplitSetup setup = can_split && !chosen.stop_requested ? prepare_splits(host_, problem, evaluator, max_split_, deadline)
                                                                  : SplitSetup{&problem, &evaluator, {}};
    if (!setup.splits.empty()) {
        const ProblemTables whole = read_problem(*setup.base);
        Candidate split;
        split.problem = setup.base;
        split.evaluator = setup.base_evaluator;
        split.outcomes = prepare_stacks(host_, whole, setup.splits);
        search_stacks(host_, time_limit_s_, whole, settings, deadline, split);
        read_allocation(whole, split);
        evaluate_candidate(objective_, split);
        split_note = split.split_layers == 0 ? "split counts offered, none chosen"
                                             : "split counts (" + counted(split.split_layers, "layer") + ") evaluated ";
        if (better_metrics(objective_, split.metrics, chosen.metrics)) {
            chosen = std::move(split);
            if (chosen.split_layers > 0) split_note += "better than one core per unit";
        } else if (split.split_layers > 0) {
            split_note += "worse than one core per unit (latency " + number(split.metrics.latency_cycles) + " cycles, energy " +
                          number(split.metrics.energy_pj) + " pJ), not used";
        }
    }
    const double search_seconds = std::chrono::duration<double>(Clock::now() - start).count();

    sdk::AllocationResult result;
    result.unit_core = std::move(chosen.unit_core);
    result.node_priority = std::move(chosen.node_priority);
    if (chosen.problem != &problem) result.problem = chosen.problem;
    const std::vector<StackOutcome>& outcomes = chosen.outcomes;
    const stream_metrics_v1& metrics = chosen.metrics;
    const bool stop_requested = chosen.stop_requested;

    // The model's value and bound, summed over the stacks that had a model.
    double objective = 0, bound = 0;
    bool all_proven = true, has_objective = true, has_bound = true, cancelled = stop_requested;
    std::size_t models = 0, unmodelled = 0;
    std::string relaxed; // "1, 3": stacks solved without their weight capacities
    // Stack sizes in order, equal neighbours counted once ("3 x (1 node x 1 wave)"): a network
    // of many one-layer stacks would otherwise repeat the same words dozens of times.
    std::vector<std::pair<std::string, std::size_t>> size_runs;
    for (const StackOutcome& o : outcomes) {
        if (!o.search) {
            ++unmodelled;
            continue;
        }
        ++models;
        if (o.weights_relaxed) relaxed += (relaxed.empty() ? "" : ", ") + std::to_string(o.stack);
        const SearchResult& r = *o.search;
        const std::string size = counted(o.steady_nodes, "node") + " x " + counted(o.iterations, "wave");
        if (!size_runs.empty() && size_runs.back().first == size)
            ++size_runs.back().second;
        else
            size_runs.emplace_back(size, 1);
        all_proven = all_proven && r.status == SearchStatus::optimal;
        cancelled = cancelled || r.cancelled;
        if (r.assignment)
            objective += real_objective(*o.instance, objective_, r.objective);
        else
            has_objective = false;
        if (r.bound)
            bound += real_objective(*o.instance, objective_, *r.bound);
        else
            has_bound = false;
    }
    std::string sizes;
    for (const auto& [size, count] : size_runs)
        sizes += (sizes.empty() ? "" : ", ") + (count == 1 ? size : std::to_string(count) + " x (" + size + ")");
    const double nan = std::numeric_limits<double>::quiet_NaN();
    // A relaxed stack's optimum is not a solution of Stream's model, so nothing is proven.
    result.proven_optimal = models > 0 && all_proven && !cancelled && relaxed.empty();
    result.objective = models > 0 && has_objective ? objective : nan;
    result.best_bound = models > 0 && has_bound ? bound : nan;

    std::string summary = "gecode " + std::string(objective_name(objective_)) + ": ";
    if (models == 0) {
        summary += "no steady state to optimise";
    } else {
        summary += "model " +
                   (has_objective ? number(objective) + " " + unit_of(objective_) : std::string("without a solution"));
        if (result.proven_optimal) {
            summary += ", proven optimal";
        } else {
            std::string why;
            if (cancelled)
                why = "cancelled";
            else if (!all_proven)
                why = "time limit " + number(time_limit_s_) + " s hit";
            if (!relaxed.empty())
                why += (why.empty() ? "" : "; ") + std::string("weight capacity relaxed on stack") +
                       (relaxed.find(',') == std::string::npos ? " " : "s ") + relaxed;
            if (has_bound) why += "; bound " + number(bound) + " " + unit_of(objective_);
            summary += ", not proven optimal (" + why + ")";
        }
        summary += "; " + counted(models, "stack") + ", steady state" + (models == 1 ? " " : "s ") + sizes;
    }
    if (unmodelled > 0) summary += "; " + counted(unmodelled, "stack") + " without a model";
    if (!split_note.empty()) summary += "; " + split_note;
    summary += "; " + seconds(search_seconds) + " s; evaluated latency " + number(metrics.latency_cycles) +
               " cycles, energy " + number(metrics.energy_pj) + " pJ";
    result.summary = std::move(summary);
    return result;
}

} // namespace stream::plugins::gecode_alloc
