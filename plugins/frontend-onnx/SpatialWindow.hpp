// The sliding-window geometry shared by convolutions and pooling: kernel,
// strides, dilations and begin/end pads per spatial axis, with auto_pad resolved.
#pragma once

#include "NodeContext.hpp"

#include <cstdint>
#include <string>
#include <vector>

namespace stream::onnx_frontend {

struct SpatialWindow {
    std::size_t rank = 0;
    std::vector<std::int64_t> kernel, strides, dilations;
    std::vector<std::int64_t> pads; ///< rank begins, then rank ends (ONNX order)
};

/// Axis letters of 1-, 2- or 3-D spatial shapes, outermost first: X; Y X; Z Y X.
std::vector<std::string> spatial_letters(std::size_t rank);

/// Reads strides, dilations and pads (defaults 1, 1, 0) for `kernel`.
SpatialWindow read_window(const NodeContext& ctx, std::vector<std::int64_t> kernel);

/// A spatial attribute of `count` values, each at least `minimum`; `fallback` when absent.
std::vector<std::int64_t> spatial_attr(const NodeContext& ctx, const char* name, std::size_t count, std::int64_t fallback,
                                       std::int64_t minimum);

/// Turns auto_pad SAME_UPPER / SAME_LOWER / VALID into explicit pads, using the output
/// size shape inference found. `x` and `y` are full N, C, spatial... shapes.
void resolve_auto_pad(const NodeContext& ctx, SpatialWindow& window, const std::vector<std::int64_t>& x,
                      const std::vector<std::int64_t>& y);

/// Fails unless `dims` is N, C and 1 to 3 spatial axes.
void require_spatial_rank(const NodeContext& ctx, const std::vector<std::int64_t>& dims);

} // namespace stream::onnx_frontend
