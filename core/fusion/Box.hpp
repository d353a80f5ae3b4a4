// The slice of a tensor a tile touches: one half-open range per tensor axis,
// derived from the tile's loop ranges through the operand's affine axes.
#pragma once

#include "ir/CnGraph.hpp"
#include "ir/Workload.hpp"

#include <cstdint>
#include <vector>

namespace stream {

struct Box {
    std::vector<Range> axes;
    bool empty() const;
    std::int64_t elements() const;
    bool operator==(const Box&) const = default;
};

/// The elements of `op` that loop ranges `loops` touch. With `clip`, padding
/// (indices outside [0, extent)) is cut away; without, the halo is kept whole,
/// as Stream sizes its tensors.
Box operand_box(const Operand& op, const std::vector<Range>& loops, bool clip);

/// Loop ranges of a layout-only layer that produce `box` of its output `out`:
/// loops indexing an output axis one to one take that axis' range, all others
/// stay whole.
std::vector<Range> loops_producing(const Layer& layer, const Operand& out, const Box& box);

/// The whole iteration space of a layer.
std::vector<Range> full_loops(const Layer& layer);

} // namespace stream
