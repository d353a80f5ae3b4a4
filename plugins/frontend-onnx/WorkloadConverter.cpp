#include "WorkloadConverter.hpp"

#include "LayerView.hpp"
#include "NodeContext.hpp"
#include "OperatorRegistry.hpp"
#include "TensorTable.hpp"

#include <stream/plugin.hpp>

#include <algorithm>
#include <map>
#include <optional>
#include <set>

namespace stream::onnx_frontend {

namespace {

struct ProducedTensor {
    std::int64_t layer = -1;
    std::uint32_t output = 0;
};

std::string layer_name_of(const ::onnx::NodeProto& node, int index) {
    if (!node.name().empty()) return node.name();
    for (const auto& out : node.output())
        if (!out.empty()) return out;
    return node.op_type() + "_" + std::to_string(index);
}

std::int64_t default_opset(const ::onnx::ModelProto& model) {
    for (const auto& o : model.opset_import())
        if (o.domain().empty() || o.domain() == "ai.onnx") return o.version();
    return 1;
}

/// Whether `node` only computes from constants (a static shape counts as one), so
/// its outputs are known before the network runs. Also records folded values the
/// converters may read (the dims a Shape node returns).
bool fold_if_constant(const ::onnx::NodeProto& node, TensorTable& tensors) {
    bool any_input = false;
    bool all_constant = true;
    for (const auto& in : node.input()) {
        if (in.empty()) continue;
        any_input = true;
        const TensorInfo* info = tensors.find(in);
        if (!info || !info->is_constant) all_constant = false;
    }
    std::optional<std::vector<std::int64_t>> values;
    if (node.op_type() == "Shape" && node.input_size() > 0) {
        const TensorInfo* info = tensors.find(node.input(0));
        if (!info || !info->shape_known) return false;
        std::vector<std::int64_t> dims = info->dims;
        // Shape-15 may slice the shape with start and end.
        auto attr_or = [&](const char* name, std::int64_t fallback) {
            for (const auto& a : node.attribute())
                if (a.name() == name) return a.i();
            return fallback;
        };
        const auto rank = static_cast<std::int64_t>(dims.size());
        std::int64_t start = attr_or("start", 0), end = attr_or("end", rank);
        if (start < 0) start += rank;
        if (end < 0) end += rank;
        start = std::clamp<std::int64_t>(start, 0, rank);
        end = std::clamp<std::int64_t>(end, start, rank);
        values = std::vector<std::int64_t>(dims.begin() + start, dims.begin() + end);
        all_constant = true;
    } else if (node.op_type() == "Size" && node.input_size() > 0) {
        const TensorInfo* info = tensors.find(node.input(0));
        if (!info || !info->shape_known) return false;
        std::int64_t count = 1;
        for (std::int64_t d : info->dims) count *= d;
        values = std::vector<std::int64_t>{count};
        all_constant = true;
    } else if (any_input && !all_constant) {
        return false;
    }
    for (const auto& out : node.output())
        if (!out.empty()) tensors.mark_constant(out, values);
    // Shape inference with data propagation already knows small results (Gather of
    // a shape, Concat of dims), so they stay readable as constant values.
    return true;
}

} // namespace

std::vector<LayerSpec> convert_model(const ::onnx::ModelProto& model, const ConversionOptions& options, const std::string& source_file,
                                     const stream_workload_builder_v1& builder, const WarningSink& warn) {
    const ::onnx::GraphProto& graph = model.graph();
    TensorTable tensors(graph);
    const std::int64_t opset = default_opset(model);
    if (builder.set_name) builder.set_name(builder.ctx, graph.name().empty() ? "onnx" : graph.name().c_str());

    std::map<std::string, ProducedTensor> producers;
    std::set<std::string> warned_op_types;
    std::vector<LayerSpec> layers;
    for (int index = 0; index < graph.node_size(); ++index) {
        const ::onnx::NodeProto& node = graph.node(index);
        if (fold_if_constant(node, tensors)) continue;
        const NodeContext ctx(node, tensors, options, layer_name_of(node, index), opset, source_file);

        LayerSpec layer;
        if (Converter convert = find_converter(node.op_type())) {
            layer = convert(ctx);
        } else if (options.unknown_ops == UnknownOpPolicy::passthrough) {
            if (warned_op_types.insert(node.op_type()).second && warn)
                warn("operator " + node.op_type() + " (first at node '" + ctx.layer_name() +
                     "') is not supported; its nodes pass dependencies through at no cost");
            layer = convert_passthrough(ctx);
        } else {
            ctx.fail(STREAM_ERROR_UNSUPPORTED, "operator " + node.op_type() + (node.domain().empty() ? "" : " (domain " + node.domain() + ")") +
                                                   " is not supported; supported operators: " + supported_operator_list() +
                                                   ". Set unknown_ops = \"passthrough\" to treat unsupported operators as zero-cost layers");
        }

        for (Operand& o : layer.operands) {
            if (o.role != STREAM_OPERAND_INPUT) continue;
            auto it = producers.find(o.tensor_name);
            if (it != producers.end()) {
                o.producer_layer = it->second.layer;
                o.producer_output = it->second.output;
            }
        }

        const LayerView view(layer, source_file.c_str());
        std::int64_t id = -1;
        const stream_status status = builder.add_layer(builder.ctx, &view.layer(), &id);
        if (status != STREAM_OK)
            throw sdk::Error(status, source_file + ": the host did not accept layer '" + layer.name + "' (" + layer.op_type + ")",
                             node_item(layer.name, source_file));

        std::uint32_t output_index = 0;
        for (const Operand& o : layer.operands)
            if (o.role == STREAM_OPERAND_OUTPUT) producers[o.tensor_name] = {id, output_index++};
        layers.push_back(std::move(layer));
    }
    return layers;
}

} // namespace stream::onnx_frontend
