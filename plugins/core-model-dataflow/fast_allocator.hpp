// LOMA's memory allocator (zigzag.md §4.3) for many orderings of one search: the same decisions
// as allocate_ordering(), on a SearchLayout, with tile sizes grown loop by loop and buffers that
// are reused from one ordering to the next (no allocation per ordering).
#pragma once

#include "mapping_search.hpp"
#include "search_layout.hpp"

#include <cstddef>
#include <cstdint>
#include <vector>

namespace stream::dataflow {

// Where an allocation cut the ordering: operand o's memory level m holds ordering positions
// [m == 0 ? 0 : ends[o][m - 1], ends[o][m]) (innermost first); ends[o].back() = ordering size.
struct Allocation {
    std::vector<std::vector<std::size_t>> ends;
};

// The allocation as ZigZag prints it (the form evaluate() and allocate_ordering() use).
TemporalMapping to_temporal_mapping(const SearchLayout& layout, const std::vector<LoopFactor>& ordering,
                                    const Allocation& allocation);

class FastAllocator {
public:
    explicit FastAllocator(const SearchLayout& layout);

    // False when the ordering does not fit (MemoryTooSmall / MemoryHierarchyTooSmall).
    bool allocate(const std::vector<LoopFactor>& ordering, Allocation& out);

private:
    // The tile of one operand held so far: relevant loops' product and the per-pr-axis
    // cumulative sizes, so one more loop costs O(axes) instead of a recount.
    struct Tile {
        double relevant = 1;
        std::vector<double> cum_a, cum_b;
    };
    void grow(std::size_t op, Tile& t, std::size_t dim, double size) const;
    double elements(std::size_t op, const Tile& t) const;

    const SearchLayout& layout_;
    std::vector<Tile> tile_;                       // per operand, the allocated loops
    Tile scratch_;
    std::vector<std::size_t> level_, pos_;         // per operand: next level, first unallocated position
    std::vector<std::vector<double>> sizes_;       // per operand of the current memory: candidate slice bits
    std::vector<std::size_t> first_, idx_, best_;  // per operand of the current memory
    std::vector<double> fewest_;                   // per operand of the current memory: fewest accesses
    std::vector<double> suffix_;                   // suffix products of the ordering's loop sizes
};

} // namespace stream::dataflow
