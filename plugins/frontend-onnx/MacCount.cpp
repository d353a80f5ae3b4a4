#include "MacCount.hpp"

namespace stream::onnx_frontend {

std::int64_t mac_count(const LayerSpec& layer) {
    if (layer.layer_class != STREAM_LAYER_COMPUTE) return 0;
    std::int64_t macs = 1;
    for (const LoopDim& d : layer.loop_dims) macs *= d.size;
    return macs;
}

} // namespace stream::onnx_frontend
