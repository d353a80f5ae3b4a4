#include "report/WorkloadReport.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <array>
#include <iterator>

namespace stream {

namespace {

// Stream's YAML workloads qualify op types ("Conv_downsample", "Conv_pointwise"), so a
// qualified name counts as its base operator.
bool is_mac_op(const std::string& op) {
    static const std::array<std::string, 4> kMacOps = {"Conv", "ConvTranspose", "Gemm", "MatMul"};
    for (const auto& m : kMacOps)
        if (op == m || op.rfind(m + "_", 0) == 0) return true;
    return false;
}

const char* role_name(OperandRole r) {
    switch (r) {
    case OperandRole::Input: return "input";
    case OperandRole::Constant: return "constant";
    default: return "output";
    }
}

std::string loop_text(const Layer& l) {
    std::vector<std::string> parts;
    for (const LoopDim& d : l.loop_dims) parts.push_back(fmt::format("{}={}", d.name, d.size));
    return fmt::format("{}", fmt::join(parts, " "));
}

} // namespace

std::int64_t layer_macs(const Layer& layer) { return is_mac_op(layer.op_type) ? layer.loop_iterations() : 0; }

std::int64_t layer_other_ops(const Layer& layer) { return is_mac_op(layer.op_type) ? 0 : layer.loop_iterations(); }

nlohmann::json workload_json(const Workload& w) {
    using nlohmann::json;
    json layers = json::array();
    std::int64_t macs = 0, other = 0;
    for (const Layer& l : w.layers) {
        json sizes = json::object();
        for (const LoopDim& d : l.loop_dims) sizes[d.name] = d.size;
        json operands = json::array();
        for (const Operand& o : l.operands)
            operands.push_back({{"name", o.name},
                                {"role", role_name(o.role)},
                                {"precision_bits", o.precision_bits},
                                {"size_bits", o.size_bits()},
                                {"producer", o.producer_layer}});
        layers.push_back({{"id", l.id},
                          {"name", l.name},
                          {"op", l.op_type},
                          {"class", l.layer_class == LayerClass::Compute ? "compute" : "propagation"},
                          {"loop_sizes", sizes},
                          {"macs", layer_macs(l)},
                          {"other_ops", layer_other_ops(l)},
                          {"groups", l.group_count},
                          {"operands", operands}});
        macs += layer_macs(l);
        other += layer_other_ops(l);
    }
    return {{"name", w.name}, {"file", w.where.file}, {"n_layers", w.layers.size()}, {"total_macs", macs},
            {"total_other_ops", other}, {"layers", layers}};
}

std::string workload_table(const Workload& w) {
    std::string s;
    auto out = std::back_inserter(s);
    fmt::format_to(out, "{}: {} layers ({})\n\n", w.name, w.layers.size(), w.where.file);
    fmt::format_to(out, "{:>4}  {:<24} {:<18} {:>14}  {:<44} {}\n", "id", "name", "op", "MACs", "loop dims",
                   "operands (bits, producer)");
    std::int64_t macs = 0, other = 0;
    for (const Layer& l : w.layers) {
        std::vector<std::string> ops;
        for (const Operand& o : l.operands) {
            std::string p = o.producer_layer >= 0 ? fmt::format(" <- {}", o.producer_layer) : "";
            ops.push_back(fmt::format("{} {}{}", o.name, o.size_bits(), p));
        }
        std::string op = l.layer_class == LayerClass::Compute ? l.op_type : l.op_type + " (layout)";
        fmt::format_to(out, "{:>4}  {:<24} {:<18} {:>14}  {:<44} {}\n", l.id, l.name.substr(0, 24), op.substr(0, 18),
                       layer_macs(l), loop_text(l), fmt::join(ops, ", "));
        macs += layer_macs(l);
        other += layer_other_ops(l);
    }
    fmt::format_to(out, "\ntotal MACs (Conv, ConvTranspose, Gemm, MatMul): {}\n", macs);
    fmt::format_to(out, "other operations (element-wise, pooling, normalisation): {}\n", other);
    return s;
}

} // namespace stream
