// An owning description of one layer, turned into the ABI's stream_layer_v1 view
// (LayerView) only for the builder call: the SDK's LayerDesc, shared with the ONNX
// frontend so both describe a layer the same way.
#pragma once

#include <stream/layer.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace stream::yaml_frontend {

// The layer description every frontend shares (sdk/include/stream/layer.hpp).
using LoopDim = sdk::LoopDim;
using AffineTerm = sdk::AffineTerm;
using TensorAxis = sdk::TensorAxis;
using Operand = sdk::Operand;
using Attribute = sdk::Attribute;
using LayerSpec = sdk::LayerDesc;

} // namespace stream::yaml_frontend
