// The "greedy" explorer: a constructive pass over the mapping's decisions in
// the order they matter (where stacks are cut, how each stack is tiled, how
// each layer is split), each decision taken as the best of its options with
// the others held, then first-improvement local search over the single-move
// neighbourhood until a pass improves nothing. Deterministic: it draws no
// random numbers, so space.seed does not change it.
#pragma once

#include <stream/plugin.hpp>

#include <cstdint>
#include <string>

namespace stream::plugins::explore {

class GreedyExplorer {
public:
    static constexpr stream_plugin_kind kind = STREAM_KIND_EXPLORER;
    static constexpr sdk::Info info{"greedy", "Greedy and local search", "1.0.0",
                                    "Cuts stacks, tiles and splits greedily from the best seed, then descends to a "
                                    "local optimum."};
    static constexpr stream_config_key keys[] = {
        sdk::key("max_passes", STREAM_VALUE_INT, "8", nullptr,
                 "Most passes of local search after the constructive phases (a pass tries every single move)."),
    };

    explicit GreedyExplorer(sdk::Host host);

    std::string explore(const stream_mapping_space_v1& space, const stream_mapping_evaluator_v1& evaluator);

private:
    sdk::Host host_;
    std::uint32_t max_passes_;
};

} // namespace stream::plugins::explore
