// Small helpers shared by the hand-written SVG drawings (topology, schedule,
// memory, energy): escaping, number labels, axis ticks and the layer palette,
// so every chart escapes, labels and colours the same way.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace stream::svg {

/// Escapes text for XML content and attribute values.
std::string escape(std::string_view s);

/// "<svg ...>" with a <title>, for a drawing of width x height pixels.
std::string open(double width_px, double height_px, std::string_view title);

/// `s` cut to at most `max_bytes` (at a UTF-8 character boundary) with "…" appended when cut,
/// for labels in a fixed-width column.
std::string shorten(std::string_view s, std::size_t max_bytes);

/// A short label for an axis tick or a total: 950, 1.2k, 3.45M, 12G.
std::string short_number(double v);

/// A number for a tooltip or a heading: an integer when it is one, else six significant digits,
/// in plain notation unless it is huge or tiny.
std::string exact_number(double v);

/// About `target` round tick values (1, 2 or 5 times a power of ten) from 0 to at least `max`.
std::vector<double> ticks(double max, int target);

/// The fill colour of the i-th layer: hues spread by the golden angle, so neighbours differ.
std::string layer_colour(std::size_t i);

} // namespace stream::svg
