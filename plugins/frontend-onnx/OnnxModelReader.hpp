// Reading an ONNX model from disk (binary protobuf or ONNX text format), fixing
// its input shapes and running shape inference, so converters see every tensor's shape.
#pragma once

#include "ConversionOptions.hpp"

#include <onnx/onnx_pb.h>

#include <string>

namespace stream::onnx_frontend {

/// True when `path` names a file this frontend reads: by extension (.onnx, .onnxtxt),
/// or, for .txt and anything else, by a peek at the content.
bool looks_like_onnx(const std::string& path);

/// Loads `path`, applies options.input_shapes, rejects graph inputs with dynamic
/// dimensions and runs shape inference. Throws sdk::Error naming the file on any failure.
::onnx::ModelProto read_onnx_model(const std::string& path, const ConversionOptions& options);

/// Parses ONNX text format held in memory (tests, and files read by read_onnx_model);
/// `origin` names the text in error messages.
::onnx::ModelProto parse_onnx_text(const std::string& text, const std::string& origin);

/// Everything read_onnx_model does after reading: input shapes, dynamic-dimension
/// check, shape inference. `origin` names the model in error messages.
void prepare_onnx_model(::onnx::ModelProto& model, const ConversionOptions& options, const std::string& origin);

} // namespace stream::onnx_frontend
