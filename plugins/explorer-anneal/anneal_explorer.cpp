#include "anneal_explorer.hpp"

#include <config_values.hpp>
#include <local_search.hpp>
#include <mapping_space.hpp>
#include <moves.hpp>
#include <objective_tracker.hpp>
#include <search_random.hpp>

#include <algorithm>
#include <cmath>
#include <optional>
#include <random>
#include <utility>

namespace stream::plugins::explore {

namespace {

/// How much worse `next` is than `current`, as a relative difference: the
/// difference of the logarithms for positive objectives (a 10% worsening is
/// about 0.095 at any scale), else the difference relative to |current|.
double worsening(double current, double next) {
    if (current > 0 && next > 0) return std::log(next) - std::log(current);
    return (next - current) / std::max(std::abs(current), 1e-300);
}

} // namespace

AnnealExplorer::AnnealExplorer(sdk::Host host) : host_(host) {
    const sdk::Config config = host_.config();
    steps_ = static_cast<std::uint64_t>(int_in_range(config, "steps", 1));
    restarts_ = static_cast<std::uint32_t>(int_in_range(config, "restarts", 0, 1'000'000));
    initial_temperature_ = config.get_float("initial_temperature");
    final_temperature_ = config.get_float("final_temperature");
    if (!(initial_temperature_ > 0) || !std::isfinite(initial_temperature_))
        throw sdk::Error(STREAM_ERROR_INVALID_CONFIG,
                         "initial_temperature = " + std::to_string(initial_temperature_) + " must be positive",
                         sdk::Item::config_key("initial_temperature"));
    if (!(final_temperature_ > 0) || final_temperature_ > initial_temperature_)
        throw sdk::Error(STREAM_ERROR_INVALID_CONFIG,
                         "final_temperature = " + std::to_string(final_temperature_) +
                             " must be positive and at most initial_temperature = " +
                             std::to_string(initial_temperature_),
                         sdk::Item::config_key("final_temperature"));
}

std::string AnnealExplorer::explore(const stream_mapping_space_v1& raw, const stream_mapping_evaluator_v1& evaluator) {
    const MappingSpace space(raw);
    if (space.size() == 0) return "anneal: the mapping space has no layer; nothing to explore";
    ObjectiveTracker tracker(space, evaluator, host_, "anneal");
    tracker.evaluate_seeds();
    std::mt19937_64 rng(raw.seed);

    sdk::Mapping current = tracker.best();
    double current_objective = tracker.best_objective();
    const double runs = static_cast<double>(restarts_) + 1;
    std::uint32_t run = 0;
    std::uint64_t step = 0, accepted = 0;
    for (; step < steps_ && !tracker.stopped(); ++step) {
        // Progress through the whole search: steps done or budget used, whichever is further.
        const double done = std::max(static_cast<double>(step) / static_cast<double>(steps_), 1.0 - tracker.budget_left());
        const auto now_run = static_cast<std::uint32_t>(std::min(runs - 1, std::floor(done * runs)));
        if (now_run > run) {
            run = now_run;
            current = tracker.best();
            current_objective = tracker.best_objective();
        }
        const double cooled = std::clamp(done * runs - run, 0.0, 1.0);
        const double temperature = initial_temperature_ * std::pow(final_temperature_ / initial_temperature_, cooled);

        const std::optional<Move> move = random_move(space, current, rng);
        if (!move) break; // a space of one point
        std::optional<sdk::Mapping> next = apply(space, current, *move);
        const double draw = unit_random(rng); // drawn every step, so the sequence does not depend on the objectives' ties
        if (!next) continue;
        const double value = tracker.evaluate(*next);
        if (tracker.stopped()) break;
        // From an infeasible point any move is taken (a walk out of the infeasible region);
        // to an infeasible point none is.
        const bool take = !std::isfinite(current_objective) ||
                          (std::isfinite(value) &&
                           (value <= current_objective || draw < std::exp(-worsening(current_objective, value) / temperature)));
        if (take) {
            current = std::move(*next);
            current_objective = value;
            ++accepted;
        }
    }

    std::uint32_t passes = 0;
    if (!tracker.stopped()) passes = descend(space, tracker, tracker.best(), tracker.best_objective(), 0).passes;
    return "anneal: " + tracker.summary(" in " + std::to_string(step) + " steps (" + std::to_string(accepted) +
                                        " moves taken, " + std::to_string(run) + " restarts) and " +
                                        std::to_string(passes) + " descent passes");
}

} // namespace stream::plugins::explore
