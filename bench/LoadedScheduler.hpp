// A scheduler plugin loaded from the build tree and called through its real ABI
// entry, with no configuration, as the host calls it. Shared by the scheduler
// benchmarks.
#pragma once

#include <stream/plugin.h>

#include <dlfcn.h>

#include <cstdlib>
#include <stdexcept>
#include <string>

class LoadedScheduler {
public:
    /// `file` in STREAM_DSE_PLUGIN_DIR, or in $STREAM_DSE_BENCH_PLUGIN_DIR when set: another build's
    /// plugins, to time a change against the code before it on the same machine.
    explicit LoadedScheduler(const std::string& file, const char* compat = "") {
        const char* dir = std::getenv("STREAM_DSE_BENCH_PLUGIN_DIR");
        const std::string path = std::string(dir && *dir ? dir : STREAM_DSE_PLUGIN_DIR) + "/" + file;
        handle_ = dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
        if (!handle_) throw std::runtime_error("cannot load " + path + ": " + dlerror());
        auto entry = reinterpret_cast<stream_plugin_entry_fn>(dlsym(handle_, STREAM_PLUGIN_ENTRY_SYMBOL));
        if (!entry) throw std::runtime_error(path + " has no entry");
        vtable_ = static_cast<const stream_scheduler_v1*>(entry(nullptr)->vtable);
        config_.struct_size = sizeof config_;
        config_.has = [](void*, const char*) -> int32_t { return 0; };
        host_.struct_size = sizeof host_;
        host_.log = [](void*, stream_log_level, const char*) {};
        host_.report_error = [](void* ctx, const stream_item*, const char* message) {
            static_cast<LoadedScheduler*>(ctx)->error_ = message;
        };
        host_.progress = [](void*, double, double, const char*) -> int32_t { return 0; };
        host_.is_cancelled = [](void*) -> int32_t { return 0; };
        host_.config = &config_;
        host_.compat = compat;
        host_.ctx = this;
        if (vtable_->create(&host_, &instance_) != STREAM_OK) throw std::runtime_error("create failed: " + error_);
    }
    ~LoadedScheduler() {
        vtable_->destroy(instance_);
        dlclose(handle_);
    }
    LoadedScheduler(const LoadedScheduler&) = delete;
    LoadedScheduler& operator=(const LoadedScheduler&) = delete;

    stream_metrics_v1 run(const stream_problem_v1& problem, const stream_allocation_v1& allocation, bool metrics_only = true) {
        stream_metrics_v1 metrics{};
        stream_schedule_sink_v1 sink{sizeof sink, &metrics,
                                     [](void* ctx, const stream_schedule_v1* r) {
                                         *static_cast<stream_metrics_v1*>(ctx) = r->metrics;
                                     },
                                     metrics_only ? 1 : 0};
        if (vtable_->schedule(instance_, &problem, &allocation, &sink) != STREAM_OK)
            throw std::runtime_error("schedule failed: " + error_);
        return metrics;
    }

private:
    void* handle_ = nullptr;
    const stream_scheduler_v1* vtable_ = nullptr;
    void* instance_ = nullptr;
    stream_config_v1 config_{};
    stream_host_services_v1 host_{};
    std::string error_;
};
