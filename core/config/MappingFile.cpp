#include "config/MappingFile.hpp"

#include "config/TomlFile.hpp"

#include <fmt/format.h>

namespace stream {

namespace {

MappingEntry parse_entry(const toml::node& node, const std::string& ctx, const Accelerator& acc) {
    if (!node.is_table()) fail_input(location_of(node), fmt::format("'{}': expected a table, got {}", ctx, node_type_name(node)));
    const toml::table& t = *node.as_table();
    reject_unknown_keys(t, {"cores"}, ctx);
    MappingEntry e;
    e.where = location_of(t);
    const toml::array* cores = get_array(t, "cores", ctx);
    if (!cores || cores->empty())
        fail_input(location_of(t), fmt::format("'{}': missing 'cores' (a non-empty list of core ids)", ctx));
    for (const toml::node& c : *cores) {
        auto id = c.value<std::int64_t>();
        if (!c.is_integer() || !id)
            fail_input(location_of(c), fmt::format("key '{}.cores': expected core ids (integers), got {}", ctx, node_type_name(c)));
        if (*id < 0 || *id >= static_cast<std::int64_t>(acc.cores.size()))
            fail_input(location_of(c), fmt::format("key '{}.cores': no core {} in accelerator '{}' (cores are 0..{})", ctx,
                                                   *id, acc.name, acc.cores.size() - 1));
        if (acc.cores[static_cast<std::size_t>(*id)].is_offchip)
            fail_input(location_of(c), fmt::format("key '{}.cores': core {} is the off-chip core; it cannot compute", ctx, *id));
        e.cores.push_back(*id);
    }
    return e;
}

} // namespace

Mapping load_mapping(const std::filesystem::path& file, const Accelerator& acc) {
    toml::table root = parse_toml_file(file);
    reject_unknown_keys(root, {"default", "op_types", "layers"}, "");
    Mapping m;
    m.where = {file.string()};
    if (const toml::node* d = root.get("default")) m.default_entry = parse_entry(*d, "default", acc);
    for (std::string_view group : {"op_types", "layers"}) {
        const toml::table* t = get_table(root, group, "");
        if (!t) continue;
        auto& target = group == "op_types" ? m.by_op_type : m.by_layer_name;
        for (auto&& [k, v] : *t) target.emplace(std::string{k.str()}, parse_entry(v, qualified(group, k.str()), acc));
    }
    return m;
}

} // namespace stream
