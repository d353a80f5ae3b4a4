// What a run leaves behind: results.json (stable keys for scripts) and
// summary.txt (what the terminal showed), written into one output folder.
#pragma once

#include "pipeline/Stages.hpp"

#include <nlohmann/json.hpp>

#include <filesystem>
#include <string>

namespace stream {

nlohmann::json results_json(const RunResult& r);
std::string summary_text(const RunResult& r);
/// Writes results.json and summary.txt into `dir` (created if needed); each file
/// is written to a temporary name first, so a failed run never leaves half a file.
void write_outputs(const RunResult& r, const std::filesystem::path& dir);

} // namespace stream
