// Operands too large for the core (Stream's check_core_capacity_for_node, stream.md §3.6):
// which operands of a node cannot be kept in the core's top memories and are streamed from
// the off-chip DRAM while the node runs, and the core extended with that DRAM level.
#pragma once

#include "dataflow_model.hpp"

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace stream::dataflow {

// One operand's claim on a top memory.
struct OperandNeed {
    std::size_t operand = 0; // index into LoopNest::operands()
    int64_t bits = 0;        // the tile of the operand (ZigZag's operand_size_bit), or what it receives if more
};

// One unique top memory whose operands do not fit together.
struct TopMemoryOverflow {
    std::size_t memory = 0;            // index into CoreDescription::memories
    int64_t capacity_bits = 0;
    std::vector<OperandNeed> needs;    // every layer operand the memory stores, ascending by bits
    std::vector<std::size_t> offchip;  // operands moved off-chip (indices into LoopNest::operands())
};

struct StreamingPlan {
    std::vector<std::size_t> streamed;        // operands streamed from DRAM, in layer operand order
    std::vector<TopMemoryOverflow> overflows; // the top memories that overflowed, in memory order
    bool empty() const { return streamed.empty(); }
};

// The operand's full tile in bits, as ZigZag's operand_size_bit: the output counts with its
// partial-sum precision (it may be accumulated in place).
int64_t operand_size_bits(const LoopNest& nest, std::size_t operand);

// Stream's rule, per unique top memory of the core (the outermost memory of each operand the
// layer has): when the operands it stores need more than its capacity, keep the longest prefix
// (by size, ascending) that fits and move the rest off-chip; then, while what is left of the
// capacity is smaller than what the off-chip operands need on-chip (the size of their
// innermost memory times its instance count), move the largest kept operand off-chip too.
// An input fed by producer nodes needs what it receives when that is more than its tile
// (`received_bits[o]`, 0 when unknown or not fed by producers), as Stream sizes variable inputs
// by their in-edges; weights, graph inputs and the output need their tile.
StreamingPlan plan_streaming(const LoopNest& nest, const CoreDescription& core,
                             const std::vector<int64_t>& received_bits = {});

// The core with `dram` added as a new top level that stores only `operands` (layer operand
// names) with the DRAM's own port uses for them. The DRAM is one instance for the whole array:
// it serves every array dim (Stream copies the off-chip level's served dimensions, D1 and D2 in
// its examples; lower levels claim their own dims first, so this only decides where array dims
// no on-chip level serves end up).
CoreDescription with_offchip_level(const CoreDescription& core, const MemoryLevel& dram,
                                   const std::vector<std::string>& operands);

} // namespace stream::dataflow
