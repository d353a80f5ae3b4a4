#include "config/TomlFile.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

namespace stream {

namespace fs = std::filesystem;

static SourceLoc from_region(const toml::source_region& r) {
    SourceLoc loc;
    if (r.path) loc.file = *r.path;
    loc.line = r.begin.line;
    loc.column = r.begin.column;
    return loc;
}

toml::table parse_toml_text(std::string_view text, const std::string& source_name) {
    try {
        return toml::parse(text, std::string{source_name});
    } catch (const toml::parse_error& e) {
        SourceLoc loc = from_region(e.source());
        if (loc.file.empty()) loc.file = source_name;
        fail_input(loc, std::string{e.description()});
    }
}

toml::table parse_toml_file(const fs::path& path) {
    std::error_code ec;
    // An ifstream opens a directory on Linux and reads nothing, which would parse as an empty table
    // and surface later as a confusing "missing key" error.
    if (fs::is_directory(path, ec)) fail_input({path.string()}, "is a directory, not a TOML file");
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        const int open_errno = errno;
        fail_input({path.string()}, fs::exists(path, ec) ? fmt::format("cannot read the file ({})", std::strerror(open_errno))
                                                         : std::string{"no such file"});
    }
    std::ostringstream text;
    text << in.rdbuf();
    return parse_toml_text(text.str(), path.string());
}

SourceLoc location_of(const toml::node& node) { return from_region(node.source()); }
SourceLoc location_of(const toml::key& key) { return from_region(key.source()); }

SourceLoc location_of(const toml::table& table, std::string_view key) {
    if (const toml::node* n = table.get(key)) return location_of(*n);
    return location_of(table);
}

std::string node_type_name(const toml::node& node) {
    switch (node.type()) {
    case toml::node_type::table: return "table";
    case toml::node_type::array: return "array";
    case toml::node_type::string: return "string";
    case toml::node_type::integer: return "integer";
    case toml::node_type::floating_point: return "float";
    case toml::node_type::boolean: return "boolean";
    case toml::node_type::date: return "date";
    case toml::node_type::time: return "time";
    case toml::node_type::date_time: return "date-time";
    default: return "nothing";
    }
}

std::string qualified(std::string_view context, std::string_view key) {
    return context.empty() ? std::string{key} : fmt::format("{}.{}", context, key);
}

std::string toml_literal(const toml::node& value) {
    std::ostringstream os;
    value.visit([&](const auto& n) { os << n; });
    return os.str();
}

toml::table parse_value_at(std::string_view literal, const SourceLoc& origin) {
    // Blank lines in front put the value on origin's line: toml++ offers no way to set a region.
    std::string text(origin.line > 1 ? origin.line - 1 : 0, '\n');
    text += "v = ";
    text += literal;
    return toml::parse(text, origin.file);
}

void apply_override(toml::table& root, std::string_view assignment) { apply_override(root, assignment, {"<command line>"}); }

void apply_override(toml::table& root, std::string_view assignment, const SourceLoc& origin) {
    const SourceLoc& where = origin;
    auto eq = assignment.find('=');
    if (eq == std::string_view::npos || eq == 0)
        fail_input(where, fmt::format("--set expects KEY=VALUE (e.g. allocator.time_limit_s=5), got '{}'", assignment));
    std::string path{assignment.substr(0, eq)};
    std::string value{assignment.substr(eq + 1)};
    // A value that is not valid TOML (--set allocator.plugin=gecode, --set output.dir=./out) is
    // taken as a string: nobody should have to quote twice on a shell.
    toml::table parsed;
    try {
        parsed = parse_value_at(value, where);
    } catch (const toml::parse_error&) {
        std::string quoted = "\"";
        for (char c : value) {
            if (c == '"' || c == '\\') quoted += '\\';
            quoted += c;
        }
        parsed = parse_value_at(quoted + "\"", where);
    }
    toml::table* t = &root;
    std::string_view rest{path};
    while (true) {
        auto dot = rest.find('.');
        std::string part{rest.substr(0, dot)};
        if (part.empty()) fail_input(where, fmt::format("--set: empty key component in '{}'", path));
        if (dot == std::string_view::npos) {
            t->insert_or_assign(part, std::move(*parsed.get("v")));
            return;
        }
        toml::node* next = t->get(part);
        if (!next) {
            t->insert(part, toml::table{});
            next = t->get(part);
        }
        if (!next->is_table())
            fail_input(where, fmt::format("--set {}: '{}' is a {}, not a table", path, part, node_type_name(*next)));
        t = next->as_table();
        rest = rest.substr(dot + 1);
    }
}

