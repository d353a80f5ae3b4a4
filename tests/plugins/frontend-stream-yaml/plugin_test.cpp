// The plugin through its C descriptor, as a host sees it: identity, keys,
// accepts() and load() with errors reported through the host services.
#include "RecordingBuilder.hpp"
#include "temp_dir.hpp"

#include <stream/plugin.h>

#include <doctest/doctest.h>

#include <cstring>
#include <map>

extern "C" const stream_plugin_descriptor* stream_plugin_entry(const stream_host_info*);

namespace {

/// Host services with a config table of integer/bool values and a log of reported errors.
struct FakeHost {
    std::map<std::string, std::int64_t> ints;
    std::vector<std::string> errors;
    std::vector<stream_item> items;
    std::vector<std::string> item_files;
    stream_config_v1 config{};
    stream_host_services_v1 services{};

    FakeHost() {
        config.struct_size = sizeof config;
        config.ctx = this;
        config.has = [](void* c, const char* k) -> int32_t { return static_cast<FakeHost*>(c)->ints.count(k) ? 1 : 0; };
        config.get_int = [](void* c, const char* k, std::int64_t* out) -> stream_status {
            auto& m = static_cast<FakeHost*>(c)->ints;
            if (!m.count(k)) return STREAM_ERROR_NOT_FOUND;
            *out = m.at(k);
            return STREAM_OK;
        };
        config.get_bool = [](void* c, const char* k, int32_t* out) -> stream_status {
            auto& m = static_cast<FakeHost*>(c)->ints;
            if (!m.count(k)) return STREAM_ERROR_NOT_FOUND;
            *out = static_cast<int32_t>(m.at(k));
            return STREAM_OK;
        };
        services.struct_size = sizeof services;
        services.ctx = this;
        services.log = [](void*, stream_log_level, const char*) {};
        services.report_error = [](void* c, const stream_item* item, const char* message) {
            auto* self = static_cast<FakeHost*>(c);
            self->errors.emplace_back(message);
            if (item) {
                self->items.push_back(*item);
                self->item_files.emplace_back(item->location.file ? item->location.file : "");
            }
        };
        services.progress = [](void*, double, double, const char*) -> int32_t { return 0; };
        services.is_cancelled = [](void*) -> int32_t { return 0; };
        services.config = &config;
        services.get_extension = nullptr;
    }
};

const stream_frontend_v1& frontend() {
    const stream_plugin_descriptor* d = stream_plugin_entry(nullptr);
    REQUIRE(d != nullptr);
    return *static_cast<const stream_frontend_v1*>(d->vtable);
}

const char* const workload = R"(- id: 0
  operator_type: Gemm
  equation: O[b][k]+=W[k][c]*I[b][c]
  loop_dims: [B, K, C]
  loop_sizes: [1, 10, 20]
  operand_precision: {O: 32, O_final: 16}
)";

} // namespace

TEST_CASE("plugin: descriptor identity and configuration keys") {
    const stream_plugin_descriptor* d = stream_plugin_entry(nullptr);
    REQUIRE(d != nullptr);
    CHECK(d->abi_major == STREAM_ABI_MAJOR);
    CHECK(d->kind == STREAM_KIND_FRONTEND);
    CHECK(std::strcmp(d->id, "stream-yaml") == 0);
    REQUIRE(d->config_key_count == 2);
    CHECK(std::strcmp(d->config_keys[0].key, "default_precision_bits") == 0);
    CHECK(d->config_keys[0].type == STREAM_VALUE_INT);
    CHECK(std::strcmp(d->config_keys[0].default_value, "8") == 0);
    CHECK((d->config_keys[0].flags & STREAM_KEY_REQUIRED) == 0);
    CHECK(std::strcmp(d->config_keys[1].key, "rename_elementwise_inputs") == 0);
}

