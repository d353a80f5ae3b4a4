// The steady state of a fusion stack (Stream, stream.md §5.3 step A).
//
// A fused stack computes its tiles in waves: every wave finishes one more
// "sink" tile of each sink layer and, before that, whatever ancestors those
// tiles need that no earlier wave computed. Most waves look alike (one row of
// each layer, say); the wave shape that covers the most work is the steady
// state, and Stream optimises the allocation of just one such wave, counting
// it N times. For two 3x3 convolutions tiled in 56 rows the waves are
// {L0:2, L1:1}, then 54 times {L0:1, L1:1}, then {L1:1}: the steady state is
// {L0:1, L1:1} with N = 54.
//
//   SteadyState ss = find_steady_state(tables.nodes, nodes_of_stack);
//   if (!ss.empty()) optimise(ss.nodes(), ss.iterations());
//   std::vector<std::size_t> order = scheduling_order(tables.nodes, ss, layers_in_slot_order);
#pragma once

#include "ProblemTables.hpp"

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace stream::plugins::gecode_alloc {

/// One wave: the i-th sink tile of every sink layer, and what it newly needs.
struct SinkTuple {
    std::vector<std::size_t> todo; ///< node indices, ascending (layer, sub_id)
    std::size_t signature = 0;     ///< index into SteadyState::signatures
};

/// How many tiles of each layer a wave computes.
struct Signature {
    std::vector<std::pair<std::int64_t, std::int64_t>> counts; ///< (layer, tiles), ascending layer
    std::int64_t occurrences = 0;
    std::size_t first_tuple = 0;
    double macs = 0; ///< work of the first wave with this signature

    /// Stream's score: the work of one wave times how often it occurs.
    double score() const { return macs * static_cast<double>(occurrences); }
};

struct SteadyState {
    std::vector<SinkTuple> tuples;     ///< in the order Stream visits them
    std::vector<Signature> signatures; ///< in first-seen order
    std::optional<std::size_t> chosen; ///< the steady state; empty for a stack without sinks

    bool empty() const { return !chosen; }
    /// The nodes of the first wave with the steady-state signature.
    const std::vector<std::size_t>& nodes() const;
    /// N: how many waves have that signature.
    std::int64_t iterations() const;
};

/// Stream's steady state of the stack made of `stack_nodes` (indices into
/// `nodes`). Sinks are tiles without a successor of another layer inside the
/// stack; wave w holds the w-th row of every sink layer (all its tile groups'
/// tiles of that row, see NodeInfo::row) and the ancestors no earlier wave
/// computed. Ties in score go to the signature seen first, as Python's max() does.
SteadyState find_steady_state(const std::vector<NodeInfo>& nodes, const std::vector<std::size_t>& stack_nodes);

/// "{0:1, 1:1}": layer id and tile count per layer.
std::string describe(const Signature& signature);

/// Stream's scheduling order for one stack (§5.3 step C): waves in order; in a
/// steady-state wave the tiles follow `steady_units` (the units of the
/// steady-state nodes in slot order), each taking the lowest remaining sub_id
/// of its unit; other waves run deepest layer first, highest sub_id first.
/// Stack nodes in no wave come last, by their own priority.
std::vector<std::size_t> scheduling_order(const std::vector<NodeInfo>& nodes,
                                          const std::vector<std::size_t>& stack_nodes, const SteadyState& steady,
                                          const std::vector<std::size_t>& steady_units);

} // namespace stream::plugins::gecode_alloc
