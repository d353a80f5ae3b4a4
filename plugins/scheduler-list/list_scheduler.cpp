#include "list_scheduler.hpp"

#include "link_occupancy.hpp"
#include "memory_timeline.hpp"
#include "route_table.hpp"

#include <algorithm>
#include <functional>
#include <map>
#include <queue>
#include <string>
#include <utility>
#include <vector>

namespace stream::plugins {

namespace {

std::string describe_core(const stream_accelerator_v1& accelerator, int64_t core) {
    std::string text = "core " + std::to_string(core);
    if (core >= 0 && core < static_cast<int64_t>(accelerator.core_count) && accelerator.cores[core].name)
        text += std::string(" '") + accelerator.cores[core].name + "'";
    return text;
}

sdk::Item node_item(int64_t node) { return {STREAM_ITEM_NODE, node, {}, {}, 0, 0}; }

// Weights of one layer kept on one core: fetched once, held from the first
// node's start until the last node's end.
struct ResidentWeights {
    int64_t bits = 0;
    double from_cycle = 0.0;
    double until_cycle = 0.0;
};

// Everything one call works on; lives for the call only.
class Run {
public:
    Run(const stream_problem_v1& problem, const stream_allocation_v1& allocation, bool metrics_only)
        : problem_(problem), allocation_(allocation), accelerator_(*problem.accelerator), metrics_only_(metrics_only),
          routes_(accelerator_), links_(accelerator_.link_count) {}

    sdk::ScheduleResult execute(const sdk::Host& host);

private:
    void resolve_cores_and_costs();
    void index_edges();
    void schedule_node(int64_t node);
    // Moves `bits` from `from_core` to `to_core` once ready; returns when they arrive.
    LinkReservation transfer(int64_t from_core, int64_t to_core, double ready_cycle, int64_t bits,
                             stream_transfer_purpose purpose, int64_t node);
    sdk::ScheduleResult finish();

    const stream_problem_v1& problem_;
    const stream_allocation_v1& allocation_;
    const stream_accelerator_v1& accelerator_;
    bool metrics_only_;
    RouteTable routes_;
    LinkOccupancy links_;
    MemoryTimeline memory_;

    std::vector<int64_t> node_core_;
    std::vector<const stream_core_cost_v1*> node_cost_;
    std::vector<std::vector<std::size_t>> in_edges_;
    std::vector<std::vector<std::size_t>> out_edges_;
    std::vector<double> core_free_at_cycle_;
    std::vector<double> start_cycle_;
    std::vector<double> end_cycle_;
    // Until when a node's output stays in its core's memory: its last consumer's
    // transfer start (or start, on the same core) or its write-back's end.
    std::vector<double> output_release_cycle_;
    std::map<std::pair<int64_t, int64_t>, ResidentWeights> weights_; // (layer, core)
    std::vector<int64_t> schedule_order_;

