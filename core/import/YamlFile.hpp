// Reading YAML files with locations: every problem becomes a stream::Error at
// file:line:col.
#pragma once

#include "error/Error.hpp"

#include <yaml-cpp/yaml.h>

#include <filesystem>
#include <string>

namespace stream {

/// One YAML file being read: its name for locations and its parsed root.
struct YamlDoc {
    std::string file;
    YAML::Node root;
};

SourceLoc yaml_location(const std::string& file, const YAML::Node& node);

/// Parses `path`; syntax errors are reported at their line and column.
YamlDoc load_yaml_file(const std::filesystem::path& path);

} // namespace stream
