#include "cli/Args.hpp"

#include "config/TomlFile.hpp"
#include "error/Error.hpp"

#include <fmt/format.h>

namespace stream::cli {

std::optional<std::string> ParsedArgs::value(const std::string& name) const {
    auto it = values.find(name);
    if (it == values.end() || it->second.empty()) return std::nullopt;
    return it->second.back();
}

std::vector<std::string> ParsedArgs::all(const std::string& name) const {
    auto it = values.find(name);
    return it == values.end() ? std::vector<std::string>{} : it->second;
}

ParsedArgs parse_args(const std::vector<std::string>& args, const std::vector<OptionSpec>& specs, const std::string& command) {
    const SourceLoc where{"<command line>"};
    ParsedArgs out;
    for (std::size_t i = 0; i < args.size(); ++i) {
        const std::string& a = args[i];
        if (a.size() < 2 || a[0] != '-') {
            out.positionals.push_back(a);
            continue;
        }
        std::string name = a;
        std::optional<std::string> inline_value;
        if (auto eq = a.find('='); a.rfind("--", 0) == 0 && eq != std::string::npos) {
            name = a.substr(0, eq);
            inline_value = a.substr(eq + 1);
        }
        const OptionSpec* spec = nullptr;
        for (const OptionSpec& s : specs)
            if (s.name == name || (!s.short_name.empty() && s.short_name == name)) spec = &s;
        if (!spec) {
            std::vector<std::string> names;
            for (const OptionSpec& s : specs) names.push_back(s.name);
            std::string msg = fmt::format("'{} {}': unknown option '{}'", "stream-dse", command, name);
            if (auto near = closest_match(name, names)) msg += fmt::format(" (did you mean '{}'?)", *near);
            msg += fmt::format("; see 'stream-dse {} --help'", command);
            fail_input(where, msg);
        }
        if (!spec->takes_value) {
            if (inline_value) fail_input(where, fmt::format("option '{}' takes no value", spec->name));
            out.flags[spec->name] = true;
            continue;
        }
        if (!inline_value) {
            if (i + 1 >= args.size()) fail_input(where, fmt::format("option '{}' needs a value ({})", spec->name, spec->value_name));
            inline_value = args[++i];
        }
        out.values[spec->name].push_back(*inline_value);
    }
    return out;
}

std::string options_help(const std::vector<OptionSpec>& specs) {
    std::string s = "Options:\n";
    for (const OptionSpec& o : specs) {
        std::string left = o.short_name.empty() ? o.name : fmt::format("{}, {}", o.short_name, o.name);
        if (o.takes_value) left += " " + o.value_name;
        s += fmt::format("  {:<28} {}\n", left, o.help);
    }
    return s;
}

} // namespace stream::cli
