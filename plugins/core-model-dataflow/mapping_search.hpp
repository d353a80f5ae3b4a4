// LOMA-style temporal mapping search (zigzag.md §4.2, §4.3, §4.5) on top of the one-mapping
// cost model of dataflow_model.hpp: the temporal loop sizes are split into prime factors
// (merged down to at most `lpf_limit` factors), every distinct ordering of them is allocated
// bottom-up to the memory levels of each operand by capacity, evaluated, and the best one by
// the objective is kept.
#pragma once

#include "dataflow_model.hpp"

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace stream::dataflow {

// One temporal loop factor of an ordering: `size` iterations of layer dim `dim` (an index
// into LoopNest::dims()).
struct LoopFactor {
    std::size_t dim = 0;
    int64_t size = 1;
    friend bool operator==(const LoopFactor&, const LoopFactor&) = default;
};

enum class Objective { Latency, Energy, Edp };

// §4.5: latency (ties by energy), energy (ties by latency), EDP (strict). True if `a` beats `b`.
bool better(Objective objective, const CostResult& a, const CostResult& b);

// The temporal loop sizes left by the (float) spatial mapping: ceil(L / unrolling) per layer
// dim, 1 for dims that are not temporal.
std::vector<int64_t> temporal_sizes(const LoopNest& nest, const SpatialMapping& spatial);

// §4.2: prime factors of the temporal sizes, in layer dim order, primes ascending, then merged
// (two smallest factors of the dim with most factors, ties to the first dim) while there are
// more than max(lpf_limit, number of temporal dims). No temporal loop at all: [(dim 0, 1)].
std::vector<LoopFactor> loop_prime_factors(const LoopNest& nest, const SpatialMapping& spatial, int lpf_limit);

// §4.3: allocate one ordering (innermost first) to the memory levels of every operand.
// std::nullopt when it does not fit (MemoryTooSmall / MemoryHierarchyTooSmall).
std::optional<TemporalMapping> allocate_ordering(const LoopNest& nest, const CoreDescription& core,
                                                 const SpatialMapping& spatial,
                                                 const std::vector<LoopFactor>& ordering);

// ZigZag's printed form of a temporal mapping, operands in ZigZag's order (O, W, I), e.g.
// "{O: [[(C, 2), (K, 2)]], W: [[(C, 2)], [(K, 2)]], I: [[(C, 2), (K, 2)]]}". Parsed back by
// TemporalMapping::parse_zigzag.
std::string format_zigzag(const LoopNest& nest, const TemporalMapping& mapping);

struct SearchOptions {
    int lpf_limit = 6;
    Objective objective = Objective::Latency;
    CostModelOptions model{};
    // Polled every few orderings; returning true stops the search (SearchResult::cancelled).
    std::function<bool()> cancelled{};
};

struct SearchStats {
    std::size_t factors = 0;    // loop prime factors after merging
    std::size_t orderings = 0;  // distinct orderings enumerated
    std::size_t allocated = 0;  // orderings that fit the memories
    std::size_t evaluated = 0;  // orderings costed in full
    std::size_t pruned = 0;     // orderings whose costing stopped as soon as they could not win
                                // (evaluated + pruned = allocated)
};

struct SearchResult {
    std::optional<TemporalMapping> mapping; // empty: no ordering fits (or cancelled first)
    CostResult cost;
    SearchStats stats;
    bool cancelled = false;
};

// The search: every distinct ordering is allocated and costed by the search-specialised
// FastAllocator / FastCostModel (same decisions, same numbers as allocate_ordering() and
// evaluate()), an ordering's costing stops once it cannot beat the best so far, and the winner
// is costed in full by evaluate(). Orderings are visited in the same order as the exhaustive
// search below, so ties resolve the same way and the result is the same.
// Throws std::invalid_argument when the core lacks a memory for an operand or an array dim.
SearchResult search_temporal_mapping(const LoopNest& nest, const CoreDescription& core,
                                     const SpatialMapping& spatial, const SearchOptions& options = {});

// The reference search (the previous implementation, kept as the oracle of the tests and the
// baseline of bench_core_model_dataflow): allocate_ordering() and evaluate() on every ordering.
SearchResult search_temporal_mapping_exhaustive(const LoopNest& nest, const CoreDescription& core,
                                                const SpatialMapping& spatial, const SearchOptions& options = {});

} // namespace stream::dataflow
