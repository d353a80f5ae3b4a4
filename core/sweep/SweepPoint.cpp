#include "sweep/SweepPoint.hpp"

#include <fmt/format.h>

namespace stream::sweep {

std::uint64_t stable_hash(std::string_view text) {
    std::uint64_t h = 0xcbf29ce484222325ULL;
    for (unsigned char c : text) {
        h ^= c;
        h *= 0x100000001b3ULL;
    }
    return h;
}

nlohmann::json SweepPoint::params_json() const {
    nlohmann::json j = nlohmann::json::object();
    for (const auto& [key, value] : params) j[key] = value->json;
    return j;
}

std::vector<LocatedOverride> SweepPoint::overrides() const {
    std::vector<LocatedOverride> out;
    for (const auto& [key, value] : params) out.push_back({key + "=" + value->literal, value->where});
    return out;
}

std::vector<SweepPoint> sweep_points(const SweepSpec& spec) {
    std::vector<SweepPoint> points;
    std::vector<std::size_t> step(spec.axes.size(), 0);
    while (true) {
        SweepPoint p;
        for (std::size_t a = 0; a < spec.axes.size(); ++a) {
            const Axis& axis = spec.axes[a];
            for (std::size_t k = 0; k < axis.keys.size(); ++k) p.params.emplace_back(axis.keys[k], &axis.steps[step[a]][k]);
        }
        // nlohmann's objects are sorted by key, so the text (and the hash) ignores axis order.
        p.key = fmt::format("{:016x}", stable_hash(p.params_json().dump()));
        points.push_back(std::move(p));
        std::size_t a = spec.axes.size();
        while (a > 0 && ++step[a - 1] == spec.axes[a - 1].steps.size()) step[--a] = 0;
        if (a == 0) break;
    }
    return points;
}

std::uint64_t shard_of(const std::string& point_key, std::uint64_t count) {
    // The key is already a hash of the parameters; hashing it again spreads keys that share a prefix.
    return stable_hash(point_key) % count;
}

} // namespace stream::sweep
