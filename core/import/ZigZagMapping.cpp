#include "import/ZigZagMapping.hpp"

#include "config/MappingFile.hpp"
#include "import/YamlFile.hpp"

#include <fmt/format.h>

#include <set>

namespace stream {

namespace {

std::vector<SpatialUnrolling> read_spatial(const YamlDoc& doc, const YAML::Node& n, const std::string& ctx) {
    if (!n.IsMap()) fail_input(yaml_location(doc.file, n), fmt::format("{}: spatial_mapping must map array dimensions to unrollings", ctx));
    std::vector<SpatialUnrolling> out;
    for (const auto& kv : n) {
        const std::string array_dim = kv.first.as<std::string>();
        if (!kv.second.IsSequence())
            fail_input(yaml_location(doc.file, kv.second), fmt::format("{}: spatial_mapping.{} must be a list like [\"K, 32\"]", ctx, array_dim));
        for (const YAML::Node& u : kv.second) {
            if (!u.IsScalar()) fail_input(yaml_location(doc.file, u), fmt::format("{}: expected \"DIM, factor\"", ctx));
            TilingFactor f = parse_tiling_text(u.Scalar(), false, yaml_location(doc.file, u), ctx + ".spatial_mapping." + array_dim);
            if (f.kind != TilingFactor::Kind::Count)
                fail_input(yaml_location(doc.file, u), fmt::format("{}: a spatial unrolling needs an integer factor", ctx));
            out.push_back({array_dim, f.dim, f.factor});
        }
    }
    return out;
}

// ZigZag's [DIM, size] pairs, innermost first. "*" sizes and the ["*", "*"] separator are
// constraints on LOMA's orderings, which the core model does not take.
std::string read_ordering(const YamlDoc& doc, const YAML::Node& n, const std::string& ctx) {
    if (!n.IsSequence()) fail_input(yaml_location(doc.file, n), fmt::format("{}: temporal_ordering must be a list of [DIM, size]", ctx));
    std::string out;
    for (const YAML::Node& loop : n) {
        if (!loop.IsSequence() || loop.size() != 2 || !loop[0].IsScalar() || !loop[1].IsScalar())
            fail_input(yaml_location(doc.file, loop), fmt::format("{}: temporal_ordering: expected [DIM, size]", ctx));
        if (loop[0].Scalar() == "*" || loop[1].Scalar() == "*")
            fail_input(yaml_location(doc.file, loop),
                       fmt::format("{}: temporal_ordering: \"*\" entries (LOMA constraints) are not supported; give every loop "
                                   "with its size",
                                   ctx));
        out += (out.empty() ? "" : ", ") + loop[0].Scalar() + " " + loop[1].Scalar();
    }
    return out;
}

// ZigZag's {D1: [K], D2: [C, FX]} as "D1: K; D2: C, FX".
std::string read_hint(const YamlDoc& doc, const YAML::Node& n, const std::string& ctx) {
    if (!n.IsMap()) fail_input(yaml_location(doc.file, n), fmt::format("{}: spatial_mapping_hint must map array dimensions to lists of loops", ctx));
    std::string out;
    for (const auto& kv : n) {
        const std::string array_dim = kv.first.as<std::string>();
        if (!kv.second.IsSequence() || kv.second.size() == 0)
            fail_input(yaml_location(doc.file, kv.second), fmt::format("{}: spatial_mapping_hint.{} must be a list like [K, C]", ctx, array_dim));
        std::string dims;
        for (const YAML::Node& d : kv.second) {
            if (!d.IsScalar() || d.Scalar().empty() || d.Scalar().find_first_of(",;:") != std::string::npos)
                fail_input(yaml_location(doc.file, d), fmt::format("{}: spatial_mapping_hint.{}: expected a loop name", ctx, array_dim));
            dims += (dims.empty() ? "" : ", ") + d.Scalar();
        }
        out += (out.empty() ? "" : "; ") + array_dim + ": " + dims;
    }
    return out;
}

bool is_pooling(const std::string& op) { return op.find("Pool") != std::string::npos; }

} // namespace

const ZigZagMapping::Entry* ZigZagMapping::lookup(const Layer& layer) const {
    if (auto it = by_name.find(layer.name); it != by_name.end()) return &it->second;
    if (auto it = by_op_type.find(layer.op_type); it != by_op_type.end()) return &it->second;
    if (is_pooling(layer.op_type))
        if (auto it = by_op_type.find("Pooling"); it != by_op_type.end()) return &it->second;
    return default_entry ? &*default_entry : nullptr;
}

ZigZagMapping load_zigzag_mapping(const std::filesystem::path& file) {
    YamlDoc doc = load_yaml_file(file);
    if (!doc.root.IsSequence())
        fail_input(yaml_location(doc.file, doc.root), "a ZigZag mapping is a list of entries (- name: default ...)");
    static const std::set<std::string> known = {"name", "spatial_mapping", "memory_operand_links", "temporal_ordering",
                                                "spatial_mapping_hint", "core_allocation"};
    ZigZagMapping m;
    for (const YAML::Node& e : doc.root) {
        const SourceLoc where = yaml_location(doc.file, e);
        if (!e.IsMap() || !e["name"]) fail_input(where, "each mapping entry needs a 'name'");
        const std::string name = e["name"].as<std::string>();
        const std::string ctx = fmt::format("entry '{}'", name);
        for (const auto& kv : e)
            if (!known.count(kv.first.as<std::string>()))
                fail_input(yaml_location(doc.file, kv.first), fmt::format("{}: unknown field '{}'", ctx, kv.first.as<std::string>()));
        if (YAML::Node links = e["memory_operand_links"]) {
            // Cores here name memory operands I, W, O for layer operands I, W, O; ZigZag's usual links
            // (O: O, W: I2, I: I1) say the same. Other links would re-route operands: not supported.
            static const std::map<std::string, std::string> usual = {{"O", "O"}, {"W", "I2"}, {"I", "I1"}};
            for (const auto& kv : links) {
                auto it = usual.find(kv.first.as<std::string>());
                if (it == usual.end() || it->second != kv.second.as<std::string>())
                    fail_input(yaml_location(doc.file, kv.first),
                               fmt::format("{}: memory_operand_links {}: {} is not supported (only O: O, W: I2, I: I1)", ctx,
                                           kv.first.as<std::string>(), kv.second.as<std::string>()));
            }
        }
        // An entry with only hints is a spatial mapping left wholly to the generator.
        if (!e["spatial_mapping"] && !e["spatial_mapping_hint"]) continue;
        ZigZagMapping::Entry entry{e["spatial_mapping"] ? read_spatial(doc, e["spatial_mapping"], ctx) : std::vector<SpatialUnrolling>{}, {}, {}};
        if (YAML::Node h = e["spatial_mapping_hint"]) entry.spatial_mapping_hint = read_hint(doc, h, ctx);
        if (YAML::Node t = e["temporal_ordering"]) entry.temporal_ordering = read_ordering(doc, t, ctx);
        if (name == "default") m.default_entry = std::move(entry);
        else if (!name.empty() && std::isupper(static_cast<unsigned char>(name.front())) && name.find('/') == std::string::npos)
            m.by_op_type[name] = std::move(entry);
        else m.by_name[name] = std::move(entry);
    }
    return m;
}

} // namespace stream
