// What a search allocator minimises: one of the evaluator's metrics, chosen
// by name in the pipeline file. Both allocators read their objective keys
// through here so the names, the error messages and the values agree.
#pragma once

#include <stream/plugin.hpp>

#include <array>
#include <cmath>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace stream::plugins::alloc {

enum class Objective { latency, energy, edp, peak_memory };

inline constexpr std::array<Objective, 4> all_objectives{Objective::latency, Objective::energy, Objective::edp,
                                                         Objective::peak_memory};

constexpr std::string_view objective_name(Objective o) noexcept {
    switch (o) {
    case Objective::latency: return "latency";
    case Objective::energy: return "energy";
    case Objective::edp: return "edp";
    case Objective::peak_memory: return "peak_memory";
    }
    return "?";
}

/// The unit a value of `o` is printed with.
constexpr std::string_view objective_unit(Objective o) noexcept {
    switch (o) {
    case Objective::latency: return "cycles";
    case Objective::energy: return "pJ";
    case Objective::edp: return "cycles*pJ";
    case Objective::peak_memory: return "bits";
    }
    return "";
}

inline std::optional<Objective> objective_from_name(std::string_view name) noexcept {
    for (Objective o : all_objectives)
        if (objective_name(o) == name) return o;
    return std::nullopt;
}

inline double objective_value(Objective o, const stream_metrics_v1& m) noexcept {
    switch (o) {
    case Objective::latency: return m.latency_cycles;
    case Objective::energy: return m.energy_pj;
    // The product rather than m.edp: the two agree for a correct evaluator, and
    // the product cannot disagree with the latency and energy shown beside it.
    case Objective::edp: return m.latency_cycles * m.energy_pj;
    case Objective::peak_memory: return m.peak_memory_bits;
    }
    return NAN;
}

/// "latency", "energy", "edp", "peak_memory" — for error messages.
inline std::string objective_names() {
    std::string text;
    for (Objective o : all_objectives) text += (text.empty() ? "\"" : ", \"") + std::string(objective_name(o)) + "\"";
    return text;
}

/// `in_array`: the name is one element of an array key (changes only the message).
inline Objective parse_objective(std::string_view name, const char* key, bool in_array = false) {
    if (auto o = objective_from_name(name)) return *o;
    const std::string quoted = "\"" + std::string(name) + "\"";
    throw sdk::Error(STREAM_ERROR_INVALID_CONFIG,
                     std::string(key) + (in_array ? " lists " + quoted + ", which" : " = " + quoted) +
                         " is not an objective; expected one of " + objective_names(),
                     sdk::Item::config_key(key));
}

/// A string key naming one objective.
inline Objective read_objective(const sdk::Config& config, const char* key) {
    return parse_objective(config.get_string(key), key);
}

/// A string-array key naming one or more distinct objectives.
inline std::vector<Objective> read_objectives(const sdk::Config& config, const char* key) {
    std::vector<Objective> out;
    for (const std::string& name : config.get_strings(key)) {
        Objective o = parse_objective(name, key, true);
        for (Objective seen : out)
            if (seen == o)
                throw sdk::Error(STREAM_ERROR_INVALID_CONFIG, std::string(key) + " lists \"" + name + "\" twice",
                                 sdk::Item::config_key(key));
        out.push_back(o);
    }
    if (out.empty())
        throw sdk::Error(STREAM_ERROR_INVALID_CONFIG,
                         std::string(key) + " is empty; name at least one of " + objective_names(),
                         sdk::Item::config_key(key));
    return out;
}

} // namespace stream::plugins::alloc
