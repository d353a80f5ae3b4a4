// What a run leaves behind: results.json (stable keys for scripts, and the
// whole schedule so `stream-dse report` can redraw the plots), summary.txt
// (what the terminal showed), the Perfetto trace and the SVG/HTML plots,
// written into one output folder.
#pragma once

#include "pipeline/Stages.hpp"

#include <nlohmann/json.hpp>

#include <filesystem>
#include <string>

namespace stream {

/// Stable top-level keys: latency_cycles, energy_pj, edp, energy_breakdown_pj, n_cns, allocation,
/// peak_memory_bits, runtime_s, among others; "schedule" holds what the plots need
/// (see schedule_json in ScheduleView.hpp).
nlohmann::json results_json(const RunResult& r);
std::string summary_text(const RunResult& r);
/// Writes results.json, summary.txt, trace.json, schedule.svg, schedule.html, memory.svg and
/// energy.svg into `dir` (created if needed). Everything is rendered before the first file is
/// written, and each file goes to a temporary name first, so a failed run never leaves half a file.
void write_outputs(const RunResult& r, const std::filesystem::path& dir);

} // namespace stream
