// What the temporal mapping search needs about (layer, core, spatial mapping) that no loop
// ordering changes: each operand's memory levels, its spatial loops per architecture level
// (zigzag.md §3.1), relevancy by dim index, and which operands share each memory. Computed
// once per search so that allocating and costing an ordering never compares strings.
#pragma once

#include "dataflow_model.hpp"

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <vector>

namespace stream::dataflow {

// A loop over layer dim `dim` (index into LoopNest::dims()); spatial sizes may be fractional.
struct DimLoop {
    std::size_t dim = 0;
    double size = 1;
};

// A partially relevant axis with its coefficients divided by their gcd, so that its size
// (LoopNest::pr_size) costs no gcd per call.
struct ReducedPrAxis {
    std::size_t dim_a = 0, dim_b = 0;
    int64_t a_step = 1, b_step = 1; // coef_a / g, coef_b / g
    int64_t extent = 0;
    // LoopNest::pr_size(a, coef_a, b, coef_b, extent), the same integer
    int64_t size(int64_t a, int64_t b) const {
        int64_t s = a * b - std::max<int64_t>(0, b - a_step) * (a - b_step);
        return extent > 0 ? std::min(s, extent) : s;
    }
};

struct OperandLayout {
    std::size_t levels = 0;                 // memory levels holding the operand
    std::vector<std::size_t> memory;        // core memory index per level, innermost first
    // Spatial loops per architecture level a = 0..levels: [0] with the float unrollings (energy,
    // allocation), [1] truncated to integers (latency), as ZigZag's two spatial mappings.
    std::vector<std::vector<DimLoop>> spatial[2];
    std::vector<Relevancy> relevancy;       // per layer dim
    std::vector<int> pr_axis;               // per layer dim: index into LoopNest::pr_axes, or -1
    std::vector<ReducedPrAxis> pr_axes;     // LoopNest::pr_axes of the operand
    bool output = false;
};

struct SearchLayout {
    const LoopNest* nest = nullptr;
    const CoreDescription* core = nullptr;
    std::vector<OperandLayout> operands;                  // indexed like LoopNest::operands()
    std::vector<std::vector<std::size_t>> memory_operands; // per memory: operands of the layer it stores
    std::vector<std::vector<int>> level_of;                // [operand][memory]: level, or -1
    bool integral_spatial = true; // every unrolling is an integer: both spatial mappings coincide

    // Throws std::invalid_argument, as evaluate() does, when an operand has no memory or the
    // spatial mapping names an array dim the core lacks. `nest` and `core` must outlive it.
    static SearchLayout make(const LoopNest& nest, const CoreDescription& core, const SpatialMapping& spatial);
};

} // namespace stream::dataflow
