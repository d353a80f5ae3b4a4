#include "OperatorRegistry.hpp"

#include <array>
#include <utility>

namespace stream::onnx_frontend {

namespace {

struct Entry {
    std::string_view op_type;
    Converter converter;
    bool shape_preserving;
};

// Sorted by name, so the supported list in messages reads alphabetically.
constexpr std::array entries{
    Entry{"Abs", convert_unary, true},
    Entry{"Add", convert_binary, false},
    Entry{"AveragePool", convert_pool, false},
    Entry{"BatchNormalization", convert_batch_norm, false},
    Entry{"Clip", convert_unary, true},
    Entry{"Concat", convert_propagation, false},
    Entry{"Conv", convert_conv, false},
    Entry{"ConvTranspose", convert_conv_transpose, false},
    Entry{"Div", convert_binary, false},
    Entry{"Dropout", convert_propagation, false},
    Entry{"Erf", convert_unary, true},
    Entry{"Exp", convert_unary, true},
    Entry{"Flatten", convert_propagation, false},
    Entry{"Gather", convert_propagation, false},
    Entry{"Gelu", convert_unary, true},
    Entry{"Gemm", convert_gemm, false},
    Entry{"GlobalAveragePool", convert_global_pool, false},
    Entry{"GlobalMaxPool", convert_global_pool, false},
    Entry{"Identity", convert_propagation, false},
    Entry{"LRN", convert_lrn, false},
    Entry{"LayerNormalization", convert_layer_norm, false},
    Entry{"LeakyRelu", convert_unary, true},
    Entry{"Log", convert_unary, true},
    Entry{"MatMul", convert_matmul, false},
    Entry{"MaxPool", convert_pool, false},
    Entry{"Mul", convert_binary, false},
    Entry{"Neg", convert_unary, true},
    Entry{"Pow", convert_binary, false},
    Entry{"Reciprocal", convert_unary, true},
    Entry{"ReduceMean", convert_reduce, false},
    Entry{"ReduceSum", convert_reduce, false},
    Entry{"Relu", convert_unary, true},
    Entry{"Reshape", convert_propagation, false},
    Entry{"Resize", convert_resize, false},
    Entry{"Sigmoid", convert_unary, true},
    Entry{"Silu", convert_unary, true},
    Entry{"Slice", convert_propagation, false},
    Entry{"Softmax", convert_softmax, false},
    Entry{"Split", convert_propagation, false},
    Entry{"Sqrt", convert_unary, true},
    Entry{"Squeeze", convert_propagation, false},
    Entry{"Sub", convert_binary, false},
    Entry{"Tanh", convert_unary, true},
    Entry{"Transpose", convert_propagation, false},
    Entry{"Unsqueeze", convert_propagation, false},
};

const Entry* find_entry(std::string_view op_type) {
    for (const Entry& e : entries)
        if (e.op_type == op_type) return &e;
    return nullptr;
}

} // namespace

Converter find_converter(std::string_view op_type) {
    const Entry* e = find_entry(op_type);
    return e ? e->converter : nullptr;
}

std::string supported_operator_list() {
    std::string list;
    for (const Entry& e : entries) {
        if (!list.empty()) list += ", ";
        list += e.op_type;
    }
    return list;
}

bool preserves_shape(std::string_view op_type) {
    const Entry* e = find_entry(op_type);
    return e && e->shape_preserving;
}

} // namespace stream::onnx_frontend
