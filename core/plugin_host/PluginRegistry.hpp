// Finds plugin files, loads each once, and answers "the allocator 'gecode'".
// Search order: directories a pipeline lists, STREAM_DSE_PLUGIN_PATH, then the
// directory beside the executable (build tree and install prefix alike:
// <prefix>/bin/stream-dse finds <prefix>/lib/stream-dse/plugins).
#pragma once

#include "plugin_host/PluginLibrary.hpp"

#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace stream {

struct SearchDir {
    std::filesystem::path path;
    std::string origin; ///< "pipeline", "STREAM_DSE_PLUGIN_PATH", "beside the executable"
};

class PluginRegistry {
public:
    /// Loads every shared library in `dirs` (non-recursive). Files that are not
    /// acceptable plugins, and later files repeating a (kind, id), are refused.
    static PluginRegistry discover(std::vector<SearchDir> dirs);

    /// The standard search path: `extra` (pipeline-listed), then the
    /// environment variable, then the directory beside the executable.
    static std::vector<SearchDir> default_search_path(const std::vector<std::filesystem::path>& extra = {});

    /// The plugin (kind, id); an Error listing what exists and where it looked otherwise.
    std::shared_ptr<const PluginLibrary> get(stream_plugin_kind kind, const std::string& id) const;
    std::shared_ptr<const PluginLibrary> find(stream_plugin_kind kind, const std::string& id) const;
    /// All plugins of a kind, by id.
    std::vector<std::shared_ptr<const PluginLibrary>> of_kind(stream_plugin_kind kind) const;
    std::vector<std::shared_ptr<const PluginLibrary>> all() const;

    const std::vector<SearchDir>& search_dirs() const { return dirs_; }
    const std::vector<Refusal>& refusals() const { return refusals_; }

private:
    std::vector<SearchDir> dirs_;
    std::map<std::pair<stream_plugin_kind, std::string>, std::shared_ptr<const PluginLibrary>> plugins_;
    std::vector<Refusal> refusals_;
};

} // namespace stream
