#include "config/AcceleratorOverrides.hpp"

#include "config/TomlFile.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <charconv>
#include <functional>

namespace stream {

namespace {

using Path = std::vector<std::string>;

/// Every non-table value of `t` with its path of keys.
void for_each_leaf(const toml::table& t, Path& path, const std::function<void(const Path&, const toml::node&)>& visit) {
    for (auto&& [key, node] : t) {
        path.emplace_back(key.str());
        if (const toml::table* sub = node.as_table()) for_each_leaf(*sub, path, visit);
        else visit(path, node);
        path.pop_back();
    }
}

std::string joined(const Path& path, std::size_t end) {
    std::string s = "hardware";
    for (std::size_t i = 0; i < end; ++i) s += "." + path[i];
    return s;
}

/// The entry of an array of tables named `part`, or at index `part`; null if none.
toml::node* array_entry(toml::array& a, const std::string& part, std::size_t* index) {
    for (std::size_t i = 0; i < a.size(); ++i)
        if (const toml::table* t = a.get(i)->as_table())
            if (auto name = t->get_as<std::string>("name"); name && name->get() == part) return *index = i, a.get(i);
    std::size_t i = 0;
    auto [ptr, ec] = std::from_chars(part.data(), part.data() + part.size(), i);
    if (ec == std::errc{} && ptr == part.data() + part.size() && i < a.size()) return *index = i, a.get(i);
    return nullptr;
}

std::string entry_names(const toml::array& a) {
    std::vector<std::string> names;
    for (const toml::node& n : a)
        if (const toml::table* t = n.as_table())
            if (auto name = t->get_as<std::string>("name")) names.push_back(name->get());
    if (names.empty()) return fmt::format("indices 0..{}", a.size() == 0 ? 0 : a.size() - 1);
    return fmt::format("{} or an index", fmt::join(names, ", "));
}

/// Sets path[begin..] inside `target` to a copy of `value` that keeps the override's location.
void set_at(toml::table& target, const Path& path, std::size_t begin, const toml::node& value) {
    const SourceLoc where = location_of(value);
    toml::node* cur = &target;
    for (std::size_t i = begin; i + 1 < path.size(); ++i) {
        toml::node* next = nullptr;
        std::size_t index = 0;
        if (toml::table* t = cur->as_table()) {
            next = t->get(path[i]);
            if (!next) fail_input(where, fmt::format("key '{}': the hardware file has no '{}' here", joined(path, i + 1), path[i]));
        } else if (toml::array* a = cur->as_array()) {
            next = array_entry(*a, path[i], &index);
            if (!next)
                fail_input(where, fmt::format("key '{}': no entry '{}' (entries: {})", joined(path, i + 1), path[i], entry_names(*a)));
        } else {
            fail_input(where, fmt::format("key '{}': '{}' is a {}, not a table", joined(path, i + 1), path[i - 1], node_type_name(*cur)));
        }
        cur = next;
    }
    toml::table copy = parse_value_at(toml_literal(value), where);
    const std::string& last = path.back();
    if (toml::table* t = cur->as_table()) {
        t->insert_or_assign(last, std::move(*copy.get("v")));
    } else if (toml::array* a = cur->as_array()) {
        std::size_t index = 0;
        if (!array_entry(*a, last, &index))
            fail_input(where, fmt::format("key '{}': no entry '{}' (entries: {})", joined(path, path.size()), last, entry_names(*a)));
        a->replace(a->cbegin() + static_cast<std::ptrdiff_t>(index), std::move(*copy.get("v")));
    } else {
        fail_input(where, fmt::format("key '{}': the value before '{}' is a {}, not a table", joined(path, path.size()), last,
                                      node_type_name(*cur)));
    }
}

bool targets_core_type(const Path& path) { return path.size() >= 3 && path[0] == "cores"; }

} // namespace

void override_system_table(toml::table& system, const toml::table& overrides) {
    Path path;
    for_each_leaf(overrides, path, [&](const Path& p, const toml::node& value) {
        if (!targets_core_type(p)) set_at(system, p, 0, value);
    });
}

void override_core_type_table(toml::table& core_type, const toml::table& overrides) {
    auto name = core_type.get_as<std::string>("name");
    if (!name) return; // the loader reports the missing name
    Path path;
    for_each_leaf(overrides, path, [&](const Path& p, const toml::node& value) {
        if (targets_core_type(p) && p[1] == name->get()) set_at(core_type, p, 2, value);
    });
}

void check_core_type_overrides(const toml::table& overrides, const std::vector<std::string>& type_names, const std::string& accelerator) {
    const toml::table* cores = overrides.get_as<toml::table>("cores");
    if (!cores) return;
    for (auto&& [key, node] : *cores) {
        std::string name{key.str()};
        if (std::find(type_names.begin(), type_names.end(), name) != type_names.end()) continue;
        if (!node.is_table())
            fail_input(location_of(node), fmt::format("key 'hardware.cores.{}': expected a table of the core type's values, got {}",
                                                      name, node_type_name(node)));
        fail_input(location_of(key), fmt::format("key 'hardware.cores.{}': accelerator '{}' has no core type named '{}' "
                                                 "(core types: {})",
                                                 name, accelerator, name, fmt::join(type_names, ", ")));
    }
}

} // namespace stream