    double latency_cycles_ = 0.0;
    double compute_energy_pj_ = 0.0;
    double offchip_streaming_energy_pj_ = 0.0;
    double core_to_core_link_energy_pj_ = 0.0;
    double offchip_link_energy_pj_ = 0.0;
    sdk::ScheduleResult result_;
};

void Run::resolve_cores_and_costs() {
    if (allocation_.unit_count != problem_.unit_count)
        throw sdk::Error(STREAM_ERROR_INVALID_INPUT, "the allocation has " + std::to_string(allocation_.unit_count) +
                                                         " units, the problem " + std::to_string(problem_.unit_count));
    if (accelerator_.offchip_core >= static_cast<int64_t>(accelerator_.core_count))
        throw sdk::Error(STREAM_ERROR_INVALID_INPUT, "the off-chip core " + std::to_string(accelerator_.offchip_core) +
                                                         " is not among the " +
                                                         std::to_string(accelerator_.core_count) + " cores");
    node_core_.resize(problem_.node_count);
    node_cost_.resize(problem_.node_count);
    for (uint32_t n = 0; n < problem_.node_count; ++n) {
        const stream_node_v1& node = problem_.nodes[n];
        if (node.id != static_cast<int64_t>(n))
            throw sdk::Error(STREAM_ERROR_INVALID_INPUT,
                             "node at index " + std::to_string(n) + " has id " + std::to_string(node.id) +
                                 "; nodes must be indexed by id",
                             node_item(node.id));
        if (node.unit < 0 || node.unit >= static_cast<int64_t>(problem_.unit_count))
            throw sdk::Error(STREAM_ERROR_INVALID_INPUT,
                             "node " + std::to_string(n) + " belongs to unit " + std::to_string(node.unit) +
                                 " of " + std::to_string(problem_.unit_count),
                             node_item(node.id));
        int64_t core = allocation_.unit_core[node.unit];
        node_core_[n] = core;
        for (const stream_core_cost_v1& cost : sdk::view(node.costs, node.cost_count))
            if (cost.core == core) node_cost_[n] = &cost;
        if (!node_cost_[n] || core < 0 || core >= static_cast<int64_t>(accelerator_.core_count))
            throw sdk::Error(STREAM_ERROR_INVALID_INPUT,
                             "node " + std::to_string(n) + " of layer " + std::to_string(node.layer) +
                                 " has no cost on " + describe_core(accelerator_, core) +
                                 ", the core its unit is allocated to",
                             node_item(node.id));
    }
}

void Run::index_edges() {
    in_edges_.resize(problem_.node_count);
    out_edges_.resize(problem_.node_count);
    for (std::size_t e = 0; e < problem_.edge_count; ++e) {
        const stream_edge_v1& edge = problem_.edges[e];
        auto valid = [&](int64_t n) { return n >= 0 && n < static_cast<int64_t>(problem_.node_count); };
        if (!valid(edge.from_node) || !valid(edge.to_node))
            throw sdk::Error(STREAM_ERROR_INVALID_INPUT, "edge " + std::to_string(e) + " connects node " +
                                                             std::to_string(edge.from_node) + " to node " +
                                                             std::to_string(edge.to_node) + ", which do not exist");
        out_edges_[edge.from_node].push_back(e);
        in_edges_[edge.to_node].push_back(e);
    }
}

LinkReservation Run::transfer(int64_t from_core, int64_t to_core, double ready_cycle, int64_t bits,
                              stream_transfer_purpose purpose, int64_t node) {
    const Route* route = routes_.find(from_core, to_core);
    if (!route)
        throw sdk::Error(STREAM_ERROR_INFEASIBLE,
                         "no route from " + describe_core(accelerator_, from_core) + " to " +
                             describe_core(accelerator_, to_core) + " for node " + std::to_string(node),
                         sdk::Item::core(from_core, std::string(sdk::str(accelerator_.cores[from_core].name))));
    LinkReservation r = links_.reserve(*route, ready_cycle, bits);
    latency_cycles_ = std::max(latency_cycles_, r.end_cycle);
    (purpose == STREAM_TRANSFER_CORE_TO_CORE ? core_to_core_link_energy_pj_ : offchip_link_energy_pj_) += r.energy_pj;
    if (!metrics_only_) {
        result_.transfers.push_back({sizeof(stream_transfer_v1), nullptr, 0, r.start_cycle, r.end_cycle, bits, purpose,
                                     node, r.energy_pj});
        std::vector<int64_t>& ids = result_.transfer_links.emplace_back();
        for (std::size_t l : route->links) ids.push_back(accelerator_.links[l].id);
    }
    return r;
}

void Run::schedule_node(int64_t n) {
    const stream_node_v1& node = problem_.nodes[n];
    const stream_core_cost_v1& cost = *node_cost_[n];
    const int64_t core = node_core_[n];
    const int64_t offchip = accelerator_.offchip_core;
    double inputs_ready_cycle = 0.0;
    std::vector<int64_t> same_core_producers;

    for (std::size_t e : in_edges_[n]) {
        const stream_edge_v1& edge = problem_.edges[e];
        const int64_t producer = edge.from_node;
        if (node_core_[producer] == core || edge.bits <= 0) {
            // Same core, or nothing to move: only the dependency remains.
            inputs_ready_cycle = std::max(inputs_ready_cycle, end_cycle_[producer]);
            same_core_producers.push_back(producer);
            continue;
        }
        LinkReservation r = transfer(node_core_[producer], core, end_cycle_[producer], edge.bits,
                                     STREAM_TRANSFER_CORE_TO_CORE, n);
        output_release_cycle_[producer] = std::max(output_release_cycle_[producer], r.start_cycle);
        inputs_ready_cycle = std::max(inputs_ready_cycle, r.end_cycle);
    }
    if (offchip >= 0 && offchip != core) {
        if (node.dram_input_bits > 0) {
            LinkReservation r = transfer(offchip, core, 0.0, node.dram_input_bits, STREAM_TRANSFER_INPUT_FETCH, n);
            inputs_ready_cycle = std::max(inputs_ready_cycle, r.end_cycle);
        }
        if (cost.constant_bits > 0 && !weights_.contains({node.layer, core})) {
            LinkReservation r = transfer(offchip, core, 0.0, cost.constant_bits, STREAM_TRANSFER_INPUT_FETCH, n);
            inputs_ready_cycle = std::max(inputs_ready_cycle, r.end_cycle);
        }
    }

    const double start = std::max(core_free_at_cycle_[core], inputs_ready_cycle);
    const double end = start + cost.latency_cycles;
    core_free_at_cycle_[core] = end;
    start_cycle_[n] = start;
    end_cycle_[n] = end;
    output_release_cycle_[n] = end;
    latency_cycles_ = std::max(latency_cycles_, end);
    for (int64_t producer : same_core_producers)
        output_release_cycle_[producer] = std::max(output_release_cycle_[producer], start);

    if (cost.constant_bits > 0) {
        auto [it, first] = weights_.try_emplace({node.layer, core}, ResidentWeights{cost.constant_bits, start, end});
        if (!first) {
            it->second.bits = std::max(it->second.bits, cost.constant_bits);
            it->second.until_cycle = std::max(it->second.until_cycle, end);
        }
    }
    if (node.produces_final_output && node.output_bits > 0 && offchip >= 0 && offchip != core) {
        LinkReservation r = transfer(core, offchip, end, node.output_bits, STREAM_TRANSFER_FINAL_OUTPUT, n);
        output_release_cycle_[n] = std::max(output_release_cycle_[n], r.end_cycle);
    }

    compute_energy_pj_ += cost.energy_pj - cost.offchip_energy_pj;
    offchip_streaming_energy_pj_ += cost.offchip_energy_pj;
    schedule_order_.push_back(n);
}

sdk::ScheduleResult Run::execute(const sdk::Host& host) {
    resolve_cores_and_costs();
    index_edges();
    const std::size_t node_count = problem_.node_count;
    core_free_at_cycle_.assign(accelerator_.core_count, 0.0);
    start_cycle_.assign(node_count, 0.0);
    end_cycle_.assign(node_count, 0.0);
    output_release_cycle_.assign(node_count, 0.0);
    schedule_order_.reserve(node_count);

    std::vector<std::size_t> unscheduled_inputs(node_count);
    using Key = std::pair<int64_t, int64_t>; // (priority, id)
    std::priority_queue<Key, std::vector<Key>, std::greater<>> ready;
    for (std::size_t n = 0; n < node_count; ++n) {
        unscheduled_inputs[n] = in_edges_[n].size();
        if (unscheduled_inputs[n] == 0) ready.push({problem_.nodes[n].priority, static_cast<int64_t>(n)});
    }
    while (!ready.empty()) {
        const int64_t n = ready.top().second;
        ready.pop();
        schedule_node(n);
        for (std::size_t e : out_edges_[n]) {
            const int64_t consumer = problem_.edges[e].to_node;
            if (--unscheduled_inputs[consumer] == 0) ready.push({problem_.nodes[consumer].priority, consumer});
        }
        if (schedule_order_.size() % 4096 == 0 && host.cancelled())
            throw sdk::Error(STREAM_ERROR_CANCELLED, "scheduling cancelled");
    }
    if (schedule_order_.size() != node_count) {
        int64_t stuck = 0;
        while (unscheduled_inputs[stuck] == 0) ++stuck;
        throw sdk::Error(STREAM_ERROR_INVALID_INPUT,
                         "the node graph has a cycle: " + std::to_string(node_count - schedule_order_.size()) +
                             " nodes, among them node " + std::to_string(stuck) + ", wait on each other",
                         node_item(stuck));
    }
    return finish();
}

sdk::ScheduleResult Run::finish() {
    for (std::size_t n = 0; n < problem_.node_count; ++n)
        memory_.hold(node_core_[n], start_cycle_[n], output_release_cycle_[n], problem_.nodes[n].output_bits);
    for (const auto& [layer_core, weights] : weights_)
        memory_.hold(layer_core.second, weights.from_cycle, weights.until_cycle, weights.bits);

    const double energy_pj = compute_energy_pj_ + offchip_streaming_energy_pj_ + core_to_core_link_energy_pj_ +
                             offchip_link_energy_pj_;
    result_.metrics.latency_cycles = latency_cycles_;
    result_.metrics.energy_pj = energy_pj;
    result_.metrics.edp = latency_cycles_ * energy_pj;
    result_.metrics.peak_memory_bits = static_cast<double>(memory_.peak_bits());
    result_.energy = {{"compute", compute_energy_pj_},
                      {"offchip_streaming", offchip_streaming_energy_pj_},
                      {"core_to_core_link", core_to_core_link_energy_pj_},
                      {"offchip_link", offchip_link_energy_pj_}};
    if (!metrics_only_) {
        // Nodes in id order, so a node's entry is found by its id.
        result_.nodes.reserve(problem_.node_count);
        for (std::size_t n = 0; n < problem_.node_count; ++n)
            result_.nodes.push_back({sizeof(stream_scheduled_node_v1), static_cast<int64_t>(n), node_core_[n],
                                     start_cycle_[n], end_cycle_[n]});
        std::vector<uint32_t> top_level(accelerator_.core_count, 0);
        for (uint32_t c = 0; c < accelerator_.core_count; ++c)
            top_level[c] = accelerator_.cores[c].memory_count > 0 ? accelerator_.cores[c].memory_count - 1 : 0;
        result_.memory_samples = memory_.samples(top_level);
    }
    return std::move(result_);
}

} // namespace

sdk::ScheduleResult ListScheduler::schedule(const stream_problem_v1& problem, const stream_allocation_v1& allocation,
                                            bool metrics_only) {
    if (!problem.accelerator) throw sdk::Error(STREAM_ERROR_INVALID_INPUT, "the problem has no accelerator");
    Run run(problem, allocation, metrics_only);
    return run.execute(host_);
}

} // namespace stream::plugins
