// Gemm and MatMul as loop nests over B (rows), K (output columns) and C (the
// reduction), with MatMul's leading batch axes as H (one) or H0, H1, ... (several).
#include "OperatorRegistry.hpp"

namespace stream::onnx_frontend {

LayerSpec convert_gemm(const NodeContext& ctx) {
    const std::vector<std::int64_t>& a = ctx.input_dims(0);
    const std::vector<std::int64_t>& bm = ctx.input_dims(1);
    const std::vector<std::int64_t>& y = ctx.output_dims(0);
    if (a.size() != 2 || bm.size() != 2 || y.size() != 2)
        ctx.fail(STREAM_ERROR_INVALID_INPUT, "Gemm needs 2-D inputs and output");
    const bool trans_a = ctx.attr_int("transA", 0) != 0;
    const bool trans_b = ctx.attr_int("transB", 0) != 0;
    const std::int64_t rows = trans_a ? a[1] : a[0];
    const std::int64_t inner = trans_a ? a[0] : a[1];
    const std::int64_t inner_b = trans_b ? bm[1] : bm[0];
    const std::int64_t cols = trans_b ? bm[0] : bm[1];
    if (inner != inner_b || y[0] != rows || y[1] != cols)
        ctx.fail(STREAM_ERROR_INVALID_INPUT, "shapes do not multiply: A " + std::to_string(a[0]) + "x" + std::to_string(a[1]) +
                                                 (trans_a ? " (transposed)" : "") + ", B " + std::to_string(bm[0]) + "x" +
                                                 std::to_string(bm[1]) + (trans_b ? " (transposed)" : ""));

    LayerSpec layer = ctx.start_layer(STREAM_LAYER_COMPUTE);
    const std::uint32_t b = layer.add_dim("B", rows);
    const std::uint32_t k = layer.add_dim("K", cols);
    const std::uint32_t c = layer.add_dim("C", inner);

    Operand input = ctx.make_input("I", 0);
    input.axes = trans_a ? std::vector{identity_axis(c, inner), identity_axis(b, rows)}
                         : std::vector{identity_axis(b, rows), identity_axis(c, inner)};
    Operand weight = ctx.make_input("W", 1);
    weight.axes = trans_b ? std::vector{identity_axis(k, cols), identity_axis(c, inner)}
                          : std::vector{identity_axis(c, inner), identity_axis(k, cols)};
    Operand output = ctx.make_output("O", 0);
    output.axes = {identity_axis(b, rows), identity_axis(k, cols)};
    output.partial_precision_bits = ctx.partial_bits(output, 0);
    layer.operands = {std::move(input), std::move(weight), std::move(output)};
    layer.set_ints("transA", {trans_a ? 1 : 0});
    layer.set_ints("transB", {trans_b ? 1 : 0});
    // C is added once per output (scaled by beta), not per MAC.
    if (ctx.has_input(2)) layer.set_text("bias", ctx.node().input(2));
    return layer;
}

LayerSpec convert_matmul(const NodeContext& ctx) {
    const std::vector<std::int64_t>& a = ctx.input_dims(0);
    const std::vector<std::int64_t>& bm = ctx.input_dims(1);
    const std::vector<std::int64_t>& y = ctx.output_dims(0);
    if (a.empty() || bm.empty()) ctx.fail(STREAM_ERROR_INVALID_INPUT, "MatMul of a scalar");
    // numpy.matmul: a 1-D operand is a vector whose row (or column) axis is dropped from the result.
    const bool a_matrix = a.size() >= 2;
    const bool b_matrix = bm.size() >= 2;
    const std::int64_t rows = a_matrix ? a[a.size() - 2] : 1;
    const std::int64_t inner = a.back();
    const std::int64_t inner_b = b_matrix ? bm[bm.size() - 2] : bm[0];
    const std::int64_t cols = b_matrix ? bm.back() : 1;
    const std::size_t matrix_axes = (a_matrix ? 1 : 0) + (b_matrix ? 1 : 0);
    if (inner != inner_b || y.size() < matrix_axes)
        ctx.fail(STREAM_ERROR_INVALID_INPUT, "inner dimensions differ (" + std::to_string(inner) + " vs " + std::to_string(inner_b) + ")");
    const std::vector<std::int64_t> batch(y.begin(), y.end() - static_cast<std::ptrdiff_t>(matrix_axes));

    LayerSpec layer = ctx.start_layer(STREAM_LAYER_COMPUTE);
    std::vector<std::uint32_t> batch_dims;
    for (std::size_t i = 0; i < batch.size(); ++i)
        batch_dims.push_back(layer.add_dim(batch.size() == 1 ? std::string("H") : numbered("H", i), batch[i]));
    const std::uint32_t b = layer.add_dim("B", rows);
    const std::uint32_t k = layer.add_dim("K", cols);
    const std::uint32_t c = layer.add_dim("C", inner);

    // Batch axes broadcast numpy-style against the output's batch shape.
    auto batch_part = [&](const std::vector<std::int64_t>& dims) {
        return std::vector<std::int64_t>(dims.begin(), dims.end() - (dims.size() >= 2 ? 2 : 1));
    };
    Operand input = ctx.make_input("I", 0);
    input.axes = broadcast_axes(batch_part(a), batch_dims, batch);
    if (a_matrix) input.axes.push_back(identity_axis(b, rows));
    input.axes.push_back(identity_axis(c, inner));

    Operand weight = ctx.make_input("W", 1);
    weight.axes = broadcast_axes(batch_part(bm), batch_dims, batch);
    weight.axes.push_back(identity_axis(c, inner));
    if (b_matrix) weight.axes.push_back(identity_axis(k, cols));

    Operand output = ctx.make_output("O", 0);
    for (std::size_t i = 0; i < batch.size(); ++i) output.axes.push_back(identity_axis(batch_dims[i], batch[i]));
    if (a_matrix) output.axes.push_back(identity_axis(b, rows));
    if (b_matrix) output.axes.push_back(identity_axis(k, cols));
    output.partial_precision_bits = ctx.partial_bits(output, 0);
    layer.operands = {std::move(input), std::move(weight), std::move(output)};
    return layer;
}

} // namespace stream::onnx_frontend
