// The "exhaustive" allocator: evaluates every allocation of the units that
// have a choice (the cartesian product of their candidate cores) and returns
// the best under `objective`, proven optimal. A reference for small problems
// and for checking heuristic allocators; it refuses a space larger than
// `max_allocations` up front instead of running for hours.
#pragma once

#include <objective.hpp>
#include <thread_count.hpp>

#include <stream/plugin.hpp>

#include <cstddef>
#include <cstdint>

namespace stream::plugins::exhaustive {

class ExhaustiveAllocator {
public:
    static constexpr stream_plugin_kind kind = STREAM_KIND_ALLOCATOR;
    static constexpr sdk::Info info{"exhaustive", "Exhaustive search", "0.1.0",
                                    "Evaluates every allocation of the free units; the best is proven optimal."};
    static constexpr stream_config_key keys[] = {
        sdk::key("objective", STREAM_VALUE_STRING, "\"edp\"", nullptr,
                 "Minimised metric: \"edp\", \"latency\", \"energy\" or \"peak_memory\"; ties go to lower latency, then energy."),
        sdk::key("max_allocations", STREAM_VALUE_INT, "100000", nullptr,
                 "Refuse problems with more allocations than this (each one is a full schedule)."),
        alloc::threads_key,
    };

    explicit ExhaustiveAllocator(sdk::Host host);

    sdk::AllocationResult allocate(const stream_problem_v1& problem, const stream_evaluator_v1& evaluator);

private:
    sdk::Host host_;
    alloc::Objective objective_;
    std::uint64_t max_allocations_;
    std::size_t threads_;
};

} // namespace stream::plugins::exhaustive
