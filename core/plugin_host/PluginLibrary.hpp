// One loaded plugin file: the shared library, kept open for as long as this
// object lives, and a host-owned copy of the plugin's self-description.
// Anything that holds a pointer into the plugin (an instance, a vtable) also
// holds a shared_ptr<const PluginLibrary>, so a library outlives all it created.
#pragma once

#include "config/ConfigKey.hpp"

#include <stream/plugin.h>

#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace boost::dll {
class shared_library;
}

namespace stream {

/// "frontend", "core_model", ...; "unknown kind N" for anything else.
std::string kind_name(stream_plugin_kind kind);
/// The kind a name designates, or nullopt ("core-model" is accepted for "core_model").
std::optional<stream_plugin_kind> parse_kind(std::string_view name);
std::vector<stream_plugin_kind> all_kinds();

struct PluginInfo {
    stream_plugin_kind kind = 0;
    std::string id;
    std::string name;
    std::string version;
    std::string summary;
    std::uint16_t abi_major = 0;
    std::uint16_t abi_minor = 0;
    std::uint64_t flags = 0;
    std::vector<ConfigKey> keys;
    bool thread_safe() const { return (flags & STREAM_PLUGIN_THREAD_SAFE) != 0; }
};

class PluginLibrary {
public:
    PluginLibrary(std::unique_ptr<boost::dll::shared_library> lib, std::filesystem::path path, PluginInfo info,
                  const stream_plugin_descriptor* descriptor);
    ~PluginLibrary();
    PluginLibrary(const PluginLibrary&) = delete;
    PluginLibrary& operator=(const PluginLibrary&) = delete;

    const PluginInfo& info() const { return info_; }
    const std::filesystem::path& path() const { return path_; }
    /// The kind's vtable; valid while this object lives. Its struct_size was checked at load.
    const void* vtable() const { return descriptor_->vtable; }
    /// The plugin's extension table `id`, or nullptr.
    const void* extension(const char* id) const;
    /// "plugin 'roofline' (core_model, /path/stream-core-model-roofline.so)"
    std::string describe() const;

private:
    std::unique_ptr<boost::dll::shared_library> lib_;
    std::filesystem::path path_;
    PluginInfo info_;
    const stream_plugin_descriptor* descriptor_;
};

/// Why a file was not accepted as a plugin; the text names the reason only
/// (callers prefix the file).
struct Refusal {
    std::filesystem::path path;
    std::string reason;
};

/// Loads `path` (symbols resolved eagerly, never with RTLD_GLOBAL) and checks
/// the descriptor: entry symbol, ABI major, struct sizes, identity fields.
std::variant<std::shared_ptr<const PluginLibrary>, Refusal> load_plugin_library(const std::filesystem::path& path);

/// The size of a kind's v1.0 vtable (what a plugin must provide at least).
std::size_t minimum_vtable_size(stream_plugin_kind kind);

} // namespace stream
