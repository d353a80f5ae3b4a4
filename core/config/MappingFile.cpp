#include "config/MappingFile.hpp"

#include "config/TomlFile.hpp"
#include "import/StreamYamlMapping.hpp"

#include <fmt/format.h>

#include <cctype>
#include <charconv>

namespace stream {

namespace {

std::string_view trim(std::string_view s) {
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
    return s;
}

TilingFactor make_factor(std::string dim, std::string_view factor, bool inter, const SourceLoc& where, std::string_view key) {
    if (dim.empty()) fail_input(where, fmt::format("key '{}': a tiling entry needs a loop dimension name", key));
    TilingFactor f;
    f.dim = std::move(dim);
    f.where = where;
    if (factor == "all") {
        f.kind = TilingFactor::Kind::All;
    } else if (factor == "search") {
        f.kind = TilingFactor::Kind::Search;
    } else if (factor == "*") {
        if (!inter)
            fail_input(where, fmt::format("key '{}': \"*\" (as many tiles as cores) only applies to inter_core_tiling", key));
        f.kind = TilingFactor::Kind::Star;
    } else {
        std::int64_t v = 0;
        auto [p, ec] = std::from_chars(factor.data(), factor.data() + factor.size(), v);
        if (ec != std::errc{} || p != factor.data() + factor.size() || v < 1)
            fail_input(where, fmt::format("key '{}': tiling factor '{}' of {} must be a positive integer, \"all\", \"search\"{}", key,
                                          factor, f.dim, inter ? " or \"*\"" : ""));
        f.factor = v;
    }
    return f;
}

std::vector<TilingFactor> parse_tiling(const toml::array& a, bool inter, std::string_view key) {
    std::vector<TilingFactor> out;
    for (const toml::node& item : a) {
        SourceLoc where = location_of(item);
        if (auto s = item.value<std::string>()) {
            out.push_back(parse_tiling_text(*s, inter, where, key));
            continue;
        }
        const toml::array* pair = item.as_array();
        if (!pair || pair->size() != 2 || !(*pair)[0].is_string())
            fail_input(where, fmt::format("key '{}': expected [\"DIM\", factor] pairs, e.g. [[\"OY\", \"all\"]], got {}", key,
                                          node_type_name(item)));
        std::string dim = *(*pair)[0].value<std::string>();
        const toml::node& f = (*pair)[1];
        std::string factor;
        if (f.is_integer()) factor = std::to_string(*f.value<std::int64_t>());
        else if (f.is_string()) factor = *f.value<std::string>();
        else fail_input(location_of(f), fmt::format("key '{}': the factor of {} must be an integer, \"all\", \"search\" or \"*\"", key, dim));
        out.push_back(make_factor(dim, factor, inter, location_of(f), key));
    }
    return out;
}

MappingEntry parse_entry(const toml::node& node, const std::string& ctx, const Accelerator& acc, bool is_default) {
    if (!node.is_table()) fail_input(location_of(node), fmt::format("'{}': expected a table, got {}", ctx, node_type_name(node)));
    const toml::table& t = *node.as_table();
    reject_unknown_keys(t, {"cores", "fixed", "intra_core_tiling", "inter_core_tiling"}, ctx);
    MappingEntry e;
    e.where = location_of(t);
    if (const toml::array* cores = get_array(t, "cores", ctx)) {
        if (cores->empty()) fail_input(location_of(t, "cores"), fmt::format("key '{}.cores': the list is empty", ctx));
        for (const toml::node& c : *cores) {
            auto id = c.value<std::int64_t>();
            if (!c.is_integer() || !id)
                fail_input(location_of(c), fmt::format("key '{}.cores': expected core ids (integers), got {}", ctx, node_type_name(c)));
            check_mapping_core(*id, acc, location_of(c), ctx + ".cores");
            e.cores.push_back(*id);
        }
    } else if (is_default) {
        fail_input(location_of(t), fmt::format("'{}': missing 'cores' (a non-empty list of core ids)", ctx));
    }
    e.fixed = get_bool(t, "fixed", ctx);
    if (const toml::array* a = get_array(t, "intra_core_tiling", ctx))
        e.intra_core_tiling = parse_tiling(*a, false, ctx + ".intra_core_tiling");
    if (const toml::array* a = get_array(t, "inter_core_tiling", ctx))
        e.inter_core_tiling = parse_tiling(*a, true, ctx + ".inter_core_tiling");
    return e;
}

Mapping load_toml_mapping(const std::filesystem::path& file, const Accelerator& acc) {
    toml::table root = parse_toml_file(file);
    reject_unknown_keys(root, {"default", "op_types", "layers"}, "");
    Mapping m;
    m.where = {file.string()};
    if (const toml::node* d = root.get("default")) m.default_entry = parse_entry(*d, "default", acc, true);
    for (std::string_view group : {"op_types", "layers"}) {
        const toml::table* t = get_table(root, group, "");
        if (!t) continue;
        auto& target = group == "op_types" ? m.by_op_type : m.by_layer_name;
        for (auto&& [k, v] : *t) target.emplace(std::string{k.str()}, parse_entry(v, qualified(group, k.str()), acc, false));
    }
    return m;
}

} // namespace

TilingFactor parse_tiling_text(std::string_view text, bool inter, const SourceLoc& where, std::string_view key) {
    auto comma = text.find(',');
    if (comma == std::string_view::npos)
        fail_input(where, fmt::format("key '{}': tiling entry '{}' is not \"DIM, factor\" (e.g. \"OY, all\")", key, text));
    return make_factor(std::string(trim(text.substr(0, comma))), trim(text.substr(comma + 1)), inter, where, key);
}

void check_mapping_core(std::int64_t core, const Accelerator& acc, const SourceLoc& where, std::string_view key) {
    if (core < 0 || core >= static_cast<std::int64_t>(acc.cores.size()))
        fail_input(where, fmt::format("key '{}': no core {} in accelerator '{}' (cores are 0..{})", key, core, acc.name,
                                      acc.cores.size() - 1));
    if (acc.cores[static_cast<std::size_t>(core)].is_offchip)
        fail_input(where, fmt::format("key '{}': core {} is the off-chip core; it cannot compute", key, core));
}

Mapping load_mapping(const std::filesystem::path& file, const Accelerator& acc) {
    auto ext = file.extension().string();
    if (ext == ".yaml" || ext == ".yml") return load_stream_yaml_mapping(file, acc);
    return load_toml_mapping(file, acc);
}

} // namespace stream
