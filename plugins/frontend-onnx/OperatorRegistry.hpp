// Which ONNX operators the frontend converts, and the converter of each.
//
// Conventions every converter follows (what core models and the tiler can rely on):
//  - Compute layers name their operands I, W, O (binary element-wise: I1, I2, O).
//    W is a CONSTANT for initializers, an INPUT when another layer produces it
//    (MatMul of two activations). Pools carry a 0-bit W over the window, as ZigZag does.
//  - Loop dims: Conv B G K C O[ZYX] F[ZYX] (G always present, 1 when ungrouped);
//    ConvTranspose B G K C I[ZYX] F[ZYX]; Gemm/MatMul [H | H0 H1 ...] B K C with B the
//    rows; pools B K O.. F..; LRN adds FK; reductions rename reduced dims R<dim>;
//    element-wise ops name output axes by activation_dim_names; propagation layers D0 D1 ...
//  - Biases (Conv, ConvTranspose, Gemm) are the "bias" text attribute, not operands:
//    they are added once per output, not per MAC.
//  - Precision: config > Stream's act_size/weight_size/output_size node attributes >
//    element type. Outputs of layers with reduction loops get partial_precision_bits
//    (NodeContext::partial_bits); other outputs leave it 0 (= final precision).
//  - Layers with several outputs name them O0, O1, ...; producer_output counts the
//    producer's OUTPUT operands in order.
#pragma once

#include "LayerSpec.hpp"
#include "NodeContext.hpp"

#include <string>
#include <string_view>

namespace stream::onnx_frontend {

using Converter = LayerSpec (*)(const NodeContext&);

/// The converter of `op_type` (matched regardless of the node's domain), or nullptr.
Converter find_converter(std::string_view op_type);

/// "Add, AveragePool, BatchNormalization, ..." for error messages.
std::string supported_operator_list();

/// Operators whose output has their first input's shape and type (element-wise unary ops).
bool preserves_shape(std::string_view op_type);

// ---- converters, one family per source file ----

LayerSpec convert_conv(const NodeContext& ctx);           // ConvConverters.cpp
LayerSpec convert_conv_transpose(const NodeContext& ctx); // ConvConverters.cpp
LayerSpec convert_gemm(const NodeContext& ctx);           // MatMulConverters.cpp
LayerSpec convert_matmul(const NodeContext& ctx);         // MatMulConverters.cpp
LayerSpec convert_pool(const NodeContext& ctx);           // PoolConverters.cpp (MaxPool, AveragePool)
LayerSpec convert_global_pool(const NodeContext& ctx);    // PoolConverters.cpp
LayerSpec convert_lrn(const NodeContext& ctx);            // PoolConverters.cpp
LayerSpec convert_unary(const NodeContext& ctx);          // ElementwiseConverters.cpp
LayerSpec convert_binary(const NodeContext& ctx);         // ElementwiseConverters.cpp
LayerSpec convert_batch_norm(const NodeContext& ctx);     // ElementwiseConverters.cpp
LayerSpec convert_softmax(const NodeContext& ctx);        // ElementwiseConverters.cpp
LayerSpec convert_layer_norm(const NodeContext& ctx);     // ElementwiseConverters.cpp
LayerSpec convert_reduce(const NodeContext& ctx);         // ReduceConverter.cpp
LayerSpec convert_resize(const NodeContext& ctx);         // ResizeConverter.cpp
LayerSpec convert_propagation(const NodeContext& ctx);    // PropagationConverters.cpp
/// A propagation layer for an operator outside the supported set (unknown_ops = "passthrough").
LayerSpec convert_passthrough(const NodeContext& ctx);    // PropagationConverters.cpp

} // namespace stream::onnx_frontend
