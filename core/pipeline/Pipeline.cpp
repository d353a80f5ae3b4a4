#include "pipeline/Pipeline.hpp"

#include "config/TomlFile.hpp"
#include "explore/SearchSettings.hpp"

#include <fmt/format.h>

namespace stream {

namespace fs = std::filesystem;

namespace {

const std::vector<std::string> kStages = {"workload", "accelerator", "mapping", "cost", "allocator", "scheduler", "search", "output"};

} // namespace

const std::vector<std::string>& Pipeline::host_keys(std::string_view stage) {
    static const std::vector<std::string> workload = {"file", "plugin"};
    static const std::vector<std::string> plugin = {"plugin"};
    static const std::vector<std::string> none = {};
    if (stage == "workload") return workload;
    if (stage == "cost" || stage == "allocator" || stage == "scheduler") return plugin;
    if (stage == "search") return search_host_keys();
    return none;
}

Pipeline Pipeline::load(const fs::path& file, const std::vector<std::string>& overrides) { return load(file, overrides, {}); }

Pipeline Pipeline::load(const fs::path& file, const std::vector<std::string>& overrides, const std::vector<LocatedOverride>& located) {
    Pipeline p;
    p.file_ = file;
    p.root_ = std::make_unique<toml::table>(parse_toml_file(file));
    for (const std::string& o : overrides) apply_override(*p.root_, o);
    for (const LocatedOverride& o : located) apply_override(*p.root_, o.assignment, o.origin);

    const toml::table& root = *p.root_;
    reject_unknown_keys(root, {"name", "description", "compat", "plugin_paths", "workload", "accelerator", "mapping", "cost",
                               "allocator", "scheduler", "search", "output", "hardware"},
                        "");
    get_string(root, "name", "");
    if (auto compat = get_string(root, "compat", ""); compat && *compat != "stream" && *compat != "none")
        fail_input(location_of(root, "compat"),
                   fmt::format("key 'compat': expected \"stream\" (reproduce Stream's numbers) or \"none\", got \"{}\"", *compat));
    get_string(root, "description", "");
    if (const toml::array* paths = get_array(root, "plugin_paths", ""))
        for (const toml::node& n : *paths)
            if (!n.is_string())
                fail_input(location_of(n), fmt::format("key 'plugin_paths': expected strings, got {}", node_type_name(n)));
    for (const std::string& s : kStages) get_table(root, s, "");
    get_table(root, "hardware", "");
    // The host-owned stages are checked here; plugin stages once their plugin's keys are known.
    if (const toml::table* t = get_table(root, "accelerator", "")) {
        reject_unknown_keys(*t, {"file"}, "accelerator");
        get_string(*t, "file", "accelerator");
    }
    if (const toml::table* t = get_table(root, "mapping", "")) {
        reject_unknown_keys(*t, {"file", "mode", "layer_stacks"}, "mapping");
        get_string(*t, "file", "mapping");
        get_string(*t, "layer_stacks", "mapping");
        if (auto mode = get_string(*t, "mode", "mapping"); mode && *mode != "fused" && *mode != "layer_by_layer")
            fail_input(location_of(*t, "mode"),
                       fmt::format("key 'mapping.mode': expected \"fused\" or \"layer_by_layer\", got \"{}\"", *mode));
    }
    if (const toml::table* t = get_table(root, "output", "")) {
        reject_unknown_keys(*t, {"dir"}, "output");
        get_string(*t, "dir", "output");
    }
    for (std::string_view s : {"workload", "cost", "allocator", "scheduler", "search"})
        if (const toml::table* t = get_table(root, s, "")) get_string(*t, "plugin", s);
    if (const toml::table* t = get_table(root, "workload", "")) get_string(*t, "file", "workload");
    return p;
}

const toml::table* Pipeline::hardware_overrides() const { return root_->get_as<toml::table>("hardware"); }

std::string Pipeline::name() const {
    return get_string(*root_, "name", "").value_or(file_.stem().string());
}

SourceLoc Pipeline::location(std::string_view dotted_key) const {
    if (const toml::node* n = root_->at_path(dotted_key).node()) return location_of(*n);
    auto dot = dotted_key.rfind('.');
    if (dot != std::string_view::npos)
        if (const toml::node* n = root_->at_path(dotted_key.substr(0, dot)).node()) return location_of(*n);
    return {file_.string()};
}

fs::path Pipeline::required_path(std::string_view stage, std::string_view key, std::string_view flag) const {
    const toml::node* n = root_->at_path(fmt::format("{}.{}", stage, key)).node();
    if (!n)
        fail_input(location(stage), fmt::format("missing key '{}.{}': give it in the pipeline or with {}", stage, key, flag));
    return resolve_path(*n, *n->value<std::string>());
}

fs::path Pipeline::workload_file() const { return required_path("workload", "file", "--workload FILE"); }
fs::path Pipeline::accelerator_file() const { return required_path("accelerator", "file", "--hardware FILE"); }
fs::path Pipeline::mapping_file() const { return required_path("mapping", "file", "--mapping FILE"); }

fs::path Pipeline::output_dir() const {
    if (const toml::node* n = root_->at_path("output.dir").node()) return resolve_path(*n, *n->value<std::string>());
    return fs::absolute("stream-dse-out");
}

std::vector<fs::path> Pipeline::plugin_paths() const {
    std::vector<fs::path> out;
    if (const toml::array* a = root_->get_as<toml::array>("plugin_paths"))
        for (const toml::node& n : *a) out.push_back(resolve_path(n, *n.value<std::string>()));
    return out;
}

std::string Pipeline::mode() const {
    if (auto v = root_->at_path("mapping.mode").value<std::string>()) return *v;
    return "fused";
}

bool Pipeline::compat_stream() const { return root_->at_path("compat").value<std::string>().value_or("none") == "stream"; }

std::string Pipeline::layer_stacks() const { return root_->at_path("mapping.layer_stacks").value<std::string>().value_or(""); }

PluginStage Pipeline::stage(std::string_view name) const {
    PluginStage s;
    s.name = std::string{name};
    s.table = root_->get_as<toml::table>(name);
    s.where = s.table ? location_of(*s.table) : SourceLoc{file_.string()};
    if (s.table)
        if (auto p = s.table->get_as<std::string>("plugin")) s.plugin = p->get();
    return s;
}

} // namespace stream
