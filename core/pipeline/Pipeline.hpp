// A pipeline file: which plugin runs each stage and with which keys, plus the
// input files. Paths are relative to the file that wrote them; `--set a.b=v`
// overrides any value and is remembered as coming from the command line.
//
//   compat = "stream"                          (optional: reproduce Stream's numbers)
//   [workload]    file = "model.onnx"        plugin = "onnx" (optional: chosen by file)
//   [accelerator] file = "hardware/system.toml"
//   [mapping]     file = "mapping.toml"      mode = "fused"  layer_stacks = "0-10,11-21"
//   [cost]        plugin = "roofline"        ...that plugin's keys
//   [allocator]   plugin = "fixed"           ...
//   [scheduler]   plugin = "list"            ...
//   [output]      dir = "out"
//   [hardware]    cores.<type>.memories.<memory>.size_bits = ...   (optional: edits the accelerator)
#pragma once

#include "error/Error.hpp"

#include <toml++/toml.h>

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace stream {

/// An override written in a file (a sweep's axis value) rather than on the command line.
struct LocatedOverride {
    std::string assignment; ///< "a.b=value"
    SourceLoc origin;
};

/// One plugin stage: its plugin id and table (the plugin's keys plus "plugin").
struct PluginStage {
    std::string name;                ///< "cost", "allocator", ...
    std::optional<std::string> plugin;
    const toml::table* table = nullptr; ///< inside Pipeline::root; nullptr when the stage is absent
    SourceLoc where;
};

class Pipeline {
public:
    /// Reads `file` and applies `overrides` ("a.b=value"); validates the host's own keys.
    static Pipeline load(const std::filesystem::path& file, const std::vector<std::string>& overrides);
    /// The same, then `located` overrides (applied after the command line's).
    static Pipeline load(const std::filesystem::path& file, const std::vector<std::string>& overrides,
                         const std::vector<LocatedOverride>& located);

    Pipeline(const Pipeline&) = delete;
    Pipeline& operator=(const Pipeline&) = delete;
    Pipeline(Pipeline&&) = default;
    Pipeline& operator=(Pipeline&&) = default;

    const std::filesystem::path& file() const { return file_; }
    const toml::table& root() const { return *root_; }
    std::string name() const;

    std::filesystem::path workload_file() const;
    std::filesystem::path accelerator_file() const;
    std::filesystem::path mapping_file() const;
    std::filesystem::path output_dir() const;
    std::vector<std::filesystem::path> plugin_paths() const;
    /// "fused" or "layer_by_layer".
    std::string mode() const;
    /// `compat = "stream"`: reproduce Stream's behaviour everywhere (docs/compat-stream.md).
    bool compat_stream() const;
    /// Layer stacks as written ("0-10,11-21"), empty when not given.
    std::string layer_stacks() const;
    SourceLoc location(std::string_view dotted_key) const;
    /// The [hardware] table: values changed in the accelerator's files as they are read
    /// (`hardware.cores.<core type>.memories.<memory>.size_bits = ...`); null when absent.
    const toml::table* hardware_overrides() const;

    PluginStage stage(std::string_view name) const;

    /// The host's keys in each plugin stage (everything else belongs to the plugin).
    static const std::vector<std::string>& host_keys(std::string_view stage);

private:
    Pipeline() = default;
    std::filesystem::path required_path(std::string_view stage, std::string_view key, std::string_view flag) const;
    std::filesystem::path file_;
    std::unique_ptr<toml::table> root_;
};

} // namespace stream
