#include "ga_settings.hpp"

#include <thread_count.hpp>

#include <cmath>
#include <string>
#include <string_view>

namespace stream::plugins::ga {

namespace {

[[noreturn]] void invalid(const char* key, const std::string& message) {
    throw sdk::Error(STREAM_ERROR_INVALID_CONFIG, message, sdk::Item::config_key(key));
}

std::size_t read_count(const sdk::Config& config, const char* key, std::int64_t minimum, const char* why) {
    const std::int64_t value = config.get_int(key);
    if (value < minimum)
        invalid(key, std::string(key) + " = " + std::to_string(value) + " is too small; it must be at least " +
                         std::to_string(minimum) + " " + why);
    return static_cast<std::size_t>(value);
}

double read_probability(const sdk::Config& config, const char* key) {
    const double value = config.get_float(key);
    if (!(value >= 0.0 && value <= 1.0))
        invalid(key, std::string(key) + " = " + std::to_string(value) + " is not a probability between 0 and 1");
    return value;
}

/// True when the host filled in `key` from the declared default (its location is "(default)").
bool defaulted(const stream_config_v1* config, const char* key) {
    if (!config || !STREAM_HAS_FIELD(stream_config_v1, config->struct_size, location) || !config->location) return false;
    stream_source_location where{sizeof(stream_source_location), nullptr, 0, 0};
    return config->location(config->ctx, key, &where) == STREAM_OK && where.file &&
           std::string_view(where.file) == "(default)";
}

} // namespace

GaSettings GaSettings::from_config(const stream_config_v1* raw) {
    const sdk::Config config(raw);
    GaSettings s;
    s.objectives = alloc::read_objectives(config, "objectives");
    s.select = alloc::read_objective(config, "select");
    s.select_given = !defaulted(raw, "select");
    s.generations = read_count(config, "generations", 0, "(0 evaluates the initial population only)");
    s.population = read_count(config, "population", 2, "(crossover needs two parents)");
    // Any integer is a seed; a negative one is used by its bit pattern.
    s.seed = static_cast<std::uint64_t>(config.get_int("seed"));
    s.threads = alloc::read_thread_count(config);
    const std::string crossover = config.get_string("crossover");
    if (crossover == "uniform") s.crossover = Crossover::uniform;
    else if (crossover == "two_point") s.crossover = Crossover::two_point;
    else invalid("crossover", "crossover = \"" + crossover + "\" is not a crossover; expected \"uniform\" or \"two_point\"");
    s.crossover_probability = read_probability(config, "crossover_probability");
    s.mutation_probability = read_probability(config, "mutation_probability");
    s.seed_with_greedy = config.get_bool("seed_with_greedy");
    s.time_limit_s = config.get_float("time_limit_s");
    if (!(s.time_limit_s >= 0.0 && std::isfinite(s.time_limit_s)))
        invalid("time_limit_s", "time_limit_s = " + std::to_string(s.time_limit_s) +
                                    " is not a number of seconds; give a positive limit, or 0 for none");
    return s;
}

alloc::Objective GaSettings::selection(const char* compat) const {
    if (!select_given && compat && std::string_view(compat) == "stream") return alloc::Objective::latency;
    return select;
}

} // namespace stream::plugins::ga
