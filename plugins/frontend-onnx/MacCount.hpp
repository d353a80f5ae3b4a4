// MACs of a layer, for tests and diagnostics; the host derives its own counts.
#pragma once

#include "LayerSpec.hpp"

#include <cstdint>

namespace stream::onnx_frontend {

/// The product of all loop sizes of a computation layer (one multiply-accumulate,
/// or one element operation, per loop iteration); 0 for propagation layers.
std::int64_t mac_count(const LayerSpec& layer);

} // namespace stream::onnx_frontend
