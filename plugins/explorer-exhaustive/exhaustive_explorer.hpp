// The "exhaustive" explorer: evaluates every normalised point of the mapping
// space (every stack partition the fixed boundaries allow; for each, every
// tiling of the layers in stacks of two or more and every split count), so its
// best is the optimum. For small spaces and as the oracle the heuristic
// explorers are tested against; it refuses a space larger than `max_points` up
// front, saying how large it is and what would shrink it.
#pragma once

#include <stream/plugin.hpp>

#include <cstdint>
#include <string>

namespace stream::plugins::explore {

class ExhaustiveExplorer {
public:
    static constexpr stream_plugin_kind kind = STREAM_KIND_EXPLORER;
    static constexpr sdk::Info info{"exhaustive", "Exhaustive search", "1.0.0",
                                    "Evaluates every point of the mapping space; the best is the optimum."};
    static constexpr stream_config_key keys[] = {
        sdk::key("max_points", STREAM_VALUE_INT, "100000", nullptr,
                 "Refuse spaces with more points than this (each one is a full evaluation)."),
    };

    explicit ExhaustiveExplorer(sdk::Host host);

    std::string explore(const stream_mapping_space_v1& space, const stream_mapping_evaluator_v1& evaluator);

private:
    sdk::Host host_;
    std::uint64_t max_points_;
};

} // namespace stream::plugins::explore
