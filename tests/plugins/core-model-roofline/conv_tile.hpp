// Views of a 3x3 convolution tile and of two cores, owned by plain structs so
// tests can hand stable pointers to the C model.
#pragma once

#include <stream/plugin.h>

#include <array>
#include <vector>

namespace roofline_test {

// Loop dims: B=1, K=8, C=4, OY=4, OX=4, FY=3, FX=3 (stride 1, no padding).
//   MACs           = 1*8*4*4*4*3*3            = 4608
//   I  (B,C,IY,IX) = 1*4*(4+3-1)*(4+3-1)=144 elements * 8 bits = 1152 bits
//   W  (K,C,FY,FX) = 8*4*3*3           =288 elements * 8 bits = 2304 bits
//   O  (B,K,OY,OX) = 1*8*4*4           =128 elements * 8 bits = 1024 bits
struct ConvTile {
    enum : uint32_t { B, K, C, OY, OX, FY, FX };
    std::array<stream_loop_dim_v1, 7> dims{{
        {sizeof(stream_loop_dim_v1), "B", 1},  {sizeof(stream_loop_dim_v1), "K", 8},
        {sizeof(stream_loop_dim_v1), "C", 4},  {sizeof(stream_loop_dim_v1), "OY", 4},
        {sizeof(stream_loop_dim_v1), "OX", 4}, {sizeof(stream_loop_dim_v1), "FY", 3},
        {sizeof(stream_loop_dim_v1), "FX", 3},
    }};
    // One vector of terms per axis; reserved up front so axis pointers stay valid.
    std::vector<std::vector<stream_affine_term_v1>> terms;
    std::vector<std::vector<stream_tensor_axis_v1>> axes;
    std::vector<stream_operand_v1> operands;
    stream_cn_v1 cn{};

    // The views point into the members: copies would dangle.
    ConvTile(const ConvTile&) = delete;
    ConvTile& operator=(const ConvTile&) = delete;

    explicit ConvTile(int64_t stride = 1) {
        terms.reserve(16);
        axes.reserve(3);
        add_operand("I", STREAM_OPERAND_INPUT,
                    {{{B, 1}}, {{C, 1}}, {{OY, stride}, {FY, 1}}, {{OX, stride}, {FX, 1}}},
                    {1, 4, 6, 6});
        add_operand("W", STREAM_OPERAND_CONSTANT, {{{K, 1}}, {{C, 1}}, {{FY, 1}}, {{FX, 1}}}, {8, 4, 3, 3});
        add_operand("O", STREAM_OPERAND_OUTPUT, {{{B, 1}}, {{K, 1}}, {{OY, 1}}, {{OX, 1}}}, {1, 8, 4, 4});
        cn.struct_size = sizeof cn;
        cn.id = 7;
        cn.layer.struct_size = sizeof cn.layer;
        cn.layer.id = 3;
        cn.layer.name = "conv1";
        cn.layer.op_type = "Conv";
        cn.layer.layer_class = STREAM_LAYER_COMPUTE;
        cn.layer.loop_dims = dims.data();
        cn.layer.loop_dim_count = static_cast<uint32_t>(dims.size());
        cn.layer.operands = operands.data();
        cn.layer.operand_count = static_cast<uint32_t>(operands.size());
        cn.layer.group_count = 1;
    }

    stream_operand_v1& operand(std::size_t i) { return operands[i]; }

private:
    struct Term { uint32_t dim; int64_t coefficient; };
    void add_operand(const char* name, stream_operand_role role, std::vector<std::vector<Term>> axis_terms,
                     std::vector<int64_t> extents) {
        std::vector<stream_tensor_axis_v1> operand_axes;
        for (std::size_t a = 0; a < axis_terms.size(); ++a) {
            auto& owned = terms.emplace_back();
            for (auto t : axis_terms[a]) owned.push_back({sizeof(stream_affine_term_v1), t.dim, t.coefficient});
            operand_axes.push_back({sizeof(stream_tensor_axis_v1), owned.data(),
                                    static_cast<uint32_t>(owned.size()), 0, extents[a]});
        }
        auto& owned_axes = axes.emplace_back(std::move(operand_axes));
        stream_operand_v1 op{};
        op.struct_size = sizeof op;
        op.name = name;
        op.role = role;
        op.precision_bits = 8;
        op.partial_precision_bits = role == STREAM_OPERAND_OUTPUT ? 24 : 0;
        op.producer_layer = -1;
        op.axes = owned_axes.data();
        op.axis_count = static_cast<uint32_t>(owned_axes.size());
        operands.push_back(op);
    }
};

// A core with a rows x cols MAC array and the given memory levels (innermost first).
struct TestCore {
    std::array<stream_array_dim_v1, 2> array;
    std::vector<stream_memory_level_v1> memories;
    stream_core_v1 core{};

    TestCore(const TestCore&) = delete;
    TestCore& operator=(const TestCore&) = delete;

    TestCore(int64_t id, const char* name, int64_t rows, int64_t cols, std::vector<stream_memory_level_v1> levels)
        : array{{{sizeof(stream_array_dim_v1), "D1", rows}, {sizeof(stream_array_dim_v1), "D2", cols}}},
          memories(std::move(levels)) {
        core.struct_size = sizeof core;
        core.id = id;
        core.name = name;
        core.array_dims = array.data();
        core.array_dim_count = 2;
        core.mac_energy_pj = 0.5;
        core.memories = memories.data();
        core.memory_count = static_cast<uint32_t>(memories.size());
    }
};

inline const char* const all_operands[] = {"I", "W", "O"};

inline stream_memory_level_v1 memory(const char* name, double bw_bits_per_cycle, const char* const* operands,
                                     uint32_t operand_count) {
    stream_memory_level_v1 m{};
    m.struct_size = sizeof m;
    m.name = name;
    m.size_bits = 1 << 20;
    m.read_bw_bits_per_cycle = bw_bits_per_cycle;
    m.write_bw_bits_per_cycle = bw_bits_per_cycle;
    m.read_energy_pj = 10.0;
    m.write_energy_pj = 12.0;
    m.operands = operands;
    m.operand_count = operand_count;
    return m;
}

} // namespace roofline_test
