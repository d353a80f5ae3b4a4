// Resize by integer factors: upsampling by r writes output r·i + j from input i
// (loop R<dim> of size r), downsampling by r reads input r·o + j (loop F<dim>).
// The affine relations cannot express non-integer ratios; those are unsupported.
#include "OperatorRegistry.hpp"

namespace stream::onnx_frontend {

LayerSpec convert_resize(const NodeContext& ctx) {
    const std::vector<std::int64_t>& x = ctx.input_dims(0);
    const std::vector<std::int64_t>& y = ctx.output_dims(0);
    if (x.size() != y.size()) ctx.fail(STREAM_ERROR_INVALID_INPUT, "input and output ranks differ");
    LayerSpec layer = ctx.start_layer(STREAM_LAYER_COMPUTE);
    const std::vector<std::string> names = activation_dim_names(x.size());
    Operand input = ctx.make_input("I", 0);
    Operand output = ctx.make_output("O", 0);
    for (std::size_t i = 0; i < x.size(); ++i) {
        if (x[i] == y[i]) {
            const std::uint32_t d = layer.add_dim(names[i], x[i]);
            input.axes.push_back(identity_axis(d, x[i]));
            output.axes.push_back(identity_axis(d, y[i]));
        } else if (x[i] > 0 && y[i] % x[i] == 0) {
            const std::int64_t factor = y[i] / x[i];
            const std::uint32_t d = layer.add_dim(names[i], x[i]);
            const std::uint32_t r = layer.add_dim("R" + names[i], factor);
            input.axes.push_back(identity_axis(d, x[i]));
            output.axes.push_back(TensorAxis{{{d, factor}, {r, 1}}, 0, y[i]});
        } else if (y[i] > 0 && x[i] % y[i] == 0) {
            const std::int64_t factor = x[i] / y[i];
            const std::uint32_t d = layer.add_dim(names[i], y[i]);
            const std::uint32_t f = layer.add_dim("F" + names[i], factor);
            input.axes.push_back(TensorAxis{{{d, factor}, {f, 1}}, 0, x[i]});
            output.axes.push_back(identity_axis(d, y[i]));
        } else {
            ctx.fail(STREAM_ERROR_UNSUPPORTED, "axis " + std::to_string(i) + " resizes " + std::to_string(x[i]) + " to " +
                                                   std::to_string(y[i]) + "; only integer up- or down-sampling factors are supported");
        }
    }
    layer.operands = {std::move(input), std::move(output)};
    return layer;
}

} // namespace stream::onnx_frontend
