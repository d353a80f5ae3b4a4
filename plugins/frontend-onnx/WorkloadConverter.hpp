// The graph walk: every ONNX node, in graph order, becomes one layer handed to the
// host's workload builder, with producers resolved to the ids the builder returned.
#pragma once

#include "ConversionOptions.hpp"
#include "LayerSpec.hpp"

#include <stream/plugin.h>

#include <onnx/onnx_pb.h>

#include <functional>
#include <string>
#include <vector>

namespace stream::onnx_frontend {

using WarningSink = std::function<void(const std::string&)>;

/// Converts a shape-inferred model. Nodes computed from constants only (Constant,
/// Shape of a static shape, and nodes whose inputs are all constant) are folded:
/// they produce no layer and their outputs count as CONSTANT operands.
/// `source_file` names the model in layer locations and errors. Throws sdk::Error.
/// Returns the layers as given to the builder, producers filled in.
std::vector<LayerSpec> convert_model(const ::onnx::ModelProto& model, const ConversionOptions& options, const std::string& source_file,
                                     const stream_workload_builder_v1& builder, const WarningSink& warn);

} // namespace stream::onnx_frontend
