// A plugin's configuration table, validated against the keys the plugin
// declared, with defaults filled in, and served to the plugin through the C
// ABI's stream_config_v1 getters. Every value remembers where it was written,
// so errors about it (the host's or the plugin's) point at file:line:col.
#pragma once

#include "config/ConfigKey.hpp"
#include "error/Error.hpp"

#include <stream/plugin.h>

#include <cstdint>
#include <map>
#include <memory>
#include <span>
#include <string>
#include <vector>

namespace toml {
inline namespace v3 {
class table;
}
} // namespace toml

namespace stream {

class PluginConfig {
public:
    struct Value {
        stream_value_type type = STREAM_VALUE_STRING;
        bool boolean = false;
        std::int64_t integer = 0;
        double number = 0;
        std::string text; ///< strings and resolved paths
        std::vector<std::int64_t> integers;
        std::vector<double> numbers;
        std::vector<std::string> texts;
        std::unique_ptr<PluginConfig> table;
        SourceLoc where;
        bool is_default = false;
    };

    /// Validates `table` (nullptr = empty) against `keys`. `context` is the
    /// dotted prefix used in messages ("allocator"); keys listed in
    /// `host_keys` belong to the host (e.g. "plugin") and are skipped.
    PluginConfig(const toml::table* table, const SourceLoc& table_loc, std::span<const ConfigKey> keys,
                 std::string context, std::span<const std::string> host_keys = {});
    /// A free-form table (a TABLE-typed key): every value keeps its own type.
    PluginConfig(const toml::table& table, std::string context);
    ~PluginConfig();
    PluginConfig(const PluginConfig&) = delete;
    PluginConfig& operator=(const PluginConfig&) = delete;

    const stream_config_v1* c_view() const { return &view_; }
    const Value* find(const std::string& key) const;
    const std::map<std::string, Value>& values() const { return values_; }
    const std::string& context() const { return context_; }
    const SourceLoc& where() const { return where_; }
    /// The run's compatibility mode handed to the plugin ("stream" or "").
    const std::string& compat() const { return compat_; }
    void set_compat(std::string compat) { compat_ = std::move(compat); }
    /// Location of a key's value, or of the table when the key is absent.
    SourceLoc location(const std::string& key) const;

private:
    std::string compat_;
    void init_view();
    std::map<std::string, Value> values_;
    std::string context_;
    SourceLoc where_;
    stream_config_v1 view_{};
};

/// The value literal of a PluginConfig value, as TOML text (for listings and results.json).
std::string to_toml_literal(const PluginConfig::Value& v);

} // namespace stream
