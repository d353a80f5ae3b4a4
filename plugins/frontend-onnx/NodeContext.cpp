#include "NodeContext.hpp"

#include <stream/plugin.hpp>

#include <algorithm>
#include <cstdio>

namespace stream::onnx_frontend {

namespace {

std::string float_text(double v) {
    char buffer[32];
    std::snprintf(buffer, sizeof buffer, "%.9g", v);
    return buffer;
}

bool is_float_type(std::int32_t elem_type) {
    return elem_type == ::onnx::TensorProto_DataType_FLOAT || elem_type == ::onnx::TensorProto_DataType_DOUBLE ||
           elem_type == ::onnx::TensorProto_DataType_FLOAT16 || elem_type == ::onnx::TensorProto_DataType_BFLOAT16;
}

} // namespace

LayerSpec NodeContext::start_layer(stream_layer_class layer_class) const {
    LayerSpec layer;
    layer.name = layer_name_;
    layer.op_type = node_.op_type();
    layer.layer_class = layer_class;
    for (const auto& a : node_.attribute()) {
        switch (a.type()) {
        case ::onnx::AttributeProto_AttributeType_INT: layer.set_ints(a.name(), {a.i()}); break;
        case ::onnx::AttributeProto_AttributeType_INTS: layer.set_ints(a.name(), {a.ints().begin(), a.ints().end()}); break;
        case ::onnx::AttributeProto_AttributeType_STRING: layer.set_text(a.name(), a.s()); break;
        case ::onnx::AttributeProto_AttributeType_FLOAT: layer.set_text(a.name(), float_text(a.f())); break;
        case ::onnx::AttributeProto_AttributeType_FLOATS: {
            std::string text;
            for (float f : a.floats()) {
                if (!text.empty()) text += ',';
                text += float_text(f);
            }
            layer.set_text(a.name(), text);
            break;
        }
        default: break; // tensors and graphs carry no layout information the host uses
        }
    }
    return layer;
}

const TensorInfo& NodeContext::tensor(const std::string& name, const char* kind, int index) const {
    const TensorInfo* info = tensors_.find(name);
    if (!info)
        fail(STREAM_ERROR_INVALID_INPUT, std::string(kind) + " " + std::to_string(index) + " '" + name +
                                             "' has no type or shape in the model, even after shape inference");
    return *info;
}

const TensorInfo& NodeContext::input(int index) const {
    if (!has_input(index))
        fail(STREAM_ERROR_INVALID_INPUT, node_.op_type() + " node has no input " + std::to_string(index));
    return tensor(node_.input(index), "input", index);
}

const TensorInfo& NodeContext::output(int index) const {
    if (!has_output(index))
        fail(STREAM_ERROR_INVALID_INPUT, node_.op_type() + " node has no output " + std::to_string(index));
    return tensor(node_.output(index), "output", index);
}

const std::vector<std::int64_t>& NodeContext::dims_of(const TensorInfo& info, const char* kind) const {
    if (!info.shape_known) {
        const std::string dim = info.dims.empty() ? std::string("unknown rank")
                                                  : "dimension '" + info.unknown_dim + "'";
        fail(STREAM_ERROR_INVALID_INPUT, std::string(kind) + " tensor '" + info.name + "' has a dynamic shape (" + dim +
                                             ") after shape inference; fix the graph inputs with the input_shapes option");
    }
    return info.dims;
}

const std::vector<std::int64_t>& NodeContext::input_dims(int index) const { return dims_of(input(index), "input"); }
const std::vector<std::int64_t>& NodeContext::output_dims(int index) const { return dims_of(output(index), "output"); }

std::vector<std::int64_t> NodeContext::constant_ints(int index) const {
    const TensorInfo& info = input(index);
    if (!info.is_constant || !info.int_values)
        fail(STREAM_ERROR_UNSUPPORTED, "input " + std::to_string(index) + " '" + info.name +
                                           "' must be a constant integer tensor (an initializer or computed from shapes only)");
    return *info.int_values;
}

const ::onnx::AttributeProto* NodeContext::attribute(const std::string& name) const {
    for (const auto& a : node_.attribute())
        if (a.name() == name) return &a;
    return nullptr;
}

std::int64_t NodeContext::attr_int(const std::string& name, std::int64_t fallback) const {
    const auto* a = attribute(name);
    return a ? a->i() : fallback;
}

std::vector<std::int64_t> NodeContext::attr_ints(const std::string& name, std::vector<std::int64_t> fallback) const {
    const auto* a = attribute(name);
    return a ? std::vector<std::int64_t>(a->ints().begin(), a->ints().end()) : fallback;
}

std::string NodeContext::attr_string(const std::string& name, std::string fallback) const {
    const auto* a = attribute(name);
    return a ? a->s() : fallback;
}

float NodeContext::attr_float(const std::string& name, float fallback) const {
    const auto* a = attribute(name);
    return a ? a->f() : fallback;
}

std::uint32_t NodeContext::precision(const TensorInfo& info, stream_operand_role role, bool& overridden) const {
    // Precedence: the frontend's config (this run's explicit choice), then Stream's
    // per-node attributes (act_size, weight_size, output_size), then the element type.
    const std::uint32_t configured = role == STREAM_OPERAND_CONSTANT ? options_.weight_bits : options_.activation_bits;
    overridden = true;
    if (configured != 0) return configured;
    const char* attr_name = role == STREAM_OPERAND_CONSTANT ? "weight_size" : role == STREAM_OPERAND_OUTPUT ? "output_size" : "act_size";
    if (const auto* a = attribute(attr_name); a && a->type() == ::onnx::AttributeProto_AttributeType_INT && a->i() > 0)
        return static_cast<std::uint32_t>(a->i());
    overridden = false;
    return element_bits(info.elem_type);
}

Operand NodeContext::make_input(std::string name, int index) const {
    const TensorInfo& info = input(index);
    Operand o;
    o.name = std::move(name);
    o.role = info.is_constant ? STREAM_OPERAND_CONSTANT : STREAM_OPERAND_INPUT;
    bool overridden = false;
    o.precision_bits = precision(info, o.role, overridden);
    o.tensor_name = info.name;
    return o;
}

Operand NodeContext::make_output(std::string name, int index) const {
    const TensorInfo& info = output(index);
    Operand o;
    o.name = std::move(name);
    o.role = STREAM_OPERAND_OUTPUT;
    bool overridden = false;
    o.precision_bits = precision(info, o.role, overridden);
    o.tensor_name = info.name;
    return o;
}

std::uint32_t NodeContext::partial_bits(const Operand& output_operand, int index) const {
    if (options_.partial_sum_bits != 0) return options_.partial_sum_bits;
    bool overridden = false;
    precision(output(index), STREAM_OPERAND_OUTPUT, overridden);
    if (overridden || !is_float_type(output(index).elem_type)) return 2 * output_operand.precision_bits;
    // Float MAC units accumulate at (at least) single precision, not at twice the width.
    return std::max<std::uint32_t>(output_operand.precision_bits, 32);
}

sdk::Item node_item(const std::string& layer_name, const std::string&) {
    // plugin.h zeroes the location of non-file items, so the file is named in the message.
    return sdk::Item::layer(-1, layer_name);
}

void NodeContext::fail(stream_status status, const std::string& message) const {
    throw sdk::Error(status, source_file_ + ": node '" + layer_name_ + "' (" + node_.op_type() + "): " + message,
                     node_item(layer_name_, source_file_));
}

std::int64_t NodeContext::normalize_axis(std::int64_t axis, std::size_t rank, const char* what) const {
    const auto r = static_cast<std::int64_t>(rank);
    const std::int64_t a = axis < 0 ? axis + r : axis;
    if (a < 0 || a >= r)
        fail(STREAM_ERROR_INVALID_INPUT, std::string(what) + " " + std::to_string(axis) + " is out of range for rank " + std::to_string(rank));
    return a;
}

std::vector<std::string> activation_dim_names(std::size_t rank) {
    switch (rank) {
    case 0: return {};
    case 1: return {"K"};
    case 2: return {"B", "K"};
    case 3: return {"B", "D", "K"};
    case 4: return {"B", "K", "OY", "OX"};
    case 5: return {"B", "K", "OZ", "OY", "OX"};
    default: {
        std::vector<std::string> names;
        for (std::size_t i = 0; i < rank; ++i) names.push_back(numbered("D", i));
        return names;
    }
    }
}

std::vector<std::uint32_t> add_activation_dims(LayerSpec& layer, const std::vector<std::int64_t>& dims) {
    const std::vector<std::string> names = activation_dim_names(dims.size());
    std::vector<std::uint32_t> indices;
    for (std::size_t i = 0; i < dims.size(); ++i) indices.push_back(layer.add_dim(names[i], dims[i]));
    return indices;
}

std::vector<TensorAxis> broadcast_axes(const std::vector<std::int64_t>& dims, const std::vector<std::uint32_t>& loop,
                                       const std::vector<std::int64_t>& out_dims) {
    std::vector<TensorAxis> axes;
    const std::size_t skip = out_dims.size() >= dims.size() ? out_dims.size() - dims.size() : 0;
    for (std::size_t i = 0; i < dims.size(); ++i) {
        const std::size_t o = skip + i;
        if (o < out_dims.size() && dims[i] == out_dims[o]) axes.push_back(identity_axis(loop[o], dims[i]));
        else axes.push_back(TensorAxis{{}, 0, dims[i]});
    }
    return axes;
}

} // namespace stream::onnx_frontend
