// Which tiles produce the data a tile reads (stream.md §3.5): the slice a
// consumer reads is mapped back through layout-only layers (reshape, transpose,
// concat, slice, ...) to the output tensors of computation layers, where an
// R-tree over the producers' output slices answers which tiles wrote it.
// Only tiles that finish their outputs (all reduction loops complete) are
// producers; the others feed their successors through the intra-layer chain.
#pragma once

#include "fusion/Box.hpp"
#include "ir/CnGraph.hpp"
#include "ir/Workload.hpp"

#include <memory>
#include <string>
#include <vector>

namespace stream {

class DependencyFinder {
public:
    /// `nodes_of_layer[l]` lists the nodes of compute layer l (node loop ranges set).
    DependencyFinder(const Workload& w, const CnGraph& g, const std::vector<std::vector<std::int64_t>>& nodes_of_layer);
    ~DependencyFinder();
    DependencyFinder(const DependencyFinder&) = delete;
    DependencyFinder& operator=(const DependencyFinder&) = delete;

    struct GraphInputSlice {
        std::string tensor; ///< the network input's tensor name
        Box box;
    };
    struct Sources {
        std::vector<std::int64_t> producer_nodes;
        std::vector<GraphInputSlice> graph_inputs;
        void clear() {
            producer_nodes.clear();
            graph_inputs.clear();
        }
    };

    /// Appends to `out` what feeds `box` of input operand `op` (of any layer).
    void sources(const Operand& op, const Box& box, Sources& out) const;

    /// Whether tile `node` completes its outputs (every output-irrelevant loop at its end).
    static bool finalises(const Layer& layer, const CnNode& node);

private:
    struct ProducerIndex;
    const ProducerIndex& index_of(std::int64_t layer, std::uint32_t output) const;
    void trace(std::int64_t producer, std::uint32_t output, const std::string& tensor, const Box& box, Sources& out,
               int depth) const;

    const Workload& w_;
    const CnGraph& g_;
    const std::vector<std::vector<std::int64_t>>& nodes_of_layer_;
    mutable std::vector<std::vector<std::unique_ptr<ProducerIndex>>> indices_; // [layer][output]
};

/// The k-th output operand of a layer (nullptr when it has fewer).
const Operand* output_operand(const Layer& layer, std::uint32_t k);

} // namespace stream
