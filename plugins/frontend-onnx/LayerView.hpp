// The ABI view of a LayerSpec: sdk::LayerView (sdk/include/stream/layer.hpp).
#pragma once

#include "LayerSpec.hpp"

namespace stream::onnx_frontend {

using LayerView = sdk::LayerView;

} // namespace stream::onnx_frontend
