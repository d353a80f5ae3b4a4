// Two runs side by side (`stream-dse compare A.json B.json`): latency,
// energy, EDP, every energy component, peak memory per memory, CN count and
// run time per stage, each with the ratio B/A, read from two results.json.
#pragma once

#include "report/JsonReader.hpp"

#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <vector>

namespace stream {

struct RunComparison {
    struct Row {
        std::string section;        ///< "", "energy_breakdown_pj", "peak_memory_bits", "runtime_s"
        std::string name;           ///< the key within the section
        std::optional<double> a, b; ///< empty: the run has no such entry
        /// b / a; 1 when both are 0; empty when a side is missing or only a is 0.
        std::optional<double> ratio() const;
        std::string key() const; ///< "latency_cycles", "energy_breakdown_pj.compute"
    };
    std::string file_a, file_b;
    std::vector<Row> rows;
};

/// Throws stream::Error (BadInput) naming the file and the key when a results file lacks one.
RunComparison compare_runs(const JsonReader& a, const JsonReader& b);

/// A table: one row per metric with A, B and B/A (three decimals).
std::string comparison_table(const RunComparison& c);

/// {"a": file, "b": file, "metrics": {"latency_cycles": {"a", "b", "ratio"}, "energy_breakdown_pj.compute": ...}};
/// a missing value or ratio is null.
nlohmann::json comparison_json(const RunComparison& c);

} // namespace stream
