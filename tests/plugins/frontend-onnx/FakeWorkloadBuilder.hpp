// A stream_workload_builder_v1 that copies every layer it is given into plain C++
// structs (as a host must: the views die when add_layer returns), plus helpers
// that run the frontend's conversion on ONNX text held in the test.
#pragma once

#include "ConversionOptions.hpp"
#include "OnnxModelReader.hpp"
#include "WorkloadConverter.hpp"

#include <stream/plugin.hpp>

#include <doctest/doctest.h>

#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

namespace stream::onnx_frontend::test {

struct CapturedAxis {
    std::vector<std::pair<std::string, std::int64_t>> terms; ///< (loop dim name, coefficient)
    std::int64_t offset = 0;
    std::int64_t extent = 0;
};

struct CapturedOperand {
    std::string name;
    stream_operand_role role = 0;
    std::uint32_t precision_bits = 0;
    std::uint32_t partial_precision_bits = 0;
    std::int64_t producer_layer = -1;
    std::uint32_t producer_output = 0;
    std::string tensor_name;
    std::vector<CapturedAxis> axes;

    std::vector<std::int64_t> extents() const {
        std::vector<std::int64_t> e;
        for (const auto& a : axes) e.push_back(a.extent);
        return e;
    }
};

struct CapturedLayer {
    std::int64_t id = -1;
    std::string name;
    std::string op_type;
    stream_layer_class layer_class = 0;
    std::vector<std::pair<std::string, std::int64_t>> loop_dims;
    std::vector<CapturedOperand> operands;
    std::int64_t group_count = 0;
    std::map<std::string, std::vector<std::int64_t>> int_attributes;
    std::map<std::string, std::string> text_attributes;
    std::string location_file;

    bool has_dim(const std::string& dim) const {
        for (const auto& [n, s] : loop_dims)
            if (n == dim) return true;
        return false;
    }
    std::int64_t dim(const std::string& dim_name) const {
        for (const auto& [n, s] : loop_dims)
            if (n == dim_name) return s;
        FAIL("layer " << name << " has no loop dim " << dim_name);
        return -1;
    }
    std::vector<std::string> dim_names() const {
        std::vector<std::string> names;
        for (const auto& [n, s] : loop_dims) names.push_back(n);
        return names;
    }
    const CapturedOperand& operand(const std::string& operand_name) const {
        for (const auto& o : operands)
            if (o.name == operand_name) return o;
        FAIL("layer " << name << " has no operand " << operand_name);
        return operands.front();
    }
    /// The product of the loop sizes, recomputed here from the copied view.
    std::int64_t loop_product() const {
        std::int64_t p = 1;
        for (const auto& [n, s] : loop_dims) p *= s;
        return p;
    }
};

class FakeWorkloadBuilder {
public:
    std::vector<CapturedLayer> layers;
    std::string network_name;
    /// When >= 0, add_layer fails with STREAM_ERROR_INVALID_INPUT at that call.
    int fail_at_call = -1;

    stream_workload_builder_v1 c_builder() {
        return stream_workload_builder_v1{sizeof(stream_workload_builder_v1), this, &add_layer, &set_name};
    }

private:
    static stream_status add_layer(void* ctx, const stream_layer_v1* layer, std::int64_t* id) {
        auto& self = *static_cast<FakeWorkloadBuilder*>(ctx);
        if (self.fail_at_call == static_cast<int>(self.layers.size())) return STREAM_ERROR_INVALID_INPUT;
        CapturedLayer c;
        c.id = static_cast<std::int64_t>(self.layers.size());
        c.name = std::string(sdk::str(layer->name));
        c.op_type = std::string(sdk::str(layer->op_type));
        c.layer_class = layer->layer_class;
        for (const auto& d : sdk::view(layer->loop_dims, layer->loop_dim_count)) c.loop_dims.emplace_back(std::string(sdk::str(d.name)), d.size);
        for (const auto& o : sdk::view(layer->operands, layer->operand_count)) {
            CapturedOperand co;
            co.name = std::string(sdk::str(o.name));
            co.role = o.role;
            co.precision_bits = o.precision_bits;
            co.partial_precision_bits = o.partial_precision_bits;
            co.producer_layer = o.producer_layer;
            co.producer_output = o.producer_output;
            co.tensor_name = std::string(sdk::str(o.tensor_name));
            for (const auto& a : sdk::view(o.axes, o.axis_count)) {
                CapturedAxis ca;
                for (const auto& t : sdk::view(a.terms, a.term_count)) {
                    REQUIRE(t.loop_dim < layer->loop_dim_count);
                    ca.terms.emplace_back(std::string(sdk::str(layer->loop_dims[t.loop_dim].name)), t.coefficient);
                }
                ca.offset = a.offset;
                ca.extent = a.extent;
                co.axes.push_back(ca);
            }
            c.operands.push_back(co);
        }
        c.group_count = layer->group_count;
        for (const auto& a : sdk::view(layer->attributes, layer->attribute_count)) {
            if (a.text) c.text_attributes[std::string(sdk::str(a.name))] = a.text;
            else c.int_attributes[std::string(sdk::str(a.name))] = std::vector<std::int64_t>(a.ints, a.ints + a.int_count);
        }
        c.location_file = std::string(sdk::str(layer->location.file));
        *id = c.id;
        self.layers.push_back(std::move(c));
        return STREAM_OK;
    }
    static void set_name(void* ctx, const char* name) { static_cast<FakeWorkloadBuilder*>(ctx)->network_name = std::string(sdk::str(name)); }
};

struct Converted {
    std::vector<CapturedLayer> layers;
    std::vector<LayerSpec> specs;
    std::vector<std::string> warnings;

    const CapturedLayer& layer(const std::string& name) const {
        for (const auto& l : layers)
            if (l.name == name) return l;
        FAIL("no layer named " << name);
        return layers.front();
    }
};

/// Parses, prepares and converts an inline ONNX text model, as read_onnx_model would.
inline Converted convert_text(const std::string& text, const ConversionOptions& options = {}) {
    ::onnx::ModelProto model = parse_onnx_text(text, "inline.onnxtxt");
    prepare_onnx_model(model, options, "inline.onnxtxt");
    FakeWorkloadBuilder builder;
    Converted out;
    out.specs = convert_model(model, options, "inline.onnxtxt", builder.c_builder(),
                              [&](const std::string& w) { out.warnings.push_back(w); });
    out.layers = std::move(builder.layers);
    return out;
}

/// The ONNX text header every inline model starts with.
inline std::string model_header(int opset = 17) {
    return "<\n  ir_version: 8,\n  opset_import: [\"\" : " + std::to_string(opset) + "]\n>\n";
}

/// Runs `f`, which must throw sdk::Error; returns it for the checks.
template <class F>
sdk::Error expect_error(F&& f) {
    try {
        f();
    } catch (const sdk::Error& e) {
        return e;
    }
    FAIL("expected an sdk::Error");
    return sdk::Error(STREAM_OK, "");
}

} // namespace stream::onnx_frontend::test
