#include "SpatialWindow.hpp"

namespace stream::onnx_frontend {

std::vector<std::string> spatial_letters(std::size_t rank) {
    if (rank == 1) return {"X"};
    if (rank == 2) return {"Y", "X"};
    return {"Z", "Y", "X"};
}

std::vector<std::int64_t> spatial_attr(const NodeContext& ctx, const char* name, std::size_t count, std::int64_t fallback,
                                       std::int64_t minimum) {
    std::vector<std::int64_t> values = ctx.attr_ints(name, std::vector<std::int64_t>(count, fallback));
    if (values.size() != count)
        ctx.fail(STREAM_ERROR_INVALID_INPUT, std::string(name) + " has " + std::to_string(values.size()) + " values, expected " + std::to_string(count));
    for (std::int64_t v : values)
        if (v < minimum) ctx.fail(STREAM_ERROR_INVALID_INPUT, std::string(name) + " has the invalid value " + std::to_string(v));
    return values;
}

SpatialWindow read_window(const NodeContext& ctx, std::vector<std::int64_t> kernel) {
    SpatialWindow w;
    w.rank = kernel.size();
    for (std::int64_t k : kernel)
        if (k < 1) ctx.fail(STREAM_ERROR_INVALID_INPUT, "kernel size " + std::to_string(k) + " is not positive");
    w.kernel = std::move(kernel);
    w.strides = spatial_attr(ctx, "strides", w.rank, 1, 1);
    w.dilations = spatial_attr(ctx, "dilations", w.rank, 1, 1);
    w.pads = spatial_attr(ctx, "pads", 2 * w.rank, 0, 0);
    return w;
}

void resolve_auto_pad(const NodeContext& ctx, SpatialWindow& window, const std::vector<std::int64_t>& x,
                      const std::vector<std::int64_t>& y) {
    const std::string auto_pad = ctx.attr_string("auto_pad", "NOTSET");
    if (auto_pad == "NOTSET") return;
    const bool same = auto_pad == "SAME_UPPER" || auto_pad == "SAME_LOWER";
    if (!same && auto_pad != "VALID")
        ctx.fail(STREAM_ERROR_INVALID_INPUT, "auto_pad '" + auto_pad + "' is not NOTSET, SAME_UPPER, SAME_LOWER or VALID");
    for (std::size_t i = 0; i < window.rank; ++i) {
        // The padding that makes (out − 1)·stride + (kernel − 1)·dilation + 1 input positions.
        std::int64_t total = 0;
        if (same) total = (y[2 + i] - 1) * window.strides[i] + (window.kernel[i] - 1) * window.dilations[i] + 1 - x[2 + i];
        if (total < 0) total = 0;
        // SAME_UPPER puts the odd extra pad at the end, SAME_LOWER at the beginning.
        const std::int64_t begin = auto_pad == "SAME_LOWER" ? total - total / 2 : total / 2;
        window.pads[i] = begin;
        window.pads[window.rank + i] = total - begin;
    }
}

void require_spatial_rank(const NodeContext& ctx, const std::vector<std::int64_t>& dims) {
    if (dims.size() < 3 || dims.size() > 5)
        ctx.fail(STREAM_ERROR_UNSUPPORTED, "input of rank " + std::to_string(dims.size()) +
                                               "; only N, C and 1 to 3 spatial axes (rank 3 to 5) are supported");
}

} // namespace stream::onnx_frontend