fs::path resolve_path(const toml::node& node, std::string_view value) {
    fs::path p{std::string{value}};
    if (p.is_absolute()) return p;
    const auto& src = node.source().path;
    if (!src || src->empty() || src->front() == '<' || src->front() == '(') return fs::absolute(p).lexically_normal();
    return (fs::absolute(fs::path{*src}).parent_path() / p).lexically_normal();
}

[[noreturn]] static void wrong_type(const toml::table& t, std::string_view key, std::string_view context,
                                    std::string_view expected) {
    const toml::node& n = *t.get(key);
    fail_input(location_of(n), fmt::format("key '{}': expected {}, got {}", qualified(context, key), expected,
                                           node_type_name(n)));
}

std::optional<std::string> get_string(const toml::table& t, std::string_view key, std::string_view context) {
    const toml::node* n = t.get(key);
    if (!n) return std::nullopt;
    if (!n->is_string()) wrong_type(t, key, context, "a string");
    return n->value<std::string>();
}

std::optional<std::int64_t> get_int(const toml::table& t, std::string_view key, std::string_view context) {
    const toml::node* n = t.get(key);
    if (!n) return std::nullopt;
    if (auto v = n->value<std::int64_t>(); v && !n->is_boolean()) return v;
    wrong_type(t, key, context, "an integer");
}

std::optional<double> get_float(const toml::table& t, std::string_view key, std::string_view context) {
    const toml::node* n = t.get(key);
    if (!n) return std::nullopt;
    if (n->is_number()) return n->value<double>();
    wrong_type(t, key, context, "a number");
}

std::optional<bool> get_bool(const toml::table& t, std::string_view key, std::string_view context) {
    const toml::node* n = t.get(key);
    if (!n) return std::nullopt;
    if (!n->is_boolean()) wrong_type(t, key, context, "a boolean");
    return n->value<bool>();
}

const toml::table* get_table(const toml::table& t, std::string_view key, std::string_view context) {
    const toml::node* n = t.get(key);
    if (!n) return nullptr;
    if (!n->is_table()) wrong_type(t, key, context, "a table");
    return n->as_table();
}

const toml::array* get_array(const toml::table& t, std::string_view key, std::string_view context) {
    const toml::node* n = t.get(key);
    if (!n) return nullptr;
    if (!n->is_array()) wrong_type(t, key, context, "an array");
    return n->as_array();
}

static std::size_t edit_distance(std::string_view a, std::string_view b) {
    std::vector<std::size_t> row(b.size() + 1);
    for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
    for (std::size_t i = 1; i <= a.size(); ++i) {
        std::size_t diag = row[0];
        row[0] = i;
        for (std::size_t j = 1; j <= b.size(); ++j) {
            std::size_t up = row[j];
            row[j] = std::min({row[j] + 1, row[j - 1] + 1, diag + (a[i - 1] == b[j - 1] ? 0 : 1)});
            diag = up;
        }
    }
    return row[b.size()];
}

std::optional<std::string> closest_match(std::string_view word, const std::vector<std::string>& candidates) {
    std::optional<std::string> best;
    std::size_t best_d = std::max<std::size_t>(2, word.size() / 3) + 1;
    for (const auto& c : candidates) {
        std::size_t d = edit_distance(word, c);
        if (d < best_d) {
            best_d = d;
            best = c;
        }
    }
    return best;
}

void reject_unknown_keys(const toml::table& t, std::initializer_list<std::string_view> allowed, std::string_view context) {
    std::vector<std::string> names(allowed.begin(), allowed.end());
    for (auto&& [k, v] : t) {
        if (std::find(names.begin(), names.end(), k.str()) != names.end()) continue;
        std::string msg = fmt::format("unknown key '{}'", qualified(context, k.str()));
        if (auto near = closest_match(k.str(), names)) msg += fmt::format(" (did you mean '{}'?)", *near);
        else msg += fmt::format("; valid keys: {}", fmt::join(names, ", "));
        SourceLoc loc = location_of(k);
        if (!loc.known()) loc = location_of(v);
        fail_input(loc, msg);
    }
}

} // namespace stream
