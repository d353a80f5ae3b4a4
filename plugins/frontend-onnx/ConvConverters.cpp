// Conv and ConvTranspose as loop nests (zigzag.md §1): B G K C, output and filter
// positions; the input's spatial axes are IX = stride·OX + dilation·FX − pad_begin.
#include "OperatorRegistry.hpp"
#include "SpatialWindow.hpp"

namespace stream::onnx_frontend {

namespace {

/// The window of a convolution, whose kernel comes from the weight's shape.
SpatialWindow read_conv_window(const NodeContext& ctx, const std::vector<std::int64_t>& x, const std::vector<std::int64_t>& w) {
    require_spatial_rank(ctx, x);
    if (w.size() != x.size())
        ctx.fail(STREAM_ERROR_INVALID_INPUT, "weight rank " + std::to_string(w.size()) + " differs from input rank " + std::to_string(x.size()));
    std::vector<std::int64_t> kernel(w.begin() + 2, w.end());
    if (ctx.attribute("kernel_shape") && ctx.attr_ints("kernel_shape", {}) != kernel)
        ctx.fail(STREAM_ERROR_INVALID_INPUT, "kernel_shape disagrees with the weight's shape");
    return read_window(ctx, std::move(kernel));
}

std::int64_t read_groups(const NodeContext& ctx) {
    const std::int64_t groups = ctx.attr_int("group", 1);
    if (groups < 1) ctx.fail(STREAM_ERROR_INVALID_INPUT, "group must be at least 1");
    return groups;
}

} // namespace

LayerSpec convert_conv(const NodeContext& ctx) {
    const std::vector<std::int64_t>& x = ctx.input_dims(0);
    const std::vector<std::int64_t>& w = ctx.input_dims(1);
    const std::vector<std::int64_t>& y = ctx.output_dims(0);
    SpatialWindow g = read_conv_window(ctx, x, w);
    const std::int64_t groups = read_groups(ctx);
    if (y.size() != x.size()) ctx.fail(STREAM_ERROR_INVALID_INPUT, "output rank differs from input rank");
    const std::int64_t in_channels = x[1];
    const std::int64_t out_channels = w[0];
    if (in_channels % groups != 0 || out_channels % groups != 0 || w[1] * groups != in_channels)
        ctx.fail(STREAM_ERROR_INVALID_INPUT, "channels (in " + std::to_string(in_channels) + ", out " + std::to_string(out_channels) +
                                                 ", weight " + std::to_string(w[1]) + " per group) do not split into " +
                                                 std::to_string(groups) + " groups");
    resolve_auto_pad(ctx, g, x, y);

    LayerSpec layer = ctx.start_layer(STREAM_LAYER_COMPUTE);
    const std::int64_t k_per_group = out_channels / groups;
    const std::int64_t c_per_group = in_channels / groups;
    const std::vector<std::string> letters = spatial_letters(g.rank);
    std::uint32_t b = 0, gd = 0, k = 0, c = 0;
    std::vector<std::uint32_t> out_dims(g.rank), filter_dims(g.rank);
    if (ctx.options().zigzag_loop_order && g.rank == 2) { // B, K, G, OX, OY, C, FX, FY
        b = layer.add_dim("B", x[0]);
        k = layer.add_dim("K", k_per_group);
        gd = layer.add_dim("G", groups);
        for (std::size_t i = g.rank; i-- > 0;) out_dims[i] = layer.add_dim("O" + letters[i], y[2 + i]);
        c = layer.add_dim("C", c_per_group);
        for (std::size_t i = g.rank; i-- > 0;) filter_dims[i] = layer.add_dim("F" + letters[i], g.kernel[i]);
    } else {
        b = layer.add_dim("B", x[0]);
        gd = layer.add_dim("G", groups);
        k = layer.add_dim("K", k_per_group);
        c = layer.add_dim("C", c_per_group);
        for (std::size_t i = 0; i < g.rank; ++i) out_dims[i] = layer.add_dim("O" + letters[i], y[2 + i]);
        for (std::size_t i = 0; i < g.rank; ++i) filter_dims[i] = layer.add_dim("F" + letters[i], g.kernel[i]);
    }

    // Channel axes of grouped tensors are g·(channels per group) + c.
    const TensorAxis in_channel_axis{{{gd, c_per_group}, {c, 1}}, 0, in_channels};
    const TensorAxis out_channel_axis{{{gd, k_per_group}, {k, 1}}, 0, out_channels};

    Operand input = ctx.make_input("I", 0);
    input.axes = {identity_axis(b, x[0]), in_channel_axis};
    for (std::size_t i = 0; i < g.rank; ++i)
        input.axes.push_back(TensorAxis{{{out_dims[i], g.strides[i]}, {filter_dims[i], g.dilations[i]}}, -g.pads[i], x[2 + i]});

    Operand weight = ctx.make_input("W", 1);
    weight.axes = {out_channel_axis, identity_axis(c, w[1])};
    for (std::size_t i = 0; i < g.rank; ++i) weight.axes.push_back(identity_axis(filter_dims[i], g.kernel[i]));

    Operand output = ctx.make_output("O", 0);
    output.axes = {identity_axis(b, y[0]), out_channel_axis};
    for (std::size_t i = 0; i < g.rank; ++i) output.axes.push_back(identity_axis(out_dims[i], y[2 + i]));
    output.partial_precision_bits = ctx.partial_bits(output, 0);

    layer.operands = {std::move(input), std::move(weight), std::move(output)};
    layer.group_count = groups;
    // The resolved geometry, so consumers need not re-derive auto_pad.
    layer.set_ints("kernel_shape", g.kernel);
    layer.set_ints("strides", g.strides);
    layer.set_ints("dilations", g.dilations);
    layer.set_ints("pads", g.pads);
    layer.set_ints("group", {groups});
    // The bias is added once per output, not per MAC, so it is no operand of the loop nest.
    if (ctx.has_input(2)) layer.set_text("bias", ctx.node().input(2));
    return layer;
}

LayerSpec convert_conv_transpose(const NodeContext& ctx) {
    const std::vector<std::int64_t>& x = ctx.input_dims(0);
    const std::vector<std::int64_t>& w = ctx.input_dims(1); // Cin, Cout/G, kernel...
    const std::vector<std::int64_t>& y = ctx.output_dims(0);
    SpatialWindow g = read_conv_window(ctx, x, w);
    const std::int64_t groups = read_groups(ctx);
    if (y.size() != x.size()) ctx.fail(STREAM_ERROR_INVALID_INPUT, "output rank differs from input rank");
    const std::int64_t in_channels = x[1];
    const std::int64_t out_channels = w[1] * groups;
    if (w[0] != in_channels || in_channels % groups != 0 || y[1] != out_channels)
        ctx.fail(STREAM_ERROR_INVALID_INPUT, "channels (in " + std::to_string(in_channels) + ", out " + std::to_string(y[1]) +
                                                 ") do not match the weight's shape for " + std::to_string(groups) + " groups");
    const std::vector<std::int64_t> output_padding = spatial_attr(ctx, "output_padding", g.rank, 0, 0);
    const std::string auto_pad = ctx.attr_string("auto_pad", "NOTSET");
    if (!ctx.attribute("pads") && (auto_pad == "SAME_UPPER" || auto_pad == "SAME_LOWER" || ctx.attribute("output_shape"))) {
        // The ONNX spec's total padding; SAME_UPPER puts the smaller half first here.
        for (std::size_t i = 0; i < g.rank; ++i) {
            std::int64_t total = g.strides[i] * (x[2 + i] - 1) + output_padding[i] + (g.kernel[i] - 1) * g.dilations[i] + 1 - y[2 + i];
            if (total < 0) total = 0;
            const std::int64_t begin = auto_pad == "SAME_UPPER" ? total / 2 : total - total / 2;
            g.pads[i] = begin;
            g.pads[g.rank + i] = total - begin;
        }
    }

    // The loops run over input positions and filter taps; each writes output
    // position stride·IX + dilation·FX − pad_begin, so the output axis is the affine one.
    LayerSpec layer = ctx.start_layer(STREAM_LAYER_COMPUTE);
    const std::int64_t k_per_group = w[1];
    const std::int64_t c_per_group = in_channels / groups;
    const std::uint32_t b = layer.add_dim("B", x[0]);
    const std::uint32_t gd = layer.add_dim("G", groups);
    const std::uint32_t k = layer.add_dim("K", k_per_group);
    const std::uint32_t c = layer.add_dim("C", c_per_group);
    const std::vector<std::string> letters = spatial_letters(g.rank);
    std::vector<std::uint32_t> in_dims, filter_dims;
    for (std::size_t i = 0; i < g.rank; ++i) in_dims.push_back(layer.add_dim("I" + letters[i], x[2 + i]));
    for (std::size_t i = 0; i < g.rank; ++i) filter_dims.push_back(layer.add_dim("F" + letters[i], g.kernel[i]));

    const TensorAxis in_channel_axis{{{gd, c_per_group}, {c, 1}}, 0, in_channels};
    const TensorAxis out_channel_axis{{{gd, k_per_group}, {k, 1}}, 0, out_channels};

    Operand input = ctx.make_input("I", 0);
    input.axes = {identity_axis(b, x[0]), in_channel_axis};
    for (std::size_t i = 0; i < g.rank; ++i) input.axes.push_back(identity_axis(in_dims[i], x[2 + i]));

    Operand weight = ctx.make_input("W", 1);
    weight.axes = {in_channel_axis, identity_axis(k, k_per_group)};
    for (std::size_t i = 0; i < g.rank; ++i) weight.axes.push_back(identity_axis(filter_dims[i], g.kernel[i]));

    Operand output = ctx.make_output("O", 0);
    output.axes = {identity_axis(b, y[0]), out_channel_axis};
    for (std::size_t i = 0; i < g.rank; ++i)
        output.axes.push_back(TensorAxis{{{in_dims[i], g.strides[i]}, {filter_dims[i], g.dilations[i]}}, -g.pads[i], y[2 + i]});
    output.partial_precision_bits = ctx.partial_bits(output, 0);

    layer.operands = {std::move(input), std::move(weight), std::move(output)};
    layer.group_count = groups;
    layer.set_ints("kernel_shape", g.kernel);
    layer.set_ints("strides", g.strides);
    layer.set_ints("dilations", g.dilations);
    layer.set_ints("pads", g.pads);
    layer.set_ints("group", {groups});
    if (ctx.has_input(2)) layer.set_text("bias", ctx.node().input(2));
    return layer;
}

} // namespace stream::onnx_frontend
