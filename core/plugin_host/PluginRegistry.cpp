#include "plugin_host/PluginRegistry.hpp"

#include "error/Error.hpp"
#include "version.hpp"

#include <boost/dll/runtime_symbol_info.hpp>
#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <cstdlib>

namespace stream {

namespace fs = std::filesystem;

std::vector<SearchDir> PluginRegistry::default_search_path(const std::vector<fs::path>& extra) {
    std::vector<SearchDir> dirs;
    for (const auto& p : extra) dirs.push_back({p, "pipeline"});
    if (const char* env = std::getenv("STREAM_DSE_PLUGIN_PATH")) {
        std::string_view rest{env};
        while (!rest.empty()) {
            auto colon = rest.find(':');
            std::string_view part = rest.substr(0, colon);
            if (!part.empty()) dirs.push_back({fs::path{std::string{part}}, "STREAM_DSE_PLUGIN_PATH"});
            if (colon == std::string_view::npos) break;
            rest = rest.substr(colon + 1);
        }
    }
    fs::path exe_dir{boost::dll::program_location().parent_path().string()};
    dirs.push_back({(exe_dir / kPluginDirFromBinDir).lexically_normal(), "beside the executable"});
    return dirs;
}

PluginRegistry PluginRegistry::discover(std::vector<SearchDir> dirs) {
    PluginRegistry reg;
    reg.dirs_ = std::move(dirs);
    for (const SearchDir& dir : reg.dirs_) {
        std::error_code ec;
        if (!fs::is_directory(dir.path, ec)) continue;
        std::vector<fs::path> files;
        for (const auto& entry : fs::directory_iterator(dir.path, ec))
            if (entry.is_regular_file(ec) && entry.path().extension() == ".so") files.push_back(entry.path());
        std::sort(files.begin(), files.end()); // deterministic duplicate resolution
        for (const fs::path& file : files) {
            auto loaded = load_plugin_library(file);
            if (auto* refusal = std::get_if<Refusal>(&loaded)) {
                reg.refusals_.push_back(*refusal);
                continue;
            }
            auto lib = std::get<std::shared_ptr<const PluginLibrary>>(loaded);
            auto key = std::make_pair(lib->info().kind, lib->info().id);
            auto [it, inserted] = reg.plugins_.emplace(key, lib);
            if (!inserted)
                reg.refusals_.push_back({file, fmt::format("duplicate {} plugin id '{}': already loaded from {}",
                                                           kind_name(key.first), key.second, it->second->path().string())});
        }
    }
    return reg;
}

std::shared_ptr<const PluginLibrary> PluginRegistry::find(stream_plugin_kind kind, const std::string& id) const {
    auto it = plugins_.find({kind, id});
    return it == plugins_.end() ? nullptr : it->second;
}

std::shared_ptr<const PluginLibrary> PluginRegistry::get(stream_plugin_kind kind, const std::string& id) const {
    if (auto lib = find(kind, id)) return lib;
    std::vector<std::string> ids;
    for (const auto& lib : of_kind(kind)) ids.push_back(lib->info().id);
    std::string msg = fmt::format("no {} plugin '{}'", kind_name(kind), id);
    msg += ids.empty() ? fmt::format("; no {} plugins were found", kind_name(kind))
                       : fmt::format("; available: {}", fmt::join(ids, ", "));
    std::vector<std::string> tried;
    for (const auto& d : dirs_) tried.push_back(fmt::format("{} ({})", d.path.string(), d.origin));
    msg += fmt::format("; searched: {}", fmt::join(tried, ", "));
    for (const auto& r : refusals_)
        if (r.path.stem().string().find(id) != std::string::npos)
            msg += fmt::format("; refused {}: {}", r.path.string(), r.reason);
    throw Error(ErrorKind::BadInput, msg);
}

std::vector<std::shared_ptr<const PluginLibrary>> PluginRegistry::of_kind(stream_plugin_kind kind) const {
    std::vector<std::shared_ptr<const PluginLibrary>> out;
    for (const auto& [key, lib] : plugins_)
        if (key.first == kind) out.push_back(lib);
    return out;
}

std::vector<std::shared_ptr<const PluginLibrary>> PluginRegistry::all() const {
    std::vector<std::shared_ptr<const PluginLibrary>> out;
    for (const auto& [key, lib] : plugins_) out.push_back(lib);
    return out;
}

} // namespace stream
