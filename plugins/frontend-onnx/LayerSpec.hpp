// An owning C++ description of one layer, built by the operator converters and
// turned into the ABI's stream_layer_v1 view (LayerView) only at the builder call.
#pragma once

#include <stream/layer.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace stream::onnx_frontend {

// The layer description every frontend shares (sdk/include/stream/layer.hpp).
using LoopDim = sdk::LoopDim;
using AffineTerm = sdk::AffineTerm;
using TensorAxis = sdk::TensorAxis;
using Operand = sdk::Operand;
using Attribute = sdk::Attribute;
using LayerSpec = sdk::LayerDesc;

/// `prefix` followed by the decimal `index` ("D3"). Appending, rather than
/// "D" + std::to_string(i), also avoids GCC 12's false -Wrestrict warning at -O2.
inline std::string numbered(std::string prefix, std::size_t index) {
    prefix += std::to_string(index);
    return prefix;
}

/// An axis that follows loop dim `dim` one to one.
inline TensorAxis identity_axis(std::uint32_t dim, std::int64_t extent) {
    return TensorAxis{{AffineTerm{dim, 1}}, 0, extent};
}

} // namespace stream::onnx_frontend
