// Reads a ZigZag/Stream workload YAML (a top-level list of layer entries,
// zigzag.md §1.1) into YamlLayer records. Syntax errors are reported at the
// file:line:col yaml-cpp gives; a missing or ill-typed field at its layer's entry.
#pragma once

#include "YamlLayer.hpp"

#include <string>
#include <vector>

namespace stream::yaml_frontend {

/// Reads `path`; throws sdk::Error (STREAM_ERROR_INVALID_INPUT) naming the place.
std::vector<YamlLayer> read_workload_file(const std::string& path);

/// Reads YAML `text`; `file` is the name used in error locations.
std::vector<YamlLayer> read_workload_text(const std::string& text, const std::string& file);

/// True when `path` ends in .yaml/.yml and holds a top-level list of maps of which
/// the first has an `equation` or `operator_type` key (not a hardware or mapping file),
/// or fails to parse as YAML at all (so that load() reports the syntax error with its
/// line and column instead of the host finding no frontend). Never throws.
bool looks_like_workload(const std::string& path) noexcept;

} // namespace stream::yaml_frontend
