// The plot and trace files of a run, rendered from one ScheduleView: after a
// run (write_outputs) and again from results.json (`stream-dse report`), so
// both produce the same bytes.
#pragma once

#include "report/ScheduleView.hpp"

#include <filesystem>
#include <string>
#include <utility>
#include <vector>

namespace stream {

/// (file name, content): trace.json, schedule.svg, schedule.html, memory.svg, energy.svg.
std::vector<std::pair<std::string, std::string>> render_report_files(const ScheduleView& v);

/// Renders every file, then writes each atomically into `dir` (created if needed);
/// returns the paths written.
std::vector<std::filesystem::path> write_report_files(const ScheduleView& v, const std::filesystem::path& dir);

} // namespace stream
