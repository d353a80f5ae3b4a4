// One ONNX node as a converter sees it: its inputs' and outputs' shapes, its
// attributes, and the operands and errors a converter builds from them.
#pragma once

#include "ConversionOptions.hpp"
#include "LayerSpec.hpp"
#include "TensorTable.hpp"

#include <stream/plugin.hpp>

#include <onnx/onnx_pb.h>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace stream::onnx_frontend {

class NodeContext {
public:
    /// `opset` is the model's version of the default ONNX domain (defaults that changed between
    /// versions); `source_file` names the model in errors.
    NodeContext(const ::onnx::NodeProto& node, const TensorTable& tensors, const ConversionOptions& options, std::string layer_name,
                std::int64_t opset, std::string source_file)
        : node_(node), tensors_(tensors), options_(options), layer_name_(std::move(layer_name)), opset_(opset),
          source_file_(std::move(source_file)) {}

    const ::onnx::NodeProto& node() const { return node_; }
    const std::string& op_type() const { return node_.op_type(); }
    const std::string& layer_name() const { return layer_name_; }
    const ConversionOptions& options() const { return options_; }
    std::int64_t opset() const { return opset_; }

    /// A LayerSpec with this node's name, op type, class and all its attributes.
    LayerSpec start_layer(stream_layer_class layer_class) const;

    /// Present means listed and not the empty name ONNX uses for a skipped optional input.
    bool has_input(int index) const { return index < node_.input_size() && !node_.input(index).empty(); }
    bool has_output(int index) const { return index < node_.output_size() && !node_.output(index).empty(); }
    const TensorInfo& input(int index) const;
    const TensorInfo& output(int index) const;
    /// Shapes; throw naming the node and tensor when a dimension is unknown.
    const std::vector<std::int64_t>& input_dims(int index) const;
    const std::vector<std::int64_t>& output_dims(int index) const;
    /// Values of a constant integer input (axes, pads, sizes); throws when not constant.
    std::vector<std::int64_t> constant_ints(int index) const;

    const ::onnx::AttributeProto* attribute(const std::string& name) const;
    std::int64_t attr_int(const std::string& name, std::int64_t fallback) const;
    std::vector<std::int64_t> attr_ints(const std::string& name, std::vector<std::int64_t> fallback) const;
    std::string attr_string(const std::string& name, std::string fallback) const;
    float attr_float(const std::string& name, float fallback) const;

    /// An operand for input `index`: CONSTANT for initializers and folded tensors, else
    /// INPUT (the graph walk fills in the producer). Axes are left to the converter.
    Operand make_input(std::string name, int index) const;
    /// An OUTPUT operand for output `index`; partial precision stays 0 (= final).
    Operand make_output(std::string name, int index) const;
    /// The partial-sum precision of `output` of a layer that reduces over some loops:
    /// config partial_sum_bits, else 2x the final precision for integer or overridden
    /// precisions (ZigZag's O = 2·act), else the float's own width but at least 32.
    std::uint32_t partial_bits(const Operand& output, int index) const;

    /// Throws sdk::Error "<file>: node '<name>' (<op>): <message>" about this node's layer.
    [[noreturn]] void fail(stream_status status, const std::string& message) const;

    /// Normalises a possibly negative axis against `rank`; fails when out of range.
    std::int64_t normalize_axis(std::int64_t axis, std::size_t rank, const char* what = "axis") const;

private:
    const TensorInfo& tensor(const std::string& name, const char* kind, int index) const;
    const std::vector<std::int64_t>& dims_of(const TensorInfo& info, const char* kind) const;
    std::uint32_t precision(const TensorInfo& info, stream_operand_role role, bool& overridden) const;

    const ::onnx::NodeProto& node_;
    const TensorTable& tensors_;
    const ConversionOptions& options_;
    std::string layer_name_;
    std::int64_t opset_;
    std::string source_file_;
};

/// The item of an error about the layer of node `layer_name` (no id yet) in `source_file`;
/// messages name the file themselves.
sdk::Item node_item(const std::string& layer_name, const std::string& source_file);

/// Loop-dim names for the axes of an activation tensor of `rank`, chosen so that
/// CNN feature maps line up with Conv outputs and 2-D/3-D tensors with Gemm/MatMul:
/// 1: K; 2: B K; 3: B D K; 4: B K OY OX; 5: B K OZ OY OX; otherwise D0 D1 ...
std::vector<std::string> activation_dim_names(std::size_t rank);

/// Adds one loop dim per axis of `dims` (named by activation_dim_names) and returns their indices.
std::vector<std::uint32_t> add_activation_dims(LayerSpec& layer, const std::vector<std::int64_t>& dims);

/// Axes of a tensor of shape `dims` broadcast (numpy rules, aligned right) against the
/// loop dims `loop` of the output shape `out_dims`: equal axes follow their loop dim,
/// axes of extent 1 under a larger output axis are broadcast axes without terms.
std::vector<TensorAxis> broadcast_axes(const std::vector<std::int64_t>& dims, const std::vector<std::uint32_t>& loop,
                                       const std::vector<std::int64_t>& out_dims);

} // namespace stream::onnx_frontend
