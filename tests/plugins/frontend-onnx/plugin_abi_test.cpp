// The plugin through its C entry point, as the host sees it: descriptor, config
// keys, create/accepts/load/destroy, errors and warnings through host services.
#include "FakeWorkloadBuilder.hpp"
#include "TempDir.hpp"

#include <stream/plugin.h>

#include <map>
#include <string>
#include <vector>

extern "C" const stream_plugin_descriptor* stream_plugin_entry(const stream_host_info* host);

using namespace stream::onnx_frontend::test;

namespace {

/// A config table holding only ints and strings, the types this plugin declares.
struct FakeConfig {
    std::map<std::string, std::int64_t> ints;
    std::map<std::string, std::string> strings;
    stream_config_v1 table{};

    FakeConfig() {
        table.struct_size = sizeof table;
        table.ctx = this;
        table.has = [](void* c, const char* k) -> std::int32_t {
            auto& self = *static_cast<FakeConfig*>(c);
            return self.ints.count(k) || self.strings.count(k) ? 1 : 0;
        };
        table.get_int = [](void* c, const char* k, std::int64_t* out) -> stream_status {
            auto& self = *static_cast<FakeConfig*>(c);
            if (self.strings.count(k)) return STREAM_ERROR_TYPE_MISMATCH;
            auto it = self.ints.find(k);
            if (it == self.ints.end()) return STREAM_ERROR_NOT_FOUND;
            *out = it->second;
            return STREAM_OK;
        };
        table.get_string = [](void* c, const char* k, const char** out) -> stream_status {
            auto& self = *static_cast<FakeConfig*>(c);
            if (self.ints.count(k)) return STREAM_ERROR_TYPE_MISMATCH;
            auto it = self.strings.find(k);
            if (it == self.strings.end()) return STREAM_ERROR_NOT_FOUND;
            *out = it->second.c_str();
            return STREAM_OK;
        };
    }
};

struct ReportedError {
    stream_item_kind kind;
    std::string name;
    std::string file;
    std::string message;
};

struct FakeHost {
    FakeConfig config;
    std::vector<std::pair<stream_log_level, std::string>> logs;
    std::vector<ReportedError> errors;
    stream_host_services_v1 services{};

    FakeHost() {
        services.struct_size = sizeof services;
        services.ctx = this;
        services.log = [](void* c, stream_log_level level, const char* m) { static_cast<FakeHost*>(c)->logs.emplace_back(level, m); };
        services.report_error = [](void* c, const stream_item* item, const char* m) {
            ReportedError e{STREAM_ITEM_NONE, {}, {}, m};
            if (item) {
                e.kind = item->kind;
                e.name = item->name ? item->name : "";
                e.file = item->location.file ? item->location.file : "";
            }
            static_cast<FakeHost*>(c)->errors.push_back(e);
        };
        services.progress = [](void*, double, double, const char*) -> std::int32_t { return 0; };
        services.is_cancelled = [](void*) -> std::int32_t { return 0; };
        services.config = &config.table;
        services.get_extension = nullptr;
    }
};

const stream_frontend_v1& frontend_table() {
    const stream_plugin_descriptor* d = stream_plugin_entry(nullptr);
    REQUIRE(d != nullptr);
    return *static_cast<const stream_frontend_v1*>(d->vtable);
}

const std::string erf_model = model_header() + R"(
g (float[1,8] x) => (float[1,8] y)
{
  e = Hardmax (x)
  y = Relu (e)
}
)";

} // namespace

TEST_CASE("descriptor: id, kind, ABI version and declared keys") {
    const stream_plugin_descriptor* d = stream_plugin_entry(nullptr);
    REQUIRE(d != nullptr);
    CHECK(d->struct_size == sizeof(stream_plugin_descriptor));
    CHECK(d->abi_major == STREAM_ABI_MAJOR);
    CHECK(d->kind == STREAM_KIND_FRONTEND);
    CHECK(std::string(d->id) == "onnx");
    std::map<std::string, const stream_config_key*> keys;
    for (const auto& k : stream::sdk::view(d->config_keys, d->config_key_count)) keys[k.key] = &k;
    REQUIRE(keys.size() == 5);
    CHECK(keys.at("unknown_ops")->type == STREAM_VALUE_STRING);
    CHECK(std::string(keys.at("unknown_ops")->default_value) == "\"error\"");
    CHECK(keys.at("input_shapes")->default_value == nullptr);
    for (const char* bits : {"weight_bits", "activation_bits", "partial_sum_bits"}) {
        CHECK(keys.at(bits)->type == STREAM_VALUE_INT);
        CHECK(std::string(keys.at(bits)->default_value) == "0");
    }
    const auto& table = frontend_table();
    CHECK(table.struct_size == sizeof(stream_frontend_v1));
}

