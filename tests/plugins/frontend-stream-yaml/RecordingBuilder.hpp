// A stream_workload_builder_v1 that deep-copies every layer it is given (the views
// die when add_layer returns, as for a real host) and hands out ids 10, 11, ... so
// that tests see the translation from the file's ids to the builder's.
#pragma once

#include "WorkloadLoader.hpp"

#include <stream/plugin.hpp>

#include <doctest/doctest.h>

#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

namespace stream::yaml_frontend::test {

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
    std::vector<CapturedAxis> axes;
};

struct CapturedLayer {
    std::int64_t id = -1;
    std::string name;
    std::string op_type;
    stream_layer_class layer_class = 0;
    std::vector<std::pair<std::string, std::int64_t>> loop_dims;
    std::vector<CapturedOperand> operands;
    std::int64_t group_count = 0;
    std::map<std::string, std::string> text_attributes;
    std::string file;
    std::uint32_t line = 0;

    std::int64_t dim(const std::string& dim_name) const {
        for (const auto& [n, s] : loop_dims)
            if (n == dim_name) return s;
        FAIL("layer " << name << " has no loop dim " << dim_name);
        return -1;
    }
    const CapturedOperand& operand(const std::string& operand_name) const {
        for (const auto& o : operands)
            if (o.name == operand_name) return o;
        FAIL("layer " << name << " has no operand " << operand_name);
        return operands.front();
    }
    std::vector<std::string> operand_names() const {
        std::vector<std::string> names;
        for (const auto& o : operands) names.push_back(o.name);
        return names;
    }
    std::int64_t loop_product() const {
        std::int64_t p = 1;
        for (const auto& [n, s] : loop_dims) p *= s;
        return p;
    }
};

class RecordingBuilder {
public:
    RecordingBuilder() : builder_{sizeof(stream_workload_builder_v1), this, &add, &set_name} {}
    RecordingBuilder(const RecordingBuilder&) = delete;
    RecordingBuilder& operator=(const RecordingBuilder&) = delete;

    const stream_workload_builder_v1& builder() const { return builder_; }
    std::vector<CapturedLayer> layers;
    std::string network_name;
    static constexpr std::int64_t first_id = 10;

    const CapturedLayer& layer(const std::string& name) const {
        for (const auto& l : layers)
            if (l.name == name) return l;
        FAIL("no layer " << name);
        return layers.front();
    }

private:
    static stream_status add(void* ctx, const stream_layer_v1* l, std::int64_t* id) {
        auto* self = static_cast<RecordingBuilder*>(ctx);
        CapturedLayer c;
        c.id = first_id + static_cast<std::int64_t>(self->layers.size());
        c.name = sdk::str(l->name);
        c.op_type = sdk::str(l->op_type);
        c.layer_class = l->layer_class;
        for (std::uint32_t i = 0; i < l->loop_dim_count; ++i) {
            const auto* d = STREAM_AT(stream_loop_dim_v1, l->loop_dims, i);
            c.loop_dims.emplace_back(sdk::str(d->name), d->size);
        }
        for (std::uint32_t i = 0; i < l->operand_count; ++i) {
            const auto* o = STREAM_AT(stream_operand_v1, l->operands, i);
            CapturedOperand co{std::string(sdk::str(o->name)), o->role, o->precision_bits, o->partial_precision_bits, o->producer_layer, {}};
            for (std::uint32_t a = 0; a < o->axis_count; ++a) {
                const auto* ax = STREAM_AT(stream_tensor_axis_v1, o->axes, a);
                CapturedAxis ca;
                for (std::uint32_t t = 0; t < ax->term_count; ++t) {
                    const auto* term = STREAM_AT(stream_affine_term_v1, ax->terms, t);
                    REQUIRE(term->loop_dim < l->loop_dim_count);
                    ca.terms.emplace_back(c.loop_dims[term->loop_dim].first, term->coefficient);
                }
                ca.offset = ax->offset;
                ca.extent = ax->extent;
                co.axes.push_back(std::move(ca));
            }
            c.operands.push_back(std::move(co));
        }
        c.group_count = l->group_count;
        for (std::uint32_t i = 0; i < l->attribute_count; ++i) {
            const auto* a = STREAM_AT(stream_attribute_v1, l->attributes, i);
            if (a->text) c.text_attributes[std::string(sdk::str(a->name))] = a->text;
        }
        c.file = sdk::str(l->location.file);
        c.line = l->location.line;
        // Producers must name layers already added (the host's rule).
        for (const auto& o : c.operands)
            if (o.producer_layer != -1) REQUIRE((o.producer_layer >= first_id && o.producer_layer < c.id));
        *id = c.id;
        self->layers.push_back(std::move(c));
        return STREAM_OK;
    }
    static void set_name(void* ctx, const char* name) { static_cast<RecordingBuilder*>(ctx)->network_name = sdk::str(name); }

    stream_workload_builder_v1 builder_;
};

/// The terms of an axis as (dim, coefficient) pairs, for CHECKs.
using Terms = std::vector<std::pair<std::string, std::int64_t>>;

} // namespace stream::yaml_frontend::test
