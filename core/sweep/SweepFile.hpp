// A sweep file: a base pipeline, axes of values for any pipeline or hardware
// key, and the metrics to keep. The points are the product of the axes.
//
//   name = "memory sizes"
//   pipeline = "../pipelines/small_cnn.toml"
//   metrics = ["latency_cycles", "energy_pj"]          (minimised by `merge`'s Pareto front)
//   seed = 7                                           (for random axes; default 0)
//   [[axes]]  key = "hardware.cores.array16.memories.gb.size_bits"   values = [65536, 1048576]
//   [[axes]]  key = "cost.peak_fraction"   range = { from = 0.5, to = 1.0, step = 0.25 }
//   [[axes]]  key = "hardware.offchip.bandwidth_bits_per_cycle"
//             random = { min = 16, max = 256, count = 4, log = true }
//   [[axes]]  keys = ["accelerator.file", "mapping.file"]   values = [["a.toml", "a_map.toml"], ...]
//
// Values keep their place in the sweep file: relative paths resolve against
// it and a bad value's error points there.
#pragma once

#include "error/Error.hpp"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace stream::sweep {

/// One value an axis gives one key.
struct AxisValue {
    std::string literal;  ///< TOML text, as `--set` takes it
    nlohmann::json json;  ///< the same value for points.jsonl
    SourceLoc where;      ///< where the sweep file wrote it (or the axis, for generated values)
};

struct Axis {
    std::vector<std::string> keys;             ///< one, or several set together
    std::vector<std::vector<AxisValue>> steps; ///< per step, one value per key
    SourceLoc where;
};

struct SweepSpec {
    std::filesystem::path file;
    std::string name;
    std::filesystem::path pipeline;
    std::vector<std::string> metrics;
    std::vector<Axis> axes;
    std::uint64_t seed = 0;
};

SweepSpec load_sweep(const std::filesystem::path& file);

} // namespace stream::sweep
