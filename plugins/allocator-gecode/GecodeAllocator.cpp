#include "GecodeAllocator.hpp"

#include "ProblemTables.hpp"
#include "SlotSearch.hpp"
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
    std::vector<std::pair<std::size_t, std::int64_t>> placements; ///< problem unit -> core
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
    for (std::size_t u = 0; u < in.units.size(); ++u)
        out.placements.emplace_back(in.units[u].problem_unit, in.core_ids[static_cast<std::size_t>(a.unit_core[u])]);
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
}

sdk::AllocationResult GecodeAllocator::allocate(const stream_problem_v1& problem,
                                                const stream_evaluator_v1& evaluator) {
    const Clock::time_point start = Clock::now();
    const Clock::time_point deadline =
        start + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(time_limit_s_));
    const ProblemTables t = read_problem(problem);
    std::map<std::int64_t, std::vector<std::size_t>> stacks;
    for (std::size_t n = 0; n < t.nodes.size(); ++n)
        stacks[t.nodes[n].stack].push_back(n);

    SearchSettings settings;
    settings.objective = objective_;
    settings.restarts = restarts_;
    settings.threads = threads_;
    settings.cancelled = [this] { return host_.cancelled(); };
    bool stop_requested = false;
    std::vector<StackOutcome> outcomes;
    for (auto& [stack, nodes] : stacks)
        outcomes.push_back(prepare_stack(host_, t, stack, std::move(nodes)));
    // Small models first: they usually finish early and leave their share of the time to the large ones.
    std::vector<std::size_t> modelled;
    for (std::size_t k = 0; k < outcomes.size(); ++k)
        if (outcomes[k].instance) modelled.push_back(k);
    std::stable_sort(modelled.begin(), modelled.end(), [&](std::size_t a, std::size_t b) {
        return outcomes[a].instance->nodes.size() < outcomes[b].instance->nodes.size();
    });
    for (std::size_t done = 0; done < modelled.size(); ++done) {
        if (host_.progress(static_cast<double>(done), static_cast<double>(modelled.size()), "steady-state slot models"))
            stop_requested = true;
        // What is left of the time, shared evenly by the stacks still to solve.
        const Clock::time_point now = Clock::now();
        settings.deadline = now >= deadline || stop_requested
                                ? now
                                : now + (deadline - now) / static_cast<long>(modelled.size() - done);
        search_stack(host_, time_limit_s_, t, settings, outcomes[modelled[done]]);
    }
    const double search_seconds = std::chrono::duration<double>(Clock::now() - start).count();

    sdk::AllocationResult result;
    result.unit_core.assign(t.units.size(), -1);
    for (std::size_t u = 0; u < t.units.size(); ++u)
        if (t.units[u].fixed_core >= 0) result.unit_core[u] = t.units[u].fixed_core;
    std::map<std::int64_t, std::set<std::int64_t>> layer_cores;
    for (const StackOutcome& o : outcomes)
        for (const auto& [unit, core] : o.placements) {
            result.unit_core[unit] = core;
            layer_cores[t.units[unit].layer].insert(core);
        }
    std::map<std::int64_t, double> fallback_load_cycles;
    for (std::size_t u = 0; u < t.units.size(); ++u)
        if (result.unit_core[u] < 0) result.unit_core[u] = fallback_core(t, t.units[u], layer_cores, fallback_load_cycles);
    result.node_priority.assign(t.nodes.size(), 0);
    std::int64_t rank = 0;
    for (const StackOutcome& o : outcomes)
        for (std::size_t n : o.order)
            result.node_priority[n] = rank++;

    // The slots' order (Stream's step C) and the host's own order of the same cores: the
    // steady-state model sees neither memory traffic nor the waves outside the steady state,
    // so the host's order may schedule the same allocation better. One more evaluation; the
    // better under the objective is submitted, so Gecode never does worse than the host's
    // order of its own allocation (all a search can do when no unit has a choice of core).
    auto evaluate = [&](const std::vector<std::int64_t>& priority) {
        stream_allocation_v1 allocation{sizeof(stream_allocation_v1), result.unit_core.data(),
                                        static_cast<std::uint32_t>(result.unit_core.size()),
                                        priority.empty() ? nullptr : priority.data(),
                                        static_cast<std::uint32_t>(priority.size())};
        stream_metrics_v1 m{};
        m.struct_size = sizeof m;
        const stream_status status = evaluator.evaluate(evaluator.ctx, &allocation, &m);
        if (status != STREAM_OK)
            throw sdk::Error(status, "the host could not evaluate the allocation the slot models chose (status " +
                                         std::to_string(status) + ")");
        return m;
    };
    stream_metrics_v1 metrics = evaluate(result.node_priority);
    if (const stream_metrics_v1 host_order = evaluate({}); better_metrics(objective_, host_order, metrics)) {
        metrics = host_order;
        result.node_priority.clear();
    }

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
    summary += "; " + seconds(search_seconds) + " s; evaluated latency " + number(metrics.latency_cycles) +
               " cycles, energy " + number(metrics.energy_pj) + " pJ";
    result.summary = std::move(summary);
    return result;
}

} // namespace stream::plugins::gecode_alloc
