#include "TensorTable.hpp"

#include <cstring>

namespace stream::onnx_frontend {

namespace {

void set_type(TensorInfo& info, const ::onnx::TypeProto& type) {
    if (!type.has_tensor_type()) return;
    const auto& tensor_type = type.tensor_type();
    if (tensor_type.elem_type() != 0) info.elem_type = tensor_type.elem_type();
    if (!tensor_type.has_shape()) return;
    std::vector<std::int64_t> dims;
    std::string unknown;
    for (const auto& d : tensor_type.shape().dim()) {
        if (d.has_dim_value() && d.dim_value() >= 0) {
            dims.push_back(d.dim_value());
        } else {
            dims.push_back(-1);
            if (unknown.empty()) unknown = d.has_dim_param() ? d.dim_param() : "?";
        }
    }
    // A shape with unknowns never replaces a complete one.
    if (info.shape_known && !unknown.empty()) return;
    info.dims = std::move(dims);
    info.shape_known = unknown.empty();
    info.unknown_dim = std::move(unknown);
}

void set_constant(TensorInfo& info, const ::onnx::TensorProto& tensor) {
    info.is_constant = true;
    if (tensor.data_type() != 0) info.elem_type = tensor.data_type();
    info.dims.assign(tensor.dims().begin(), tensor.dims().end());
    info.shape_known = true;
    info.unknown_dim.clear();
    info.int_values = integer_values(tensor);
}

template <class T>
std::vector<std::int64_t> from_raw(const std::string& raw) {
    std::vector<std::int64_t> values(raw.size() / sizeof(T));
    for (std::size_t i = 0; i < values.size(); ++i) {
        T v{};
        std::memcpy(&v, raw.data() + i * sizeof(T), sizeof(T)); // ONNX raw data is little-endian, as is the host
        values[i] = static_cast<std::int64_t>(v);
    }
    return values;
}

} // namespace

std::optional<std::vector<std::int64_t>> integer_values(const ::onnx::TensorProto& tensor) {
    const std::int32_t type = tensor.data_type();
    if (type == ::onnx::TensorProto_DataType_INT64) {
        if (tensor.int64_data_size() > 0) return std::vector<std::int64_t>(tensor.int64_data().begin(), tensor.int64_data().end());
        if (tensor.has_raw_data()) return from_raw<std::int64_t>(tensor.raw_data());
    } else if (type == ::onnx::TensorProto_DataType_INT32) {
        if (tensor.int32_data_size() > 0) return std::vector<std::int64_t>(tensor.int32_data().begin(), tensor.int32_data().end());
        if (tensor.has_raw_data()) return from_raw<std::int32_t>(tensor.raw_data());
    }
    // An empty integer tensor (e.g. "no axes") is a value too.
    if (type == ::onnx::TensorProto_DataType_INT64 || type == ::onnx::TensorProto_DataType_INT32) {
        std::int64_t count = 1;
        for (std::int64_t d : tensor.dims()) count *= d;
        if (count == 0) return std::vector<std::int64_t>{};
    }
    return std::nullopt;
}

std::uint32_t element_bits(std::int32_t elem_type) {
    switch (elem_type) {
    case ::onnx::TensorProto_DataType_BOOL:
    case ::onnx::TensorProto_DataType_INT8:
    case ::onnx::TensorProto_DataType_UINT8: return 8;
    case ::onnx::TensorProto_DataType_INT16:
    case ::onnx::TensorProto_DataType_UINT16:
    case ::onnx::TensorProto_DataType_FLOAT16:
    case ::onnx::TensorProto_DataType_BFLOAT16: return 16;
    case ::onnx::TensorProto_DataType_FLOAT:
    case ::onnx::TensorProto_DataType_INT32:
    case ::onnx::TensorProto_DataType_UINT32: return 32;
    case ::onnx::TensorProto_DataType_DOUBLE:
    case ::onnx::TensorProto_DataType_INT64:
    case ::onnx::TensorProto_DataType_UINT64:
    case ::onnx::TensorProto_DataType_COMPLEX64: return 64;
    case ::onnx::TensorProto_DataType_COMPLEX128: return 128;
    default: return 0;
    }
}

TensorTable::TensorTable(const ::onnx::GraphProto& graph) {
    auto entry = [&](const std::string& name) -> TensorInfo& {
        TensorInfo& info = tensors_[name];
        info.name = name;
        return info;
    };
    for (const auto& v : graph.input()) set_type(entry(v.name()), v.type());
    for (const auto& v : graph.value_info()) set_type(entry(v.name()), v.type());
    for (const auto& v : graph.output()) set_type(entry(v.name()), v.type());
    for (const auto& t : graph.initializer()) set_constant(entry(t.name()), t);
    for (const auto& t : graph.sparse_initializer()) {
        TensorInfo& info = entry(t.values().name());
        set_constant(info, t.values());
        info.dims.assign(t.dims().begin(), t.dims().end());
        info.int_values.reset();
    }
    for (const auto& node : graph.node()) {
        if (node.op_type() != "Constant" || node.output_size() != 1) continue;
        for (const auto& attr : node.attribute()) {
            if (attr.name() == "value" && attr.has_t()) {
                set_constant(entry(node.output(0)), attr.t());
            } else if (attr.name() == "value_int") {
                TensorInfo& info = entry(node.output(0));
                info.is_constant = true;
                info.elem_type = ::onnx::TensorProto_DataType_INT64;
                info.dims.clear();
                info.shape_known = true;
                info.int_values = std::vector<std::int64_t>{attr.i()};
            } else if (attr.name() == "value_ints") {
                TensorInfo& info = entry(node.output(0));
                info.is_constant = true;
                info.elem_type = ::onnx::TensorProto_DataType_INT64;
                info.dims = {static_cast<std::int64_t>(attr.ints_size())};
                info.shape_known = true;
                info.int_values = std::vector<std::int64_t>(attr.ints().begin(), attr.ints().end());
            } else {
                entry(node.output(0)).is_constant = true;
            }
        }
    }
}

void TensorTable::mark_constant(const std::string& name, std::optional<std::vector<std::int64_t>> int_values) {
    TensorInfo& info = tensors_[name];
    info.name = name;
    info.is_constant = true;
    if (int_values) info.int_values = std::move(int_values);
}

const TensorInfo* TensorTable::find(const std::string& name) const {
    auto it = tensors_.find(name);
    return it == tensors_.end() ? nullptr : &it->second;
}

} // namespace stream::onnx_frontend
