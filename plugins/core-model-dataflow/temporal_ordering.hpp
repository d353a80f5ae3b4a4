// A user-given temporal loop ordering (ZigZag mapping's `temporal_ordering`, zigzag.md §4.2):
// when it is complete, ZigZag allocates it to the memory levels directly instead of running
// LOMA, so one mapping is costed.
#pragma once

#include "mapping_search.hpp"

#include <string_view>
#include <vector>

namespace stream::dataflow {

// Parses "OX 112, OY 112, FX 7, K 2" (innermost loop first) into an ordering of `nest`'s dims.
// Loops of size 1 are dropped. Throws std::invalid_argument naming the problem when the text
// is malformed, names a dim the layer lacks, or its loops of a dim do not multiply to exactly
// that dim's temporal size under `spatial` (ZigZag's condition for a complete ordering).
std::vector<LoopFactor> parse_temporal_ordering(const LoopNest& nest, const SpatialMapping& spatial, std::string_view text);

} // namespace stream::dataflow
