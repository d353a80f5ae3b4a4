// A small command-line parser: one subcommand, positionals, options that take
// a value (repeatable), and flags. Unknown options are errors that name the
// closest known option.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace stream::cli {

struct OptionSpec {
    std::string name;      ///< "--workload"
    std::string short_name; ///< "-v" or empty
    bool takes_value = false;
    std::string value_name; ///< "FILE"
    std::string help;
};

struct ParsedArgs {
    std::vector<std::string> positionals;
    std::map<std::string, std::vector<std::string>> values; ///< by long name
    std::map<std::string, bool> flags;

    bool flag(const std::string& name) const { return flags.count(name) > 0; }
    std::optional<std::string> value(const std::string& name) const;
    std::vector<std::string> all(const std::string& name) const;
};

/// Parses `args` (without the program and subcommand names); throws stream::Error (BadInput).
ParsedArgs parse_args(const std::vector<std::string>& args, const std::vector<OptionSpec>& specs, const std::string& command);

/// The options block of a --help text.
std::string options_help(const std::vector<OptionSpec>& specs);

} // namespace stream::cli
