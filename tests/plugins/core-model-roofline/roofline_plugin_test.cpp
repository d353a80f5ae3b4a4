// The roofline plugin through its C entry point: descriptor, config reading
// and validation at create, errors reported through the host, costs submitted
// through the sink.
#include "conv_tile.hpp"

#include <doctest/doctest.h>

#include <cmath>
#include <map>
#include <optional>
#include <string>
#include <vector>

extern "C" const stream_plugin_descriptor* stream_plugin_entry(const stream_host_info* host);

using namespace roofline_test;

namespace {

// A host whose config table holds at most "peak_fraction" and which records every error.
struct FakeHost {
    std::optional<double> peak_fraction;
    bool peak_fraction_is_text = false;
    struct Reported {
        std::optional<stream_item_kind> kind;
        std::string name;
        int64_t index = -1;
        std::string message;
    };
    std::vector<Reported> errors;
    stream_config_v1 config{};
    stream_host_services_v1 services{};

    FakeHost() {
        config.struct_size = sizeof config;
        config.ctx = this;
        config.has = [](void* ctx, const char* key) -> int32_t {
            auto* self = static_cast<FakeHost*>(ctx);
            return std::string(key) == "peak_fraction" && (self->peak_fraction || self->peak_fraction_is_text);
        };
        config.get_float = [](void* ctx, const char* key, double* out) -> stream_status {
            auto* self = static_cast<FakeHost*>(ctx);
            if (std::string(key) != "peak_fraction") return STREAM_ERROR_NOT_FOUND;
            if (self->peak_fraction_is_text) return STREAM_ERROR_TYPE_MISMATCH;
            if (!self->peak_fraction) return STREAM_ERROR_NOT_FOUND;
            *out = *self->peak_fraction;
            return STREAM_OK;
        };
        services.struct_size = sizeof services;
        services.ctx = this;
        services.log = [](void*, stream_log_level, const char*) {};
        services.report_error = [](void* ctx, const stream_item* item, const char* message) {
            Reported r;
            if (item) {
                r.kind = item->kind;
                r.name = item->name ? item->name : "";
                r.index = item->index;
            }
            r.message = message;
            static_cast<FakeHost*>(ctx)->errors.push_back(r);
        };
        services.progress = [](void*, double, double, const char*) -> int32_t { return 0; };
        services.is_cancelled = [](void*) -> int32_t { return 0; };
        services.config = &config;
        services.get_extension = [](void*, const char*) -> const void* { return nullptr; };
    }
    FakeHost(const FakeHost&) = delete;
};

const stream_core_model_v1& vtable() {
    return *static_cast<const stream_core_model_v1*>(stream_plugin_entry(nullptr)->vtable);
}

// Copies the submitted cost's scalars, as a host would.
struct CostCapture {
    int submissions = 0;
    stream_cost_v1 cost{};
    std::vector<std::string> access_operands;
    stream_cost_sink_v1 sink{sizeof(stream_cost_sink_v1), this, [](void* ctx, const stream_cost_v1* c) {
        auto* self = static_cast<CostCapture*>(ctx);
        ++self->submissions;
        self->cost = *c;
        for (uint32_t i = 0; i < c->access_count; ++i) self->access_operands.emplace_back(c->accesses[i].operand);
        self->cost.accesses = nullptr;
        self->cost.footprints = nullptr;
    }};
};

} // namespace

TEST_CASE("roofline plugin: describes itself") {
    const stream_plugin_descriptor* d = stream_plugin_entry(nullptr);
    REQUIRE(d != nullptr);
    CHECK(d->struct_size == sizeof(stream_plugin_descriptor));
    CHECK(d->abi_major == STREAM_ABI_MAJOR);
    CHECK(d->kind == STREAM_KIND_CORE_MODEL);
    CHECK(std::string(d->id) == "roofline");
    CHECK((d->flags & STREAM_PLUGIN_THREAD_SAFE) != 0);
    REQUIRE(d->config_key_count == 1);
    CHECK(std::string(d->config_keys[0].key) == "peak_fraction");
    CHECK(d->config_keys[0].type == STREAM_VALUE_FLOAT);
    CHECK(std::string(d->config_keys[0].default_value) == "1.0");
    CHECK(static_cast<const stream_core_model_v1*>(d->vtable)->struct_size == sizeof(stream_core_model_v1));
}

TEST_CASE("roofline plugin: create rejects peak_fraction outside 0..1 naming the key") {
    for (double bad : {0.0, 1.5, -1.0}) {
        FakeHost host;
        host.peak_fraction = bad;
        void* instance = reinterpret_cast<void*>(1);
        CHECK(vtable().create(&host.services, &instance) == STREAM_ERROR_INVALID_CONFIG);
        CHECK(instance == nullptr);
        REQUIRE(host.errors.size() == 1);
        CHECK(host.errors[0].kind == STREAM_ITEM_CONFIG_KEY);
        CHECK(host.errors[0].name == "peak_fraction");
    }
    FakeHost text;
    text.peak_fraction_is_text = true;
    void* instance = nullptr;
    CHECK(vtable().create(&text.services, &instance) == STREAM_ERROR_TYPE_MISMATCH);
    CHECK(text.errors.size() == 1);
}

TEST_CASE("roofline plugin: evaluate submits the cost once with the configured peak_fraction") {
    ConvTile tile;
    TestCore c(0, "big_sram", 8, 8, {memory("sram", 128, all_operands, 3)});
    FakeHost host;
    host.peak_fraction = 0.5;
    void* instance = nullptr;
    REQUIRE(vtable().create(&host.services, &instance) == STREAM_OK);
    CostCapture capture;
    CHECK(vtable().evaluate(instance, &c.core, &tile.cn, &capture.sink) == STREAM_OK);
    CHECK(capture.submissions == 1);
    // 4608 MACs / (64 units * 0.5) = 144 cycles, above the 35 memory cycles
    CHECK(capture.cost.latency_cycles == 144);
    CHECK(capture.access_operands == std::vector<std::string>{"I", "W", "O"});
    CHECK(host.errors.empty());
    vtable().destroy(instance);
}

TEST_CASE("roofline plugin: evaluate reports an unsupported core through the host") {
    ConvTile tile;
    TestCore dram(9, "dram", 8, 8, {memory("dram", 64, all_operands, 3)});
    dram.core.is_offchip = 1;
    FakeHost host; // no peak_fraction given: defaults to 1.0
    void* instance = nullptr;
    REQUIRE(vtable().create(&host.services, &instance) == STREAM_OK);
    CostCapture capture;
    CHECK(vtable().evaluate(instance, &dram.core, &tile.cn, &capture.sink) == STREAM_ERROR_UNSUPPORTED);
    CHECK(capture.submissions == 0);
    REQUIRE(host.errors.size() == 1);
    CHECK(host.errors[0].kind == STREAM_ITEM_CORE);
    CHECK(host.errors[0].index == 9);
    CHECK(host.errors[0].name == "dram");
    vtable().destroy(instance);
    vtable().destroy(nullptr); // a no-op by contract
}
