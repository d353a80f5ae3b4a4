#include "plugin_host/PluginInstance.hpp"

#include <fmt/format.h>

namespace stream {

std::string status_name(stream_status status) {
    switch (status) {
    case STREAM_OK: return "ok";
    case STREAM_ERROR_INVALID_INPUT: return "invalid input";
    case STREAM_ERROR_INVALID_CONFIG: return "invalid configuration";
    case STREAM_ERROR_UNSUPPORTED: return "unsupported";
    case STREAM_ERROR_INFEASIBLE: return "infeasible";
    case STREAM_ERROR_CANCELLED: return "cancelled";
    case STREAM_ERROR_NOT_FOUND: return "not found";
    case STREAM_ERROR_TYPE_MISMATCH: return "type mismatch";
    case STREAM_ERROR_INTERNAL: return "internal error";
    default: return fmt::format("unknown status {}", status);
    }
}

namespace {

HostServices& self(void* ctx) { return *static_cast<HostServices*>(ctx); }

void c_log(void* ctx, stream_log_level level, const char* message) {
    HostServices& h = self(ctx);
    h.diagnostics().log(level, h.library().info().id, message ? message : "");
}

void c_report_error(void* ctx, const stream_item* item, const char* message) { self(ctx).record(item, message); }

int32_t c_progress(void* ctx, double done, double total, const char* what) {
    HostServices& h = self(ctx);
    h.diagnostics().progress(h.library().info().id, done, total, what ? what : "");
    return h.diagnostics().cancelled() ? 1 : 0;
}

int32_t c_is_cancelled(void* ctx) { return self(ctx).diagnostics().cancelled() ? 1 : 0; }

const void* c_get_extension(void*, const char*) { return nullptr; }

ErrorKind kind_of(stream_status s) {
    switch (s) {
    case STREAM_ERROR_INVALID_INPUT:
    case STREAM_ERROR_INVALID_CONFIG:
    case STREAM_ERROR_UNSUPPORTED:
    case STREAM_ERROR_NOT_FOUND:
    case STREAM_ERROR_TYPE_MISMATCH: return ErrorKind::BadInput;
    case STREAM_ERROR_INFEASIBLE: return ErrorKind::Infeasible;
    default: return ErrorKind::Plugin;
    }
}

} // namespace

HostServices::HostServices(std::shared_ptr<const PluginLibrary> lib, std::unique_ptr<PluginConfig> config,
                           Diagnostics& diag)
    : lib_(std::move(lib)), config_(std::move(config)), diag_(diag) {
    view_ = {sizeof(stream_host_services_v1), this,           &c_log, &c_report_error, &c_progress, &c_is_cancelled,
             config_->c_view(),               &c_get_extension, config_->compat().c_str()};
}

void HostServices::record(const stream_item* item, const char* message) {
    Reported r;
    r.message = message ? message : "";
    if (item && item->struct_size >= offsetof(stream_item, location) + sizeof(item->location)) {
        r.kind = item->kind;
        r.index = item->index;
        if (item->name) r.name = item->name;
        if (item->location.file) r.where = {item->location.file, item->location.line, item->location.column};
        if (item->kind == STREAM_ITEM_CONFIG_KEY && item->name) r.where = config_->location(item->name);
    }
    std::lock_guard lock(mutex_);
    errors_[std::this_thread::get_id()].push_back(std::move(r));
}

std::vector<HostServices::Reported> HostServices::take_errors() {
    std::lock_guard lock(mutex_);
    auto it = errors_.find(std::this_thread::get_id());
    if (it == errors_.end()) return {};
    auto out = std::move(it->second);
    errors_.erase(it);
    return out;
}

static std::string describe_item(const HostServices::Reported& r, const std::string& context) {
    switch (r.kind) {
    case STREAM_ITEM_CONFIG_KEY: return fmt::format("key '{}'", context.empty() ? r.name : context + "." + r.name);
    case STREAM_ITEM_LAYER:
        if (r.index < 0) return fmt::format("layer '{}'", r.name);
        return r.name.empty() ? fmt::format("layer {}", r.index) : fmt::format("layer {} '{}'", r.index, r.name);
    case STREAM_ITEM_CORE: return r.name.empty() ? fmt::format("core {}", r.index) : fmt::format("core {} '{}'", r.index, r.name);
    case STREAM_ITEM_NODE: return fmt::format("node {}", r.index);
    case STREAM_ITEM_LINK: return fmt::format("link {}", r.index);
    default: return {};
    }
}

void HostServices::fail(stream_status status, const std::string& what) {
    std::vector<Reported> errors = take_errors();
    const PluginInfo& info = lib_->info();
    std::string origin = fmt::format("{} plugin '{}' ({})", kind_name(info.kind), info.id, lib_->path().string());
    if (errors.empty())
        throw Error(ErrorKind::Plugin, fmt::format("{}: {} returned '{}' without describing the error (the plugin "
                                                   "misbehaves: it must call report_error first)",
                                                   origin, what, status_name(status)));
    // The first error that has a location places the whole message.
    SourceLoc where;
    for (const auto& e : errors)
        if (e.where.known()) {
            where = e.where;
            break;
        }
    std::string text;
    for (const auto& e : errors) {
        if (!text.empty()) text += "; ";
        std::string item = describe_item(e, config_->context());
        if (!item.empty()) text += item + ": ";
        if (e.where.known() && !(e.where == where)) text += e.where.str() + ": ";
        text += e.message;
    }
    throw Error(kind_of(status), fmt::format("{} [{}: {} in {}]", text, origin, status_name(status), what), where);
}

} // namespace stream
