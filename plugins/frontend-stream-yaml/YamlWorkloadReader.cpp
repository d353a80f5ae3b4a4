#include "YamlWorkloadReader.hpp"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace stream::yaml_frontend {

namespace {

std::uint32_t one_based(int zero_based) { return zero_based < 0 ? 0 : static_cast<std::uint32_t>(zero_based) + 1; }

sdk::Error file_error(const std::string& file, const YAML::Mark& mark, const std::string& message) {
    return sdk::Error(STREAM_ERROR_INVALID_INPUT, message, sdk::Item::file_at(file, one_based(mark.line), one_based(mark.column)));
}

/// Reads the fields of one entry; errors name the entry's layer and, for an
/// ill-typed value, the value's own position.
class EntryReader {
public:
    EntryReader(const std::string& file, const YAML::Node& entry, YamlLayer& layer) : file_(file), entry_(entry), layer_(layer) {}

    [[noreturn]] void fail(const std::string& message) const { throw layer_error(file_, layer_, message); }

    [[noreturn]] void fail_at(const YAML::Node& node, const std::string& message) const {
        sdk::Error e = layer_error(file_, layer_, message);
        sdk::Item item = *e.item();
        item.line = one_based(node.Mark().line);
        item.column = one_based(node.Mark().column);
        throw sdk::Error(e.status(), e.what(), std::move(item));
    }

    /// The value of `key`, or an undefined node when absent or null.
    YAML::Node field(const char* key) const {
        YAML::Node n = entry_[key];
        if (!n || n.IsNull()) return YAML::Node(YAML::NodeType::Undefined);
        return n;
    }
    YAML::Node required(const char* key) const {
        YAML::Node n = field(key);
        if (!n.IsDefined()) fail(std::string("missing required field '") + key + "'");
        return n;
    }

    std::string scalar(const YAML::Node& n, const char* what) const {
        if (!n.IsScalar()) fail_at(n, std::string(what) + " must be a string");
        return n.Scalar();
    }
    std::int64_t integer(const YAML::Node& n, const char* what) const {
        if (n.IsScalar()) {
            try {
                return n.as<std::int64_t>();
            } catch (const YAML::Exception&) {
            }
        }
        fail_at(n, std::string(what) + " must be an integer" + (n.IsScalar() ? ", not '" + n.Scalar() + "'" : ""));
    }
    YAML::Node sequence(const YAML::Node& n, const char* what) const {
        if (!n.IsSequence()) fail_at(n, std::string(what) + " must be a list");
        return n;
    }
    std::vector<std::string> strings(const char* key) const {
        std::vector<std::string> out;
        YAML::Node n = field(key);
        if (!n.IsDefined()) return out;
        for (const YAML::Node& v : sequence(n, key)) out.push_back(scalar(v, key));
        return out;
    }
    std::vector<std::int64_t> integers(const YAML::Node& n, const char* what) const {
        std::vector<std::int64_t> out;
        for (const YAML::Node& v : sequence(n, what)) out.push_back(integer(v, what));
        return out;
    }
    std::vector<std::pair<std::string, std::int64_t>> int_map(const char* key) const {
        std::vector<std::pair<std::string, std::int64_t>> out;
        YAML::Node n = field(key);
        if (!n.IsDefined()) return out;
        if (!n.IsMap()) fail_at(n, std::string(key) + " must be a map of operand names to integers");
        for (const auto& kv : n) {
            const std::string name = scalar(kv.first, key);
            if (kv.second.IsNull()) continue;
            out.emplace_back(name, integer(kv.second, (std::string(key) + " of " + name).c_str()));
        }
        return out;
    }

