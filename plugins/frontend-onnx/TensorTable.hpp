// What the converters know about each tensor of the graph after shape inference:
// element type, shape, whether it is a constant and, for small integer constants,
// its values (axes, pads, shapes; weight values are never read).
#pragma once

#include <onnx/onnx_pb.h>

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace stream::onnx_frontend {

struct TensorInfo {
    std::string name;
    std::int32_t elem_type = 0; ///< onnx::TensorProto_DataType
    bool shape_known = false;   ///< every dimension has a value
    std::vector<std::int64_t> dims;
    /// Text of the first unknown dimension ("N", "?") when !shape_known and the rank is known.
    std::string unknown_dim;
    bool is_constant = false; ///< an initializer or the output of a Constant node
    std::optional<std::vector<std::int64_t>> int_values;
};

class TensorTable {
public:
    explicit TensorTable(const ::onnx::GraphProto& graph);

    /// nullptr when the graph never mentions `name`.
    const TensorInfo* find(const std::string& name) const;

    /// Records that `name` is computed from constants only (folded, never a layer).
    void mark_constant(const std::string& name, std::optional<std::vector<std::int64_t>> int_values = std::nullopt);

private:
    std::map<std::string, TensorInfo> tensors_;
};

/// Bits per element of an ONNX element type (float32 -> 32, int8 -> 8, bool -> 8); 0 if unknown.
std::uint32_t element_bits(std::int32_t elem_type);

/// Integer values of a constant tensor, from int64/int32 data or raw little-endian bytes.
std::optional<std::vector<std::int64_t>> integer_values(const ::onnx::TensorProto& tensor);

} // namespace stream::onnx_frontend
