#include "greedy_explorer.hpp"

#include <config_values.hpp>
#include <local_search.hpp>
#include <mapping_space.hpp>
#include <moves.hpp>
#include <objective_tracker.hpp>

#include <optional>
#include <utility>
#include <vector>

namespace stream::plugins::explore {

namespace {

/// Evaluates the points `moves` lead to from `point` and moves `point` to the
/// best of them when it is better: one decision, taken with the others held.
void take_best(const MappingSpace& space, ObjectiveTracker& tracker, Descent& point, const std::vector<Move>& moves) {
    std::optional<sdk::Mapping> best;
    double best_objective = point.objective;
    for (const Move& move : moves) {
        std::optional<sdk::Mapping> next = apply(space, point.point, move);
        if (!next) continue;
        const double value = tracker.evaluate(*next);
        if (tracker.stopped()) return;
        if (value < best_objective) {
            best = std::move(next);
            best_objective = value;
        }
    }
    if (best) {
        point.point = std::move(*best);
        point.objective = best_objective;
    }
}

/// Phase 1, left to right: at each free boundary, the best of keeping it and
/// of toggling it, alone or with the stacks it changes re-tiled by each rule
/// (a merge needs its new stack tiled).
void cut_stacks(const MappingSpace& space, ObjectiveTracker& tracker, Descent& point) {
    for (std::uint32_t i = 1; i < space.size() && !tracker.stopped(); ++i)
        if (space.boundary_free(i))
            take_best(space, tracker, point, moves_at(space, point.point, MoveKind::toggle_boundary, i));
}

/// Phase 2: each stack of two or more layers tiled alike by the best rule, then each of its layers refined alone.
void tile_stacks(const MappingSpace& space, ObjectiveTracker& tracker, Descent& point) {
    for (const Stack& s : space.stacks(point.point)) {
        if (!s.tiled()) continue;
        take_best(space, tracker, point, moves_at(space, point.point, MoveKind::stack_tiling, s.begin));
        for (std::uint32_t i = s.begin; i < s.end && !tracker.stopped(); ++i)
            take_best(space, tracker, point, moves_at(space, point.point, MoveKind::layer_tiling, i));
        if (tracker.stopped()) return;
    }
}

/// Phase 3: each layer's split count, in layer order.
void split_layers(const MappingSpace& space, ObjectiveTracker& tracker, Descent& point) {
    for (std::uint32_t i = 0; i < space.size() && !tracker.stopped(); ++i)
        take_best(space, tracker, point, moves_at(space, point.point, MoveKind::split, i));
}

} // namespace

GreedyExplorer::GreedyExplorer(sdk::Host host) : host_(host) {
    max_passes_ = static_cast<std::uint32_t>(int_in_range(host_.config(), "max_passes", 1, 1'000'000));
}

std::string GreedyExplorer::explore(const stream_mapping_space_v1& raw, const stream_mapping_evaluator_v1& evaluator) {
    const MappingSpace space(raw);
    if (space.size() == 0) return "greedy: the mapping space has no layer; nothing to explore";
    ObjectiveTracker tracker(space, evaluator, host_, "greedy");
    tracker.evaluate_seeds();
    Descent point{tracker.best(), tracker.best_objective(), 0};
    for (auto phase : {cut_stacks, tile_stacks, split_layers})
        if (!tracker.stopped()) phase(space, tracker, point);
    if (!tracker.stopped()) point = descend(space, tracker, std::move(point.point), point.objective, max_passes_);
    const std::string passes = " in " + std::to_string(point.passes) + (point.passes == 1 ? " pass" : " passes");
    return "greedy: " + tracker.summary(passes);
}

} // namespace stream::plugins::explore
