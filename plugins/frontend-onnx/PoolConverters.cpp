// Pooling and LRN as loop nests: per channel K, over output positions and window
// taps. Unlike ZigZag there is no C loop that no operand uses (its MACs × C quirk), except
// under --compat stream, where Stream's numbers depend on it.
#include "OperatorRegistry.hpp"
#include "SpatialWindow.hpp"

namespace stream::onnx_frontend {

namespace {

/// Pools have no weights; a 0-bit "W" over the window keeps the I/W/O triple that
/// ZigZag-style core models expect (ZigZag's pooling W also has precision 0).
Operand window_operand(const std::vector<std::uint32_t>& filter_dims, const std::vector<std::int64_t>& kernel) {
    Operand w;
    w.name = "W";
    w.role = STREAM_OPERAND_CONSTANT;
    w.precision_bits = 0;
    for (std::size_t i = 0; i < filter_dims.size(); ++i) w.axes.push_back(identity_axis(filter_dims[i], kernel[i]));
    return w;
}

LayerSpec pool_layer(const NodeContext& ctx, const std::vector<std::int64_t>& x, const std::vector<std::int64_t>& y,
                     const SpatialWindow& window) {
    if (y.size() != x.size() || y[1] != x[1]) ctx.fail(STREAM_ERROR_INVALID_INPUT, "output shape does not match the input's N and C");
    LayerSpec layer = ctx.start_layer(STREAM_LAYER_COMPUTE);
    const std::uint32_t b = layer.add_dim("B", x[0]);
    const std::uint32_t k = layer.add_dim("K", x[1]);
    const std::vector<std::string> letters = spatial_letters(window.rank);
    std::vector<std::uint32_t> out_dims, filter_dims;
    for (std::size_t i = 0; i < window.rank; ++i) out_dims.push_back(layer.add_dim("O" + letters[i], y[2 + i]));
    if (ctx.options().pooling_channel_loop) layer.add_dim("C", x[1]);
    for (std::size_t i = 0; i < window.rank; ++i) filter_dims.push_back(layer.add_dim("F" + letters[i], window.kernel[i]));

    Operand input = ctx.make_input("I", 0);
    input.axes = {identity_axis(b, x[0]), identity_axis(k, x[1])};
    for (std::size_t i = 0; i < window.rank; ++i)
        input.axes.push_back(TensorAxis{{{out_dims[i], window.strides[i]}, {filter_dims[i], window.dilations[i]}}, -window.pads[i], x[2 + i]});
    Operand output = ctx.make_output("O", 0);
    output.axes = {identity_axis(b, y[0]), identity_axis(k, y[1])};
    for (std::size_t i = 0; i < window.rank; ++i) output.axes.push_back(identity_axis(out_dims[i], y[2 + i]));
    // A running maximum never needs more bits than the result; a running sum does (Stream's
    // pooling parser keeps 8-bit partial outputs for both).
    const bool is_max = ctx.op_type() == "MaxPool" || ctx.op_type() == "GlobalMaxPool";
    output.partial_precision_bits = is_max || ctx.options().pooling_channel_loop ? 0 : ctx.partial_bits(output, 0);
    layer.operands = {std::move(input), window_operand(filter_dims, window.kernel), std::move(output)};
    layer.set_ints("kernel_shape", window.kernel);
    layer.set_ints("strides", window.strides);
    layer.set_ints("dilations", window.dilations);
    layer.set_ints("pads", window.pads);
    return layer;
}

} // namespace

LayerSpec convert_pool(const NodeContext& ctx) {
    const std::vector<std::int64_t>& x = ctx.input_dims(0);
    const std::vector<std::int64_t>& y = ctx.output_dims(0);
    require_spatial_rank(ctx, x);
    if (!ctx.attribute("kernel_shape")) ctx.fail(STREAM_ERROR_INVALID_INPUT, "kernel_shape is missing");
    const std::vector<std::int64_t> kernel = ctx.attr_ints("kernel_shape", {});
    if (kernel.size() != x.size() - 2) ctx.fail(STREAM_ERROR_INVALID_INPUT, "kernel_shape rank does not match the input's spatial rank");
    SpatialWindow window = read_window(ctx, kernel);
    resolve_auto_pad(ctx, window, x, y);
    return pool_layer(ctx, x, y, window);
}

LayerSpec convert_global_pool(const NodeContext& ctx) {
    const std::vector<std::int64_t>& x = ctx.input_dims(0);
    const std::vector<std::int64_t>& y = ctx.output_dims(0);
    require_spatial_rank(ctx, x);
    // A window the size of the whole feature map, at the single output position.
    SpatialWindow window;
    window.rank = x.size() - 2;
    window.kernel.assign(x.begin() + 2, x.end());
    window.strides.assign(window.rank, 1);
    window.dilations.assign(window.rank, 1);
    window.pads.assign(2 * window.rank, 0);
    return pool_layer(ctx, x, y, window);
}

LayerSpec convert_lrn(const NodeContext& ctx) {
    const std::vector<std::int64_t>& x = ctx.input_dims(0);
    const std::vector<std::int64_t>& y = ctx.output_dims(0);
    if (x.size() < 2) ctx.fail(STREAM_ERROR_INVALID_INPUT, "LRN needs an N, C, ... input");
    const std::int64_t size = ctx.attr_int("size", 0);
    if (size < 1) ctx.fail(STREAM_ERROR_INVALID_INPUT, "size must be a positive integer");

    // Each output sums squares over channels k − ⌊(size−1)/2⌋ ... k + ⌈(size−1)/2⌉.
    LayerSpec layer = ctx.start_layer(STREAM_LAYER_COMPUTE);
    const std::uint32_t b = layer.add_dim("B", x[0]);
    const std::uint32_t k = layer.add_dim("K", x[1]);
    const std::vector<std::string> letters = spatial_letters(x.size() - 2);
    std::vector<std::uint32_t> spatial;
    for (std::size_t i = 0; i + 2 < x.size(); ++i)
        spatial.push_back(layer.add_dim(x.size() - 2 <= 3 ? "O" + letters[i] : numbered("D", i + 2), x[2 + i]));
    const std::uint32_t window = layer.add_dim("FK", size);

    Operand input = ctx.make_input("I", 0);
    input.axes = {identity_axis(b, x[0]), TensorAxis{{{k, 1}, {window, 1}}, -((size - 1) / 2), x[1]}};
    for (std::size_t i = 0; i < spatial.size(); ++i) input.axes.push_back(identity_axis(spatial[i], x[2 + i]));
    Operand output = ctx.make_output("O", 0);
    for (std::size_t i = 0; i < input.axes.size(); ++i)
        output.axes.push_back(identity_axis(i == 0 ? b : i == 1 ? k : spatial[i - 2], y[i]));
    output.partial_precision_bits = ctx.partial_bits(output, 0);
    layer.operands = {std::move(input), std::move(output)};
    return layer;
}

} // namespace stream::onnx_frontend
