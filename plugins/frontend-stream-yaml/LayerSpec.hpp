// An owning description of one layer, turned into the ABI's stream_layer_v1 view
// (LayerView) only for the builder call. Mirrors the ONNX frontend's LayerSpec so
// both frontends describe a layer the same way.
#pragma once

#include <stream/plugin.h>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace stream::yaml_frontend {

struct LoopDim {
    std::string name;
    std::int64_t size = 1;
};

struct AffineTerm {
    std::uint32_t loop_dim = 0; ///< index into LayerSpec::loop_dims
    std::int64_t coefficient = 1;
};

/// One tensor axis: Σ coefficient·dim + offset, with values outside [0, extent) padding.
struct TensorAxis {
    std::vector<AffineTerm> terms;
    std::int64_t offset = 0;
    std::int64_t extent = 1;
};

struct Operand {
    std::string name;
    stream_operand_role role = STREAM_OPERAND_INPUT;
    std::uint32_t precision_bits = 0;
    std::uint32_t partial_precision_bits = 0;
    std::int64_t producer_layer = -1;
    std::vector<TensorAxis> axes;
};

struct Attribute {
    std::string name;
    std::vector<std::int64_t> ints;
    std::optional<std::string> text;
};

struct LayerSpec {
    std::string name;
    std::string op_type;
    std::vector<LoopDim> loop_dims;
    std::vector<Operand> operands;
    std::int64_t group_count = 1;
    std::vector<Attribute> attributes;
    std::uint32_t line = 0; ///< where the layer's entry starts in the file (1-based; 0 unknown)
    std::uint32_t column = 0;

    std::optional<std::uint32_t> find_dim(const std::string& dim_name) const {
        for (std::size_t i = 0; i < loop_dims.size(); ++i)
            if (loop_dims[i].name == dim_name) return static_cast<std::uint32_t>(i);
        return std::nullopt;
    }
};

} // namespace stream::yaml_frontend
