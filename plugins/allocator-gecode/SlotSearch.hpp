// Solving one slot model: branch and bound (optionally restarted), under a
// deadline and the host's cancel flag, and naming the constraint family that
// makes an infeasible model fail.
//
//   SearchSettings settings{Objective::latency, deadline, false, 1, cancelled};
//   SearchResult r = solve(instance, settings);
//   if (r.status == SearchStatus::infeasible) explain(failing_family(instance, settings));
#pragma once

#include "SlotInstance.hpp"

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>

namespace stream::plugins::gecode_alloc {

struct SearchSettings {
    Objective objective = Objective::latency;
    std::chrono::steady_clock::time_point deadline = std::chrono::steady_clock::time_point::max();
    /// Restart-based search around branch and bound: geometric cutoffs, neighbourhood
    /// search on every other restart (see SlotModel::slave).
    bool restarts = false;
    /// Gecode search threads; 1 is deterministic.
    unsigned threads = 1;
    /// Polled during search; true stops it (best so far is kept). May be empty.
    std::function<bool()> cancelled;
    /// Post the weight-capacity family. Off for the fallback of a stack whose weights cannot
    /// all stay on chip: the scheduler then fetches the ones that do not fit again.
    bool weight_capacity = true;
};

enum class SearchStatus {
    optimal,    ///< search exhausted, or the best solution meets the lower bound: it is optimal
    limit_hit,  ///< stopped by the deadline or cancel: best so far
    infeasible, ///< search exhausted without a solution
    no_solution ///< stopped before any solution was found
};

struct SearchResult {
    SearchStatus status = SearchStatus::no_solution;
    std::optional<Assignment> assignment;
    ModelValue value;
    long long objective = 0;        ///< objective_value(objective, value), model units
    std::optional<long long> bound; ///< a lower bound on the objective, model units
    bool cancelled = false;         ///< stopped by the cancel flag rather than the deadline
    double seconds = 0;
    double seconds_to_first = -1; ///< -1 without a solution
    unsigned solutions = 0;
    unsigned long long nodes = 0;
    unsigned long long fails = 0;
    unsigned long long restarts = 0;
};

SearchResult solve(const SlotInstance& instance, const SearchSettings& settings);

/// The family that makes an instance infeasible by its structure alone: "candidate
/// cores" (a unit without one) or "precedence" (a cycle among the edges); nothing
/// otherwise. Without either, one node per core per slot and precedence always hold
/// together (every node its own slot, in topological order), so an instance that
/// still has no solution fails on its weight capacities.
std::optional<std::string> structural_family(const SlotInstance& instance);

/// The family an infeasible instance fails on: structural_family, else "weight
/// capacity" when the whole model has no solution. Nothing when the instance is
/// feasible or the check ran out of time.
std::optional<std::string> failing_family(const SlotInstance& instance, const SearchSettings& settings);

} // namespace stream::plugins::gecode_alloc
