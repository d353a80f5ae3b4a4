// First-improvement local search over the moves of moves.hpp: a pass tries
// every move from the current point and takes each one that lowers the
// objective on the spot; passes repeat until one improves nothing (a local
// optimum of the whole neighbourhood) or the pass limit is reached. Greedy
// ends with it, and annealing polishes its best point with it.
#pragma once

#include <mapping_space.hpp>
#include <moves.hpp>
#include <objective_tracker.hpp>

#include <cstdint>
#include <optional>
#include <utility>

namespace stream::plugins::explore {

struct Descent {
    sdk::Mapping point;
    double objective = ObjectiveTracker::infeasible;
    std::uint32_t passes = 0;
};

/// Descends from `start`, whose objective is `objective`; `max_passes` 0 means until a local optimum.
inline Descent descend(const MappingSpace& space, ObjectiveTracker& tracker, sdk::Mapping start, double objective,
                       std::uint32_t max_passes) {
    Descent d{std::move(start), objective, 0};
    bool improved = true;
    while (improved && !tracker.stopped() && (max_passes == 0 || d.passes < max_passes)) {
        improved = false;
        ++d.passes;
        // Moves listed at the start of the pass still apply after an improvement,
        // except boundary moves whose boundary has gone (apply says so); the next
        // pass lists the moves of the new point.
        for (const Move& move : all_moves(space, d.point)) {
            std::optional<sdk::Mapping> next = apply(space, d.point, move);
            if (!next || *next == d.point) continue;
            const double value = tracker.evaluate(*next);
            if (tracker.stopped()) return d;
            if (value < d.objective) {
                d.point = std::move(*next);
                d.objective = value;
                improved = true;
            }
        }
    }
    return d;
}

} // namespace stream::plugins::explore
