// ReduceMean and ReduceSum: one loop per input axis; reduced axes are named R<dim>
// and index only the input, so they are the loop nest's reduction loops.
#include "OperatorRegistry.hpp"

#include <set>

namespace stream::onnx_frontend {

LayerSpec convert_reduce(const NodeContext& ctx) {
    const std::vector<std::int64_t>& x = ctx.input_dims(0);
    const bool keep_dims = ctx.attr_int("keepdims", 1) != 0;
    // Axes moved from an attribute to a second input (ReduceSum in opset 13, the others in 18).
    std::vector<std::int64_t> axes = ctx.has_input(1) ? ctx.constant_ints(1) : ctx.attr_ints("axes", {});
    std::set<std::int64_t> reduced;
    for (std::int64_t a : axes) reduced.insert(ctx.normalize_axis(a, x.size(), "reduction axis"));
    if (axes.empty() && ctx.attr_int("noop_with_empty_axes", 0) == 0)
        for (std::size_t i = 0; i < x.size(); ++i) reduced.insert(static_cast<std::int64_t>(i));

    LayerSpec layer = ctx.start_layer(STREAM_LAYER_COMPUTE);
    const std::vector<std::string> names = activation_dim_names(x.size());
    Operand input = ctx.make_input("I", 0);
    Operand output = ctx.make_output("O", 0);
    for (std::size_t i = 0; i < x.size(); ++i) {
        const bool is_reduced = reduced.count(static_cast<std::int64_t>(i)) != 0;
        const std::uint32_t dim = layer.add_dim(is_reduced ? "R" + names[i] : names[i], x[i]);
        input.axes.push_back(identity_axis(dim, x[i]));
        if (!is_reduced) output.axes.push_back(identity_axis(dim, x[i]));
        else if (keep_dims) output.axes.push_back(TensorAxis{{}, 0, 1});
    }
    const std::vector<std::int64_t>& y = ctx.output_dims(0);
    if (y.size() != output.axes.size())
        ctx.fail(STREAM_ERROR_INVALID_INPUT, "output rank " + std::to_string(y.size()) + " does not match the reduction");
    if (!reduced.empty()) output.partial_precision_bits = ctx.partial_bits(output, 0);
    layer.operands = {std::move(input), std::move(output)};
    layer.set_ints("axes", std::vector<std::int64_t>(reduced.begin(), reduced.end()));
    layer.set_ints("keepdims", {keep_dims ? 1 : 0});
    return layer;
}

} // namespace stream::onnx_frontend
