#include "ir/Workload.hpp"

#include <fmt/format.h>

namespace stream {

std::int64_t Operand::elements() const {
    std::int64_t n = 1;
    for (const TensorAxis& a : axes) n *= a.extent;
    return n;
}

std::int64_t Layer::loop_iterations() const {
    if (layer_class != LayerClass::Compute) return 0;
    std::int64_t n = 1;
    for (const LoopDim& d : loop_dims) n *= d.size;
    return n;
}

const Operand* Layer::output() const {
    for (const Operand& o : operands)
        if (o.role == OperandRole::Output) return &o;
    return nullptr;
}

std::string Layer::label() const { return name.empty() ? fmt::format("layer {}", id) : fmt::format("layer {} '{}'", id, name); }

} // namespace stream
