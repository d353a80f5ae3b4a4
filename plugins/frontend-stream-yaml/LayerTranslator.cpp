#include "LayerTranslator.hpp"

#include "DimensionRelations.hpp"
#include "EquationParser.hpp"
#include "ParseError.hpp"

#include <algorithm>

namespace stream::yaml_frontend {

namespace {

constexpr std::int64_t max_precision_bits = 1024;

class Translator {
public:
    Translator(const YamlLayer& layer, const std::string& file, const TranslateOptions& options, const LayerIds& ids)
        : layer_(layer), file_(file), options_(options), ids_(ids) {}

    LayerSpec run() {
        spec_.name = layer_.name;
        spec_.op_type = layer_.operator_type;
        spec_.line = layer_.line;
        spec_.column = layer_.column;
        try {
            equation_ = parse_equation(layer_.equation);
            for (const std::string& text : layer_.dimension_relations) relations_.push_back(parse_relation(text));
        } catch (const ParseError& e) {
            fail(e.what());
        }
        read_loop_dims();
        check_relations();
        read_pr_dims();
        check_equation_indices();
        build_operands();
        spec_.group_count = group_count();
        spec_.attributes.push_back({"equation", {}, layer_.equation, {}});
        return std::move(spec_);
    }

private:
    [[noreturn]] void fail(const std::string& message) const { throw layer_error(file_, layer_, message); }

    void read_loop_dims() {
        if (layer_.loop_dims.size() != layer_.loop_sizes.size())
            fail("loop_dims names " + std::to_string(layer_.loop_dims.size()) + " dims but loop_sizes gives " +
                 std::to_string(layer_.loop_sizes.size()) + " sizes");
        for (std::size_t i = 0; i < layer_.loop_dims.size(); ++i) {
            const std::string name = upper(layer_.loop_dims[i]);
            if (name.empty()) fail("loop_dims has an empty name");
            if (spec_.find_dim(name)) fail("loop dim " + name + " is listed twice");
            if (layer_.loop_sizes[i] < 1) fail("loop dim " + name + " has size " + std::to_string(layer_.loop_sizes[i]) + "; sizes must be at least 1");
            spec_.loop_dims.push_back({name, layer_.loop_sizes[i]});
        }
    }

    const DimensionRelation* relation(const std::string& target) const {
        for (const DimensionRelation& r : relations_)
            if (r.target == target) return &r;
        return nullptr;
    }

    void check_relations() const {
        for (std::size_t i = 0; i < relations_.size(); ++i) {
            const DimensionRelation& r = relations_[i];
            const std::string& text = layer_.dimension_relations[i];
            if (spec_.find_dim(r.target)) fail("dimension relation '" + text + "' defines " + r.target + ", which is also a loop dim");
            if (relation(r.target) != &r) fail("index " + r.target + " is defined by two dimension relations");
            for (const RelationTerm& t : r.terms)
                if (!spec_.find_dim(t.dim)) fail("dimension relation '" + text + "' uses dim " + t.dim + ", which has no loop size in loop_dims/loop_sizes");
        }
    }

    void read_pr_dims() {
        std::vector<std::string> pr_dims;
        for (const std::string& d : layer_.pr_loop_dims) pr_dims.push_back(upper(d));
        if (layer_.padding && layer_.padding->size() != pr_dims.size())
            fail("padding has " + std::to_string(layer_.padding->size()) + " entries but pr_loop_dims names " + std::to_string(pr_dims.size()) +
                 " dims (padding is given per pr_loop_dims entry, as [begin, end])");
        if (layer_.pr_loop_sizes && layer_.pr_loop_sizes->size() != pr_dims.size())
            fail("pr_loop_sizes has " + std::to_string(layer_.pr_loop_sizes->size()) + " sizes but pr_loop_dims names " +
                 std::to_string(pr_dims.size()) + " dims");
        for (std::size_t i = 0; i < pr_dims.size(); ++i) {
            if (!relation(pr_dims[i])) fail("pr_loop_dims names " + pr_dims[i] + ", which no dimension relation defines");
            PrDim& pr = pr_dims_[pr_dims[i]];
            if (layer_.padding) {
                pr.pad_begin = (*layer_.padding)[i][0];
                pr.pad_end = (*layer_.padding)[i][1];
                if (pr.pad_begin < 0 || pr.pad_end < 0) fail("padding of " + pr_dims[i] + " is negative");
            }
            if (layer_.pr_loop_sizes) {
                pr.size = (*layer_.pr_loop_sizes)[i];
                if (*pr.size < 1) fail("pr_loop_sizes gives " + pr_dims[i] + " the size " + std::to_string(*pr.size));
            }
        }
    }

    void check_equation_indices() const {
        for (const EquationOperand* op : equation_.operands())
            for (const std::string& index : op->indices)
                if (!spec_.find_dim(index) && !relation(index))
                    fail("dim " + index + " of operand " + op->name + " in the equation has no size: it is neither in loop_dims (with loop_sizes) "
                         "nor defined by a dimension relation");
    }

    std::uint32_t bits(const std::string& key, std::optional<std::int64_t> value) const {
        const std::int64_t b = value.value_or(options_.default_precision_bits);
        if (b < 0 || b > max_precision_bits) fail("operand_precision of " + key + " is " + std::to_string(b) + "; expected 0 to 1024 bits");
        return static_cast<std::uint32_t>(b);
    }

