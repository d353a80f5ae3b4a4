#include "ga_allocator.hpp"

#include "nsga2.hpp"

#include <allocation_genes.hpp>
#include <batch_evaluator.hpp>
#include <objective.hpp>
#include <worker_pool.hpp>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <limits>
#include <optional>
#include <span>
#include <string>
#include <tuple>
#include <vector>

namespace stream::plugins::ga {

namespace {

std::string number(double value) {
    if (std::isinf(value)) return "none";
    char text[32];
    std::snprintf(text, sizeof text, "%.6g", value);
    return text;
}

std::string with_unit(alloc::Objective o, double value) {
    return number(value) + " " + std::string(alloc::objective_unit(o));
}

/// Lowest in `select`, then in latency, then in energy; the earlier member on a full tie.
std::size_t choose(const Nsga2Result& r, alloc::Objective select) {
    auto key = [&](std::size_t id) {
        const stream_metrics_v1& m = r.evaluated.evaluation(id).metrics;
        return std::tuple{alloc::objective_value(select, m), m.latency_cycles, m.energy_pj};
    };
    std::size_t best = r.front.front();
    for (std::size_t id : r.front)
        if (key(id) < key(best)) best = id;
    return best;
}

} // namespace

GaAllocator::GaAllocator(sdk::Host host) : host_(host), settings_(GaSettings::from_config(host.raw()->config)) {}

sdk::AllocationResult GaAllocator::allocate(const stream_problem_v1& problem, const stream_evaluator_v1& evaluator,
                                            const alloc::AlternativeSink& alternatives) {
    const alloc::AllocationGenes genes = alloc::AllocationGenes::from_problem(problem);
    const std::size_t units = genes.unit_count();
    const bool has_compat = STREAM_HAS_FIELD(stream_problem_v1, problem.struct_size, compat);
    const alloc::Objective select = settings_.selection(has_compat ? problem.compat : nullptr);
    sdk::AllocationResult result;

    if (genes.empty()) {
        // Nothing to choose: the one allocation is the answer, and provably the best.
        result.unit_core = genes.allocation({});
        const alloc::Evaluation e = alloc::evaluate(evaluator, result.unit_core);
        if (!e.feasible())
            throw sdk::Error(e.status, "every unit is pinned or has one candidate core, and that one allocation could not be "
                                       "evaluated (" + alloc::status_name(e.status) + ")");
        result.objective = alloc::objective_value(select, e.metrics);
        result.best_bound = result.objective;
        result.proven_optimal = true;
        result.summary = "no unit has a choice of core: 1 evaluation";
        return result;
    }

    alloc::WorkerPool pool(settings_.threads);
    const alloc::BatchEvaluator batch(evaluator, pool);
    std::vector<std::int64_t> rows;
    bool evaluator_cancelled = false;
    auto evaluate = [&](std::span<const alloc::Genome> genomes, std::span<alloc::Evaluation> out) {
        rows.resize(genomes.size() * units);
        for (std::size_t i = 0; i < genomes.size(); ++i)
            genes.write_allocation(genomes[i], std::span(rows).subspan(i * units, units));
        batch.evaluate(rows, units, out);
        // Infeasible allocations are merely bad; any other failure means the
        // evaluator or the problem is broken, and more generations will not help.
        for (const alloc::Evaluation& e : out) {
            if (e.status == STREAM_ERROR_CANCELLED) evaluator_cancelled = true;
            else if (e.status != STREAM_OK && e.status != STREAM_ERROR_INFEASIBLE)
                throw sdk::Error(e.status, "evaluating an allocation failed (" + alloc::status_name(e.status) +
                                               "); the GA cannot rank allocations it cannot evaluate");
        }
    };
    using Clock = std::chrono::steady_clock;
    const Clock::time_point start = Clock::now();
    Clock::time_point generation_start = start;
    bool timed_out = false;
    auto on_generation = [&](const GenerationReport& r) {
        std::string text = "generation " + std::to_string(r.generation) + "/" + std::to_string(r.generations) + ": ";
        if (std::isinf(r.best_latency)) text += "no feasible allocation yet";
        else text += "best latency " + with_unit(alloc::Objective::latency, r.best_latency) + ", best energy " +
                     with_unit(alloc::Objective::energy, r.best_energy) + ", front " + std::to_string(r.front_size);
        text += ", " + std::to_string(r.evaluations) + " evaluations";
        const bool stop = host_.progress(static_cast<double>(r.generation), static_cast<double>(r.generations), text.c_str());
        // The last generation's duration predicts the next one's: stopping before it keeps the limit a bound.
        const Clock::time_point now = Clock::now();
        const double elapsed_s = std::chrono::duration<double>(now - start).count();
        const double generation_s = std::chrono::duration<double>(now - generation_start).count();
        generation_start = now;
        timed_out = settings_.time_limit_s > 0 && elapsed_s + generation_s > settings_.time_limit_s &&
                    r.generation < r.generations;
        return stop || timed_out || evaluator_cancelled || host_.cancelled();
    };

    std::optional<alloc::Genome> greedy;
    if (settings_.seed_with_greedy) greedy = genes.lowest_latency();
    const Nsga2Result r = Nsga2(settings_, genes.radices(), std::move(greedy)).run(evaluate, on_generation);
    timed_out = timed_out && r.stopped; // a run that ended for another reason was not cut short by the clock

    if (r.front.empty()) {
        if (timed_out)
            throw sdk::Error(STREAM_ERROR_INFEASIBLE, "no feasible allocation found within time_limit_s = " +
                                                          number(settings_.time_limit_s) + " s (" +
                                                          std::to_string(r.evaluated.size()) + " allocations evaluated)");
        if (r.stopped || evaluator_cancelled)
            throw sdk::Error(STREAM_ERROR_CANCELLED, "stopped before a feasible allocation was found");
        throw sdk::Error(STREAM_ERROR_INFEASIBLE,
                         "every allocation the GA evaluated is infeasible (" + std::to_string(r.evaluated.size()) +
                             " distinct allocations of " + std::to_string(genes.size()) + " free units over " +
                             std::to_string(r.generations_run) + " generations); the scheduler could not run any of them");
    }

    const std::size_t chosen = choose(r, select);
    for (std::size_t id : r.front)
        if (id != chosen) alternatives.add(genes.allocation(r.evaluated.genome(id)), r.evaluated.evaluation(id).metrics);

    result.unit_core = genes.allocation(r.evaluated.genome(chosen));
    result.objective = alloc::objective_value(select, r.evaluated.evaluation(chosen).metrics);
    // Having seen every allocation, the GA knows the optimum of `select` — if
    // it lies on the front (always for edp, latency and energy over the
    // default objectives; not necessarily for a metric the front ignores).
    if (r.exhausted && !evaluator_cancelled) {
        double lowest = result.objective;
        for (std::size_t id = 0; id < r.evaluated.size(); ++id)
            if (r.evaluated.evaluation(id).feasible())
                lowest = std::min(lowest, alloc::objective_value(select, r.evaluated.evaluation(id).metrics));
        result.proven_optimal = lowest == result.objective;
        if (result.proven_optimal) result.best_bound = result.objective;
    }
    result.summary = "NSGA-II over " + std::to_string(genes.size()) + " free units: " + std::to_string(r.generations_run) +
                     " generations, " + std::to_string(r.evaluated.size()) + " evaluations (" +
                     std::to_string(r.duplicates) + " repeats answered from memory), front of " +
                     std::to_string(r.front.size()) + ", lowest " + std::string(alloc::objective_name(select)) +
                     " submitted" + (select != settings_.select ? " (Stream's choice under --compat stream)" : "") +
                     (timed_out ? " (time_limit_s = " + number(settings_.time_limit_s) + " s reached)"
                      : r.stopped ? std::string(" (stopped early)") : std::string()) + (r.exhausted ? " (every allocation evaluated)" : "");
    return result;
}

} // namespace stream::plugins::ga
