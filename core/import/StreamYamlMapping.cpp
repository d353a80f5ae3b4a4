#include "import/StreamYamlMapping.hpp"

#include "config/MappingFile.hpp"
#include "import/YamlFile.hpp"

#include <fmt/format.h>

#include <set>

namespace stream {

namespace {

std::vector<TilingFactor> read_tiling(const YamlDoc& doc, const YAML::Node& n, bool inter, const std::string& key) {
    std::vector<TilingFactor> out;
    if (!n.IsDefined() || n.IsNull()) return out;
    if (!n.IsSequence()) fail_input(yaml_location(doc.file, n), fmt::format("'{}': expected a list of \"DIM, factor\" strings", key));
    for (const YAML::Node& item : n) {
        if (!item.IsScalar())
            fail_input(yaml_location(doc.file, item), fmt::format("'{}': expected a \"DIM, factor\" string such as \"OY, all\"", key));
        out.push_back(parse_tiling_text(item.Scalar(), inter, yaml_location(doc.file, item), key));
    }
    return out;
}

bool looks_like_op_type(const std::string& name) {
    return !name.empty() && std::isupper(static_cast<unsigned char>(name.front())) && name.find('/') == std::string::npos;
}

} // namespace

Mapping load_stream_yaml_mapping(const std::filesystem::path& file, const Accelerator& acc) {
    YamlDoc doc = load_yaml_file(file);
    if (!doc.root.IsSequence())
        fail_input(yaml_location(doc.file, doc.root), "a Stream mapping is a list of entries (- name: default ...)");
    static const std::set<std::string> known = {"name", "core_allocation", "core_allocation_is_fixed", "intra_core_tiling",
                                                "inter_core_tiling", "spatial_mapping", "memory_operand_links",
                                                "spatial_mapping_hint", "temporal_ordering"};
    Mapping m;
    m.where = {file.string()};
    for (const YAML::Node& entry : doc.root) {
        SourceLoc where = yaml_location(doc.file, entry);
        if (!entry.IsMap()) fail_input(where, "each mapping entry must be a mapping with at least 'name'");
        std::string name;
        for (const auto& kv : entry) {
            std::string key = kv.first.as<std::string>();
            if (!known.count(key))
                fail_input(yaml_location(doc.file, kv.first), fmt::format("unknown mapping field '{}' (known: name, core_allocation, "
                                                                          "core_allocation_is_fixed, intra_core_tiling, inter_core_tiling)",
                                                                          key));
        }
        if (!entry["name"] || !entry["name"].IsScalar()) fail_input(where, "mapping entry without a 'name'");
        name = entry["name"].Scalar();
        MappingEntry e;
        e.where = where;
        const std::string ctx = fmt::format("entry '{}'", name);
        if (YAML::Node cores = entry["core_allocation"]; cores && !cores.IsNull()) {
            if (!cores.IsSequence() || cores.size() == 0)
                fail_input(yaml_location(doc.file, cores), fmt::format("{}: core_allocation must be a non-empty list of core ids", ctx));
            for (const YAML::Node& c : cores) {
                std::int64_t id = 0;
                try {
                    id = c.as<std::int64_t>();
                } catch (const YAML::Exception&) {
                    fail_input(yaml_location(doc.file, c), fmt::format("{}: core_allocation: '{}' is not a core id", ctx, c.Scalar()));
                }
                check_mapping_core(id, acc, yaml_location(doc.file, c), name + ".core_allocation");
                e.cores.push_back(id);
            }
        } else if (name == "default") {
            // Stream's default for core_allocation is [0].
            e.cores = {0};
        }
        if (YAML::Node f = entry["core_allocation_is_fixed"]; f && !f.IsNull()) {
            try {
                e.fixed = f.as<bool>();
            } catch (const YAML::Exception&) {
                fail_input(yaml_location(doc.file, f), fmt::format("{}: core_allocation_is_fixed must be true or false", ctx));
            }
        }
        if (auto t = read_tiling(doc, entry["intra_core_tiling"], false, name + ".intra_core_tiling"); !t.empty())
            e.intra_core_tiling = std::move(t);
        if (auto t = read_tiling(doc, entry["inter_core_tiling"], true, name + ".inter_core_tiling"); !t.empty())
            e.inter_core_tiling = std::move(t);
        if (name == "default") {
            if (m.default_entry) fail_input(where, "a second 'default' entry");
            m.default_entry = std::move(e);
        } else {
            auto& target = looks_like_op_type(name) ? m.by_op_type : m.by_layer_name;
            if (!target.emplace(name, std::move(e)).second) fail_input(where, fmt::format("a second entry named '{}'", name));
        }
    }
    if (!m.default_entry) fail_input(SourceLoc{file.string()}, "Stream mappings need an entry named 'default'");
    return m;
}

} // namespace stream