TEST_CASE("plugin: accepts workload YAMLs only") {
    stream::test::TempDir dir;
    FakeHost host;
    const stream_frontend_v1& fe = frontend();
    void* inst = nullptr;
    REQUIRE(fe.create(&host.services, &inst) == STREAM_OK);
    CHECK(fe.accepts(inst, dir.write("w.yaml", workload).c_str()) == 1);
    CHECK(fe.accepts(inst, dir.write("w.YML", workload).c_str()) == 1);
    CHECK(fe.accepts(inst, dir.write("w.txt", workload).c_str()) == 0);   // extension
    CHECK(fe.accepts(inst, dir.write("hw.yaml", "name: core\nmemories:\n  rf: {size: 8}\n").c_str()) == 0);
    CHECK(fe.accepts(inst, dir.write("map.yaml", "- name: default\n  core_allocation: [0]\n").c_str()) == 0);
    // A .yaml that does not parse is claimed, so that load() can report where it breaks.
    CHECK(fe.accepts(inst, dir.write("bad.yaml", "- id: 0\n  name: a: b\n").c_str()) == 1);
    CHECK(fe.accepts(inst, dir.write("bad.txt", "- id: 0\n  name: a: b\n").c_str()) == 0);
    CHECK(fe.accepts(inst, dir.write("empty.yaml", "").c_str()) == 0);
    CHECK(fe.accepts(inst, (dir.path() / "missing.yaml").c_str()) == 0);
    CHECK(fe.accepts(inst, nullptr) == 0);
    CHECK(host.errors.empty()); // accepts never reports
    fe.destroy(inst);
}

TEST_CASE("plugin: load through the vtable, with default_precision_bits from the config") {
    stream::test::TempDir dir;
    FakeHost host;
    host.ints["default_precision_bits"] = 4;
    const stream_frontend_v1& fe = frontend();
    void* inst = nullptr;
    REQUIRE(fe.create(&host.services, &inst) == STREAM_OK);
    stream::yaml_frontend::test::RecordingBuilder rec;
    CHECK(fe.load(inst, dir.write("gemm.yaml", workload).c_str(), &rec.builder()) == STREAM_OK);
    REQUIRE(rec.layers.size() == 1);
    CHECK(rec.layers[0].operand("W").precision_bits == 4); // not listed: the configured default
    CHECK(rec.layers[0].operand("I").precision_bits == 4);
    CHECK(rec.layers[0].operand("O").precision_bits == 16);
    CHECK(rec.layers[0].operand("O").partial_precision_bits == 32);
    fe.destroy(inst);
}

TEST_CASE("plugin: a bad file fails with a status and a located message, never a crash") {
    stream::test::TempDir dir;
    FakeHost host;
    const stream_frontend_v1& fe = frontend();
    void* inst = nullptr;
    REQUIRE(fe.create(&host.services, &inst) == STREAM_OK);
    stream::yaml_frontend::test::RecordingBuilder rec;
    const auto path = dir.write("bad.yaml", std::string(workload) + "- id: 1\n  operator_type: X\n  equation: O[k]+=W[k]*\n  loop_dims: [K]\n  loop_sizes: [2]\n");
    CHECK(fe.load(inst, path.c_str(), &rec.builder()) == STREAM_ERROR_INVALID_INPUT);
    REQUIRE(host.errors.size() == 1);
    CHECK(host.errors[0].find("bad equation") != std::string::npos);
    REQUIRE(host.items.size() == 1);
    CHECK(host.items[0].kind == STREAM_ITEM_FILE);
    CHECK(host.items[0].location.line == 7); // the second entry, after the 6 lines of the first
    CHECK(host.item_files[0] == path.string());
    CHECK(fe.load(inst, nullptr, &rec.builder()) == STREAM_ERROR_INVALID_INPUT);
    fe.destroy(inst);
}

TEST_CASE("plugin: an out-of-range default_precision_bits fails create") {
    FakeHost host;
    host.ints["default_precision_bits"] = -1;
    const stream_frontend_v1& fe = frontend();
    void* inst = nullptr;
    CHECK(fe.create(&host.services, &inst) == STREAM_ERROR_INVALID_CONFIG);
    REQUIRE(host.errors.size() == 1);
    CHECK(host.errors[0].find("default_precision_bits") != std::string::npos);
}
