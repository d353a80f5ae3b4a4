// Header-only helpers for frontend plugins: an owning C++ description of one
// layer (LayerDesc) and the ABI view of it (LayerView) to hand to
// stream_workload_builder_v1::add_layer. Every frontend builds layers the same
// way, so a layer means the same thing whichever file format it came from.
//
//   stream::sdk::LayerDesc conv;
//   conv.name = "conv1";
//   conv.op_type = "Conv";
//   std::uint32_t k = conv.add_dim("K", 64), ox = conv.add_dim("OX", 112), fx = conv.add_dim("FX", 7);
//   conv.operands.push_back({"O", STREAM_OPERAND_OUTPUT, 8, 16, -1, 0, "y", {{{{k, 1}}, 0, 64}, {{{ox, 1}}, 0, 112}}});
//   const stream::sdk::LayerView view(conv, path);
//   builder.add_layer(builder.ctx, &view.layer(), &id);
#ifndef STREAM_LAYER_HPP
#define STREAM_LAYER_HPP

#include "plugin.h"

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace stream::sdk {

struct LoopDim {
    std::string name;
    std::int64_t size = 1;
};

struct AffineTerm {
    std::uint32_t loop_dim = 0; ///< index into LayerDesc::loop_dims
    std::int64_t coefficient = 1;
};

/// One tensor axis as an affine function of the loop dims: Σ coefficient·dim + offset,
/// values outside [0, extent) being padding. No terms: the axis does not follow the
/// loops (a broadcast axis of extent 1, or the whole extent for layout-only layers).
struct TensorAxis {
    std::vector<AffineTerm> terms;
    std::int64_t offset = 0;
    std::int64_t extent = 1;
};

struct Operand {
    std::string name;
    stream_operand_role role = STREAM_OPERAND_INPUT;
    std::uint32_t precision_bits = 0;
    std::uint32_t partial_precision_bits = 0;
    std::int64_t producer_layer = -1;
    std::uint32_t producer_output = 0;
    std::string tensor_name;
    std::vector<TensorAxis> axes;
};

struct Attribute {
    std::string name;
    std::vector<std::int64_t> ints;
    std::optional<std::string> text;
    std::vector<double> floats;
};

struct LayerDesc {
    std::string name;
    std::string op_type;
    stream_layer_class layer_class = STREAM_LAYER_COMPUTE;
    std::vector<LoopDim> loop_dims;
    std::vector<Operand> operands;
    std::int64_t group_count = 1;
    std::vector<Attribute> attributes;
    std::uint32_t line = 0; ///< where the layer is in its file (1-based; 0 unknown)
    std::uint32_t column = 0;

    /// Appends a loop dim and returns its index, for use in AffineTerm.
    std::uint32_t add_dim(std::string dim_name, std::int64_t size) {
        loop_dims.push_back({std::move(dim_name), size});
        return static_cast<std::uint32_t>(loop_dims.size() - 1);
    }
    std::optional<std::uint32_t> find_dim(const std::string& dim_name) const {
        for (std::size_t i = 0; i < loop_dims.size(); ++i)
            if (loop_dims[i].name == dim_name) return static_cast<std::uint32_t>(i);
        return std::nullopt;
    }
    const Operand* find_operand(const std::string& operand_name) const {
        for (const Operand& o : operands)
            if (o.name == operand_name) return &o;
        return nullptr;
    }
    const Attribute* find_attribute(const std::string& attr_name) const {
        for (const Attribute& a : attributes)
            if (a.name == attr_name) return &a;
        return nullptr;
    }
    /// Adds or replaces an attribute.
    void set_attribute(Attribute attribute) {
        for (Attribute& a : attributes)
            if (a.name == attribute.name) {
                a = std::move(attribute);
                return;
            }
        attributes.push_back(std::move(attribute));
    }
    void set_ints(const std::string& attr_name, std::vector<std::int64_t> values) {
        set_attribute({attr_name, std::move(values), std::nullopt, {}});
    }
    void set_text(const std::string& attr_name, std::string value) {
        set_attribute({attr_name, {}, std::move(value), {}});
    }
};

/// The ABI view of a LayerDesc: flat arrays pointing into the description and into
/// storage this object owns, valid while both live (one add_layer call).
class LayerView {
public:
    /// `source_file` becomes the layer's location (with the description's line and
    /// column); it must outlive the view.
    LayerView(const LayerDesc& desc, const char* source_file) {
        for (const LoopDim& d : desc.loop_dims) loop_dims_.push_back({sizeof(stream_loop_dim_v1), d.name.c_str(), d.size});
        // Reserved up front so that the pointers taken below stay valid.
        std::size_t term_total = 0, axis_total = 0;
        for (const Operand& o : desc.operands) {
            axis_total += o.axes.size();
            for (const TensorAxis& a : o.axes) term_total += a.terms.size();
        }
        terms_.reserve(term_total);
        axes_.reserve(axis_total);
        for (const Operand& o : desc.operands) {
            const std::size_t first_axis = axes_.size();
            for (const TensorAxis& a : o.axes) {
                const std::size_t first_term = terms_.size();
                for (const AffineTerm& t : a.terms)
                    terms_.push_back({sizeof(stream_affine_term_v1), t.loop_dim, t.coefficient});
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
            c.producer_output = o.producer_output;
            c.tensor_name = o.tensor_name.empty() ? nullptr : o.tensor_name.c_str();
            c.axes = o.axes.empty() ? nullptr : axes_.data() + first_axis;
            c.axis_count = static_cast<std::uint32_t>(o.axes.size());
            operands_.push_back(c);
        }
        for (const Attribute& a : desc.attributes) {
            stream_attribute_v1 c{};
            c.struct_size = sizeof c;
            c.name = a.name.c_str();
            c.ints = a.ints.empty() ? nullptr : a.ints.data();
            c.int_count = static_cast<std::uint32_t>(a.ints.size());
            c.text = a.text ? a.text->c_str() : nullptr;
            c.floats = a.floats.empty() ? nullptr : a.floats.data();
            c.float_count = static_cast<std::uint32_t>(a.floats.size());
            attributes_.push_back(c);
        }
        layer_.struct_size = sizeof layer_;
        layer_.id = -1; // the host assigns ids
        layer_.name = desc.name.c_str();
        layer_.op_type = desc.op_type.c_str();
        layer_.layer_class = desc.layer_class;
        layer_.loop_dims = loop_dims_.empty() ? nullptr : loop_dims_.data();
        layer_.loop_dim_count = static_cast<std::uint32_t>(loop_dims_.size());
        layer_.operands = operands_.empty() ? nullptr : operands_.data();
        layer_.operand_count = static_cast<std::uint32_t>(operands_.size());
        layer_.group_count = desc.group_count;
        layer_.attributes = attributes_.empty() ? nullptr : attributes_.data();
        layer_.attribute_count = static_cast<std::uint32_t>(attributes_.size());
        layer_.location.struct_size = sizeof layer_.location;
        layer_.location.file = source_file;
        layer_.location.line = desc.line;
        layer_.location.column = desc.column;
    }
    LayerView(const LayerView&) = delete;
    LayerView& operator=(const LayerView&) = delete;

    const stream_layer_v1& layer() const { return layer_; }

private:
    std::vector<stream_loop_dim_v1> loop_dims_;
    std::vector<stream_affine_term_v1> terms_;
    std::vector<stream_tensor_axis_v1> axes_;
    std::vector<stream_operand_v1> operands_;
    std::vector<stream_attribute_v1> attributes_;
    stream_layer_v1 layer_{};
};

} // namespace stream::sdk

#endif // STREAM_LAYER_HPP
