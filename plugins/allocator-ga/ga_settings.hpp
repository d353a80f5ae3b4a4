// The GA's configuration, read and checked once when the instance is created
// so that a bad key fails `stream-dse check` and not a long run. The member
// defaults equal the declared key defaults (GaAllocator::keys); a test checks it.
//
// Why these defaults:
//  - population 32, generations 50: at most 32 x 51 = 1,632 schedules, and
//    with memoisation and the re-mutation of known offspring nearly all of
//    them are distinct allocations. On random 8-unit problems with 2-4
//    candidate cores each (~6,500 allocations) that budget finds the lowest
//    EDP in 89 of 90 runs (30 problems x 3 seeds) and the lowest latency in
//    82 of 90; on the README's small CNN with every layer free (26 units, ~1e11
//    allocations) it halves the fixed mapping's EDP in about 4 s with the
//    list scheduler. Stream's own defaults (64 x 250 = 16,000 schedules) cost
//    ten times as much for little gain on problems this size; raise
//    `generations` for long runs on big networks. A space smaller than the
//    budget is evaluated completely and the GA stops early.
//  - objectives ["latency", "energy"]: Stream's pair, so the front is the one
//    Stream users know.
//  - select "edp": the front's extremes are the lowest latency and the lowest
//    energy; EDP picks the balanced member, is what the fixed and exhaustive
//    allocators report as their objective (so runs compare directly), and the
//    lowest-EDP allocation always lies on the latency/energy front. Stream
//    returns the lowest-latency member; select = "latency" does that, and so
//    does a run under --compat stream that leaves `select` at its default.
//  - crossover "uniform", crossover_probability 0.9, mutation_probability 0.3:
//    the usual NSGA-II crossover rate; uniform crossover did as well as
//    two-point on the problems above and slightly better for latency, and
//    mutation rates between 0.1 and 0.7 made no measurable difference.
//  - seed_with_greedy true: one individual with every unit on its fastest
//    core costs one evaluation and anchors the low-latency end of the front.
//  - time_limit_s 5: the generations above are the search; the time limit is
//    the interactive bound a user can rely on, whatever the network. Measured
//    in Release on 2 loaded cores (load ~6): ResNet-18 fused on Stream's
//    tpu_like_quad_core runs all 50 generations in 3.7-4.8 s; on simba_small
//    (4 chiplets) they take ~11 s and on simba (36 chiplets) ~20 s, where 5 s
//    keeps the whole run, costs included, within 10 s. It is Gecode's default
//    too, so the two allocators compare at equal time. A generation is not
//    started when the last one's duration says it would end past the limit.
//    When the limit binds the result depends on the machine's speed; 0 turns
//    the limit off for runs that must repeat exactly.
#pragma once

#include <objective.hpp>

#include <stream/plugin.hpp>

#include <cstddef>
#include <cstdint>
#include <vector>

namespace stream::plugins::ga {

enum class Crossover { uniform, two_point };

struct GaSettings {
    std::vector<alloc::Objective> objectives{alloc::Objective::latency, alloc::Objective::energy};
    alloc::Objective select = alloc::Objective::edp;
    bool select_given = false; ///< the user wrote `select` (false: the default applies)
    std::size_t generations = 50;
    std::size_t population = 32;
    std::uint64_t seed = 0;
    std::size_t threads = 0; ///< 0 until resolved: from_config gives the actual count
    Crossover crossover = Crossover::uniform;
    double crossover_probability = 0.9;
    double mutation_probability = 0.3;
    bool seed_with_greedy = true;
    double time_limit_s = 5.0; ///< 0: no limit

    /// Throws sdk::Error(STREAM_ERROR_INVALID_CONFIG) naming the offending key.
    static GaSettings from_config(const stream_config_v1* config);

    /// The member to submit: `select`, or Stream's lowest latency when the run
    /// reproduces Stream (`compat` "stream") and the user did not choose.
    alloc::Objective selection(const char* compat) const;
};

} // namespace stream::plugins::ga