    TensorAxis axis(const std::string& index) const {
        if (const std::optional<std::uint32_t> d = spec_.find_dim(index)) return TensorAxis{{AffineTerm{*d, 1}}, 0, spec_.loop_dims[*d].size};
        const DimensionRelation& r = *relation(index);
        TensorAxis a;
        std::vector<std::int64_t> sizes;
        for (const RelationTerm& t : r.terms) {
            const std::uint32_t d = *spec_.find_dim(t.dim);
            a.terms.push_back({d, t.coefficient});
            sizes.push_back(spec_.loop_dims[d].size);
        }
        PrDim pr;
        if (auto it = pr_dims_.find(index); it != pr_dims_.end()) pr = it->second;
        a.offset = -pr.pad_begin;
        if (pr.size) {
            a.extent = *pr.size;
        } else {
            // The positions the loops reach, less those that fall in the padding.
            std::int64_t span = 0;
            try {
                span = relation_span(r, sizes);
            } catch (const ParseError& e) {
                fail(e.what());
            }
            a.extent = span - pr.pad_begin - pr.pad_end;
            if (a.extent < 1)
                fail("index " + index + " spans " + std::to_string(span) + " positions, fewer than its padding " + std::to_string(pr.pad_begin) +
                     " + " + std::to_string(pr.pad_end) + " leaves room for");
        }
        return a;
    }

    std::vector<TensorAxis> axes(const EquationOperand& op) const {
        std::vector<TensorAxis> out;
        for (const std::string& index : op.indices) out.push_back(axis(index));
        return out;
    }

    bool is_constant_listed(const std::string& name) const {
        return std::find(layer_.constant_operands.begin(), layer_.constant_operands.end(), name) != layer_.constant_operands.end();
    }

    Operand input(const EquationOperand& op, const std::string& view_name) const {
        Operand o;
        o.name = view_name;
        o.precision_bits = bits(op.name, layer_.precision(op.name));
        o.axes = axes(op);
        const std::optional<std::int64_t> source = layer_.source(op.name);
        if (source && *source != layer_.id) {
            // Fed by another layer: it must have been added already.
            const auto it = ids_.added.find(*source);
            if (it == ids_.added.end()) {
                if (ids_.all.count(*source))
                    fail("operand_source of " + op.name + " is layer " + std::to_string(*source) +
                         ", which comes later in the file; a layer may only use layers listed before it");
                fail("operand_source of " + op.name + " is layer " + std::to_string(*source) + ", which is not in the workload");
            }
            o.role = STREAM_OPERAND_INPUT;
            o.producer_layer = it->second;
        } else {
            // Sourced from the layer itself (or not at all): a constant, except the
            // activation input I, which is then a graph input.
            const bool activation = (op.name == "I" || op.name == "I1" || op.name == "I2") && !is_constant_listed(op.name);
            o.role = activation ? STREAM_OPERAND_INPUT : STREAM_OPERAND_CONSTANT;
            o.producer_layer = -1;
        }
        return o;
    }

    void build_operands() {
        const bool elementwise = options_.rename_elementwise_inputs && equation_.combiner == '+' && equation_.inputs.size() == 2;
        std::vector<Operand> inputs;
        for (std::size_t i = 0; i < equation_.inputs.size(); ++i)
            inputs.push_back(input(equation_.inputs[i], elementwise ? std::string(i == 0 ? "I1" : "I2") : equation_.inputs[i].name));
        // The ONNX frontend's order: activation, then weight, then the rest, then the output.
        auto rank = [](const Operand& o) { return o.name == "I" || o.name == "I1" ? 0 : o.name == "W" || o.name == "I2" ? 1 : 2; };
        std::stable_sort(inputs.begin(), inputs.end(), [&](const Operand& a, const Operand& b) { return rank(a) < rank(b); });

        const EquationOperand& out = equation_.output;
        Operand o;
        o.name = out.name;
        o.role = STREAM_OPERAND_OUTPUT;
        o.precision_bits = bits(out.name + "_final", layer_.precision(out.name + "_final"));
        if (const std::optional<std::int64_t> partial = layer_.precision(out.name)) o.partial_precision_bits = bits(out.name, partial);
        else if (equation_.accumulates) o.partial_precision_bits = bits(out.name, 2 * std::int64_t{o.precision_bits});
        o.axes = axes(out);
        spec_.operands = std::move(inputs);
        spec_.operands.push_back(std::move(o));
    }

    /// Convolution groups: a G dim that indexes the output and every input of a MAC.
    std::int64_t group_count() const {
        const std::optional<std::uint32_t> g = spec_.find_dim("G");
        if (!g || equation_.combiner != '*' || equation_.inputs.size() < 2) return 1;
        for (const EquationOperand* op : equation_.operands())
            if (std::find(op->indices.begin(), op->indices.end(), "G") == op->indices.end()) return 1;
        return spec_.loop_dims[*g].size;
    }

    struct PrDim {
        std::int64_t pad_begin = 0;
        std::int64_t pad_end = 0;
        std::optional<std::int64_t> size;
    };

    const YamlLayer& layer_;
    const std::string& file_;
    const TranslateOptions& options_;
    const LayerIds& ids_;
    LayerSpec spec_;
    Equation equation_;
    std::vector<DimensionRelation> relations_;
    std::map<std::string, PrDim> pr_dims_;
};

} // namespace

LayerSpec translate_layer(const YamlLayer& layer, const std::string& file, const TranslateOptions& options, const LayerIds& ids) {
    return Translator(layer, file, options, ids).run();
}

} // namespace stream::yaml_frontend