    void read() {
        // The id and name first: every later message names the layer.
        const YAML::Node id = field("id");
        if (!id.IsDefined())
            throw sdk::Error(STREAM_ERROR_INVALID_INPUT, "layer entry: missing required field 'id'",
                             sdk::Item::file_at(file_, layer_.line, layer_.column));
        layer_.id = integer(id, "id");
        layer_.name = "Layer" + std::to_string(layer_.id);
        if (const YAML::Node name = field("name"); name.IsDefined()) {
            std::string n = scalar(name, "name");
            if (!n.empty()) layer_.name = std::move(n);
        }
        layer_.operator_type = scalar(required("operator_type"), "operator_type");
        layer_.equation = scalar(required("equation"), "equation");
        layer_.dimension_relations = strings("dimension_relations");
        required("loop_dims");
        layer_.loop_dims = strings("loop_dims");
        layer_.loop_sizes = integers(required("loop_sizes"), "loop_sizes");
        layer_.operand_precision = int_map("operand_precision");
        layer_.operand_source = int_map("operand_source");
        layer_.constant_operands = strings("constant_operands");
        layer_.pr_loop_dims = strings("pr_loop_dims");
        if (const YAML::Node n = field("pr_loop_sizes"); n.IsDefined()) layer_.pr_loop_sizes = integers(n, "pr_loop_sizes");
        if (const YAML::Node n = field("padding"); n.IsDefined()) {
            std::vector<std::array<std::int64_t, 2>> padding;
            for (const YAML::Node& p : sequence(n, "padding")) {
                const std::vector<std::int64_t> pair = integers(p, "each padding entry");
                if (pair.size() != 2) fail_at(p, "each padding entry must be [begin, end]");
                padding.push_back({pair[0], pair[1]});
            }
            layer_.padding = std::move(padding);
        }
    }

private:
    const std::string& file_;
    const YAML::Node& entry_;
    YamlLayer& layer_;
};

std::vector<YamlLayer> read_root(const YAML::Node& root, const std::string& file) {
    if (!root.IsSequence())
        throw file_error(file, root.Mark(), "a workload YAML must be a list of layers (each with id, operator_type, equation, loop_dims, loop_sizes)");
    std::vector<YamlLayer> layers;
    for (const YAML::Node& entry : root) {
        YamlLayer layer;
        layer.line = one_based(entry.Mark().line);
        layer.column = one_based(entry.Mark().column);
        if (!entry.IsMap()) throw file_error(file, entry.Mark(), "each workload entry must be a map describing one layer");
        EntryReader(file, entry, layer).read();
        layers.push_back(std::move(layer));
    }
    if (layers.empty()) throw file_error(file, root.Mark(), "the workload has no layers");
    return layers;
}

YAML::Node parse(const std::string& text, const std::string& file) {
    try {
        return YAML::Load(text);
    } catch (const YAML::ParserException& e) {
        throw file_error(file, e.mark, "YAML syntax error: " + e.msg);
    } catch (const YAML::Exception& e) {
        throw file_error(file, e.mark, std::string("cannot read the YAML: ") + e.what());
    }
}

} // namespace

std::vector<YamlLayer> read_workload_text(const std::string& text, const std::string& file) {
    const YAML::Node root = parse(text, file);
    try {
        return read_root(root, file);
    } catch (const YAML::Exception& e) {
        // Not expected (every access above is checked), but never let one escape as a crash.
        throw file_error(file, e.mark, std::string("cannot read the workload: ") + e.what());
    }
}

std::vector<YamlLayer> read_workload_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw sdk::Error(STREAM_ERROR_INVALID_INPUT, "cannot open the workload file", sdk::Item::file_at(path, 0));
    std::ostringstream text;
    text << in.rdbuf();
    if (in.bad()) throw sdk::Error(STREAM_ERROR_INVALID_INPUT, "cannot read the workload file", sdk::Item::file_at(path, 0));
    return read_workload_text(text.str(), path);
}

bool looks_like_workload(const std::string& path) noexcept {
    try {
        std::string ext = std::filesystem::path(path).extension().string();
        std::transform(ext.begin(), ext.end(), ext.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
        if (ext != ".yaml" && ext != ".yml") return false;
        std::ifstream in(path, std::ios::binary);
        if (!in) return false;
        std::ostringstream text;
        text << in.rdbuf();
        YAML::Node root;
        try {
            root = YAML::Load(text.str());
        } catch (const YAML::ParserException&) {
            // A .yaml file that does not parse: claiming it lets load() report the
            // syntax error at its line and column (no other frontend reads YAML).
            return true;
        }
        if (!root.IsSequence() || root.size() == 0) return false;
        const YAML::Node first = root[0];
        return first.IsMap() && (first["equation"] || first["operator_type"]);
    } catch (...) {
        return false;
    }
}

} // namespace stream::yaml_frontend
