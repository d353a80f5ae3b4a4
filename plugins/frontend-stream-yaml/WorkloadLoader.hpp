// Loads a whole workload YAML through a stream_workload_builder_v1: reads the
// entries, translates them in file order and maps the file's layer ids to the
// builder's, so operand_source references become producer layer ids.
#pragma once

#include "LayerTranslator.hpp"

#include <stream/plugin.h>

#include <cstddef>
#include <functional>
#include <string>
#include <vector>

namespace stream::yaml_frontend {

struct LoadOptions {
    TranslateOptions translate;
    /// Called after each layer with (done, total); returning true stops the load
    /// with STREAM_ERROR_CANCELLED. May be empty.
    std::function<bool(std::size_t, std::size_t)> progress;
};

/// Adds the layers of `layers` (read from `file`) through `builder`; throws sdk::Error.
void add_workload(const std::vector<YamlLayer>& layers, const std::string& file, const LoadOptions& options,
                  const stream_workload_builder_v1& builder);

/// Reads `path` and adds its layers; the network is named after the file's stem.
void load_workload(const std::string& path, const LoadOptions& options, const stream_workload_builder_v1& builder);

} // namespace stream::yaml_frontend
