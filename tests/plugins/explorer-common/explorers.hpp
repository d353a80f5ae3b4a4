// The three explorers' descriptors, reached as the plugins' entry points would
// return them, and a one-call search of a synthetic space for tests that only
// need the outcome.
#pragma once

#include "fake_explorer_host.hpp"

#include <anneal_explorer.hpp>
#include <exhaustive_explorer.hpp>
#include <greedy_explorer.hpp>

#include <map>
#include <string>
#include <vector>

namespace explorertest {

inline const stream_plugin_descriptor& greedy() {
    return stream::sdk::detail::descriptor<stream::plugins::explore::GreedyExplorer>;
}
inline const stream_plugin_descriptor& anneal() {
    return stream::sdk::detail::descriptor<stream::plugins::explore::AnnealExplorer>;
}
inline const stream_plugin_descriptor& exhaustive() {
    return stream::sdk::detail::descriptor<stream::plugins::explore::ExhaustiveExplorer>;
}
inline const std::vector<const stream_plugin_descriptor*>& all_explorers() {
    static const std::vector<const stream_plugin_descriptor*> all{&greedy(), &anneal(), &exhaustive()};
    return all;
}

struct Outcome {
    Run run;
    double best = 0;            ///< the best objective the host saw (its pick)
    int64_t evaluations = 0;    ///< new evaluations
    std::size_t invalid = 0;    ///< points outside the space
    std::size_t distinct = 0;   ///< distinct points evaluated, seeds included
    std::vector<Point> calls;
};

/// Explores a fresh space of `layers` (no budget) with `d`'s defaults plus `overrides`.
inline Outcome search(const stream_plugin_descriptor& d, const std::vector<LayerSpec>& layers,
                      const std::map<std::string, Value>& overrides = {}, uint64_t seed = 1) {
    SyntheticSpace space(layers, seed);
    SyntheticEvaluator evaluator(space);
    ExplorerHost host(d, overrides);
    Outcome o;
    o.run = explore(d, host, space, evaluator);
    o.best = evaluator.best_objective();
    o.evaluations = evaluator.new_evaluations();
    o.invalid = evaluator.invalid_calls();
    o.distinct = evaluator.distinct_points();
    o.calls = evaluator.calls();
    return o;
}

} // namespace explorertest
