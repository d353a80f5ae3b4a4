// Shared by the core-model-dataflow tests: small layers and cores (hand-derivable), the
// reference cores of ZigZag and Stream, and a fake host to drive the plugin through its C entry.
#pragma once

#include "dataflow_model.hpp"
#include "mapping_search.hpp"

#include <stream/plugin.h>

#include <doctest/doctest.h>

#include <cstdint>
#include <deque>
#include <tuple>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

extern "C" const stream_plugin_descriptor* stream_plugin_entry(const stream_host_info* host);

namespace stream::dataflow::test {

inline doctest::Approx rel(double v) { return doctest::Approx(v).epsilon(1e-6); }

inline PortUse use(const char* op, const char* flow, const char* port) { return PortUse{op, flow, port}; }

// O[k] += W[k][c] * I[c]  (K=8, C=2), I/W 8 bit, O 8 bit final, 16 bit partial.
inline LoopNest toy_layer() {
    std::vector<LoopDim> dims{{"K", 8}, {"C", 2}};
    std::vector<Operand> ops;
    ops.push_back({"I", OperandRole::Input, 8, 0, {TensorAxis{{{1, 1}}, 2}}});
    ops.push_back({"W", OperandRole::Constant, 8, 0, {TensorAxis{{{0, 1}}, 8}, TensorAxis{{{1, 1}}, 2}}});
    ops.push_back({"O", OperandRole::Output, 8, 16, {TensorAxis{{{0, 1}}, 8}}});
    return LoopNest(dims, ops);
}

// Array D1 = 4. rf: W only, one per MAC (served []), 64 b, 8 b/cycle, 1 pJ read / 2 pJ write.
// buf: I, W, O shared over D1, 8192 b, 32 b/cycle, 10 pJ read / 20 pJ write, 1 read + 1 write port.
inline CoreDescription toy_core() {
    CoreDescription c;
    c.name = "toy";
    c.array_dims = {{"D1", 4}};
    c.mac_energy_pj = 0.5;
    MemoryLevel rf;
    rf.name = "rf";
    rf.size_bits = 64;
    rf.read_bw = rf.write_bw = 8;
    rf.read_energy_pj = 1;
    rf.write_energy_pj = 2;
    rf.operands = {"W"};
    rf.read_ports = rf.write_ports = 1;
    rf.port_uses = {use("W", "fh", "w_port_1"), use("W", "tl", "r_port_1")};
    MemoryLevel buf;
    buf.name = "buf";
    buf.size_bits = 8192;
    buf.read_bw = buf.write_bw = 32;
    buf.read_energy_pj = 10;
    buf.write_energy_pj = 20;
    buf.operands = {"I", "W", "O"};
    buf.served_dims = {"D1"};
    buf.read_ports = buf.write_ports = 1;
    buf.port_uses = {use("I", "fh", "w_port_1"), use("I", "tl", "r_port_1"), use("W", "fh", "w_port_1"),
                     use("W", "tl", "r_port_1"), use("O", "fh", "w_port_1"), use("O", "tl", "r_port_1"),
                     use("O", "fl", "w_port_1"), use("O", "th", "r_port_1")};
    c.memories = {rf, buf};
    return c;
}

// B K C OY OX FY FX convolution as the ONNX/Stream frontends describe it:
// I[b][c][iy][ix] with iy = s*oy + fy, ix = s*ox + fx (extent = real input size).
inline LoopNest conv(int64_t k, int64_t c, int64_t oy, int64_t ox, int64_t fy, int64_t fx, int64_t stride,
              int64_t in_extent) {
    std::vector<LoopDim> dims{{"B", 1}, {"K", k}, {"C", c}, {"OY", oy}, {"OX", ox}, {"FY", fy}, {"FX", fx}};
    enum { B, K, C, OY, OX, FY, FX };
    std::vector<Operand> ops;
    ops.push_back({"I",
                   OperandRole::Input,
                   8,
                   0,
                   {TensorAxis{{{B, 1}}, 1}, TensorAxis{{{C, 1}}, c}, TensorAxis{{{OY, stride}, {FY, 1}}, in_extent},
                    TensorAxis{{{OX, stride}, {FX, 1}}, in_extent}}});
    ops.push_back({"W",
                   OperandRole::Constant,
                   8,
                   0,
                   {TensorAxis{{{K, 1}}, k}, TensorAxis{{{C, 1}}, c}, TensorAxis{{{FY, 1}}, fy},
                    TensorAxis{{{FX, 1}}, fx}}});
    ops.push_back({"O",
                   OperandRole::Output,
                   8,
                   16,
                   {TensorAxis{{{B, 1}}, 1}, TensorAxis{{{K, 1}}, k}, TensorAxis{{{OY, 1}}, oy},
                    TensorAxis{{{OX, 1}}, ox}}});
    return LoopNest(dims, ops);
}

inline MemoryLevel mem(const char* name, int64_t size, double bw, double rc, double wc, std::vector<std::string> ops,
                std::vector<std::string> served, unsigned r, unsigned w, unsigned rw, std::vector<PortUse> uses,
                int64_t min_bits = 0) {
    MemoryLevel m;
    m.name = name;
    m.size_bits = size;
    m.read_bw = m.write_bw = bw;
    m.read_energy_pj = rc;
    m.write_energy_pj = wc;
    m.min_read_bits = m.min_write_bits = min_bits;
    m.operands = std::move(ops);
    m.served_dims = std::move(served);
    m.read_ports = r;
    m.write_ports = w;
    m.read_write_ports = rw;
    m.port_uses = std::move(uses);
    return m;
}

inline std::vector<PortUse> input_ports(const char* op, const char* w, const char* r) {
    return {use(op, "fh", w), use(op, "tl", r)};
}
inline std::vector<PortUse> output_ports(const char* fh, const char* tl, const char* fl, const char* th) {
    return {use("O", "fh", fh), use("O", "tl", tl), use("O", "fl", fl), use("O", "th", th)};
}
inline std::vector<PortUse> concat(std::vector<std::vector<PortUse>> parts) {
    std::vector<PortUse> out;
    for (auto& p : parts) out.insert(out.end(), p.begin(), p.end());
    return out;
}

// Stream's tpu_like core (stream-inputs/examples/hardware/cores/tpu_like.yaml).
inline CoreDescription stream_tpu_like() {
    CoreDescription c;
    c.name = "tpu_like";
    c.array_dims = {{"D1", 32}, {"D2", 32}};
    c.mac_energy_pj = 0.04;
    c.memories = {
        mem("rf_128B", 1024, 8, 0.095, 0.095, {"W"}, {}, 1, 1, 0, input_ports("W", "w_port_1", "r_port_1")),
        mem("rf_2B", 16, 16, 0.021, 0.021, {"O"}, {"D2"}, 2, 2, 0,
            output_ports("w_port_1", "r_port_1", "w_port_2", "r_port_2")),
        mem("sram_2MB", 16777216, 2048, 416.16, 378.4, {"I", "W", "O"}, {"D1", "D2"}, 1, 1, 0,
            concat({input_ports("I", "w_port_1", "r_port_1"), input_ports("W", "w_port_1", "r_port_1"),
                    output_ports("w_port_1", "r_port_1", "w_port_1", "r_port_1")}),
            64),
    };
    return c;
}

// Stream's SIMD core (stream-inputs/examples/hardware/cores/simd.yaml): one 1 Mb SRAM, two
// read-write ports, over a 64-wide array.
inline CoreDescription stream_simd() {
    CoreDescription c;
    c.name = "simd";
    c.array_dims = {{"D1", 64}};
    c.mac_energy_pj = 0.1;
    c.memories = {mem("sram_128KB_2rw", 1048576, 512, 60, 75, {"I", "W", "O"}, {"D1"}, 0, 0, 2,
                      concat({input_ports("I", "rw_port_1", "rw_port_2"), input_ports("W", "rw_port_1", "rw_port_2"),
                              output_ports("rw_port_1", "rw_port_2", "rw_port_1", "rw_port_2")}))};
    return c;
}

// O = I1 + I2 over `dims`, 8 bit everything, named as the ONNX frontend names an Add.
inline LoopNest add_layer(std::vector<LoopDim> dims) {
    std::vector<TensorAxis> axes;
    for (std::size_t d = 0; d < dims.size(); ++d) axes.push_back({{{d, 1}}, dims[d].size});
    return LoopNest(dims, {{"I1", OperandRole::Input, 8, 0, axes},
                           {"I2", OperandRole::Input, 8, 0, axes},
                           {"O", OperandRole::Output, 8, 0, axes}});
}

// ZigZag's own tpu_like core (zigzag-inputs/hardware/tpu_like.yaml), with DRAM.
inline CoreDescription zigzag_tpu_like() {
    CoreDescription c;
    c.name = "tpu_like";
    c.array_dims = {{"D1", 32}, {"D2", 32}};
    c.mac_energy_pj = 0.04;
    MemoryLevel dram = mem("dram", 10000000000LL, 64, 700, 750, {"I", "W", "O"}, {"D1", "D2"}, 0, 0, 1,
                           concat({input_ports("I", "rw_port_1", "rw_port_1"),
                                   input_ports("W", "rw_port_1", "rw_port_1"),
                                   output_ports("rw_port_1", "rw_port_1", "rw_port_1", "rw_port_1")}));
    dram.write_energy_pj = 750;
    c.memories = {
        mem("rf_128B", 1024, 8, 0.095, 0.095, {"W"}, {}, 1, 1, 0, input_ports("W", "w_port_1", "r_port_1")),
        mem("rf_2B", 16, 16, 0.021, 0.021, {"O"}, {}, 2, 2, 0,
            output_ports("w_port_1", "r_port_1", "w_port_2", "r_port_2")),
        mem("sram_2MB", 16777216, 2048, 416.16, 378.4, {"I", "O"}, {"D1", "D2"}, 1, 1, 0,
            concat({input_ports("I", "w_port_1", "r_port_1"),
                    output_ports("w_port_1", "r_port_1", "w_port_1", "r_port_1")}),
            64),
        dram,
    };
    return c;
}

inline SpatialMapping user_mapping(std::vector<std::pair<std::string, std::pair<std::string, double>>> entries) {
    SpatialMapping sm;
    for (auto& [ad, loop] : entries) sm.dims.push_back({ad, {{loop.first, loop.second}}});
    return sm;
}

inline void check_levels(const CostResult& r, const std::string& op, const std::vector<double>& expected) {
    INFO("operand " << op);
    REQUIRE(r.levels.at(op).size() == expected.size());
    for (std::size_t i = 0; i < expected.size(); ++i) {
        INFO("level " << i);
        CHECK(r.levels.at(op)[i].energy_total_pj == rel(expected[i]));
    }
}

inline std::vector<std::pair<std::string, int64_t>> named(const LoopNest& nest, const std::vector<LoopFactor>& f) {
    std::vector<std::pair<std::string, int64_t>> out;
    for (const auto& l : f) out.emplace_back(nest.dims()[l.dim].name, l.size);
    return out;
}

// O[k] += W[k][c] * I[c] with K and C given.
inline LoopNest matvec(int64_t k, int64_t c) {
    std::vector<LoopDim> dims{{"K", k}, {"C", c}};
    std::vector<Operand> ops;
    ops.push_back({"I", OperandRole::Input, 8, 0, {TensorAxis{{{1, 1}}, c}}});
    ops.push_back({"W", OperandRole::Constant, 8, 0, {TensorAxis{{{0, 1}}, k}, TensorAxis{{{1, 1}}, c}}});
    ops.push_back({"O", OperandRole::Output, 8, 16, {TensorAxis{{{0, 1}}, k}}});
    return LoopNest(dims, ops);
}

// A host whose config holds lpf_limit / objective when set, and which records reported errors.
struct FakeHost {
    std::optional<int64_t> lpf_limit;
    std::optional<std::string> objective;
    std::optional<bool> zigzag_quirks;
    bool zigzag_quirks_defaulted = false; // as the host marks a key it filled in: "(default)"
    std::string compat;                   // "stream" under --compat stream
    // any other key the test sets, by type
    std::map<std::string, std::string> strings;
    std::map<std::string, int64_t> ints;
    std::map<std::string, bool> bools;
    struct Reported {
        stream_item_kind kind = STREAM_ITEM_NONE;
        int64_t index = -1;
        std::string name, message;
    };
    std::vector<Reported> errors;
    stream_config_v1 config{};
    stream_host_services_v1 services{};

