#include "stream_loop_names.hpp"

#include <set>

namespace stream::dataflow {

bool is_elementwise(const LoopNest& nest) {
    const Operand& out = nest.operands()[nest.output_operand()];
    if (out.axes.size() != nest.dims().size()) return false;
    std::set<std::size_t> seen;
    for (const TensorAxis& ax : out.axes) {
        if (ax.terms.size() != 1 || ax.terms[0].coefficient != 1) return false;
        seen.insert(ax.terms[0].dim);
    }
    return seen.size() == nest.dims().size();
}

LoopNest with_stream_loop_names(const LoopNest& nest) {
    const std::size_t rank = nest.dims().size();
    if (rank < 1 || rank > 4 || !is_elementwise(nest)) return nest;
    static const std::vector<std::vector<const char*>> names = {{"K"}, {"D", "K"}, {"B", "D", "K"}, {"B", "H", "D", "K"}};
    std::vector<LoopDim> dims = nest.dims();
    const Operand& out = nest.operands()[nest.output_operand()];
    for (std::size_t a = 0; a < rank; ++a) dims[out.axes[a].terms[0].dim].name = names[rank - 1][a];
    return LoopNest(std::move(dims), nest.operands());
}

} // namespace stream::dataflow
