// Turns one YamlLayer into a LayerSpec with the ONNX frontend's conventions:
// loop dims as named in the file (upper-cased), operands I, W, O (I1, I2 for
// element-wise sums), each tensor axis an affine function of the loop dims with
// IX = stride·OX + dilation·FX − pad_begin, producers as builder layer ids.
#pragma once

#include "LayerSpec.hpp"
#include "YamlLayer.hpp"

#include <cstdint>
#include <map>
#include <set>
#include <string>

namespace stream::yaml_frontend {

struct TranslateOptions {
    std::uint32_t default_precision_bits = 8; ///< where operand_precision has no entry
    bool rename_elementwise_inputs = true;    ///< O=A+B: name the inputs I1, I2 as the ONNX frontend does
};

/// The workload's layers as the translator sees them when it reaches one layer.
struct LayerIds {
    std::map<std::int64_t, std::int64_t> added; ///< YAML id -> builder id, for layers already added
    std::set<std::int64_t> all;                 ///< every YAML id in the file
};

/// Throws sdk::Error located at the layer's entry in `file` when the layer is inconsistent.
LayerSpec translate_layer(const YamlLayer& layer, const std::string& file, const TranslateOptions& options, const LayerIds& ids);

} // namespace stream::yaml_frontend
