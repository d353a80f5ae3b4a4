// An owning C++ description of one layer, built by the operator converters and
// turned into the ABI's stream_layer_v1 view (LayerView) only at the builder call.
#pragma once

#include <stream/plugin.h>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace stream::onnx_frontend {

struct LoopDim {
    std::string name;
    std::int64_t size = 1;
};

struct AffineTerm {
    std::uint32_t loop_dim = 0; ///< index into LayerSpec::loop_dims
    std::int64_t coefficient = 1;
};

/// One tensor axis as an affine function of the loop dims: Σ coefficient·dim + offset.
/// No terms means the axis does not move with the loops (a broadcast axis of extent 1,
/// or, for propagation layers, an axis the op's attributes describe).
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

/// ONNX attributes as the ABI carries them: integers as an array, strings as text.
/// Float attributes (alpha, epsilon, ...) are carried as their decimal text.
struct Attribute {
    std::string name;
    std::vector<std::int64_t> ints;
    std::optional<std::string> text;
};

struct LayerSpec {
    std::string name;
    std::string op_type;
    stream_layer_class layer_class = STREAM_LAYER_COMPUTE;
    std::vector<LoopDim> loop_dims;
    std::vector<Operand> operands;
    std::int64_t group_count = 1;
    std::vector<Attribute> attributes;

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
    /// Sets (adding or replacing) an integer attribute.
    void set_ints(const std::string& attr_name, std::vector<std::int64_t> values) {
        set_attribute({attr_name, std::move(values), std::nullopt});
    }
    /// Sets (adding or replacing) a text attribute.
    void set_text(const std::string& attr_name, std::string value) {
        set_attribute({attr_name, {}, std::move(value)});
    }
    void set_attribute(Attribute attribute) {
        for (Attribute& a : attributes)
            if (a.name == attribute.name) {
                a = std::move(attribute);
                return;
            }
        attributes.push_back(std::move(attribute));
    }
};

/// `prefix` followed by the decimal `index` ("D3"). Appending, rather than
/// "D" + std::to_string(i), also avoids GCC 12's false -Wrestrict warning at -O2.
inline std::string numbered(std::string prefix, std::size_t index) {
    prefix += std::to_string(index);
    return prefix;
}

/// An axis that follows loop dim `dim` one to one.
inline TensorAxis identity_axis(std::uint32_t dim, std::int64_t extent) {
    return TensorAxis{{AffineTerm{dim, 1}}, 0, extent};
}

} // namespace stream::onnx_frontend
