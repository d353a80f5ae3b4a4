// Fusion stacks: which layers run fused, tile by tile (stream.md §3.1).
#pragma once

#include "ir/Accelerator.hpp"
#include "ir/Workload.hpp"

#include <cstdint>
#include <string>
#include <vector>

namespace stream {

/// The stack of every layer (indexed by layer id), numbered in execution order.
///  - mode "layer_by_layer": every layer alone.
///  - mode "fused" and `spec`:
///      "0-10,11-21" (ONNX node indices as in Stream, or layer names): those stacks, then every
///                   layer not listed alone;
///      "pack"       consecutive layers, a stack closed when its weights would exceed the
///                   on-chip weight capacity (the default);
///      "weights"    Stream's default: one stack from the first layer until the weights exceed
///                   that capacity, every later layer alone (the default under compat "stream");
///      "all"        one stack.
/// The weight capacity is the sum over compute cores of the outermost memory that holds "W".
std::vector<std::int64_t> assign_stacks(const Workload& w, const Accelerator& acc, const std::string& mode,
                                        const std::string& spec, bool compat_stream, const SourceLoc& where);

/// Bits of on-chip memory that can hold weights (see assign_stacks).
std::int64_t weight_capacity_bits(const Accelerator& acc);

} // namespace stream
