// The "fixed" allocator: no search. Each allocation unit goes to the core the
// mapping pins it to, else to the core the `layers` table names for its layer,
// else to its only candidate core; anything else is an error that names the
// layer and lists its candidates. The one allocation is then evaluated once so
// the report has its metrics.
#pragma once

#include <stream/plugin.hpp>


namespace stream::plugins {

class FixedAllocator {
public:
    static constexpr stream_plugin_kind kind = STREAM_KIND_ALLOCATOR;
    static constexpr sdk::Info info{"fixed", "Fixed allocation", "1.0.0",
                                    "Each layer on the core the mapping or the layers table names; no search."};
    static constexpr stream_config_key keys[] = {
        sdk::key("layers", STREAM_VALUE_TABLE, nullptr, nullptr,
                 "Layer name -> core id, for layers the mapping does not pin and that have several candidate cores."),
    };

    explicit FixedAllocator(sdk::Host host);

    sdk::AllocationResult allocate(const stream_problem_v1& problem, const stream_evaluator_v1& evaluator);

private:
    sdk::Host host_;
    // The `layers` sub-table when the user gave one; host-owned, valid until destroy.
    const stream_config_v1* layer_cores_ = nullptr;
};

} // namespace stream::plugins
