#include "LayerView.hpp"

namespace stream::yaml_frontend {

LayerView::LayerView(const LayerSpec& spec, const char* source_file) {
    for (const LoopDim& d : spec.loop_dims) loop_dims_.push_back({sizeof(stream_loop_dim_v1), d.name.c_str(), d.size});

    // Reserved up front so that pointers into terms_ and axes_ stay valid.
    std::size_t term_total = 0, axis_total = 0;
    for (const Operand& o : spec.operands) {
        axis_total += o.axes.size();
        for (const TensorAxis& a : o.axes) term_total += a.terms.size();
    }
    terms_.reserve(term_total);
    axes_.reserve(axis_total);

    for (const Operand& o : spec.operands) {
        const std::size_t first_axis = axes_.size();
        for (const TensorAxis& a : o.axes) {
            const std::size_t first_term = terms_.size();
            for (const AffineTerm& t : a.terms) terms_.push_back({sizeof(stream_affine_term_v1), t.loop_dim, t.coefficient});
            axes_.push_back({sizeof(stream_tensor_axis_v1), a.terms.empty() ? nullptr : terms_.data() + first_term,
                             static_cast<std::uint32_t>(a.terms.size()), a.offset, a.extent});
        }
        stream_operand_v1 c{};
        c.struct_size = sizeof c;
        c.name = o.name.c_str();
        c.role = o.role;
        c.precision_bits = o.precision_bits;
        c.partial_precision_bits = o.partial_precision_bits;
        c.producer_layer = o.producer_layer;
        c.producer_output = 0;
        c.tensor_name = nullptr;
        c.axes = o.axes.empty() ? nullptr : axes_.data() + first_axis;
        c.axis_count = static_cast<std::uint32_t>(o.axes.size());
        operands_.push_back(c);
    }

    for (const Attribute& a : spec.attributes) {
        stream_attribute_v1 c{};
        c.struct_size = sizeof c;
        c.name = a.name.c_str();
        c.ints = a.ints.empty() ? nullptr : a.ints.data();
        c.int_count = static_cast<std::uint32_t>(a.ints.size());
        c.text = a.text ? a.text->c_str() : nullptr;
        attributes_.push_back(c);
    }

    layer_.struct_size = sizeof layer_;
    layer_.id = -1; // the host assigns ids
    layer_.name = spec.name.c_str();
    layer_.op_type = spec.op_type.c_str();
    layer_.layer_class = STREAM_LAYER_COMPUTE;
    layer_.loop_dims = loop_dims_.empty() ? nullptr : loop_dims_.data();
    layer_.loop_dim_count = static_cast<std::uint32_t>(loop_dims_.size());
    layer_.operands = operands_.empty() ? nullptr : operands_.data();
    layer_.operand_count = static_cast<std::uint32_t>(operands_.size());
    layer_.group_count = spec.group_count;
    layer_.attributes = attributes_.empty() ? nullptr : attributes_.data();
    layer_.attribute_count = static_cast<std::uint32_t>(attributes_.size());
    layer_.location.struct_size = sizeof layer_.location;
    layer_.location.file = source_file;
    layer_.location.line = spec.line;
    layer_.location.column = spec.column;
}

} // namespace stream::yaml_frontend
