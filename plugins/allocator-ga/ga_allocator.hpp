// The "ga" allocator: NSGA-II over the units that have a choice (see
// AllocationGenes), minimising the objectives the pipeline names with the
// host's evaluator as fitness. It submits one member of the final Pareto
// front (the one best in `select`) and offers every other member to the
// host as an alternative with its metrics.
//
// What differs from Stream's GeneticAlgorithmAllocationStage, on purpose:
// offspring by NSGA-II variation (crossover then mutation) instead of DEAP's
// eaMuPlusLambda either/or; integer operators that stay within each gene's
// own candidates (no cxOrdered, no swap mutation, no failing draw on a
// single-candidate gene, no `core.id < #genes` filter); a greedy seed;
// evaluations memoised by genome and run in parallel; and the submitted
// member chosen by `select` (Stream returns the lowest-latency one, which is
// what --compat stream gets unless `select` is given).
#pragma once

#include "ga_settings.hpp"

#include <alternative_sink.hpp>
#include <thread_count.hpp>

#include <stream/plugin.hpp>

namespace stream::plugins::ga {

class GaAllocator {
public:
    static constexpr stream_plugin_kind kind = STREAM_KIND_ALLOCATOR;
    static constexpr sdk::Info info{"ga", "Genetic algorithm (NSGA-II)", "0.1.0",
                                    "NSGA-II over the layer-to-core choices; submits one Pareto-front member, offers the rest."};
    static constexpr stream_config_key keys[] = {
        sdk::key("objectives", STREAM_VALUE_STRING_ARRAY, "[\"latency\", \"energy\"]", nullptr,
                 "Metrics minimised together (a Pareto front): \"latency\", \"energy\", \"edp\", \"peak_memory\"."),
        sdk::key("select", STREAM_VALUE_STRING, "\"edp\"", nullptr,
                 "Which front member is submitted: the one lowest in \"edp\", \"latency\", \"energy\" or \"peak_memory\" "
                 "(left unset under --compat stream: \"latency\", as Stream)."),
        sdk::key("generations", STREAM_VALUE_INT, "50", nullptr,
                 "Generations after the initial population; at most population x (generations + 1) evaluations."),
        sdk::key("population", STREAM_VALUE_INT, "32", nullptr, "Individuals per generation, and offspring per generation; at least 2."),
        sdk::key("seed", STREAM_VALUE_INT, "0", nullptr, "Random seed; the same seed gives the same result with any thread count."),
        alloc::threads_key,
        sdk::key("crossover", STREAM_VALUE_STRING, "\"uniform\"", nullptr,
                 "\"uniform\" (each gene from either parent) or \"two_point\" (a block of consecutive units, like Stream)."),
        sdk::key("crossover_probability", STREAM_VALUE_FLOAT, "0.9", nullptr, "Chance that a pair of parents is crossed."),
        sdk::key("mutation_probability", STREAM_VALUE_FLOAT, "0.3", nullptr,
                 "Chance that an offspring is mutated (then each gene is redrawn with chance 1/genes, at least one)."),
        sdk::key("seed_with_greedy", STREAM_VALUE_BOOL, "true", nullptr,
                 "Start with one individual that puts every unit on its lowest-latency candidate."),
        sdk::key("time_limit_s", STREAM_VALUE_FLOAT, "5.0", "s",
                 "Wall-time bound of the search: no generation starts that would likely end past it; 0 = none. "
                 "5 s keeps a ResNet-18-sized run interactive; when it binds the result depends on machine speed."),
    };

    explicit GaAllocator(sdk::Host host);

    sdk::AllocationResult allocate(const stream_problem_v1& problem, const stream_evaluator_v1& evaluator,
                                   const alloc::AlternativeSink& alternatives);

    const GaSettings& settings() const noexcept { return settings_; }

private:
    sdk::Host host_;
    GaSettings settings_;
};

} // namespace stream::plugins::ga
