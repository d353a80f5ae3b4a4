// Reading TOML files into toml++ tables with every error located at
// file:line:col. toml++ is confined to core/config/; the rest of the host sees
// value types or the checked accessors below.
#pragma once

#include "error/Error.hpp"

#include <toml++/toml.h>

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

namespace stream {

/// Parses a TOML file; a missing file or a syntax error is an Error at its location.
toml::table parse_toml_file(const std::filesystem::path& path);
/// Parses TOML text; `source_name` appears in locations.
toml::table parse_toml_text(std::string_view text, const std::string& source_name);

SourceLoc location_of(const toml::node& node);
SourceLoc location_of(const toml::key& key);
/// The location of `table[key]` if present, else of the table itself.
SourceLoc location_of(const toml::table& table, std::string_view key);

/// "integer", "string", "table", ...
std::string node_type_name(const toml::node& node);

/// Applies one `--set a.b.c=value` override: the value is parsed as a TOML
/// value (bare words are taken as strings) and recorded as coming from the
/// command line.
void apply_override(toml::table& root, std::string_view assignment);
/// The same for an assignment written elsewhere (a sweep file): its value resolves paths
/// against `origin`'s file and errors point at `origin`'s line.
void apply_override(toml::table& root, std::string_view assignment, const SourceLoc& origin);

/// A value as TOML text (strings quoted, arrays and tables inline), exact for floats.
std::string toml_literal(const toml::node& value);
/// Parses `literal` as the value of key "v" as if written at `origin` (file and line), so that
/// relative paths resolve against that file and messages point there.
toml::table parse_value_at(std::string_view literal, const SourceLoc& origin);

/// A path written in a TOML file, resolved against that file's directory
/// (values from the command line resolve against the working directory).
std::filesystem::path resolve_path(const toml::node& node, std::string_view value);

/// Checked accessors for the host's own schema; errors name `context.key`.
std::optional<std::string> get_string(const toml::table& t, std::string_view key, std::string_view context);
std::optional<std::int64_t> get_int(const toml::table& t, std::string_view key, std::string_view context);
std::optional<double> get_float(const toml::table& t, std::string_view key, std::string_view context);
std::optional<bool> get_bool(const toml::table& t, std::string_view key, std::string_view context);
const toml::table* get_table(const toml::table& t, std::string_view key, std::string_view context);
const toml::array* get_array(const toml::table& t, std::string_view key, std::string_view context);

/// Rejects keys of `t` not in `allowed`, naming the closest allowed key.
void reject_unknown_keys(const toml::table& t, std::initializer_list<std::string_view> allowed, std::string_view context);

/// "context.key", or "key" when context is empty.
std::string qualified(std::string_view context, std::string_view key);
/// The allowed name closest to `word` (edit distance), if any is close.
std::optional<std::string> closest_match(std::string_view word, const std::vector<std::string>& candidates);

} // namespace stream
