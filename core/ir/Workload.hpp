// The workload IR: a DAG of layers, each a loop nest over named dimensions
// whose operands index their tensors through affine maps of the loop
// variables (IX = s*OX + d*FX - pad). Layout-only operators stay in the graph
// as propagation layers so that dependencies can later pass through them.
#pragma once

#include "error/Error.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace stream {

struct LoopDim {
    std::string name;
    std::int64_t size = 1;
    bool operator==(const LoopDim&) const = default;
};

struct AffineTerm {
    std::uint32_t loop_dim = 0; ///< index into Layer::loop_dims
    std::int64_t coefficient = 1;
    bool operator==(const AffineTerm&) const = default;
};

struct TensorAxis {
    std::vector<AffineTerm> terms;
    std::int64_t offset = 0; ///< -pad_begin
    std::int64_t extent = 1; ///< tensor size along the axis
    bool operator==(const TensorAxis&) const = default;
};

enum class OperandRole { Input = 1, Constant = 2, Output = 3 };

struct Operand {
    std::string name;
    OperandRole role = OperandRole::Input;
    std::uint32_t precision_bits = 8;
    std::uint32_t partial_precision_bits = 0; ///< 0 = precision_bits
    std::int64_t producer_layer = -1;
    std::uint32_t producer_output = 0;
    std::string tensor_name;
    std::vector<TensorAxis> axes;
    bool operator==(const Operand&) const = default;

    /// Elements of the whole tensor (product of the axis extents).
    std::int64_t elements() const;
    std::int64_t size_bits() const { return elements() * precision_bits; }
};

struct Attribute {
    std::string name;
    std::vector<std::int64_t> ints;
    std::optional<std::string> text;
    std::vector<double> floats;
    bool operator==(const Attribute&) const = default;
};

enum class LayerClass { Compute = 1, Propagation = 2 };

struct Layer {
    std::int64_t id = 0;
    std::string name;
    std::string op_type;
    LayerClass layer_class = LayerClass::Compute;
    std::vector<LoopDim> loop_dims;
    std::vector<Operand> operands;
    std::int64_t group_count = 1;
    std::vector<Attribute> attributes;
    SourceLoc where;
    bool operator==(const Layer&) const = default;

    /// Iterations of the loop nest (0 for propagation layers).
    std::int64_t loop_iterations() const;
    const Operand* output() const;
    /// "layer 3 'conv1'" for messages.
    std::string label() const;
};

struct Workload {
    std::string name;
    std::vector<Layer> layers; ///< indexed by id
    SourceLoc where;
    bool operator==(const Workload&) const = default;
};

} // namespace stream
