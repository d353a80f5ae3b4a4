// ZigZag 3.8's spatial-mapping generator (SpatialMappingGeneratorStage, zigzag.md §3.3): when a
// core's spatial mapping leaves array dims undefined, candidate unrollings are enumerated from
// the divisors of each (layer dim, array dim) pair's largest allowed unrolling, optionally mixed
// (several layer dims on one array dim), ranked by ZigZag's performance indicator, and the best
// few are handed back for a temporal search each.
//
// Factors here are integers (stored in SpatialLoop::factor); the caller turns each candidate
// into the form the cost model uses with SpatialMapping::normalized.
#pragma once

#include "dataflow_model.hpp"

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace stream::dataflow {

// The layer dims one array dim may unroll (ZigZag's spatial_mapping_hint), in the order given.
struct SpatialHint {
    std::string array_dim;
    std::vector<std::string> dims;
};
using SpatialHints = std::vector<SpatialHint>;

// Parses "D1: K; D2: C, FX, FY" (array dims separated by ';'). Throws std::invalid_argument
// naming the malformed part.
SpatialHints parse_spatial_hints(std::string_view text);

struct SpatialGeneratorOptions {
    std::size_t nb_mappings = 3; // ZigZag's nb_mappings_generated
    bool mixed = false;          // enable_mix_spatial_mapping_generation
    // Above this many combinations of per-array-dim candidates the generator refuses (the
    // cartesian product is enumerated in full before ranking, as ZigZag does).
    std::size_t max_combinations = 20'000'000;
};

// max_unroll[array dim][layer dim] = min(L, array size), lowered to bw / precision on the array
// dims an innermost memory serves, for the layer dims not irrelevant to the operand it holds
// (the multicast-bandwidth limit; output at partial precision through the write bandwidth).
// Indexed [core.array_dims index][nest.dims() index].
std::vector<std::vector<int64_t>> max_unrollings(const LoopNest& nest, const CoreDescription& core);

// True when every array dim of the core appears in `user` (ZigZag then generates nothing).
bool defines_every_array_dim(const CoreDescription& core, const SpatialMapping& user);

// U + (U / largest per-layer-dim total unrolling - 1), U = product of all unrollings: ranks
// candidates by utilisation, then by how many layer dims share it.
double performance_indicator(const SpatialMapping& mapping);

// The candidates ZigZag would cost, best-ranked first: `user` reduced to what the layer and
// the limits allow (check_and_reduce), every undefined array dim filled from `hints` (array
// dims without a usable hint may unroll any layer dim), invalid combinations dropped, sorted
// by performance_indicator (stable: ties keep generation order), the first nb_mappings kept,
// each limited to the capacity of the innermost memories. A complete `user` yields itself,
// reduced and limited. Throws std::invalid_argument for array dims the core lacks, when no
// valid candidate exists, or when the space exceeds options.max_combinations.
std::vector<SpatialMapping> generate_spatial_mappings(const LoopNest& nest, const CoreDescription& core,
                                                      const SpatialMapping& user, const SpatialHints& hints,
                                                      const SpatialGeneratorOptions& options = {});

// "{D1: [(K, 32)], D2: [(C, 2), (FX, 3)]}": a spatial mapping as the result text shows it.
std::string format_spatial(const SpatialMapping& mapping);

} // namespace stream::dataflow
