// Hardware values a pipeline's [hardware] table changes in memory, before the
// accelerator's files are read, so that memory models and every check see the
// changed value (a sweep varies a memory size without writing files).
//
//   cores.<core type>.<path> = v   edits the core-type file whose `name` is <core type>
//   <path> = v                     edits the system file (offchip.bandwidth_bits_per_cycle, ...)
//
// A path component that meets an array of tables picks the entry whose `name`
// equals it (memories.gb, operational_array.dimensions.D1), or the entry at
// that index (links.0). The key being set must already exist or belong to the
// schema; the loader checks the result as if it had been written in the file.
#pragma once

#include <string>
#include <vector>

namespace toml {
inline namespace v3 {
class table;
}
} // namespace toml

namespace stream {

/// Applies the overrides aimed at the system file (all but `cores.<type>`).
void override_system_table(toml::table& system, const toml::table& overrides);
/// Applies `cores.<name>.*` to the core-type file whose `name` key is `name`.
void override_core_type_table(toml::table& core_type, const toml::table& overrides);
/// Fails, at the override, for a `cores.<name>` that names none of `type_names`.
void check_core_type_overrides(const toml::table& overrides, const std::vector<std::string>& type_names,
                               const std::string& accelerator);

} // namespace stream
