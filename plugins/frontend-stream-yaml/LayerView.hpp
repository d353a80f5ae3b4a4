// The ABI view of a LayerSpec: sdk::LayerView (sdk/include/stream/layer.hpp).
#pragma once

#include "LayerSpec.hpp"

namespace stream::yaml_frontend {

using LayerView = sdk::LayerView;

} // namespace stream::yaml_frontend
