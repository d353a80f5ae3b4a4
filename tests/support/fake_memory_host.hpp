// A fake host for memory-model tests: a memory entry's own keys as a
// stream_config_v1, host services that record errors, a spec, and a call
// through the plugin's real descriptor and vtable.
#pragma once

#include <stream/plugin.h>

#include <cstdint>
#include <iterator>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <variant>
#include <vector>

extern "C" const stream_plugin_descriptor* stream_plugin_entry(const stream_host_info* host);

namespace memtest {

using Value = std::variant<int64_t, double, std::string>;

// One TOML table: typed getters with the ABI's rules (an int is a valid float).
struct FakeConfig {
    std::map<std::string, Value> values;
    stream_config_v1 view{};

    explicit FakeConfig(std::map<std::string, Value> v = {}) : values(std::move(v)) {
        view.struct_size = sizeof view;
        view.ctx = this;
        view.has = [](void* ctx, const char* key) -> int32_t { return self(ctx).values.count(key) != 0; };
        view.get_int = [](void* ctx, const char* key, int64_t* out) -> stream_status {
            const Value* v = self(ctx).find(key);
            if (!v) return STREAM_ERROR_NOT_FOUND;
            if (auto* i = std::get_if<int64_t>(v)) { *out = *i; return STREAM_OK; }
            return STREAM_ERROR_TYPE_MISMATCH;
        };
        view.get_float = [](void* ctx, const char* key, double* out) -> stream_status {
            const Value* v = self(ctx).find(key);
            if (!v) return STREAM_ERROR_NOT_FOUND;
            if (auto* d = std::get_if<double>(v)) { *out = *d; return STREAM_OK; }
            if (auto* i = std::get_if<int64_t>(v)) { *out = static_cast<double>(*i); return STREAM_OK; }
            return STREAM_ERROR_TYPE_MISMATCH;
        };
        view.get_string = [](void* ctx, const char* key, const char** out) -> stream_status {
            const Value* v = self(ctx).find(key);
            if (!v) return STREAM_ERROR_NOT_FOUND;
            if (auto* s = std::get_if<std::string>(v)) { *out = s->c_str(); return STREAM_OK; }
            return STREAM_ERROR_TYPE_MISMATCH;
        };
        view.key_count = [](void* ctx) -> uint64_t { return self(ctx).values.size(); };
        view.key_at = [](void* ctx, uint64_t index, const char** out) -> stream_status {
            auto& m = self(ctx).values;
            if (index >= m.size()) return STREAM_ERROR_NOT_FOUND;
            auto it = m.begin();
            std::advance(it, static_cast<long>(index));
            *out = it->first.c_str();
            return STREAM_OK;
        };
    }
    FakeConfig(const FakeConfig&) = delete;
    FakeConfig& operator=(const FakeConfig&) = delete;

private:
    static FakeConfig& self(void* ctx) { return *static_cast<FakeConfig*>(ctx); }
    const Value* find(const char* key) const {
        auto it = values.find(key);
        return it == values.end() ? nullptr : &it->second;
    }
};

struct Reported {
    stream_item_kind kind = STREAM_ITEM_NONE;
    std::string name;
    std::string message;
};

// Host services with an empty plugin table; errors are recorded.
struct FakeHost {
    FakeConfig plugin_config;
    std::vector<Reported> errors;
    stream_host_services_v1 services{};

    FakeHost() {
        services.struct_size = sizeof services;
        services.ctx = this;
        services.log = [](void*, stream_log_level, const char*) {};
        services.report_error = [](void* ctx, const stream_item* item, const char* message) {
            Reported r;
            if (item) {
                r.kind = item->kind;
                r.name = item->name ? item->name : "";
            }
            r.message = message ? message : "";
            static_cast<FakeHost*>(ctx)->errors.push_back(r);
        };
        services.progress = [](void*, double, double, const char*) -> int32_t { return 0; };
        services.is_cancelled = [](void*) -> int32_t { return 0; };
        services.config = &plugin_config.view;
        services.get_extension = [](void*, const char*) -> const void* { return nullptr; };
    }
    FakeHost(const FakeHost&) = delete;
    FakeHost& operator=(const FakeHost&) = delete;
};

// A memory entry: geometry plus the model's keys.
struct Memory {
    std::string name = "sram_test";
    int64_t size_bits = 8 * 1024 * 8;
    int64_t word_bits = 64;
    uint32_t read_ports = 0;
    uint32_t write_ports = 0;
    uint32_t read_write_ports = 1;
    double technology_nm = 0;
    std::map<std::string, Value> keys;
};

// What one describe() call gave back.
struct Outcome {
    stream_status status = STREAM_OK;
    int submitted = 0;
    stream_memory_costs_v1 costs{};
    std::string source;
    std::vector<Reported> errors;

    bool error_names_key(const std::string& key) const {
        for (const Reported& r : errors)
            if (r.kind == STREAM_ITEM_CONFIG_KEY && r.name == key) return true;
        return false;
    }
};

inline const stream_plugin_descriptor& descriptor() { return *stream_plugin_entry(nullptr); }

inline const stream_memory_model_v1& vtable() {
    return *static_cast<const stream_memory_model_v1*>(descriptor().vtable);
}

// Creates an instance, describes `memory` once, destroys the instance.
inline Outcome describe(const Memory& memory) {
    FakeHost host;
    FakeConfig entry{memory.keys};
    stream_memory_spec_v1 spec{};
    spec.struct_size = sizeof spec;
    spec.name = memory.name.c_str();
    spec.size_bits = memory.size_bits;
    spec.word_bits = memory.word_bits;
    spec.read_ports = memory.read_ports;
    spec.write_ports = memory.write_ports;
    spec.read_write_ports = memory.read_write_ports;
    spec.technology_nm = memory.technology_nm;
    spec.model_config = &entry.view;

    Outcome out;
    stream_memory_costs_sink_v1 sink{sizeof(stream_memory_costs_sink_v1), &out,
                                     [](void* ctx, const stream_memory_costs_v1* costs) {
                                         auto& o = *static_cast<Outcome*>(ctx);
                                         ++o.submitted;
                                         o.costs = *costs;
                                         o.source = costs->source ? costs->source : "";
                                     }};
    void* instance = nullptr;
    out.status = vtable().create(&host.services, &instance);
    if (out.status == STREAM_OK) {
        out.status = vtable().describe(instance, &spec, &sink);
        vtable().destroy(instance);
    }
    out.errors = host.errors;
    return out;
}

} // namespace memtest
