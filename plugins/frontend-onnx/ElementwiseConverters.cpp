// Element-wise and normalisation operators: one loop per output axis (named by
// activation_dim_names), every operand indexed one to one or broadcast.
#include "OperatorRegistry.hpp"
#include "SpatialWindow.hpp"

namespace stream::onnx_frontend {

namespace {

Operand identity_output(const NodeContext& ctx, const std::vector<std::uint32_t>& loops, const std::vector<std::int64_t>& y) {
    Operand output = ctx.make_output("O", 0);
    for (std::size_t i = 0; i < y.size(); ++i) output.axes.push_back(identity_axis(loops[i], y[i]));
    return output;
}

} // namespace

LayerSpec convert_unary(const NodeContext& ctx) {
    const std::vector<std::int64_t>& x = ctx.input_dims(0);
    const std::vector<std::int64_t>& y = ctx.output_dims(0);
    LayerSpec layer = ctx.start_layer(STREAM_LAYER_COMPUTE);
    const std::vector<std::uint32_t> loops = add_activation_dims(layer, y);
    Operand input = ctx.make_input("I", 0);
    input.axes = broadcast_axes(x, loops, y);
    // Clip's min and max inputs are scalars applied per element, not data to tile.
    layer.operands = {std::move(input), identity_output(ctx, loops, y)};
    return layer;
}

LayerSpec convert_binary(const NodeContext& ctx) {
    const std::vector<std::int64_t>& a = ctx.input_dims(0);
    const std::vector<std::int64_t>& b = ctx.input_dims(1);
    const std::vector<std::int64_t>& y = ctx.output_dims(0);
    LayerSpec layer = ctx.start_layer(STREAM_LAYER_COMPUTE);
    const std::vector<std::uint32_t> loops = add_activation_dims(layer, y);
    Operand first = ctx.make_input("I1", 0);
    first.axes = broadcast_axes(a, loops, y);
    Operand second = ctx.make_input("I2", 1);
    second.axes = broadcast_axes(b, loops, y);
    layer.operands = {std::move(first), std::move(second), identity_output(ctx, loops, y)};
    return layer;
}

LayerSpec convert_batch_norm(const NodeContext& ctx) {
    const std::vector<std::int64_t>& x = ctx.input_dims(0);
    const std::vector<std::int64_t>& y = ctx.output_dims(0);
    if (x.size() < 2 || y != x) ctx.fail(STREAM_ERROR_INVALID_INPUT, "BatchNormalization needs an N, C, ... input of the output's shape");
    // Channels are axis 1 whatever the rank, so the names follow Conv's, not activation_dim_names.
    LayerSpec layer = ctx.start_layer(STREAM_LAYER_COMPUTE);
    std::vector<std::uint32_t> loops{layer.add_dim("B", x[0]), layer.add_dim("K", x[1])};
    const std::size_t spatial = x.size() - 2;
    const std::vector<std::string> letters = spatial_letters(spatial);
    for (std::size_t i = 0; i < spatial; ++i)
        loops.push_back(layer.add_dim(spatial <= 3 ? "O" + letters[i] : numbered("D", i + 2), x[2 + i]));
    Operand input = ctx.make_input("I", 0);
    for (std::size_t i = 0; i < x.size(); ++i) input.axes.push_back(identity_axis(loops[i], x[i]));
    // Inference-time BN is y = x·scale' + bias' per channel; scale stands for the folded pair.
    Operand scale = ctx.make_input("W", 1);
    scale.axes = {identity_axis(loops[1], x[1])};
    layer.operands = {std::move(input), std::move(scale), identity_output(ctx, loops, y)};
    return layer;
}

LayerSpec convert_softmax(const NodeContext& ctx) {
    const std::vector<std::int64_t>& x = ctx.input_dims(0);
    LayerSpec layer = convert_unary(ctx);
    // The reduction along `axis` (max, sum of exponentials) is left to the op-specific
    // model; the loop nest counts one operation per element. Opset 13 moved the
    // default axis from 1 to -1, and the host needs the one that applies.
    const std::int64_t axis = x.empty() ? 0 : ctx.normalize_axis(ctx.attr_int("axis", ctx.opset() >= 13 ? -1 : 1), x.size());
    layer.set_ints("axis", {axis});
    return layer;
}

LayerSpec convert_layer_norm(const NodeContext& ctx) {
    const std::vector<std::int64_t>& x = ctx.input_dims(0);
    const std::vector<std::int64_t>& y = ctx.output_dims(0);
    if (x.empty()) ctx.fail(STREAM_ERROR_INVALID_INPUT, "LayerNormalization of a scalar");
    const std::int64_t axis = ctx.normalize_axis(ctx.attr_int("axis", -1), x.size());
    LayerSpec layer = ctx.start_layer(STREAM_LAYER_COMPUTE);
    const std::vector<std::uint32_t> loops = add_activation_dims(layer, y);
    Operand input = ctx.make_input("I", 0);
    input.axes = broadcast_axes(x, loops, y);
    Operand scale = ctx.make_input("W", 1);
    scale.axes = broadcast_axes(ctx.input_dims(1), loops, y);
    layer.operands = {std::move(input), std::move(scale), identity_output(ctx, loops, y)};
    layer.set_ints("axis", {axis});
    return layer;
}

} // namespace stream::onnx_frontend
