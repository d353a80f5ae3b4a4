// The "anneal" explorer: simulated annealing over the whole mapping (stack
// boundaries, stack and layer tilings, splits) from the best seed. A worse
// point is accepted with probability exp(-d / T), d the increase of
// log(objective), so the temperature reads as a relative worsening whatever
// the objective's unit. T cools geometrically with the steps done or the
// host's budget used, whichever is further; each restart starts again hot
// from the best point so far. The best point is then polished by the shared
// first-improvement descent. Random numbers come from space.seed only: the
// same seed gives the same evaluations and the same result.
#pragma once

#include <stream/plugin.hpp>

#include <cstdint>
#include <string>

namespace stream::plugins::explore {

class AnnealExplorer {
public:
    static constexpr stream_plugin_kind kind = STREAM_KIND_EXPLORER;
    static constexpr sdk::Info info{"anneal", "Simulated annealing", "1.0.0",
                                    "Anneals stack cuts, tilings and splits from the best seed, then descends to a "
                                    "local optimum."};
    static constexpr stream_config_key keys[] = {
        sdk::key("steps", STREAM_VALUE_INT, "2000", nullptr,
                 "Moves proposed in all (a point already evaluated costs no evaluation)."),
        sdk::key("initial_temperature", STREAM_VALUE_FLOAT, "0.1", nullptr,
                 "Starting temperature: a move 10% worse (in log objective) is taken with probability exp(-0.1/T)."),
        sdk::key("final_temperature", STREAM_VALUE_FLOAT, "0.001", nullptr,
                 "Temperature at the end of each run; below initial_temperature."),
        sdk::key("restarts", STREAM_VALUE_INT, "2", nullptr,
                 "Times the steps start again hot from the best point found so far."),
    };

    explicit AnnealExplorer(sdk::Host host);

    std::string explore(const stream_mapping_space_v1& space, const stream_mapping_evaluator_v1& evaluator);

private:
    sdk::Host host_;
    std::uint64_t steps_;
    double initial_temperature_;
    double final_temperature_;
    std::uint32_t restarts_;
};

} // namespace stream::plugins::explore
