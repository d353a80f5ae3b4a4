// A frontend plugin driven through its C entry point with a do-nothing host:
// what a fuzz target needs to push arbitrary files through load().
#pragma once

#include <stream/plugin.h>

#include <cstdint>
#include <cstdio>
#include <string>
#include <unistd.h>

namespace stream::fuzz {

inline void ignore_log(void*, stream_log_level, const char*) {}
inline void ignore_error(void*, const stream_item*, const char*) {}
inline int32_t no_progress(void*, double, double, const char*) { return 0; }
inline int32_t not_cancelled(void*) { return 0; }
inline int32_t config_has(void*, const char*) { return 0; }
inline stream_status not_found_bool(void*, const char*, int32_t*) { return STREAM_ERROR_NOT_FOUND; }
inline stream_status not_found_int(void*, const char*, int64_t*) { return STREAM_ERROR_NOT_FOUND; }
inline stream_status not_found_float(void*, const char*, double*) { return STREAM_ERROR_NOT_FOUND; }
inline stream_status not_found_string(void*, const char*, const char**) { return STREAM_ERROR_NOT_FOUND; }
inline stream_status not_found_size(void*, const char*, uint64_t*) { return STREAM_ERROR_NOT_FOUND; }
inline stream_status not_found_int_at(void*, const char*, uint64_t, int64_t*) { return STREAM_ERROR_NOT_FOUND; }
inline stream_status not_found_float_at(void*, const char*, uint64_t, double*) { return STREAM_ERROR_NOT_FOUND; }
inline stream_status not_found_string_at(void*, const char*, uint64_t, const char**) { return STREAM_ERROR_NOT_FOUND; }
inline stream_status not_found_table(void*, const char*, const stream_config_v1**) { return STREAM_ERROR_NOT_FOUND; }
inline stream_status no_location(void*, const char*, stream_source_location*) { return STREAM_ERROR_NOT_FOUND; }
inline uint64_t no_keys(void*) { return 0; }
inline stream_status no_key_at(void*, uint64_t, const char**) { return STREAM_ERROR_NOT_FOUND; }
inline const void* no_extension(void*, const char*) { return nullptr; }

// Accepts every layer and checks the one rule a host relies on: producers come first.
inline stream_status add_layer(void* ctx, const stream_layer_v1* layer, int64_t* id) {
    auto* count = static_cast<int64_t*>(ctx);
    for (uint32_t i = 0; i < layer->operand_count; ++i)
        if (layer->operands[i].producer_layer >= *count) __builtin_trap();
    *id = (*count)++;
    return STREAM_OK;
}
inline void set_name(void*, const char*) {}

/// Writes `data` to a file with `extension` and loads it with the frontend whose entry is `entry`.
inline void load_through_plugin(stream_plugin_entry_fn entry, const uint8_t* data, size_t size, const char* extension) {
    static const stream_config_v1 config{sizeof(stream_config_v1), nullptr, config_has, not_found_bool, not_found_int,
                                         not_found_float, not_found_string, not_found_size, not_found_int_at,
                                         not_found_float_at, not_found_string_at, not_found_table, no_location, no_keys,
                                         no_key_at};
    static const stream_host_services_v1 host{sizeof(stream_host_services_v1), nullptr, ignore_log, ignore_error,
                                              no_progress, not_cancelled, &config, no_extension};
    static const stream_host_info info{sizeof(stream_host_info), STREAM_ABI_MAJOR, STREAM_ABI_MINOR, "fuzz", "0", nullptr, nullptr};
    const stream_plugin_descriptor* d = entry(&info);
    const auto* vt = static_cast<const stream_frontend_v1*>(d->vtable);

    std::string path = "/tmp/stream-dse-fuzz-" + std::to_string(getpid()) + extension;
    if (FILE* f = std::fopen(path.c_str(), "wb")) {
        if (size) std::fwrite(data, 1, size, f);
        std::fclose(f);
    }
    void* instance = nullptr;
    if (vt->create(&host, &instance) != STREAM_OK) __builtin_trap(); // defaults must always be valid
    int64_t layers = 0;
    stream_workload_builder_v1 builder{sizeof(stream_workload_builder_v1), &layers, add_layer, set_name};
    vt->load(instance, path.c_str(), &builder); // any status is fine; crashes and sanitizer reports are not
    vt->destroy(instance);
    std::remove(path.c_str());
}

} // namespace stream::fuzz