    FakeHost() {
        config.struct_size = sizeof config;
        config.ctx = this;
        config.has = [](void* ctx, const char* key) -> int32_t {
            auto* self = static_cast<FakeHost*>(ctx);
            std::string k = key;
            return (k == "lpf_limit" && self->lpf_limit) || (k == "objective" && self->objective) ||
                   (k == "zigzag_quirks" && self->zigzag_quirks) || self->strings.count(k) || self->ints.count(k) ||
                   self->bools.count(k);
        };
        config.get_bool = [](void* ctx, const char* key, int32_t* out) -> stream_status {
            auto* self = static_cast<FakeHost*>(ctx);
            if (auto it = self->bools.find(key); it != self->bools.end()) {
                *out = it->second ? 1 : 0;
                return STREAM_OK;
            }
            if (std::string(key) != "zigzag_quirks" || !self->zigzag_quirks) return STREAM_ERROR_NOT_FOUND;
            *out = *self->zigzag_quirks ? 1 : 0;
            return STREAM_OK;
        };
        config.location = [](void* ctx, const char* key, stream_source_location* out) -> stream_status {
            auto* self = static_cast<FakeHost*>(ctx);
            const bool defaulted = key && std::string(key) == "zigzag_quirks" && self->zigzag_quirks_defaulted;
            out->file = defaulted ? "(default)" : "pipeline.toml";
            out->line = defaulted ? 0 : 3;
            out->column = defaulted ? 0 : 1;
            return STREAM_OK;
        };
        config.get_int = [](void* ctx, const char* key, int64_t* out) -> stream_status {
            auto* self = static_cast<FakeHost*>(ctx);
            if (auto it = self->ints.find(key); it != self->ints.end()) {
                *out = it->second;
                return STREAM_OK;
            }
            if (std::string(key) != "lpf_limit" || !self->lpf_limit) return STREAM_ERROR_NOT_FOUND;
            *out = *self->lpf_limit;
            return STREAM_OK;
        };
        config.get_string = [](void* ctx, const char* key, const char** out) -> stream_status {
            auto* self = static_cast<FakeHost*>(ctx);
            if (auto it = self->strings.find(key); it != self->strings.end()) {
                *out = it->second.c_str();
                return STREAM_OK;
            }
            if (std::string(key) != "objective" || !self->objective) return STREAM_ERROR_NOT_FOUND;
            *out = self->objective->c_str();
            return STREAM_OK;
        };
        services.struct_size = sizeof services;
        services.ctx = this;
        services.log = [](void*, stream_log_level, const char*) {};
        services.report_error = [](void* ctx, const stream_item* item, const char* message) {
            Reported r;
            if (item) {
                r.kind = item->kind;
                r.index = item->index;
                r.name = item->name ? item->name : "";
            }
            r.message = message;
            static_cast<FakeHost*>(ctx)->errors.push_back(r);
        };
        services.progress = [](void*, double, double, const char*) -> int32_t { return 0; };
        services.is_cancelled = [](void*) -> int32_t { return 0; };
        services.config = &config;
        services.get_extension = [](void*, const char*) -> const void* { return nullptr; };
        services.compat = compat.c_str();
    }
    void set_compat(std::string c) {
        compat = std::move(c);
        services.compat = compat.c_str();
    }
    FakeHost(const FakeHost&) = delete;
};

inline const stream_core_model_v1& core_model() {
    return *static_cast<const stream_core_model_v1*>(stream_plugin_entry(nullptr)->vtable);
}

struct Captured {
    int count = 0;
    stream_cost_v1 cost{};
    std::vector<std::pair<std::string, stream_access_energy_v1>> accesses;
    std::map<std::string, int64_t> footprints;
    std::map<std::string, int> streamed; // footprint operand -> streamed_from_offchip
    std::string mapping_text;
    stream_cost_sink_v1 sink{sizeof(stream_cost_sink_v1), this, [](void* ctx, const stream_cost_v1* c) {
                                 auto* self = static_cast<Captured*>(ctx);
                                 ++self->count;
                                 self->cost = *c;
                                 for (uint32_t i = 0; i < c->access_count; ++i)
                                     self->accesses.emplace_back(c->accesses[i].operand, c->accesses[i]);
                                 for (uint32_t i = 0; i < c->footprint_count; ++i)
                                     self->footprints[c->footprints[i].operand] = c->footprints[i].size_bits;
                                 for (uint32_t i = 0; i < c->footprint_count; ++i)
                                     self->streamed[c->footprints[i].operand] = c->footprints[i].streamed_from_offchip;
                                 self->mapping_text = c->mapping_text ? c->mapping_text : "";
                             }};
};

struct Instance {
    void* p = nullptr;
    stream_status status;
    explicit Instance(FakeHost& h) : status(core_model().create(&h.services, &p)) {}
    ~Instance() { core_model().destroy(p); }
    Instance(const Instance&) = delete;
};

// A layer, a core (with its dataflow) and optionally the system's DRAM as the ABI views the host
// hands the plugin; owns everything the views point to.
struct AbiViews {
    LoopNest nest;
    CoreDescription core_desc;
    std::optional<MemoryLevel> dram;
    stream_cn_v1 cn{};
    stream_core_v1 core{};
    stream_memory_level_v1 dram_view{};

