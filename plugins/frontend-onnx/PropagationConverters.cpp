// Layout-only operators as propagation layers: one loop per axis of the output
// (D0, D1, ...), outputs indexed one to one, inputs through affine relations where
// the layout change is affine (Transpose, Concat, Slice, Split, size-1 axes added or
// removed) and otherwise as axes without terms spanning the whole extent, to be
// read together with the op type and attributes.
#include "OperatorRegistry.hpp"

#include <algorithm>

namespace stream::onnx_frontend {

namespace {

std::vector<std::uint32_t> add_plain_dims(LayerSpec& layer, const std::vector<std::int64_t>& dims) {
    std::vector<std::uint32_t> loops;
    for (std::size_t i = 0; i < dims.size(); ++i) loops.push_back(layer.add_dim(numbered("D", i), dims[i]));
    return loops;
}

std::vector<TensorAxis> whole_axes(const std::vector<std::int64_t>& dims) {
    std::vector<TensorAxis> axes;
    for (std::int64_t d : dims) axes.push_back(TensorAxis{{}, 0, d});
    return axes;
}

/// When `x` and `y` hold the same non-1 dimensions in the same order (Squeeze,
/// Unsqueeze, Flatten or Reshape that only add or drop size-1 axes, Identity), each
/// such axis of x follows the matching output loop; otherwise whole axes.
std::vector<TensorAxis> aligned_axes(const std::vector<std::int64_t>& x, const std::vector<std::uint32_t>& loops,
                                     const std::vector<std::int64_t>& y) {
    std::vector<std::size_t> px, py;
    for (std::size_t i = 0; i < x.size(); ++i)
        if (x[i] != 1) px.push_back(i);
    for (std::size_t i = 0; i < y.size(); ++i)
        if (y[i] != 1) py.push_back(i);
    bool same = px.size() == py.size();
    for (std::size_t j = 0; same && j < px.size(); ++j) same = x[px[j]] == y[py[j]];
    if (!same) return whole_axes(x);
    std::vector<TensorAxis> axes(x.size(), TensorAxis{{}, 0, 1});
    for (std::size_t j = 0; j < px.size(); ++j) axes[px[j]] = identity_axis(loops[py[j]], x[px[j]]);
    return axes;
}

std::string indexed_name(const char* base, std::size_t index, std::size_t count) {
    return count == 1 ? std::string(base) : numbered(base, index);
}

/// All present outputs, "O" or O0, O1, ...; outputs of output 0's shape follow the loops.
void add_outputs(const NodeContext& ctx, LayerSpec& layer, const std::vector<std::uint32_t>& loops, const std::vector<std::int64_t>& y0) {
    std::vector<int> present;
    for (int i = 0; i < ctx.node().output_size(); ++i)
        if (ctx.has_output(i)) present.push_back(i);
    for (std::size_t n = 0; n < present.size(); ++n) {
        Operand o = ctx.make_output(indexed_name("O", n, present.size()), present[n]);
        const std::vector<std::int64_t>& y = ctx.output_dims(present[n]);
        if (y == y0)
            for (std::size_t i = 0; i < y.size(); ++i) o.axes.push_back(identity_axis(loops[i], y[i]));
        else
            o.axes = whole_axes(y);
        layer.operands.push_back(std::move(o));
    }
}

LayerSpec convert_concat(const NodeContext& ctx) {
    const std::vector<std::int64_t>& y = ctx.output_dims(0);
    const std::int64_t axis = ctx.normalize_axis(ctx.attr_int("axis", 0), y.size());
    LayerSpec layer = ctx.start_layer(STREAM_LAYER_PROPAGATION);
    const std::vector<std::uint32_t> loops = add_plain_dims(layer, y);
    std::vector<int> present;
    for (int i = 0; i < ctx.node().input_size(); ++i)
        if (ctx.has_input(i)) present.push_back(i);
    // Input n holds output positions [offset, offset + extent) along the axis.
    std::int64_t offset = 0;
    for (std::size_t n = 0; n < present.size(); ++n) {
        const std::vector<std::int64_t>& x = ctx.input_dims(present[n]);
        if (x.size() != y.size()) ctx.fail(STREAM_ERROR_INVALID_INPUT, "inputs of Concat differ in rank");
        Operand in = ctx.make_input(indexed_name("I", n, present.size()), present[n]);
        for (std::size_t i = 0; i < x.size(); ++i) {
            if (static_cast<std::int64_t>(i) == axis) in.axes.push_back(TensorAxis{{{loops[i], 1}}, -offset, x[i]});
            else in.axes.push_back(identity_axis(loops[i], x[i]));
        }
        offset += x[static_cast<std::size_t>(axis)];
        layer.operands.push_back(std::move(in));
    }
    add_outputs(ctx, layer, loops, y);
    layer.set_ints("axis", {axis});
    return layer;
}

LayerSpec convert_split(const NodeContext& ctx) {
    const std::vector<std::int64_t>& x = ctx.input_dims(0);
    const std::int64_t axis = ctx.normalize_axis(ctx.attr_int("axis", 0), x.size());
    LayerSpec layer = ctx.start_layer(STREAM_LAYER_PROPAGATION);
    // Split's outputs differ in shape, so the loops run over the input instead.
    const std::vector<std::uint32_t> loops = add_plain_dims(layer, x);
    Operand in = ctx.make_input("I", 0);
    for (std::size_t i = 0; i < x.size(); ++i) in.axes.push_back(identity_axis(loops[i], x[i]));
    layer.operands.push_back(std::move(in));
    std::vector<int> present;
    for (int i = 0; i < ctx.node().output_size(); ++i)
        if (ctx.has_output(i)) present.push_back(i);
    std::vector<std::int64_t> sizes;
    std::int64_t offset = 0;
    for (int k = 0; k < ctx.node().output_size(); ++k) {
        const bool is_present = ctx.has_output(k);
        const std::int64_t size = is_present ? ctx.output_dims(k)[static_cast<std::size_t>(axis)] : 0;
        if (is_present) {
            const std::size_t n = static_cast<std::size_t>(std::find(present.begin(), present.end(), k) - present.begin());
            Operand o = ctx.make_output(indexed_name("O", n, present.size()), k);
            const std::vector<std::int64_t>& y = ctx.output_dims(k);
            for (std::size_t i = 0; i < y.size(); ++i) {
                // Output k holds input positions [offset, offset + size) along the axis.
                if (static_cast<std::int64_t>(i) == axis) o.axes.push_back(TensorAxis{{{loops[i], 1}}, -offset, y[i]});
                else o.axes.push_back(identity_axis(loops[i], y[i]));
            }
            layer.operands.push_back(std::move(o));
        }
        sizes.push_back(size);
        offset += size;
    }
    layer.set_ints("axis", {axis});
    layer.set_ints("split", sizes);
    return layer;
}

LayerSpec convert_slice(const NodeContext& ctx) {
    const std::vector<std::int64_t>& x = ctx.input_dims(0);
    const std::vector<std::int64_t>& y = ctx.output_dims(0);
    if (x.size() != y.size()) ctx.fail(STREAM_ERROR_INVALID_INPUT, "input and output ranks differ");
    // Opset 10 moved starts, ends, axes and steps from attributes to inputs.
    const bool from_inputs = ctx.has_input(1);
    const std::vector<std::int64_t> starts = from_inputs ? ctx.constant_ints(1) : ctx.attr_ints("starts", {});
    const std::vector<std::int64_t> ends = from_inputs ? ctx.constant_ints(2) : ctx.attr_ints("ends", {});
    std::vector<std::int64_t> axes = from_inputs ? (ctx.has_input(3) ? ctx.constant_ints(3) : std::vector<std::int64_t>{})
                                                 : ctx.attr_ints("axes", {});
    std::vector<std::int64_t> steps = ctx.has_input(4) ? ctx.constant_ints(4) : std::vector<std::int64_t>{};
    if (axes.empty())
        for (std::size_t i = 0; i < starts.size(); ++i) axes.push_back(static_cast<std::int64_t>(i));
    if (steps.empty()) steps.assign(starts.size(), 1);
    if (ends.size() != starts.size() || axes.size() != starts.size() || steps.size() != starts.size())
        ctx.fail(STREAM_ERROR_INVALID_INPUT, "starts, ends, axes and steps differ in length");

    LayerSpec layer = ctx.start_layer(STREAM_LAYER_PROPAGATION);
    const std::vector<std::uint32_t> loops = add_plain_dims(layer, y);
    Operand in = ctx.make_input("I", 0);
    for (std::size_t i = 0; i < x.size(); ++i) in.axes.push_back(identity_axis(loops[i], x[i]));
    std::vector<std::int64_t> resolved_starts(x.size(), 0), resolved_steps(x.size(), 1);
    for (std::size_t n = 0; n < starts.size(); ++n) {
        const std::size_t a = static_cast<std::size_t>(ctx.normalize_axis(axes[n], x.size()));
        if (steps[n] == 0) ctx.fail(STREAM_ERROR_INVALID_INPUT, "a step of 0");
        // ONNX clamps starts into [0, dim] (positive steps) or [0, dim − 1] (negative ones).
        std::int64_t start = starts[n] < 0 ? starts[n] + x[a] : starts[n];
        start = std::clamp<std::int64_t>(start, 0, steps[n] > 0 ? x[a] : x[a] - 1);
        in.axes[a] = TensorAxis{{{loops[a], steps[n]}}, start, x[a]};
        resolved_starts[a] = start;
        resolved_steps[a] = steps[n];
    }
    layer.operands.push_back(std::move(in));
    add_outputs(ctx, layer, loops, y);
    layer.set_ints("starts", resolved_starts);
    layer.set_ints("steps", resolved_steps);
    return layer;
}

LayerSpec convert_transpose(const NodeContext& ctx) {
    const std::vector<std::int64_t>& x = ctx.input_dims(0);
    const std::vector<std::int64_t>& y = ctx.output_dims(0);
    std::vector<std::int64_t> perm = ctx.attr_ints("perm", {});
    if (perm.empty())
        for (std::size_t i = 0; i < x.size(); ++i) perm.push_back(static_cast<std::int64_t>(x.size() - 1 - i));
    if (perm.size() != x.size() || y.size() != x.size()) ctx.fail(STREAM_ERROR_INVALID_INPUT, "perm does not match the input's rank");
    LayerSpec layer = ctx.start_layer(STREAM_LAYER_PROPAGATION);
    const std::vector<std::uint32_t> loops = add_plain_dims(layer, y);
    // Output axis j is input axis perm[j].
    Operand in = ctx.make_input("I", 0);
    in.axes = whole_axes(x);
    for (std::size_t j = 0; j < perm.size(); ++j) {
        const std::size_t i = static_cast<std::size_t>(ctx.normalize_axis(perm[j], x.size(), "perm entry"));
        in.axes[i] = identity_axis(loops[j], x[i]);
    }
    layer.operands.push_back(std::move(in));
    add_outputs(ctx, layer, loops, y);
    layer.set_ints("perm", perm);
    return layer;
}

LayerSpec convert_gather(const NodeContext& ctx) {
    const std::vector<std::int64_t>& x = ctx.input_dims(0);
    const std::vector<std::int64_t>& indices = ctx.input_dims(1);
    const std::vector<std::int64_t>& y = ctx.output_dims(0);
    const std::int64_t axis = ctx.normalize_axis(ctx.attr_int("axis", 0), x.size());
    const auto a = static_cast<std::size_t>(axis);
    if (y.size() != x.size() - 1 + indices.size()) ctx.fail(STREAM_ERROR_INVALID_INPUT, "output rank does not match data and indices");
    LayerSpec layer = ctx.start_layer(STREAM_LAYER_PROPAGATION);
    const std::vector<std::uint32_t> loops = add_plain_dims(layer, y);
    // Output = data[:axis] + indices' shape + data[axis+1:].
    Operand data = ctx.make_input("I0", 0);
    for (std::size_t i = 0; i < x.size(); ++i) {
        if (i < a) data.axes.push_back(identity_axis(loops[i], x[i]));
        else if (i > a) data.axes.push_back(identity_axis(loops[i - 1 + indices.size()], x[i]));
        else data.axes.push_back(TensorAxis{{}, 0, x[i]});
    }
    // A constant scalar index picks one position, which an offset states exactly.
    const TensorInfo& index_info = ctx.input(1);
    if (indices.empty() && index_info.int_values && index_info.int_values->size() == 1) {
        std::int64_t v = index_info.int_values->front();
        if (v < 0) v += x[a];
        data.axes[a].offset = v;
    }
    Operand index = ctx.make_input("I1", 1);
    for (std::size_t i = 0; i < indices.size(); ++i) index.axes.push_back(identity_axis(loops[a + i], indices[i]));
    layer.operands = {std::move(data), std::move(index)};
    add_outputs(ctx, layer, loops, y);
    layer.set_ints("axis", {axis});
    return layer;
}

/// Identity, Dropout, Reshape, Flatten, Squeeze, Unsqueeze: one data input whose
/// other inputs (shape, axes, ratio) are parameters, recorded as resolved attributes.
LayerSpec convert_single_input(const NodeContext& ctx) {
    const std::vector<std::int64_t>& x = ctx.input_dims(0);
    const std::vector<std::int64_t>& y = ctx.output_dims(0);
    LayerSpec layer = ctx.start_layer(STREAM_LAYER_PROPAGATION);
    const std::vector<std::uint32_t> loops = add_plain_dims(layer, y);
    Operand in = ctx.make_input("I", 0);
    in.axes = aligned_axes(x, loops, y);
    layer.operands.push_back(std::move(in));
    add_outputs(ctx, layer, loops, y);
    const std::string& op = ctx.op_type();
    if (op == "Reshape") layer.set_ints("shape", y);
    if ((op == "Squeeze" || op == "Unsqueeze") && ctx.has_input(1)) layer.set_ints("axes", ctx.constant_ints(1));
    return layer;
}

} // namespace

LayerSpec convert_propagation(const NodeContext& ctx) {
    const std::string& op = ctx.op_type();
    if (op == "Concat") return convert_concat(ctx);
    if (op == "Split") return convert_split(ctx);
    if (op == "Slice") return convert_slice(ctx);
    if (op == "Transpose") return convert_transpose(ctx);
    if (op == "Gather") return convert_gather(ctx);
    return convert_single_input(ctx);
}

LayerSpec convert_passthrough(const NodeContext& ctx) {
    LayerSpec layer = ctx.start_layer(STREAM_LAYER_PROPAGATION);
    int first_output = 0;
    while (first_output < ctx.node().output_size() && !ctx.has_output(first_output)) ++first_output;
    if (first_output == ctx.node().output_size()) ctx.fail(STREAM_ERROR_INVALID_INPUT, "node has no outputs");
    const std::vector<std::int64_t>& y = ctx.output_dims(first_output);
    const std::vector<std::uint32_t> loops = add_plain_dims(layer, y);
    std::vector<int> present;
    for (int i = 0; i < ctx.node().input_size(); ++i)
        if (ctx.has_input(i)) present.push_back(i);
    // Nothing is known about how an unknown op reads its inputs: every input is whole.
    for (std::size_t n = 0; n < present.size(); ++n) {
        Operand in = ctx.make_input(indexed_name("I", n, present.size()), present[n]);
        in.axes = whole_axes(ctx.input_dims(present[n]));
        layer.operands.push_back(std::move(in));
    }
    add_outputs(ctx, layer, loops, y);
    layer.set_text("passthrough", "unknown operator");
    return layer;
}

} // namespace stream::onnx_frontend