TEST_CASE("create, accepts, load with passthrough warnings, destroy") {
    FakeHost host;
    host.config.strings["unknown_ops"] = "passthrough";
    host.config.ints["activation_bits"] = 8;
    const auto& table = frontend_table();
    void* instance = nullptr;
    REQUIRE(table.create(&host.services, &instance) == STREAM_OK);
    REQUIRE(instance != nullptr);

    TempDir dir;
    const std::string path = dir.write("erf.onnxtxt", erf_model);
    CHECK(table.accepts(instance, "model.onnx") == 1);
    CHECK(table.accepts(instance, path.c_str()) == 1);
    CHECK(table.accepts(instance, dir.write("model.txt", erf_model).c_str()) == 1); // .txt: by content
    CHECK(table.accepts(instance, dir.write("hw.yaml", "cores: []\n").c_str()) == 0);
    CHECK(table.accepts(instance, "/nonexistent/model.yaml") == 0);

    FakeWorkloadBuilder builder;
    const stream_workload_builder_v1 c_builder = builder.c_builder();
    REQUIRE(table.load(instance, path.c_str(), &c_builder) == STREAM_OK);
    CHECK(host.errors.empty());
    REQUIRE(builder.layers.size() == 2);
    CHECK(builder.layers[0].layer_class == STREAM_LAYER_PROPAGATION);
    CHECK(builder.layers[1].operand("O").precision_bits == 8);
    REQUIRE(host.logs.size() == 1);
    CHECK(host.logs[0].first == STREAM_LOG_WARNING);
    CHECK(host.logs[0].second.find("Hardmax") != std::string::npos);
    table.destroy(instance);
    table.destroy(nullptr);
}

TEST_CASE("load failures come back as a status and a reported error") {
    FakeHost host;
    host.config.strings["unknown_ops"] = "error";
    const auto& table = frontend_table();
    void* instance = nullptr;
    REQUIRE(table.create(&host.services, &instance) == STREAM_OK);
    FakeWorkloadBuilder builder;
    const stream_workload_builder_v1 c_builder = builder.c_builder();

    CHECK(table.load(instance, "/nonexistent/model.onnx", &c_builder) == STREAM_ERROR_INVALID_INPUT);
    REQUIRE(host.errors.size() == 1);
    CHECK(host.errors[0].kind == STREAM_ITEM_FILE);
    CHECK(host.errors[0].file == "/nonexistent/model.onnx");

    TempDir dir;
    const std::string path = dir.write("erf.onnxtxt", erf_model);
    CHECK(table.load(instance, path.c_str(), &c_builder) == STREAM_ERROR_UNSUPPORTED);
    REQUIRE(host.errors.size() == 2);
    CHECK(host.errors[1].kind == STREAM_ITEM_LAYER);
    CHECK(host.errors[1].name == "e");
    CHECK(host.errors[1].message.find("Hardmax") != std::string::npos);
    table.destroy(instance);
}

TEST_CASE("invalid config values fail create with the key named") {
    const auto& table = frontend_table();
    SUBCASE("unknown_ops") {
        FakeHost host;
        host.config.strings["unknown_ops"] = "skip";
        void* instance = nullptr;
        CHECK(table.create(&host.services, &instance) == STREAM_ERROR_INVALID_CONFIG);
        REQUIRE(host.errors.size() == 1);
        CHECK(host.errors[0].kind == STREAM_ITEM_CONFIG_KEY);
        CHECK(host.errors[0].name == "unknown_ops");
    }
    SUBCASE("negative bits") {
        FakeHost host;
        host.config.ints["weight_bits"] = -4;
        void* instance = nullptr;
        CHECK(table.create(&host.services, &instance) == STREAM_ERROR_INVALID_CONFIG);
        REQUIRE(host.errors.size() == 1);
        CHECK(host.errors[0].name == "weight_bits");
    }
    SUBCASE("input_shapes") {
        FakeHost host;
        host.config.strings["input_shapes"] = "x=1by3";
        void* instance = nullptr;
        CHECK(table.create(&host.services, &instance) == STREAM_ERROR_INVALID_CONFIG);
        REQUIRE(host.errors.size() == 1);
        CHECK(host.errors[0].name == "input_shapes");
    }
}
