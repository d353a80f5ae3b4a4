// One design point of a sweep: a value for every axis key, and its key, a
// stable hash of those parameters that names the point in points.jsonl, picks
// its shard and survives reordering of the sweep file's axes.
#pragma once

#include "pipeline/Pipeline.hpp"
#include "sweep/SweepFile.hpp"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <string>
#include <vector>

namespace stream::sweep {

struct SweepPoint {
    std::vector<std::pair<std::string, const AxisValue*>> params; ///< in axis order; values live in the SweepSpec
    std::string key;                                             ///< 16 hex digits

    /// {key: value} of the parameters.
    nlohmann::json params_json() const;
    /// The overrides that turn the base pipeline into this point.
    std::vector<LocatedOverride> overrides() const;
};

/// FNV-1a, 64 bits: the same on every machine and run, unlike std::hash.
std::uint64_t stable_hash(std::string_view text);

/// The product of the axes, first axis slowest. The points point into `spec`: keep it alive.
std::vector<SweepPoint> sweep_points(const SweepSpec& spec);

/// The shard (0..count-1) a point belongs to under `--shard I/count`.
std::uint64_t shard_of(const std::string& point_key, std::uint64_t count);

} // namespace stream::sweep
