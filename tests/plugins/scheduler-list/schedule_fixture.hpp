// Small scheduling problems built in code, a fake host, and a deep copy of
// what the scheduler submits, for the list scheduler's tests.
#pragma once

#include <stream/plugin.h>

#include <algorithm>
#include <cstdint>
#include <string>
#include <vector>

extern "C" const stream_plugin_descriptor* stream_plugin_entry(const stream_host_info* host);

namespace list_test {

// An accelerator, nodes, edges and an allocation. Each node is its own unit;
// views are rebuilt by problem() so the vectors may grow freely before.
struct ProblemBuilder {
    std::vector<std::string> core_names;
    std::vector<stream_memory_level_v1> memories; // two levels, shared by every core
    std::vector<stream_core_v1> cores;
    std::vector<stream_link_v1> links;
    int64_t offchip_core = -1;
    struct Node {
        int64_t layer = 0;
        int64_t core = 0;
        int64_t priority = 0;
        double latency_cycles = 0;
        double energy_pj = 0;
        double offchip_energy_pj = 0;
        int64_t constant_bits = 0;
        int64_t output_bits = 0;
        int64_t dram_input_bits = 0;
        bool final_output = false;
    };
    std::vector<Node> nodes;
    std::vector<stream_edge_v1> edges;

    // Owned views, rebuilt by problem().
    stream_accelerator_v1 accelerator_view{};
    std::vector<std::vector<stream_core_cost_v1>> cost_views;
    std::vector<int64_t> node_ids;
    std::vector<stream_alloc_unit_v1> unit_views;
    std::vector<stream_node_v1> node_views;
    std::vector<int64_t> unit_core;
    stream_problem_v1 problem_view{};
    stream_allocation_v1 allocation_view{};

    int64_t add_core(const std::string& name, bool offchip = false) {
        core_names.push_back(name);
        if (offchip) offchip_core = static_cast<int64_t>(core_names.size()) - 1;
        return static_cast<int64_t>(core_names.size()) - 1;
    }
    int64_t add_link(int64_t from, int64_t to, double bw_bits_per_cycle, double energy_pj_per_bit,
                     double latency_cycles, bool bidirectional = true) {
        int64_t id = 100 + static_cast<int64_t>(links.size()); // ids differ from indices on purpose
        stream_link_v1 link{};
        link.struct_size = sizeof link;
        link.id = id;
        link.from_core = from;
        link.to_core = to;
        link.bandwidth_bits_per_cycle = bw_bits_per_cycle;
        link.energy_pj_per_bit = energy_pj_per_bit;
        link.latency_cycles = latency_cycles;
        link.bidirectional = bidirectional ? 1 : 0;
        links.push_back(link);
        return id;
    }
    // A bus joining `members`; they must outlive the problem view.
    int64_t add_bus(const std::vector<int64_t>& members, double bw_bits_per_cycle, double energy_pj_per_bit,
                    double latency_cycles) {
        int64_t id = add_link(-1, -1, bw_bits_per_cycle, energy_pj_per_bit, latency_cycles);
        links.back().bus_cores = members.data();
        links.back().bus_core_count = static_cast<uint32_t>(members.size());
        return id;
    }
    int64_t add_node(const Node& n) {
        nodes.push_back(n);
        return static_cast<int64_t>(nodes.size()) - 1;
    }
    void add_edge(int64_t from, int64_t to, int64_t bits) {
        edges.push_back({sizeof(stream_edge_v1), from, to, bits, -1});
    }

