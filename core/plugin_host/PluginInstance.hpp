// A live instance of a plugin: the library it came from (kept loaded), its
// validated configuration, the host-services table handed to it, and the
// errors it reported. Calls go through `call`, which turns a failed status
// into one stream::Error naming the plugin, its file, the item and location.
#pragma once

#include "config/PluginConfig.hpp"
#include "plugin_host/Diagnostics.hpp"
#include "plugin_host/PluginLibrary.hpp"

#include <stream/plugin.h>

#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace stream {

/// The host side of stream_host_services_v1 for one instance.
class HostServices {
public:
    struct Reported {
        stream_item_kind kind = STREAM_ITEM_NONE;
        std::int64_t index = -1;
        std::string name;
        SourceLoc where;
        std::string message;
    };

    HostServices(std::shared_ptr<const PluginLibrary> lib, std::unique_ptr<PluginConfig> config, Diagnostics& diag);
    HostServices(const HostServices&) = delete;
    HostServices& operator=(const HostServices&) = delete;

    const stream_host_services_v1* c_view() const { return &view_; }
    const PluginLibrary& library() const { return *lib_; }
    const PluginConfig& config() const { return *config_; }
    Diagnostics& diagnostics() const { return diag_; }

    /// Errors this thread's current call reported (and forgets them).
    std::vector<Reported> take_errors();
    /// Throws the Error for a failed call `what` that returned `status`.
    [[noreturn]] void fail(stream_status status, const std::string& what);

    void record(const stream_item* item, const char* message);

private:
    std::shared_ptr<const PluginLibrary> lib_;
    std::unique_ptr<PluginConfig> config_;
    Diagnostics& diag_;
    std::mutex mutex_;
    std::map<std::thread::id, std::vector<Reported>> errors_;
    stream_host_services_v1 view_{};
};

/// "invalid input", "infeasible", ...
std::string status_name(stream_status status);

template <class VTable>
class PluginInstance {
public:
    PluginInstance(std::shared_ptr<const PluginLibrary> lib, std::unique_ptr<PluginConfig> config, Diagnostics& diag)
        : services_(std::make_unique<HostServices>(lib, std::move(config), diag)),
          vtable_(static_cast<const VTable*>(lib->vtable())), lib_(std::move(lib)) {
        void* handle = nullptr;
        stream_status s = vtable_->create(services_->c_view(), &handle);
        if (s != STREAM_OK) services_->fail(s, "create");
        handle_ = handle;
    }
    ~PluginInstance() {
        if (handle_) vtable_->destroy(handle_);
    }
    PluginInstance(const PluginInstance&) = delete;
    PluginInstance& operator=(const PluginInstance&) = delete;

    const VTable& vtable() const { return *vtable_; }
    void* handle() const { return handle_; }
    HostServices& services() const { return *services_; }
    const PluginLibrary& library() const { return *lib_; }

    /// Runs `f(vtable, handle)`; a non-OK status becomes an Error.
    template <class F>
    void call(const char* what, F&& f) const {
        services_->take_errors();
        stream_status s = f(*vtable_, handle_);
        if (s != STREAM_OK) services_->fail(s, what);
        services_->take_errors(); // a plugin that reported but succeeded: its words were warnings
    }

private:
    std::unique_ptr<HostServices> services_;
    const VTable* vtable_;
    std::shared_ptr<const PluginLibrary> lib_;
    void* handle_ = nullptr;
};

} // namespace stream
