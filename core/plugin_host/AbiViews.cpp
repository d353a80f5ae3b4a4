#include "plugin_host/AbiViews.hpp"

#include <fmt/format.h>

namespace stream {

LayerView::LayerView(const Layer& layer) {
    for (const LoopDim& d : layer.loop_dims) dims_.push_back({sizeof(stream_loop_dim_v1), d.name.c_str(), d.size});
    for (const Operand& op : layer.operands) {
        std::vector<stream_tensor_axis_v1> axes;
        for (const TensorAxis& a : op.axes) {
            auto& terms = terms_.emplace_back();
            for (const AffineTerm& t : a.terms) terms.push_back({sizeof(stream_affine_term_v1), t.loop_dim, t.coefficient});
            axes.push_back({sizeof(stream_tensor_axis_v1), terms.empty() ? nullptr : terms.data(),
                            static_cast<std::uint32_t>(terms.size()), a.offset, a.extent});
        }
        axes_.push_back(std::move(axes));
    }
    // terms_ no longer grows, so the pointers taken above stay valid; axes_ likewise below.
    for (std::size_t i = 0; i < layer.operands.size(); ++i) {
        const Operand& op = layer.operands[i];
        stream_operand_v1 c{};
        c.struct_size = sizeof c;
        c.name = op.name.c_str();
        c.role = static_cast<stream_operand_role>(op.role);
        c.precision_bits = op.precision_bits;
        c.partial_precision_bits = op.partial_precision_bits;
        c.producer_layer = op.producer_layer;
        c.producer_output = op.producer_output;
        c.tensor_name = op.tensor_name.empty() ? nullptr : op.tensor_name.c_str();
        c.axes = axes_[i].empty() ? nullptr : axes_[i].data();
        c.axis_count = static_cast<std::uint32_t>(axes_[i].size());
        operands_.push_back(c);
    }
    for (const Attribute& a : layer.attributes)
        attributes_.push_back({sizeof(stream_attribute_v1), a.name.c_str(), a.ints.empty() ? nullptr : a.ints.data(),
                               static_cast<std::uint32_t>(a.ints.size()), a.text ? a.text->c_str() : nullptr,
                               a.floats.empty() ? nullptr : a.floats.data(), static_cast<std::uint32_t>(a.floats.size())});
    view_.struct_size = sizeof view_;
    view_.id = layer.id;
    view_.name = layer.name.c_str();
    view_.op_type = layer.op_type.c_str();
    view_.layer_class = static_cast<stream_layer_class>(layer.layer_class);
    view_.loop_dims = dims_.data();
    view_.loop_dim_count = static_cast<std::uint32_t>(dims_.size());
    view_.operands = operands_.data();
    view_.operand_count = static_cast<std::uint32_t>(operands_.size());
    view_.group_count = layer.group_count;
    view_.attributes = attributes_.data();
    view_.attribute_count = static_cast<std::uint32_t>(attributes_.size());
    view_.location = {sizeof(stream_source_location), layer.where.file.empty() ? nullptr : layer.where.file.c_str(),
                      layer.where.line, layer.where.column};
}

namespace {

std::string text(const char* s) { return s ? std::string{s} : std::string{}; }

template <class T>
void need_size(const T& s, std::size_t minimum, const std::string& what, const std::string& layer) {
    if (s.struct_size < minimum)
        throw Error(ErrorKind::Plugin, fmt::format("{}: {} struct_size {} is smaller than the ABI 1.0 struct ({} bytes)",
                                                   layer, what, s.struct_size, minimum));
}

[[noreturn]] void bad_layer(const std::string& layer, const std::string& message) {
    throw Error(ErrorKind::Plugin, fmt::format("{}: {}", layer, message));
}

} // namespace

Layer layer_from_c(const stream_layer_v1& c, std::int64_t next_id) {
    std::string label = fmt::format("layer {} '{}'", next_id, text(c.name));
    need_size(c, offsetof(stream_layer_v1, location) + sizeof(c.location), "stream_layer_v1", label);
    Layer l;
    l.id = next_id;
    l.name = text(c.name);
    l.op_type = text(c.op_type);
    if (c.layer_class != STREAM_LAYER_COMPUTE && c.layer_class != STREAM_LAYER_PROPAGATION)
        bad_layer(label, fmt::format("invalid layer_class {}", c.layer_class));
    l.layer_class = static_cast<LayerClass>(c.layer_class);
    if (c.loop_dim_count && !c.loop_dims) bad_layer(label, "loop_dim_count > 0 with no loop_dims array");
    for (std::uint32_t i = 0; i < c.loop_dim_count; ++i) {
        const auto& d = *STREAM_AT(stream_loop_dim_v1, c.loop_dims, i);
        need_size(d, sizeof(stream_loop_dim_v1), "stream_loop_dim_v1", label);
        if (!d.name || !*d.name) bad_layer(label, fmt::format("loop dimension #{} has no name", i));
        if (d.size < 1) bad_layer(label, fmt::format("loop dimension '{}' has size {} (must be >= 1)", d.name, d.size));
        l.loop_dims.push_back({d.name, d.size});
    }
    if (c.operand_count && !c.operands) bad_layer(label, "operand_count > 0 with no operands array");
    for (std::uint32_t i = 0; i < c.operand_count; ++i) {
        const auto& o = *STREAM_AT(stream_operand_v1, c.operands, i);
        need_size(o, offsetof(stream_operand_v1, axis_count) + sizeof(o.axis_count), "stream_operand_v1", label);
        Operand op;
        op.name = text(o.name);
        if (o.role < STREAM_OPERAND_INPUT || o.role > STREAM_OPERAND_OUTPUT)
            bad_layer(label, fmt::format("operand '{}' has invalid role {}", op.name, o.role));
        op.role = static_cast<OperandRole>(o.role);
        op.precision_bits = o.precision_bits;
        op.partial_precision_bits = o.partial_precision_bits;
        op.producer_layer = o.producer_layer;
        if (op.producer_layer >= next_id)
            bad_layer(label, fmt::format("operand '{}' names producer layer {}, which was not added before it",
                                         op.name, op.producer_layer));
        op.producer_output = o.producer_output;
        op.tensor_name = text(o.tensor_name);
        if (o.axis_count && !o.axes) bad_layer(label, fmt::format("operand '{}': axis_count > 0 with no axes", op.name));
        for (std::uint32_t a = 0; a < o.axis_count; ++a) {
            const auto& ax = *STREAM_AT(stream_tensor_axis_v1, o.axes, a);
            need_size(ax, sizeof(stream_tensor_axis_v1), "stream_tensor_axis_v1", label);
            TensorAxis axis;
            axis.offset = ax.offset;
            axis.extent = ax.extent;
            if (ax.term_count && !ax.terms) bad_layer(label, fmt::format("operand '{}' axis {}: no terms array", op.name, a));
            for (std::uint32_t t = 0; t < ax.term_count; ++t) {
                const auto& term = *STREAM_AT(stream_affine_term_v1, ax.terms, t);
                if (term.loop_dim >= l.loop_dims.size())
                    bad_layer(label, fmt::format("operand '{}' axis {} refers to loop dimension #{}, but the layer has {}",
                                                 op.name, a, term.loop_dim, l.loop_dims.size()));
                axis.terms.push_back({term.loop_dim, term.coefficient});
            }
            op.axes.push_back(std::move(axis));
        }
        l.operands.push_back(std::move(op));
    }
    l.group_count = c.group_count < 1 ? 1 : c.group_count;
    if (c.attribute_count && !c.attributes) bad_layer(label, "attribute_count > 0 with no attributes array");
    for (std::uint32_t i = 0; i < c.attribute_count; ++i) {
        const auto& a = *STREAM_AT(stream_attribute_v1, c.attributes, i);
        Attribute attr;
        attr.name = text(a.name);
        if (a.int_count && a.ints) attr.ints.assign(a.ints, a.ints + a.int_count);
        if (a.text) attr.text = a.text;
        if (a.struct_size >= offsetof(stream_attribute_v1, float_count) + sizeof(a.float_count) && a.float_count && a.floats)
            attr.floats.assign(a.floats, a.floats + a.float_count);
        l.attributes.push_back(std::move(attr));
    }
    if (c.location.file) l.where = {c.location.file, c.location.line, c.location.column};
    return l;
}

const MemoryLevel* offchip_memory(const Accelerator& acc) {
    if (acc.offchip_core < 0) return nullptr;
    const auto& mems = acc.cores.at(static_cast<std::size_t>(acc.offchip_core)).type->memories;
    return mems.empty() ? nullptr : &mems.back();
}

CoreView::CoreView(const Core& core, const stream_config_v1* model_config, const MemoryLevel* offchip) {
    const CoreType& t = *core.type;
    for (const ArrayDim& d : t.array_dims) dims_.push_back({sizeof(stream_array_dim_v1), d.name.c_str(), d.size});
    std::vector<const MemoryLevel*> levels;
    for (const MemoryLevel& m : t.memories) levels.push_back(&m);
    if (offchip) levels.push_back(offchip);
    for (const MemoryLevel* mp : levels) {
        const MemoryLevel& m = *mp;
        auto& ops = operand_names_.emplace_back();
        for (const auto& o : m.operands) ops.push_back(o.c_str());
        auto& served = served_dims_.emplace_back();
        for (const auto& s : m.served_dims) served.push_back(s.c_str());
        auto& uses = port_uses_.emplace_back();
        for (const PortUse& u : m.port_uses)
            uses.push_back({sizeof(stream_port_use_v1), u.operand.c_str(), u.flow.c_str(), u.port.c_str()});
    }
    for (std::size_t i = 0; i < levels.size(); ++i) {
        const MemoryLevel& m = *levels[i];
        stream_memory_level_v1 c{};
        c.struct_size = sizeof c;
        c.name = m.name.c_str();
        c.size_bits = m.size_bits;
        c.read_bw_bits_per_cycle = m.read_bw_bits_per_cycle;
        c.write_bw_bits_per_cycle = m.write_bw_bits_per_cycle;
        c.read_energy_pj = m.read_energy_pj;
        c.write_energy_pj = m.write_energy_pj;
        c.area_mm2 = m.area_mm2;
        c.leakage_mw = m.leakage_mw;
        c.latency_cycles = m.latency_cycles;
        c.min_read_bits = m.min_read_bits;
        c.min_write_bits = m.min_write_bits;
        c.operands = operand_names_[i].data();
        c.operand_count = static_cast<std::uint32_t>(operand_names_[i].size());
        c.served_dims = served_dims_[i].data();
        c.served_dim_count = static_cast<std::uint32_t>(served_dims_[i].size());
        c.read_ports = m.read_ports;
        c.write_ports = m.write_ports;
        c.read_write_ports = m.read_write_ports;
        c.port_uses = port_uses_[i].empty() ? nullptr : port_uses_[i].data();
        c.port_use_count = static_cast<std::uint32_t>(port_uses_[i].size());
        c.cost_source = m.cost_source.c_str();
        if (i < t.memories.size()) memories_.push_back(c);
        else offchip_ = c;
    }
    for (const SpatialUnrolling& u : t.dataflow)
        dataflow_.push_back({sizeof(stream_spatial_unrolling_v1), u.array_dim.c_str(), u.loop_dim.c_str(), u.factor});
    view_.struct_size = sizeof view_;
    view_.id = core.id;
    view_.name = t.name.c_str();
    view_.is_offchip = core.is_offchip ? 1 : 0;
    view_.array_dims = dims_.data();
    view_.array_dim_count = static_cast<std::uint32_t>(dims_.size());
    view_.mac_energy_pj = t.mac_energy_pj;
    view_.mac_area_mm2 = t.mac_area_mm2;
    view_.memories = memories_.data();
    view_.memory_count = static_cast<std::uint32_t>(memories_.size());
    view_.dataflow = dataflow_.data();
    view_.dataflow_count = static_cast<std::uint32_t>(dataflow_.size());
    view_.model_config = model_config;
    view_.top_memory_owner = core.top_memory_owner;
    view_.offchip_memory = offchip ? &offchip_ : nullptr;
}

stream_core_cost_v1 to_c(const CoreCost& c, std::vector<const char*>& names) {
    names.clear();
    for (const std::string& op : c.streamed_operands) names.push_back(op.c_str());
    stream_core_cost_v1 v{};
    v.struct_size = sizeof v;
    v.core = c.core;
    v.latency_cycles = c.latency_cycles;
    v.energy_pj = c.energy_pj;
    v.offchip_energy_pj = c.offchip_energy_pj;
    v.constant_bits = c.constant_bits;
    v.latency_no_offload_cycles = c.latency_no_offload_cycles;
    v.streamed_operands = names.empty() ? nullptr : names.data();
    v.streamed_operand_count = static_cast<std::uint32_t>(names.size());
    v.offchip_read_bw_bits_per_cycle = c.offchip_read_bw_bits_per_cycle;
    v.offchip_write_bw_bits_per_cycle = c.offchip_write_bw_bits_per_cycle;
    return v;
}

ProblemView::ProblemView(const Accelerator& acc, const std::vector<const stream_config_v1*>& core_model_configs,
                         const Workload& workload, const CnGraph& graph, std::string compat)
    : compat_(std::move(compat)) {
    for (const Core& core : acc.cores) {
        cores_.emplace_back(core, core_model_configs.at(static_cast<std::size_t>(core.id)), offchip_memory(acc));
        core_structs_.push_back(cores_.back().c());
    }
    for (const Link& l : acc.links)
        links_.push_back({sizeof(stream_link_v1), l.id, l.from_core, l.to_core, l.bandwidth_bits_per_cycle,
                          l.energy_pj_per_bit, l.latency_cycles, l.bidirectional ? 1 : 0,
                          l.bus_cores.empty() ? nullptr : l.bus_cores.data(),
                          static_cast<std::uint32_t>(l.bus_cores.size())});
    accelerator_ = {sizeof(stream_accelerator_v1), acc.name.c_str(), core_structs_.data(),
                    static_cast<std::uint32_t>(core_structs_.size()), acc.offchip_core, links_.data(),
                    static_cast<std::uint32_t>(links_.size())};
    for (const Layer& l : workload.layers) {
        layer_views_.emplace_back(l);
        layers_.push_back(layer_views_.back().c());
    }
    // Reserve first: the cost views point into these name arrays.
    std::size_t cost_count = 0;
    for (const AllocUnit& u : graph.units) cost_count += u.costs.size();
    for (const CnNode& n : graph.nodes) cost_count += n.costs.size();
    streamed_names_.reserve(cost_count);
    for (const AllocUnit& u : graph.units) {
        auto& costs = unit_costs_.emplace_back();
        for (const CoreCost& c : u.costs) costs.push_back(to_c(c, streamed_names_.emplace_back()));
    }
    for (std::size_t i = 0; i < graph.units.size(); ++i) {
        const AllocUnit& u = graph.units[i];
        units_.push_back({sizeof(stream_alloc_unit_v1), u.layer, u.group, u.nodes.data(),
                          static_cast<std::uint32_t>(u.nodes.size()), unit_costs_[i].data(),
                          static_cast<std::uint32_t>(unit_costs_[i].size()), u.fixed_core});
    }
    for (const CnNode& n : graph.nodes) {
        auto& costs = node_costs_.emplace_back();
        for (const CoreCost& c : n.costs) costs.push_back(to_c(c, streamed_names_.emplace_back()));
        auto& inputs = node_inputs_.emplace_back();
        for (const NodeInput& in : n.inputs)
            inputs.push_back({sizeof(stream_node_input_v1), in.tensor, in.operand.c_str()});
    }
    for (const Tensor& t : graph.tensors)
        tensors_.push_back({sizeof(stream_tensor_v1), t.id, static_cast<stream_tensor_kind>(t.kind), t.layer,
                            t.operand.c_str(), t.size_bits, t.producer_node});
    for (std::size_t i = 0; i < graph.nodes.size(); ++i) {
        const CnNode& n = graph.nodes[i];
        stream_node_v1 c{};
        c.struct_size = sizeof c;
        c.id = n.id;
        c.layer = n.layer;
        c.unit = n.unit;
        c.stack = n.stack;
        c.priority = n.priority;
        c.produces_final_output = n.produces_final_output ? 1 : 0;
        c.output_bits = n.output_bits;
        c.dram_input_bits = n.dram_input_bits;
        c.costs = node_costs_[i].data();
        c.cost_count = static_cast<std::uint32_t>(node_costs_[i].size());
        c.group = n.group;
        c.sub_id = n.sub_id;
        c.inputs = node_inputs_[i].empty() ? nullptr : node_inputs_[i].data();
        c.input_count = static_cast<std::uint32_t>(node_inputs_[i].size());
        c.output_tensor = n.output_tensor;
        nodes_.push_back(c);
    }
    for (const CnEdge& e : graph.edges) edges_.push_back({sizeof(stream_edge_v1), e.from_node, e.to_node, e.bits, e.tensor});
    problem_ = {sizeof(stream_problem_v1), &accelerator_, layers_.data(), static_cast<std::uint32_t>(layers_.size()),
                units_.data(), static_cast<std::uint32_t>(units_.size()), nodes_.data(),
                static_cast<std::uint32_t>(nodes_.size()), edges_.data(), static_cast<std::uint32_t>(edges_.size()),
                tensors_.empty() ? nullptr : tensors_.data(), static_cast<std::uint32_t>(tensors_.size()),
                compat_.c_str()};
}

Metrics metrics_from_c(const stream_metrics_v1& m) { return {m.latency_cycles, m.energy_pj, m.edp, m.peak_memory_bits}; }

Schedule schedule_from_c(const stream_schedule_v1& s) {
    Schedule out;
    out.metrics = metrics_from_c(s.metrics);
    for (std::uint32_t i = 0; i < s.node_count; ++i) {
        const auto& n = *STREAM_AT(stream_scheduled_node_v1, s.nodes, i);
        out.nodes.push_back({n.node, n.core, n.start_cycle, n.end_cycle});
    }
    for (std::uint32_t i = 0; i < s.transfer_count; ++i) {
        const auto& t = *STREAM_AT(stream_transfer_v1, s.transfers, i);
        Transfer tr;
        if (t.link_count && t.links) tr.links.assign(t.links, t.links + t.link_count);
        tr.start_cycle = t.start_cycle;
        tr.end_cycle = t.end_cycle;
        tr.bits = t.bits;
        tr.purpose = t.purpose;
        tr.node = t.node;
        tr.energy_pj = t.energy_pj;
        out.transfers.push_back(std::move(tr));
    }
    for (std::uint32_t i = 0; i < s.memory_sample_count; ++i) {
        const auto& m = *STREAM_AT(stream_memory_sample_v1, s.memory_samples, i);
        out.memory_samples.push_back({m.core, m.memory_level, m.cycle, m.bits});
    }
    for (std::uint32_t i = 0; i < s.energy_count; ++i) {
        const auto& e = *STREAM_AT(stream_energy_component_v1, s.energy, i);
        out.energy_pj_by_component.emplace_back(text(e.name), e.energy_pj);
    }
    return out;
}

} // namespace stream
