#include "exhaustive_allocator.hpp"

#include <allocation_genes.hpp>
#include <batch_evaluator.hpp>
#include <worker_pool.hpp>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <tuple>
#include <vector>

namespace stream::plugins::exhaustive {

namespace {

std::string number(double value) {
    char text[32];
    std::snprintf(text, sizeof text, "%.6g", value);
    return text;
}

/// "2^10 x 3^16" — the candidate counts whose product is the search space, grouped so
/// that a problem with hundreds of free units still gets a one-line message.
std::string product_text(const alloc::AllocationGenes& genes) {
    std::map<std::size_t, std::size_t> genes_per_radix;
    for (const alloc::Gene& g : genes.genes()) ++genes_per_radix[g.cores.size()];
    std::string text;
    for (const auto& [radix, count] : genes_per_radix)
        text += (text.empty() ? "" : " x ") + std::to_string(radix) + (count > 1 ? "^" + std::to_string(count) : "");
    return text;
}

/// Advances `genome` to the next allocation in mixed radix, last gene fastest; false after the last one.
bool next(alloc::Genome& genome, const std::vector<std::uint32_t>& radices) {
    for (std::size_t i = genome.size(); i-- > 0;) {
        if (++genome[i] < radices[i]) return true;
        genome[i] = 0;
    }
    return false;
}

} // namespace

ExhaustiveAllocator::ExhaustiveAllocator(sdk::Host host) : host_(host) {
    const sdk::Config config = host_.config();
    objective_ = alloc::read_objective(config, "objective");
    const std::int64_t max = config.get_int("max_allocations");
    if (max < 1)
        throw sdk::Error(STREAM_ERROR_INVALID_CONFIG,
                         "max_allocations = " + std::to_string(max) + " must be at least 1",
                         sdk::Item::config_key("max_allocations"));
    max_allocations_ = static_cast<std::uint64_t>(max);
    threads_ = alloc::read_thread_count(config);
}

sdk::AllocationResult ExhaustiveAllocator::allocate(const stream_problem_v1& problem, const stream_evaluator_v1& evaluator) {
    const alloc::AllocationGenes genes = alloc::AllocationGenes::from_problem(problem);
    const std::uint64_t total = genes.combination_count(max_allocations_);
    if (total > max_allocations_) {
        const double exact = genes.approximate_combination_count();
        const std::string count = exact < 1e15 ? std::to_string(static_cast<std::uint64_t>(exact)) : "about " + number(exact);
        throw sdk::Error(STREAM_ERROR_INVALID_CONFIG,
                         "the problem has " + count + " allocations (" + std::to_string(genes.size()) +
                             " units with a choice of core: " + product_text(genes) + "), more than max_allocations = " +
                             std::to_string(max_allocations_) + "; raise max_allocations or use the ga allocator",
                         sdk::Item::config_key("max_allocations"));
    }

    const std::size_t units = genes.unit_count();
    const std::vector<std::uint32_t> radices = genes.radices();
    alloc::WorkerPool pool(std::min<std::uint64_t>(threads_, total));
    const alloc::BatchEvaluator batch_evaluator(evaluator, pool);
    // Batches large enough to keep every thread busy, small enough for frequent progress.
    const std::size_t batch_size = 64 * pool.size();

    using Key = std::tuple<double, double, double>; // objective, then latency, then energy
    std::optional<Key> best_key;
    std::vector<std::int64_t> best;
    std::uint64_t done = 0, infeasible = 0;
    bool stopped = false;

    alloc::Genome genome(genes.size(), 0);
    std::vector<std::int64_t> rows;
    std::vector<alloc::Evaluation> results;
    while (done < total) {
        const std::size_t n = static_cast<std::size_t>(std::min<std::uint64_t>(batch_size, total - done));
        rows.resize(n * units);
        for (std::size_t i = 0; i < n; ++i) {
            genes.write_allocation(genome, std::span(rows).subspan(i * units, units));
            next(genome, radices); // wraps to all zeros after the last, which is never used
        }
        results.assign(n, {});
        batch_evaluator.evaluate(rows, units, results);
        // Reduced in enumeration order, so ties go to the first allocation whatever the thread count.
        for (std::size_t i = 0; i < n; ++i) {
            const alloc::Evaluation& e = results[i];
            if (e.status == STREAM_ERROR_INFEASIBLE) {
                ++infeasible;
                continue;
            }
            if (e.status == STREAM_ERROR_CANCELLED) {
                stopped = true;
                continue;
            }
            if (!e.feasible())
                throw sdk::Error(e.status, "evaluating an allocation failed (" + alloc::status_name(e.status) + ")");
            const Key key{alloc::objective_value(objective_, e.metrics), e.metrics.latency_cycles, e.metrics.energy_pj};
            if (!best_key || key < *best_key) {
                best_key = key;
                best.assign(rows.begin() + static_cast<std::ptrdiff_t>(i * units),
                            rows.begin() + static_cast<std::ptrdiff_t>((i + 1) * units));
            }
        }
        done += n;
        std::string text = std::to_string(done) + "/" + std::to_string(total) + " allocations";
        if (best_key) text += ", best " + std::string(alloc::objective_name(objective_)) + " " + number(std::get<0>(*best_key));
        const bool stop = host_.progress(static_cast<double>(done), static_cast<double>(total), text.c_str()) ||
                          host_.cancelled();
        // A request that arrives with the last batch is moot: the search is complete.
        if (stopped || (stop && done < total)) {
            stopped = true;
            break;
        }
    }

    const std::string name(alloc::objective_name(objective_));
    if (!best_key) {
        if (stopped) throw sdk::Error(STREAM_ERROR_CANCELLED, "stopped before a feasible allocation was found");
        throw sdk::Error(STREAM_ERROR_INFEASIBLE,
                         "all " + std::to_string(total) + " allocations are infeasible; the scheduler could not run any of them");
    }
    sdk::AllocationResult result;
    result.unit_core = std::move(best);
    result.objective = std::get<0>(*best_key);
    // Stopped early, the best so far is only a candidate: no proof and no bound.
    result.proven_optimal = !stopped;
    if (!stopped) result.best_bound = result.objective;
    result.summary = (stopped ? "exhaustive search stopped after " + std::to_string(done) + " of "
                              : "exhaustive search of all ") +
                     std::to_string(total) + " allocations (" + std::to_string(infeasible) + " infeasible), best " + name +
                     " " + number(result.objective) + " " + std::string(alloc::objective_unit(objective_));
    return result;
}

} // namespace stream::plugins::exhaustive