    AbiViews(LoopNest n, CoreDescription c, std::vector<std::tuple<std::string, std::string, int64_t>> dataflow_entries,
             std::optional<MemoryLevel> d = std::nullopt)
        : nest(std::move(n)), core_desc(std::move(c)), dram(std::move(d)), flow(std::move(dataflow_entries)) {
        for (const auto& d2 : nest.dims()) dims.push_back({sizeof(stream_loop_dim_v1), d2.name.c_str(), d2.size});
        terms.resize(nest.operands().size());
        axes.resize(nest.operands().size());
        for (std::size_t o = 0; o < nest.operands().size(); ++o) {
            const Operand& op = nest.operands()[o];
            terms[o].resize(op.axes.size());
            for (std::size_t a = 0; a < op.axes.size(); ++a) {
                for (const AxisTerm& t : op.axes[a].terms)
                    terms[o][a].push_back({sizeof(stream_affine_term_v1), static_cast<uint32_t>(t.dim), t.coefficient});
                axes[o].push_back({sizeof(stream_tensor_axis_v1), terms[o][a].data(),
                                   static_cast<uint32_t>(terms[o][a].size()), 0, op.axes[a].extent});
            }
            const stream_operand_role role = op.role == OperandRole::Output     ? STREAM_OPERAND_OUTPUT
                                             : op.role == OperandRole::Constant ? STREAM_OPERAND_CONSTANT
                                                                                : STREAM_OPERAND_INPUT;
            ops.push_back({sizeof(stream_operand_v1), op.name.c_str(), role, op.precision_bits,
                           op.partial_precision_bits, -1, 0, nullptr, axes[o].data(),
                           static_cast<uint32_t>(axes[o].size())});
        }
        cn.struct_size = sizeof cn;
        cn.id = 11;
        stream_layer_v1& l = cn.layer;
        l.struct_size = sizeof l;
        l.id = 5;
        l.name = "layer";
        l.op_type = "Op";
        l.layer_class = STREAM_LAYER_COMPUTE;
        l.loop_dims = dims.data();
        l.loop_dim_count = static_cast<uint32_t>(dims.size());
        l.operands = ops.data();
        l.operand_count = static_cast<uint32_t>(ops.size());
        l.group_count = 1;

        for (const auto& m : core_desc.memories) mems.push_back(view(m));
        if (dram) dram_view = view(*dram);
        for (const auto& ad : core_desc.array_dims) array.push_back({sizeof(stream_array_dim_v1), ad.name.c_str(), ad.size});
        for (const auto& [ad, ld, f] : flow)
            unrollings.push_back({sizeof(stream_spatial_unrolling_v1), ad.c_str(), ld.c_str(), f});
        core.struct_size = sizeof core;
        core.id = 2;
        core.name = core_desc.name.c_str();
        core.array_dims = array.data();
        core.array_dim_count = static_cast<uint32_t>(array.size());
        core.mac_energy_pj = core_desc.mac_energy_pj;
        core.memories = mems.data();
        core.memory_count = static_cast<uint32_t>(mems.size());
        core.dataflow = unrollings.data();
        core.dataflow_count = static_cast<uint32_t>(unrollings.size());
        core.top_memory_owner = 2;
        core.offchip_memory = dram ? &dram_view : nullptr;
    }
    AbiViews(const AbiViews&) = delete;

private:
    stream_memory_level_v1 view(const MemoryLevel& m) {
        auto& o = names.emplace_back();
        for (const auto& x : m.operands) o.push_back(x.c_str());
        auto& sd = names.emplace_back();
        for (const auto& x : m.served_dims) sd.push_back(x.c_str());
        auto& u = uses.emplace_back();
        for (const auto& pu : m.port_uses)
            u.push_back({sizeof(stream_port_use_v1), pu.operand.c_str(), pu.flow.c_str(), pu.port.c_str()});
        return {sizeof(stream_memory_level_v1), m.name.c_str(), m.size_bits, m.read_bw, m.write_bw, m.read_energy_pj,
                m.write_energy_pj, 0, 0, 1, m.min_read_bits, m.min_write_bits, o.data(),
                static_cast<uint32_t>(o.size()), sd.data(), static_cast<uint32_t>(sd.size()), m.read_ports,
                m.write_ports, m.read_write_ports, u.data(), static_cast<uint32_t>(u.size()), "given"};
    }
    std::vector<std::tuple<std::string, std::string, int64_t>> flow;
    std::vector<stream_loop_dim_v1> dims;
    std::vector<std::vector<std::vector<stream_affine_term_v1>>> terms;
    std::vector<std::vector<stream_tensor_axis_v1>> axes;
    std::vector<stream_operand_v1> ops;
    std::deque<std::vector<const char*>> names; // deque: views keep pointing at earlier entries
    std::deque<std::vector<stream_port_use_v1>> uses;
    std::vector<stream_memory_level_v1> mems;
    std::vector<stream_array_dim_v1> array;
    std::vector<stream_spatial_unrolling_v1> unrollings;
};

} // namespace stream::dataflow::test
