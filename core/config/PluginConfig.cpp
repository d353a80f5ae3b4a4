#include "config/PluginConfig.hpp"

#include "config/TomlFile.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <cmath>
#include <iterator>

namespace stream {

std::string value_type_name(stream_value_type type) {
    switch (type) {
    case STREAM_VALUE_BOOL: return "boolean";
    case STREAM_VALUE_INT: return "integer";
    case STREAM_VALUE_FLOAT: return "float";
    case STREAM_VALUE_STRING: return "string";
    case STREAM_VALUE_PATH: return "path";
    case STREAM_VALUE_INT_ARRAY: return "array of integers";
    case STREAM_VALUE_FLOAT_ARRAY: return "array of floats";
    case STREAM_VALUE_STRING_ARRAY: return "array of strings";
    case STREAM_VALUE_TABLE: return "table";
    default: return fmt::format("type #{}", type);
    }
}

namespace {

std::optional<std::int64_t> as_int(const toml::node& n) {
    if (n.is_integer()) return n.value<std::int64_t>();
    if (n.is_floating_point()) {
        double d = *n.value<double>();
        if (std::isfinite(d) && d == std::floor(d) && std::fabs(d) < 9.2e18) return static_cast<std::int64_t>(d);
    }
    return std::nullopt;
}

std::optional<double> as_number(const toml::node& n) {
    if (n.is_number()) return n.value<double>();
    return std::nullopt;
}

// Converts `node` to the declared type; returns false when it does not fit.
bool convert(const toml::node& node, stream_value_type type, const std::string& context, PluginConfig::Value& out) {
    out.type = type;
    out.where = location_of(node);
    switch (type) {
    case STREAM_VALUE_BOOL:
        if (!node.is_boolean()) return false;
        out.boolean = *node.value<bool>();
        return true;
    case STREAM_VALUE_INT:
        if (auto v = as_int(node)) return out.integer = *v, true;
        return false;
    case STREAM_VALUE_FLOAT:
        if (auto v = as_number(node)) return out.number = *v, true;
        return false;
    case STREAM_VALUE_STRING:
        if (!node.is_string()) return false;
        out.text = *node.value<std::string>();
        return true;
    case STREAM_VALUE_PATH:
        if (!node.is_string()) return false;
        out.text = resolve_path(node, *node.value<std::string>()).string();
        return true;
    case STREAM_VALUE_INT_ARRAY:
    case STREAM_VALUE_FLOAT_ARRAY:
    case STREAM_VALUE_STRING_ARRAY: {
        const toml::array* a = node.as_array();
        if (!a) return false;
        for (const toml::node& e : *a) {
            if (type == STREAM_VALUE_INT_ARRAY) {
                auto v = as_int(e);
                if (!v) return false;
                out.integers.push_back(*v);
            } else if (type == STREAM_VALUE_FLOAT_ARRAY) {
                auto v = as_number(e);
                if (!v) return false;
                out.numbers.push_back(*v);
            } else {
                if (!e.is_string()) return false;
                out.texts.push_back(*e.value<std::string>());
            }
        }
        return true;
    }
    case STREAM_VALUE_TABLE:
        if (!node.is_table()) return false;
        out.table = std::make_unique<PluginConfig>(*node.as_table(), context);
        return true;
    default: return false;
    }
}

stream_value_type natural_type(const toml::node& n) {
    if (n.is_boolean()) return STREAM_VALUE_BOOL;
    if (n.is_integer()) return STREAM_VALUE_INT;
    if (n.is_floating_point()) return STREAM_VALUE_FLOAT;
    if (n.is_table()) return STREAM_VALUE_TABLE;
    if (const toml::array* a = n.as_array()) {
        if (!a->empty() && a->is_homogeneous(toml::node_type::integer)) return STREAM_VALUE_INT_ARRAY;
        if (!a->empty() && std::all_of(a->begin(), a->end(), [](const toml::node& e) { return e.is_number(); }))
            return STREAM_VALUE_FLOAT_ARRAY;
        return STREAM_VALUE_STRING_ARRAY;
    }
    return STREAM_VALUE_STRING;
}

} // namespace

PluginConfig::PluginConfig(const toml::table* table, const SourceLoc& table_loc, std::span<const ConfigKey> keys,
                           std::string context, std::span<const std::string> host_keys)
    : context_(std::move(context)), where_(table_loc) {
    std::vector<std::string> declared;
    for (const ConfigKey& k : keys) declared.push_back(k.key);
    if (table) {
        for (auto&& [key, node] : *table) {
            const std::string name{key.str()};
            if (std::find(host_keys.begin(), host_keys.end(), name) != host_keys.end()) continue;
            auto spec = std::find_if(keys.begin(), keys.end(), [&](const ConfigKey& k) { return k.key == name; });
            SourceLoc kloc = location_of(key);
            if (!kloc.known()) kloc = location_of(node);
            if (spec == keys.end()) {
                std::string msg = fmt::format("unknown key '{}'", qualified(context_, name));
                if (auto near = closest_match(name, declared)) msg += fmt::format(" (did you mean '{}'?)", *near);
                else if (declared.empty()) msg += "; this plugin takes no keys";
                else msg += fmt::format("; valid keys: {}", fmt::join(declared, ", "));
                fail_input(kloc, msg);
            }
            Value v;
            if (!convert(node, spec->type, qualified(context_, name), v))
                fail_input(location_of(node), fmt::format("key '{}': expected {}, got {}", qualified(context_, name),
                                                          value_type_name(spec->type), node_type_name(node)));
            values_.emplace(name, std::move(v));
        }
    }
    for (const ConfigKey& k : keys) {
        if (values_.count(k.key)) continue;
        if (k.required) {
            std::string what = value_type_name(k.type);
            if (!k.doc.empty()) what += ": " + k.doc;
            fail_input(where_, fmt::format("missing required key '{}' ({})", qualified(context_, k.key), what));
        }
        if (!k.default_value) continue;
        // A default that does not parse is the plugin's bug, not the user's.
        toml::table parsed;
        try {
            parsed = toml::parse("v = " + *k.default_value, std::string{"(default)"});
        } catch (const toml::parse_error& e) {
            throw Error(ErrorKind::Plugin, fmt::format("key '{}': the plugin's default '{}' is not a TOML value ({})",
                                                       qualified(context_, k.key), *k.default_value, e.description()));
        }
        Value v;
        if (!convert(*parsed.get("v"), k.type, qualified(context_, k.key), v))
            throw Error(ErrorKind::Plugin, fmt::format("key '{}': the plugin's default '{}' is not a {}",
                                                       qualified(context_, k.key), *k.default_value,
                                                       value_type_name(k.type)));
        v.where = SourceLoc{"(default)"};
        v.is_default = true;
        values_.emplace(k.key, std::move(v));
    }
    init_view();
}

PluginConfig::PluginConfig(const toml::table& table, std::string context)
    : context_(std::move(context)), where_(location_of(table)) {
    for (auto&& [key, node] : table) {
        Value v;
        std::string name{key.str()};
        if (!convert(node, natural_type(node), qualified(context_, name), v))
            fail_input(location_of(node), fmt::format("key '{}': mixed-type arrays are not supported",
                                                      qualified(context_, name)));
        values_.emplace(name, std::move(v));
    }
    init_view();
}

PluginConfig::~PluginConfig() = default;

const PluginConfig::Value* PluginConfig::find(const std::string& key) const {
    auto it = values_.find(key);
    return it == values_.end() ? nullptr : &it->second;
}

SourceLoc PluginConfig::location(const std::string& key) const {
    if (const Value* v = find(key)) return v->where;
    return where_;
}

namespace {

const PluginConfig& self(void* ctx) { return *static_cast<const PluginConfig*>(ctx); }

// Looks the key up; NOT_FOUND / TYPE_MISMATCH as the ABI defines them.
template <class Accept>
stream_status lookup(void* ctx, const char* key, const PluginConfig::Value*& out, Accept accept) {
    if (!key) return STREAM_ERROR_NOT_FOUND;
    const PluginConfig::Value* v = self(ctx).find(key);
    if (!v) return STREAM_ERROR_NOT_FOUND;
    if (!accept(v->type)) return STREAM_ERROR_TYPE_MISMATCH;
    out = v;
    return STREAM_OK;
}

bool is_array(stream_value_type t) {
    return t == STREAM_VALUE_INT_ARRAY || t == STREAM_VALUE_FLOAT_ARRAY || t == STREAM_VALUE_STRING_ARRAY;
}

std::size_t array_size(const PluginConfig::Value& v) {
    switch (v.type) {
    case STREAM_VALUE_INT_ARRAY: return v.integers.size();
    case STREAM_VALUE_FLOAT_ARRAY: return v.numbers.size();
    default: return v.texts.size();
    }
}

int32_t c_has(void* ctx, const char* key) { return key && self(ctx).find(key) ? 1 : 0; }

stream_status c_get_bool(void* ctx, const char* key, int32_t* out) {
    const PluginConfig::Value* v = nullptr;
    stream_status s = lookup(ctx, key, v, [](auto t) { return t == STREAM_VALUE_BOOL; });
    if (s == STREAM_OK) *out = v->boolean ? 1 : 0;
    return s;
}

stream_status c_get_int(void* ctx, const char* key, int64_t* out) {
    const PluginConfig::Value* v = nullptr;
    stream_status s = lookup(ctx, key, v, [](auto t) { return t == STREAM_VALUE_INT; });
    if (s == STREAM_OK) *out = v->integer;
    return s;
}

stream_status c_get_float(void* ctx, const char* key, double* out) {
    const PluginConfig::Value* v = nullptr;
    stream_status s = lookup(ctx, key, v, [](auto t) { return t == STREAM_VALUE_FLOAT || t == STREAM_VALUE_INT; });
    if (s == STREAM_OK) *out = v->type == STREAM_VALUE_INT ? static_cast<double>(v->integer) : v->number;
    return s;
}

stream_status c_get_string(void* ctx, const char* key, const char** out) {
    const PluginConfig::Value* v = nullptr;
    stream_status s = lookup(ctx, key, v, [](auto t) { return t == STREAM_VALUE_STRING || t == STREAM_VALUE_PATH; });
    if (s == STREAM_OK) *out = v->text.c_str();
    return s;
}

stream_status c_get_array_size(void* ctx, const char* key, uint64_t* count) {
    const PluginConfig::Value* v = nullptr;
    stream_status s = lookup(ctx, key, v, is_array);
    if (s == STREAM_OK) *count = array_size(*v);
    return s;
}

stream_status c_get_int_at(void* ctx, const char* key, uint64_t i, int64_t* out) {
    const PluginConfig::Value* v = nullptr;
    stream_status s = lookup(ctx, key, v, [](auto t) { return t == STREAM_VALUE_INT_ARRAY; });
    if (s != STREAM_OK) return s;
    if (i >= v->integers.size()) return STREAM_ERROR_NOT_FOUND;
    *out = v->integers[i];
    return STREAM_OK;
}

stream_status c_get_float_at(void* ctx, const char* key, uint64_t i, double* out) {
    const PluginConfig::Value* v = nullptr;
    stream_status s = lookup(ctx, key, v, [](auto t) { return t == STREAM_VALUE_FLOAT_ARRAY || t == STREAM_VALUE_INT_ARRAY; });
    if (s != STREAM_OK) return s;
    if (i >= array_size(*v)) return STREAM_ERROR_NOT_FOUND;
    *out = v->type == STREAM_VALUE_INT_ARRAY ? static_cast<double>(v->integers[i]) : v->numbers[i];
    return STREAM_OK;
}

stream_status c_get_string_at(void* ctx, const char* key, uint64_t i, const char** out) {
    const PluginConfig::Value* v = nullptr;
    stream_status s = lookup(ctx, key, v, [](auto t) { return t == STREAM_VALUE_STRING_ARRAY; });
    if (s != STREAM_OK) return s;
    if (i >= v->texts.size()) return STREAM_ERROR_NOT_FOUND;
    *out = v->texts[i].c_str();
    return STREAM_OK;
}

stream_status c_get_table(void* ctx, const char* key, const stream_config_v1** out) {
    const PluginConfig::Value* v = nullptr;
    stream_status s = lookup(ctx, key, v, [](auto t) { return t == STREAM_VALUE_TABLE; });
    if (s == STREAM_OK) *out = v->table->c_view();
    return s;
}

stream_status c_location(void* ctx, const char* key, stream_source_location* out) {
    const PluginConfig& c = self(ctx);
    const SourceLoc* loc = &c.where();
    if (key) {
        const PluginConfig::Value* v = c.find(key);
        if (!v) return STREAM_ERROR_NOT_FOUND;
        loc = &v->where;
    }
    out->struct_size = sizeof *out;
    out->file = loc->file.empty() ? nullptr : loc->file.c_str();
    out->line = loc->line;
    out->column = loc->column;
    return STREAM_OK;
}

uint64_t c_key_count(void* ctx) { return self(ctx).values().size(); }

stream_status c_key_at(void* ctx, uint64_t index, const char** out) {
    const auto& values = self(ctx).values();
    if (index >= values.size()) return STREAM_ERROR_NOT_FOUND;
    *out = std::next(values.begin(), static_cast<std::ptrdiff_t>(index))->first.c_str();
    return STREAM_OK;
}

} // namespace

void PluginConfig::init_view() {
    view_ = stream_config_v1{sizeof(stream_config_v1), this,          &c_has,           &c_get_bool,     &c_get_int,
                             &c_get_float,              &c_get_string, &c_get_array_size, &c_get_int_at, &c_get_float_at,
                             &c_get_string_at,          &c_get_table,  &c_location,      &c_key_count,  &c_key_at};
}

std::string to_toml_literal(const PluginConfig::Value& v) {
    auto quote = [](const std::string& s) {
        std::string q = "\"";
        for (char c : s) {
            if (c == '"' || c == '\\') q += '\\';
            q += c;
        }
        return q + "\"";
    };
    switch (v.type) {
    case STREAM_VALUE_BOOL: return v.boolean ? "true" : "false";
    case STREAM_VALUE_INT: return std::to_string(v.integer);
    case STREAM_VALUE_FLOAT: return fmt::format("{}", v.number);
    case STREAM_VALUE_STRING:
    case STREAM_VALUE_PATH: return quote(v.text);
    case STREAM_VALUE_INT_ARRAY: return fmt::format("[{}]", fmt::join(v.integers, ", "));
    case STREAM_VALUE_FLOAT_ARRAY: return fmt::format("[{}]", fmt::join(v.numbers, ", "));
    case STREAM_VALUE_STRING_ARRAY: {
        std::vector<std::string> q;
        for (const auto& s : v.texts) q.push_back(quote(s));
        return fmt::format("[{}]", fmt::join(q, ", "));
    }
    case STREAM_VALUE_TABLE: {
        std::vector<std::string> parts;
        for (const auto& [k, sub] : v.table->values()) parts.push_back(k + " = " + to_toml_literal(sub));
        return fmt::format("{{ {} }}", fmt::join(parts, ", "));
    }
    default: return "?";
    }
}

} // namespace stream
