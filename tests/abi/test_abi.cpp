// The plugin ABI as outside code meets it: loading, refusals, calls across the
// boundary, failures that must become located messages and never crashes.
#include "abi_test_support.hpp"

#include "plugin_host/AbiViews.hpp"
#include "plugin_host/Diagnostics.hpp"
#include "plugin_host/PluginInstance.hpp"
#include "plugin_host/PluginRegistry.hpp"

#include <stream/plugin.h>

#include <doctest/doctest.h>

#include <cstddef>
#include <cstdlib>
#include <filesystem>

using namespace stream;
using namespace stream::test;
namespace fs = std::filesystem;

// The v1.0 layout is frozen: a minor version may only append. These lock the
// offsets of the fields every v1 plugin relies on (LP64: 8-byte pointers).
static_assert(offsetof(stream_plugin_descriptor, struct_size) == 0);
static_assert(offsetof(stream_plugin_descriptor, abi_major) == 4);
static_assert(offsetof(stream_plugin_descriptor, abi_minor) == 6);
static_assert(offsetof(stream_plugin_descriptor, kind) == 8);
static_assert(offsetof(stream_plugin_descriptor, id) == 16);
static_assert(offsetof(stream_plugin_descriptor, vtable) == 72);
static_assert(sizeof(stream_plugin_descriptor) == 88);
static_assert(offsetof(stream_core_model_v1, evaluate) == 24);
static_assert(offsetof(stream_frontend_v1, load) == 32);
static_assert(offsetof(stream_host_services_v1, config) == 48);
static_assert(sizeof(stream_config_key) == 48);


