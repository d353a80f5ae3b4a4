// The ABI view of a LayerSpec: flat C arrays pointing into the spec and into
// storage owned by the view, valid while both live (one add_layer call).
#pragma once

#include "LayerSpec.hpp"

#include <stream/plugin.h>

#include <vector>

namespace stream::yaml_frontend {

class LayerView {
public:
    /// `source_file` becomes the layer's location; it must outlive the view.
    LayerView(const LayerSpec& spec, const char* source_file);
    LayerView(const LayerView&) = delete;
    LayerView& operator=(const LayerView&) = delete;

    const stream_layer_v1& layer() const { return layer_; }

private:
    std::vector<stream_loop_dim_v1> loop_dims_;
    std::vector<stream_affine_term_v1> terms_;
    std::vector<stream_tensor_axis_v1> axes_;
    std::vector<stream_operand_v1> operands_;
    std::vector<stream_attribute_v1> attributes_;
    stream_layer_v1 layer_{};
};

} // namespace stream::yaml_frontend
