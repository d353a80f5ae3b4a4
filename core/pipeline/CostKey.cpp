#include "pipeline/CostKey.hpp"

#include <nlohmann/json.hpp>

namespace stream {

namespace {

nlohmann::json memory_json(const MemoryLevel& m) {
    nlohmann::json ports = nlohmann::json::array();
    for (const PortUse& u : m.port_uses) ports.push_back({u.operand, u.flow, u.port});
    return {m.name,          m.size_bits,     m.read_bw_bits_per_cycle, m.write_bw_bits_per_cycle,
            m.read_energy_pj, m.write_energy_pj, m.area_mm2,            m.leakage_mw,
            m.latency_cycles, m.min_read_bits, m.min_write_bits,        m.operands,
            m.served_dims,   m.read_ports,    m.write_ports,            m.read_write_ports,
            ports,           m.cost_source};
}

nlohmann::json core_json(const Core& core, const MemoryLevel* offchip) {
    const CoreType& t = *core.type;
    nlohmann::json dims = nlohmann::json::array(), memories = nlohmann::json::array(), dataflow = nlohmann::json::array();
    for (const ArrayDim& d : t.array_dims) dims.push_back({d.name, d.size});
    for (const MemoryLevel& m : t.memories) memories.push_back(memory_json(m));
    for (const SpatialUnrolling& u : t.dataflow) dataflow.push_back({u.array_dim, u.loop_dim, u.factor});
    return {t.name, core.is_offchip, dims, t.mac_energy_pj, t.mac_area_mm2, memories, dataflow,
            offchip ? memory_json(*offchip) : nlohmann::json(nullptr)};
}

nlohmann::json layer_json(const Layer& l) {
    nlohmann::json dims = nlohmann::json::array(), operands = nlohmann::json::array(), attributes = nlohmann::json::array();
    for (const LoopDim& d : l.loop_dims) dims.push_back({d.name, d.size});
    for (const Operand& op : l.operands) {
        nlohmann::json axes = nlohmann::json::array();
        for (const TensorAxis& a : op.axes) {
            nlohmann::json terms = nlohmann::json::array();
            for (const AffineTerm& t : a.terms) terms.push_back({t.loop_dim, t.coefficient});
            axes.push_back({terms, a.offset, a.extent});
        }
        operands.push_back({op.name, static_cast<int>(op.role), op.precision_bits, op.partial_precision_bits, op.producer_layer,
                            op.producer_output, op.tensor_name, axes});
    }
    for (const Attribute& a : l.attributes)
        attributes.push_back({a.name, a.ints, a.text ? nlohmann::json(*a.text) : nlohmann::json(nullptr), a.floats});
    return {l.id, l.name, l.op_type, static_cast<int>(l.layer_class), dims, operands, l.group_count, attributes};
}

} // namespace

std::string plugin_config_text(const PluginConfig& config) {
    std::string text;
    for (const auto& [key, value] : config.values()) text += key + " = " + to_toml_literal(value) + "\n";
    return text;
}

std::string cost_model_identity(const std::string& id, const std::string& version, const PluginConfig& config) {
    return nlohmann::json{id, version, config.compat(), plugin_config_text(config)}.dump();
}

std::string cost_key(const std::string& model, const std::string& core_config, const Core& core, const MemoryLevel* offchip,
                     const Layer& tile, const std::vector<std::pair<std::string, std::int64_t>>& received) {
    nlohmann::json bits = nlohmann::json::array();
    for (const auto& [operand, size_bits] : received) bits.push_back({operand, size_bits});
    // The format's version comes first: a change to what a key holds must not meet old entries.
    // 3: entries of 2 hold the DRAM's four-way bandwidth sum in both streaming directions.
    return nlohmann::json{"stream-dse cost key 3", model, core_config, core_json(core, offchip), layer_json(tile), bits}.dump();
}

} // namespace stream
