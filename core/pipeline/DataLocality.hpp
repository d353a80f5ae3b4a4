// ZigZag's inter-layer data locality (`exploit_data_locality`, zigzag.md §0 and §7.2): ZigZag
// costs a network layer by layer, so by default every layer reads its inputs from and writes its
// output to the top memory (DRAM). In this mode, per layer, each operand gives up the memory
// levels above the lowest one that can keep the data between layers: activations where the
// layer's output and the next layer's input fit together, weights in the lowest memory serving
// the whole array that holds all of the network's weights. What follows replicates ZigZag 3.8.0's
// SearchInterLayerDataLocalityStage and ExploitInterLayerDataLocalityStage, quirks included.
#pragma once

#include "ir/Accelerator.hpp"
#include "ir/Workload.hpp"

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace stream {

/// One layer's operands as ZigZag's locality stages see them: the memory operand (the name the
/// core's memories store it under) of its activation, weight and output, and the highest memory
/// level (index into CoreType::memories) each may still use.
struct LocalityLevels {
    std::string activation; ///< for an element-wise layer (no constant operand): its first input
    std::string weight;     ///< the constant operand; the second input of an element-wise layer; empty if none
    std::string output;
    int activation_level = -1;
    int weight_level = -1; ///< the network's weight level; an element-wise layer's second input follows its first
    int output_level = -1;
};

class DataLocality {
public:
    /// `costed` are the layers ZigZag would cost (its non-dummy layers), in any order; the layer
    /// graph connects them through every other layer of `workload`, as ZigZag's
    /// get_copy_no_dummy does. `core` is the one core they all run on.
    DataLocality(const Workload& workload, const std::vector<const Layer*>& costed, const CoreType& core);

    /// The levels of a costed layer; an error for any other layer.
    const LocalityLevels& levels(std::int64_t layer_id) const;

    /// The memory level all weights stay in (the network-wide choice).
    int weight_level() const { return weight_level_; }

    /// Layers whose data no memory holds (ZigZag fails on them): they keep every level.
    const std::vector<std::string>& notes() const { return notes_; }

    /// `core` as the layer sees it: each of its operands dropped from the memories above its
    /// level, the port uses of dropped operands gone, memories left without operands removed.
    CoreType core_for(std::int64_t layer_id, const CoreType& core) const;

private:
    std::map<std::int64_t, LocalityLevels> levels_;
    int weight_level_ = -1;
    std::vector<std::string> notes_;
};

} // namespace stream