TEST_SUITE("abi") {

TEST_CASE("a plugin written in plain C loads and answers") {
    auto lib = load_ok(fixture("c_model"));
    CHECK(lib->info().id == "c_model");
    CHECK(lib->info().kind == STREAM_KIND_CORE_MODEL);
    CHECK(lib->info().thread_safe());
    REQUIRE(lib->info().keys.size() == 1);
    CHECK(lib->info().keys[0].key == "fault");
    RecordingDiagnostics diag;
    PluginInstance<stream_core_model_v1> inst(lib, config_for(*lib, ""), diag);
    CostCapture c = evaluate(inst);
    // 10368 iterations on 16 MAC units: ceil(10368 / 16) = 648 cycles; 10368 * 0.5 pJ = 5184 pJ.
    CHECK(c.latency == 648);
    CHECK(c.energy == 5184);
}

TEST_CASE("the shipped roofline core model, written in C, answers through the host") {
    auto lib = load_ok(plugin_dir() / "stream-core-model-roofline.so");
    CHECK(lib->info().id == "roofline");
    RecordingDiagnostics diag;
    PluginInstance<stream_core_model_v1> inst(lib, config_for(*lib, ""), diag);
    CostCapture c = evaluate(inst);
    // Compute bound: ceil(10368 / 16) = 648 cycles. Memory: I is 4*8*8*8 = 2048 bits, W 8*4*3*3*8 = 2304,
    // O 8*6*6*8 = 2304 bits; 6656 bits / 64 bits per cycle = 104 cycles < 648, so compute bound.
    CHECK(c.latency == 648);
    // 10368 MACs * 0.5 pJ; the toy memory has zero access energy.
    CHECK(c.energy == 5184);
}

TEST_CASE("a plugin built for ABI major 2 is refused, naming both versions") {
    std::string why = refusal_of(fixture("abi_major2"));
    CHECK(why == "built for plugin ABI 2.3, but this host implements ABI 1." + std::to_string(STREAM_ABI_MINOR) +
                     " (major versions must match)");
}

TEST_CASE("a library without the entry symbol is refused") {
    CHECK(refusal_of(fixture("no_entry")) == "not a Stream-DSE plugin: no 'stream_plugin_entry' symbol");
}

TEST_CASE("a plugin that refuses itself gives its reason") {
    CHECK(refusal_of(fixture("refuses")) == "the plugin refused to load: this vendor model needs a licence file");
}

TEST_CASE("a descriptor smaller than ABI 1.0 is refused") {
    CHECK(refusal_of(fixture("short_descriptor")) == "descriptor struct_size 16 is smaller than the ABI 1.0 descriptor (88 bytes)");
}

TEST_CASE("an unresolved symbol fails at load time, not at the first call") {
    std::string why = refusal_of(fixture("unresolved"));
    CHECK(why.find("cannot load the library") == 0);
    CHECK(why.find("stream_fixture_symbol_that_does_not_exist") != std::string::npos);
}

TEST_CASE("a missing file is refused as not found") {
    CHECK(refusal_of(fs::path(STREAM_DSE_FIXTURE_DIR) / "nowhere.so") == "no such file");
}

TEST_CASE("the registry refuses a duplicate id and names both files") {
    fs::path a = fs::temp_directory_path() / "stream-dse-dup-a";
    fs::path b = fs::temp_directory_path() / "stream-dse-dup-b";
    for (const auto& d : {a, b}) {
        fs::create_directories(d);
        fs::copy_file(fixture("c_model"), d / "c_model.so", fs::copy_options::overwrite_existing);
    }
    PluginRegistry reg = PluginRegistry::discover({{a, "test"}, {b, "test"}});
    REQUIRE(reg.refusals().size() == 1);
    CHECK(reg.refusals()[0].path == b / "c_model.so");
    CHECK(reg.refusals()[0].reason == "duplicate core_model plugin id 'c_model': already loaded from " +
                                          fs::absolute(a / "c_model.so").string());
    CHECK(reg.find(STREAM_KIND_CORE_MODEL, "c_model")->path() == fs::absolute(a / "c_model.so"));
    fs::remove_all(a);
    fs::remove_all(b);
}

TEST_CASE("STREAM_DSE_PLUGIN_PATH entries come before the directory beside the executable") {
    ::setenv("STREAM_DSE_PLUGIN_PATH", "/opt/a:/opt/b", 1);
    auto dirs = PluginRegistry::default_search_path({"/from/pipeline"});
    ::unsetenv("STREAM_DSE_PLUGIN_PATH");
    REQUIRE(dirs.size() == 4);
    CHECK(dirs[0].path == "/from/pipeline");
    CHECK(dirs[0].origin == "pipeline");
    CHECK(dirs[1].path == "/opt/a");
    CHECK(dirs[2].path == "/opt/b");
    CHECK(dirs[2].origin == "STREAM_DSE_PLUGIN_PATH");
    CHECK(dirs[3].origin == "beside the executable");
}

TEST_CASE("an unknown plugin id lists what exists and where the host looked") {
    PluginRegistry reg = PluginRegistry::discover({{fs::path(STREAM_DSE_FIXTURE_DIR) / "c_model", "test"}});
    std::string msg = error_of([&] { reg.get(STREAM_KIND_CORE_MODEL, "zigzag"); });
    CHECK(msg == "no core_model plugin 'zigzag'; available: c_model; searched: " + std::string(STREAM_DSE_FIXTURE_DIR) +
                     "/c_model (test)");
}

TEST_CASE("a plugin whose call fails passes its message and item through") {
    auto lib = load_ok(fixture("faulty"));
    RecordingDiagnostics diag;
    PluginInstance<stream_core_model_v1> inst(lib, config_for(*lib, "fault = \"error\"\n"), diag);
    try {
        evaluate(inst);
        FAIL("expected an error");
    } catch (const Error& e) {
        CHECK(e.kind() == ErrorKind::BadInput);
        CHECK(e.message() == "core 0 'toy': this core has no vector unit [core_model plugin 'faulty' (" +
                                 lib->path().string() + "): unsupported in evaluate]");
    }
}

TEST_CASE("a plugin's complaint about one of its keys points at that key in the file") {
    auto lib = load_ok(fixture("faulty"));
    RecordingDiagnostics diag;
    PluginInstance<stream_core_model_v1> inst(lib, config_for(*lib, "fault = \"config_error\"\nlatency_cycles = 70\n"), diag);
    std::string msg = error_of([&] { evaluate(inst); });
    CHECK(msg.rfind("stage.toml:2:18: key 'cost.latency_cycles': latency must be below 50 [", 0) == 0);
}

TEST_CASE("a C++ exception inside a plugin does not crash the host") {
    auto lib = load_ok(fixture("faulty"));
    RecordingDiagnostics diag;
    SUBCASE("std::exception") {
        PluginInstance<stream_core_model_v1> inst(lib, config_for(*lib, "fault = \"throw\"\n"), diag);
        std::string msg = error_of([&] { evaluate(inst); });
        CHECK(msg.rfind("vector index out of range [core_model plugin 'faulty'", 0) == 0);
        CHECK(msg.find("internal error in evaluate]") != std::string::npos);
    }
    SUBCASE("a thrown int") {
        PluginInstance<stream_core_model_v1> inst(lib, config_for(*lib, "fault = \"throw_int\"\n"), diag);
        CHECK(error_of([&] { evaluate(inst); }).rfind("unknown exception [", 0) == 0);
    }
    SUBCASE("and the instance still answers afterwards") {
        PluginInstance<stream_core_model_v1> inst(lib, config_for(*lib, "fault = \"throw\"\n"), diag);
        CHECK_THROWS_AS(evaluate(inst), Error);
        CHECK_THROWS_AS(evaluate(inst), Error);
    }
}

TEST_CASE("a failure without a message is reported as plugin misbehaviour") {
    auto lib = load_ok(fixture("c_model"));
    RecordingDiagnostics diag;
    PluginInstance<stream_core_model_v1> inst(lib, config_for(*lib, "fault = \"silent\"\n"), diag);
    try {
        evaluate(inst);
        FAIL("expected an error");
    } catch (const Error& e) {
        CHECK(e.kind() == ErrorKind::Plugin);
        CHECK(e.message() == "core_model plugin 'c_model' (" + lib->path().string() +
                                 "): evaluate returned 'internal error' without describing the error (the plugin "
                                 "misbehaves: it must call report_error first)");
    }
}

TEST_CASE("a plugin that refuses to start names the key that made it refuse") {
    auto lib = load_ok(fixture("faulty"));
    RecordingDiagnostics diag;
    std::string msg = error_of([&] { PluginInstance<stream_core_model_v1> inst(lib, config_for(*lib, "\nfault = \"create\"\n"), diag); });
    CHECK(msg.rfind("stage.toml:2:9: key 'cost.fault': refusing to start as asked [", 0) == 0);
    CHECK(msg.find("invalid configuration in create]") != std::string::npos);
}

TEST_CASE("a library stays loaded while an instance it created lives") {
    RecordingDiagnostics diag;
    std::unique_ptr<PluginInstance<stream_core_model_v1>> inst;
    {
        auto lib = load_ok(fixture("c_model"));
        inst = std::make_unique<PluginInstance<stream_core_model_v1>>(lib, config_for(*lib, ""), diag);
    } // the last outside reference to the library is gone here
    CHECK(evaluate(*inst).latency == 648);
}

} // TEST_SUITE
