#include "exhaustive_explorer.hpp"

#include <config_values.hpp>
#include <mapping_space.hpp>
#include <objective_tracker.hpp>

#include <cstdio>
#include <vector>

namespace stream::plugins::explore {

namespace {

std::string count_text(double count) {
    if (count < 1e15) return std::to_string(static_cast<std::uint64_t>(count));
    char text[32];
    std::snprintf(text, sizeof text, "about %.3g", count);
    return text;
}

/// Advances the free boundaries to the next stack partition, last boundary fastest; false after the last one.
bool next_partition(sdk::Mapping& m, const std::vector<std::uint32_t>& free) {
    for (std::size_t k = free.size(); k-- > 0;) {
        if ((m.stack_start[free[k]] ^= 1) == 1) return true;
    }
    return false;
}

/// Advances the tilings and splits to the next choice within the current
/// partition (last entry fastest, split before tiling); false after the last one.
bool next_choice(sdk::Mapping& m, const std::vector<std::uint32_t>& tiling_radix, const MappingSpace& space) {
    for (std::uint32_t i = space.size(); i-- > 0;) {
        if (++m.split[i] <= space.max_split(i)) return true;
        m.split[i] = 1;
        if (++m.tiling[i] < tiling_radix[i]) return true;
        m.tiling[i] = 0;
    }
    return false;
}

} // namespace

ExhaustiveExplorer::ExhaustiveExplorer(sdk::Host host) : host_(host) {
    max_points_ = static_cast<std::uint64_t>(int_in_range(host_.config(), "max_points", 1));
}

std::string ExhaustiveExplorer::explore(const stream_mapping_space_v1& raw,
                                        const stream_mapping_evaluator_v1& evaluator) {
    const MappingSpace space(raw);
    if (space.size() == 0) return "exhaustive: the mapping space has no layer; nothing to explore";
    const double total = space.point_count();
    if (total > static_cast<double>(max_points_))
        throw sdk::Error(STREAM_ERROR_UNSUPPORTED,
                         "the mapping space has " + count_text(total) + " points (" + space.shape_text() +
                             "), more than max_points = " + std::to_string(max_points_) +
                             "; shrink it with fewer tiling options per layer, a lower max_split or stack boundaries "
                             "fixed by the pipeline, raise max_points, or use the greedy or anneal explorer",
                         sdk::Item::config_key("max_points"));

    ObjectiveTracker tracker(space, evaluator, host_, "exhaustive");
    tracker.expect_evaluations(total);
    tracker.evaluate_seeds();

    std::vector<std::uint32_t> free;
    for (std::uint32_t i = 1; i < space.size(); ++i)
        if (space.boundary_free(i)) free.push_back(i);
    // Starts with every free boundary closed, the fixed ones as the pipeline says.
    sdk::Mapping m = space.layer_by_layer();
    for (std::uint32_t i : free) m.stack_start[i] = 0;
    std::uint64_t visited = 0;
    std::vector<std::uint32_t> tiling_radix(space.size());
    do {
        // Only layers that share their stack have a tiling choice.
        for (const Stack& s : space.stacks(m))
            for (std::uint32_t i = s.begin; i < s.end; ++i) tiling_radix[i] = s.tiled() ? space.tiling_count(i) : 1;
        do {
            tracker.evaluate(m);
            ++visited;
        } while (!tracker.stopped() && next_choice(m, tiling_radix, space));
    } while (!tracker.stopped() && next_partition(m, free));
    return "exhaustive: " + tracker.summary(" of " + std::to_string(visited) + " points visited (space: " +
                                            count_text(total) + ")");
}

} // namespace stream::plugins::explore
