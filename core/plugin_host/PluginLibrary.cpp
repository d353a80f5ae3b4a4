#include "plugin_host/PluginLibrary.hpp"

#include "version.hpp"

#include <boost/dll/shared_library.hpp>
#include <dlfcn.h>
#include <fmt/format.h>

#include <cctype>
#include <cstddef>

namespace stream {

namespace fs = std::filesystem;

std::string kind_name(stream_plugin_kind kind) {
    switch (kind) {
    case STREAM_KIND_FRONTEND: return "frontend";
    case STREAM_KIND_CORE_MODEL: return "core_model";
    case STREAM_KIND_MEMORY_MODEL: return "memory_model";
    case STREAM_KIND_ALLOCATOR: return "allocator";
    case STREAM_KIND_SCHEDULER: return "scheduler";
    case STREAM_KIND_EXPLORER: return "explorer";
    default: return fmt::format("unknown kind {}", kind);
    }
}

std::vector<stream_plugin_kind> all_kinds() {
    return {STREAM_KIND_FRONTEND, STREAM_KIND_CORE_MODEL, STREAM_KIND_MEMORY_MODEL, STREAM_KIND_ALLOCATOR,
            STREAM_KIND_SCHEDULER, STREAM_KIND_EXPLORER};
}

std::optional<stream_plugin_kind> parse_kind(std::string_view name) {
    std::string n{name};
    for (char& c : n)
        if (c == '-') c = '_';
    for (stream_plugin_kind k : all_kinds())
        if (kind_name(k) == n) return k;
    return std::nullopt;
}

std::size_t minimum_vtable_size(stream_plugin_kind kind) {
    switch (kind) {
    case STREAM_KIND_FRONTEND: return sizeof(stream_frontend_v1);
    case STREAM_KIND_CORE_MODEL: return sizeof(stream_core_model_v1);
    case STREAM_KIND_MEMORY_MODEL: return sizeof(stream_memory_model_v1);
    case STREAM_KIND_ALLOCATOR: return sizeof(stream_allocator_v1);
    case STREAM_KIND_SCHEDULER: return sizeof(stream_scheduler_v1);
    case STREAM_KIND_EXPLORER: return sizeof(stream_explorer_v1); // the kind is new in 1.2: no smaller table exists
    default: return 0;
    }
}

PluginLibrary::PluginLibrary(std::unique_ptr<boost::dll::shared_library> lib, fs::path path, PluginInfo info,
                             const stream_plugin_descriptor* descriptor)
    : lib_(std::move(lib)), path_(std::move(path)), info_(std::move(info)), descriptor_(descriptor) {}

PluginLibrary::~PluginLibrary() = default;

const void* PluginLibrary::extension(const char* id) const {
    if (!descriptor_->get_extension) return nullptr;
    return descriptor_->get_extension(id);
}

std::string PluginLibrary::describe() const {
    return fmt::format("plugin '{}' ({}, {})", info_.id, kind_name(info_.kind), path_.string());
}

namespace {

// The size of the v1.0 descriptor: every field up to get_extension.
constexpr std::size_t kDescriptorV10Size = offsetof(stream_plugin_descriptor, get_extension) + sizeof(void*);
constexpr std::size_t kConfigKeyV10Size = offsetof(stream_config_key, doc) + sizeof(const char*);

struct EntryContext {
    std::string refusal;
};

void on_refuse(void* ctx, const char* reason) {
    static_cast<EntryContext*>(ctx)->refusal = reason ? reason : "";
}

bool valid_id(std::string_view id) {
    if (id.empty() || id.size() > 64) return false;
    for (char c : id)
        if (!(std::islower(static_cast<unsigned char>(c)) || std::isdigit(static_cast<unsigned char>(c)) || c == '_' ||
              c == '-'))
            return false;
    return true;
}

std::string text(const char* s) { return s ? std::string{s} : std::string{}; }

} // namespace

std::variant<std::shared_ptr<const PluginLibrary>, Refusal> load_plugin_library(const fs::path& path) {
    auto refuse = [&](std::string reason) { return Refusal{path, std::move(reason)}; };
    if (!fs::exists(path)) return refuse("no such file");

    // RTLD_NOW: an unresolved symbol fails here, not at the first call. RTLD_LOCAL: plugins share nothing.
    // RTLD_NODELETE: code stays mapped even if a stray pointer outlives the library object.
    auto mode = static_cast<boost::dll::load_mode::type>(RTLD_NOW | RTLD_LOCAL | RTLD_NODELETE);
    auto lib = std::make_unique<boost::dll::shared_library>();
    try {
        lib->load(boost::dll::fs::path(path.string()), mode);
    } catch (const std::exception& e) {
        const char* err = dlerror();
        return refuse(fmt::format("cannot load the library: {}", err ? err : e.what()));
    }
    if (!lib->has(STREAM_PLUGIN_ENTRY_SYMBOL))
        return refuse(fmt::format("not a Stream-DSE plugin: no '{}' symbol", STREAM_PLUGIN_ENTRY_SYMBOL));
    auto& entry = lib->get<const stream_plugin_descriptor*(const stream_host_info*)>(STREAM_PLUGIN_ENTRY_SYMBOL);

    EntryContext ctx;
    stream_host_info host{sizeof(stream_host_info), STREAM_ABI_MAJOR, STREAM_ABI_MINOR, "stream-dse",
                          kStreamDseVersion,        &ctx,             &on_refuse};
    const stream_plugin_descriptor* d = entry(&host);
    if (!d)
        return refuse(fmt::format("the plugin refused to load: {}",
                                  ctx.refusal.empty() ? std::string{"it gave no reason"} : ctx.refusal));
    if (d->struct_size < offsetof(stream_plugin_descriptor, kind))
        return refuse(fmt::format("descriptor struct_size {} is too small to hold the ABI version", d->struct_size));
    if (d->abi_major != STREAM_ABI_MAJOR)
        return refuse(fmt::format("built for plugin ABI {}.{}, but this host implements ABI {}.{} (major versions must match)",
                                  d->abi_major, d->abi_minor, STREAM_ABI_MAJOR, STREAM_ABI_MINOR));
    if (d->struct_size < kDescriptorV10Size)
        return refuse(fmt::format("descriptor struct_size {} is smaller than the ABI {}.0 descriptor ({} bytes)",
                                  d->struct_size, STREAM_ABI_MAJOR, kDescriptorV10Size));
    std::size_t vt_min = minimum_vtable_size(d->kind);
    if (vt_min == 0) return refuse(fmt::format("unknown plugin kind {}", d->kind));
    std::string id = text(d->id);
    if (!valid_id(id))
        return refuse(fmt::format("invalid plugin id '{}': use 1-64 characters from [a-z0-9_-]", id));
    if (!d->vtable) return refuse(fmt::format("{} plugin '{}' has no vtable", kind_name(d->kind), id));
    auto vt_size = *static_cast<const std::uint32_t*>(d->vtable);
    if (vt_size < vt_min)
        return refuse(fmt::format("{} vtable struct_size {} is smaller than the ABI {}.0 table ({} bytes)",
                                  kind_name(d->kind), vt_size, STREAM_ABI_MAJOR, vt_min));
    if (d->config_key_count > 0 && !d->config_keys)
        return refuse(fmt::format("declares {} config keys but gives no array", d->config_key_count));

    PluginInfo info;
    info.kind = d->kind;
    info.id = id;
    info.name = text(d->name);
    info.version = text(d->version);
    info.summary = text(d->summary);
    info.abi_major = d->abi_major;
    info.abi_minor = d->abi_minor;
    info.flags = d->flags;
    for (std::uint32_t i = 0; i < d->config_key_count; ++i) {
        const stream_config_key& k = d->config_keys[i];
        if (k.struct_size < kConfigKeyV10Size)
            return refuse(fmt::format("config key #{} struct_size {} is smaller than the ABI {}.0 struct ({} bytes)", i,
                                      k.struct_size, STREAM_ABI_MAJOR, kConfigKeyV10Size));
        if (!k.key || !*k.key) return refuse(fmt::format("config key #{} has no name", i));
        ConfigKey key;
        key.key = k.key;
        key.type = k.type;
        key.required = (k.flags & STREAM_KEY_REQUIRED) != 0;
        if (k.default_value) key.default_value = std::string{k.default_value};
        key.unit = text(k.unit);
        key.doc = text(k.doc);
        if (key.key == "plugin")
            return refuse("config key 'plugin' is reserved: the host uses it to name the stage's plugin");
        info.keys.push_back(std::move(key));
    }
    return std::make_shared<const PluginLibrary>(std::move(lib), fs::absolute(path), std::move(info), d);
}

} // namespace stream