    const stream_problem_v1& problem() {
        memories.assign(2, stream_memory_level_v1{});
        for (auto& m : memories) m.struct_size = sizeof m;
        memories[0].name = "rf";
        memories[1].name = "sram";
        cores.clear();
        for (std::size_t c = 0; c < core_names.size(); ++c) {
            stream_core_v1 core{};
            core.struct_size = sizeof core;
            core.id = static_cast<int64_t>(c);
            core.name = core_names[c].c_str();
            core.is_offchip = static_cast<int64_t>(c) == offchip_core;
            core.memories = memories.data();
            core.memory_count = 2;
            cores.push_back(core);
        }
        accelerator_view = {sizeof accelerator_view, "test", cores.data(), static_cast<uint32_t>(cores.size()),
                            offchip_core, links.data(), static_cast<uint32_t>(links.size())};
        cost_views.clear();
        node_ids.clear();
        for (std::size_t n = 0; n < nodes.size(); ++n) node_ids.push_back(static_cast<int64_t>(n));
        for (const Node& n : nodes)
        {
            stream_core_cost_v1 c{};
            c.struct_size = sizeof c;
            c.core = n.core;
            c.latency_cycles = n.latency_cycles;
            c.energy_pj = n.energy_pj;
            c.offchip_energy_pj = n.offchip_energy_pj;
            c.constant_bits = n.constant_bits;
            cost_views.push_back({c});
        }
        unit_views.clear();
        node_views.clear();
        unit_core.clear();
        for (std::size_t n = 0; n < nodes.size(); ++n) {
            stream_alloc_unit_v1 u{};
            u.struct_size = sizeof u;
            u.layer = nodes[n].layer;
            u.nodes = &node_ids[n];
            u.node_count = 1;
            u.costs = cost_views[n].data();
            u.cost_count = 1;
            u.fixed_core = -1;
            unit_views.push_back(u);
            stream_node_v1 v{};
            v.struct_size = sizeof v;
            v.id = static_cast<int64_t>(n);
            v.layer = nodes[n].layer;
            v.unit = static_cast<int64_t>(n);
            v.priority = nodes[n].priority;
            v.produces_final_output = nodes[n].final_output ? 1 : 0;
            v.output_bits = nodes[n].output_bits;
            v.dram_input_bits = nodes[n].dram_input_bits;
            v.costs = cost_views[n].data();
            v.cost_count = 1;
            node_views.push_back(v);
            unit_core.push_back(nodes[n].core);
        }
        problem_view = {sizeof problem_view, &accelerator_view, nullptr, 0,
                        unit_views.data(), static_cast<uint32_t>(unit_views.size()),
                        node_views.data(), static_cast<uint32_t>(node_views.size()),
                        edges.data(), static_cast<uint32_t>(edges.size()), nullptr, 0, ""};
        allocation_view = {sizeof allocation_view, unit_core.data(), static_cast<uint32_t>(unit_core.size()), nullptr, 0};
        return problem_view;
    }
};

struct Transfer {
    std::vector<int64_t> links;
    double start_cycle, end_cycle;
    int64_t bits;
    stream_transfer_purpose purpose;
    int64_t node;
    double energy_pj;
};

// What a host keeps of a submitted schedule.
struct Schedule {
    stream_status status = STREAM_OK;
    int submissions = 0;
    stream_metrics_v1 metrics{};
    std::vector<stream_scheduled_node_v1> nodes;
    std::vector<Transfer> transfers;
    std::vector<stream_memory_sample_v1> samples;
    std::vector<std::pair<std::string, double>> energy;
    struct Reported {
        stream_item_kind kind = STREAM_ITEM_NONE;
        int64_t index = -1;
        std::string message;
    };
    std::vector<Reported> errors;

    double energy_of(const std::string& name) const {
        for (const auto& [n, pj] : energy)
            if (n == name) return pj;
        return -1;
    }
    std::vector<Transfer> of_purpose(stream_transfer_purpose p) const {
        std::vector<Transfer> out;
        std::copy_if(transfers.begin(), transfers.end(), std::back_inserter(out),
                     [&](const Transfer& t) { return t.purpose == p; });
        return out;
    }
};

inline Schedule run_schedule(ProblemBuilder& builder, bool metrics_only = false) {
    Schedule out;
    const stream_problem_v1& problem = builder.problem();
    stream_host_services_v1 host{};
    host.struct_size = sizeof host;
    host.ctx = &out;
    host.log = [](void*, stream_log_level, const char*) {};
    host.report_error = [](void* ctx, const stream_item* item, const char* message) {
        Schedule::Reported r;
        if (item) {
            r.kind = item->kind;
            r.index = item->index;
        }
        r.message = message;
        static_cast<Schedule*>(ctx)->errors.push_back(r);
    };
    host.progress = [](void*, double, double, const char*) -> int32_t { return 0; };
    host.is_cancelled = [](void*) -> int32_t { return 0; };
    host.config = nullptr;
    host.get_extension = [](void*, const char*) -> const void* { return nullptr; };

    stream_schedule_sink_v1 sink{};
    sink.struct_size = sizeof sink;
    sink.ctx = &out;
    sink.metrics_only = metrics_only ? 1 : 0;
    sink.submit = [](void* ctx, const stream_schedule_v1* s) {
        auto* self = static_cast<Schedule*>(ctx);
        ++self->submissions;
        self->metrics = s->metrics;
        self->nodes.assign(s->nodes, s->nodes + s->node_count);
        for (uint32_t t = 0; t < s->transfer_count; ++t) {
            const stream_transfer_v1& v = s->transfers[t];
            self->transfers.push_back({std::vector<int64_t>(v.links, v.links + v.link_count), v.start_cycle,
                                       v.end_cycle, v.bits, v.purpose, v.node, v.energy_pj});
        }
        self->samples.assign(s->memory_samples, s->memory_samples + s->memory_sample_count);
        for (uint32_t e = 0; e < s->energy_count; ++e) self->energy.emplace_back(s->energy[e].name, s->energy[e].energy_pj);
    };

    const auto& vtable = *static_cast<const stream_scheduler_v1*>(stream_plugin_entry(nullptr)->vtable);
    void* instance = nullptr;
    out.status = vtable.create(&host, &instance);
    if (out.status != STREAM_OK) return out;
    out.status = vtable.schedule(instance, &problem, &builder.allocation_view, &sink);
    vtable.destroy(instance);
    return out;
}

} // namespace list_test
