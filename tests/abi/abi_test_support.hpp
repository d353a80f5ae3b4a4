// Helpers shared by the ABI tests: where fixtures live, and small IR values
// (a toy core, a 3x3 convolution layer) to hand to plugins.
#pragma once

#include "error_of.hpp"

#include "config/PluginConfig.hpp"
#include "config/TomlFile.hpp"
#include "ir/Accelerator.hpp"
#include "ir/Workload.hpp"
#include "plugin_host/AbiViews.hpp"
#include "plugin_host/PluginInstance.hpp"
#include "plugin_host/PluginLibrary.hpp"

#include <doctest/doctest.h>

#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <variant>

namespace stream::test {

inline std::filesystem::path fixture(const std::string& name) {
    return std::filesystem::path(STREAM_DSE_FIXTURE_DIR) / name / (name + ".so");
}

inline std::filesystem::path plugin_dir() { return std::filesystem::path(STREAM_DSE_PLUGIN_DIR); }

inline std::shared_ptr<const PluginLibrary> load_ok(const std::filesystem::path& p) {
    auto r = load_plugin_library(p);
    if (auto* refusal = std::get_if<Refusal>(&r)) FAIL("refused " << p << ": " << refusal->reason);
    return std::get<std::shared_ptr<const PluginLibrary>>(r);
}

inline std::string refusal_of(const std::filesystem::path& p) {
    auto r = load_plugin_library(p);
    if (auto* refusal = std::get_if<Refusal>(&r)) return refusal->reason;
    FAIL("expected " << p << " to be refused");
    return {};
}

/// A config for `lib` from TOML text, as if it were the pipeline stage `stage`.
inline std::unique_ptr<PluginConfig> config_for(const PluginLibrary& lib, const std::string& toml_text,
                                                const std::string& stage = "cost") {
    static thread_local toml::table keep; // PluginConfig copies what it needs; the table may go
    keep = parse_toml_text(toml_text, "stage.toml");
    return std::make_unique<PluginConfig>(&keep, SourceLoc{"stage.toml", 1, 1}, lib.info().keys, stage);
}

/// A 4x4 array core with 0.5 pJ per MAC and one 1 Mbit memory.
inline Core toy_core() {
    auto t = std::make_shared<CoreType>();
    t->name = "toy";
    t->array_dims = {{"D1", 4}, {"D2", 4}};
    t->mac_energy_pj = 0.5;
    MemoryLevel m;
    m.name = "sram";
    m.size_bits = 1 << 20;
    m.read_bw_bits_per_cycle = 64;
    m.write_bw_bits_per_cycle = 64;
    m.operands = {"I", "W", "O"};
    t->memories = {m};
    Core c;
    c.id = 0;
    c.type = t;
    return c;
}

/// K=8, C=4, OY=OX=6, FY=FX=3: 8*4*6*6*3*3 = 10368 iterations.
inline Layer toy_conv() {
    Layer l;
    l.id = 0;
    l.name = "conv";
    l.op_type = "Conv";
    l.loop_dims = {{"K", 8}, {"C", 4}, {"OY", 6}, {"OX", 6}, {"FY", 3}, {"FX", 3}};
    Operand out{"O", OperandRole::Output, 8, 16, -1, 0, "y", {}};
    out.axes = {TensorAxis{{{0, 1}}, 0, 8}, TensorAxis{{{2, 1}}, 0, 6}, TensorAxis{{{3, 1}}, 0, 6}};
    Operand w{"W", OperandRole::Constant, 8, 0, -1, 0, "w", {}};
    w.axes = {TensorAxis{{{0, 1}}, 0, 8}, TensorAxis{{{1, 1}}, 0, 4}, TensorAxis{{{4, 1}}, 0, 3}, TensorAxis{{{5, 1}}, 0, 3}};
    Operand in{"I", OperandRole::Input, 8, 0, -1, 0, "x", {}};
    in.axes = {TensorAxis{{{1, 1}}, 0, 4}, TensorAxis{{{2, 1}, {4, 1}}, 0, 8}, TensorAxis{{{3, 1}, {5, 1}}, 0, 8}};
    l.operands = {in, w, out};
    return l;
}

struct CostCapture {
    double latency = -1, energy = -1;
    std::string mapping_text;
};

inline void capture_cost(void* ctx, const stream_cost_v1* c) {
    auto* cap = static_cast<CostCapture*>(ctx);
    cap->latency = c->latency_cycles;
    cap->energy = c->energy_pj;
    cap->mapping_text = c->mapping_text ? c->mapping_text : "";
}

/// Costs `layer` (the toy conv by default) on `core` (the toy core) through `inst`; `offchip` is the
/// system's DRAM memory as core models see it, or none.
inline CostCapture evaluate(const PluginInstance<stream_core_model_v1>& inst, const Core& core = toy_core(),
                            const Layer& layer = toy_conv(), const MemoryLevel* offchip = nullptr) {
    PluginConfig empty(nullptr, SourceLoc{}, {}, "model");
    CoreView cv(core, empty.c_view(), offchip);
    LayerView lv(layer);
    stream_cn_v1 cn{sizeof(stream_cn_v1), 0, lv.c(), nullptr, 0};
    CostCapture cap;
    stream_cost_sink_v1 sink{sizeof(stream_cost_sink_v1), &cap, &capture_cost};
    inst.call("evaluate", [&](const stream_core_model_v1& vt, void* h) { return vt.evaluate(h, &cv.c(), &cn, &sink); });
    return cap;
}

} // namespace stream::test
