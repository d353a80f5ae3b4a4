#include "pipeline/CostTable.hpp"

#include "pipeline/CostKey.hpp"
#include "plugin_host/AbiViews.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <deque>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <tuple>
#include <thread>

namespace stream {

namespace {

struct CostCapture {
    std::optional<CoreCost> cost;
};

void cost_submit(void* ctx, const stream_cost_v1* c) {
    auto& cap = *static_cast<CostCapture*>(ctx);
    if (!c || c->struct_size < offsetof(stream_cost_v1, offchip_energy_pj) + sizeof(double)) return;
    CoreCost cost;
    cost.latency_cycles = c->latency_cycles;
    cost.energy_pj = c->energy_pj;
    cost.offchip_energy_pj = c->offchip_energy_pj;
    cost.latency_no_offload_cycles = c->latency_no_offload_cycles;
    bool streams_input = false, streams_output = false;
    for (std::uint32_t i = 0; c->footprints && i < c->footprint_count; ++i) {
        const auto& f = *STREAM_AT(stream_footprint_v1, c->footprints, i);
        if (!f.streamed_from_offchip || !f.operand) continue;
        cost.streamed_operands.emplace_back(f.operand);
        (std::string_view(f.operand) == "O" ? streams_output : streams_input) = true;
    }
    // offchip_bw_bits_per_cycle sums every direction: reserving it for reading and again for
    // writing counts the node's DRAM traffic twice. A model built against a header with the
    // per-direction fields that still fills only the sum (both zero) keeps the old meaning.
    const bool per_direction =
        STREAM_HAS_FIELD(stream_cost_v1, c->struct_size, offchip_write_bw_bits_per_cycle) &&
        (c->offchip_read_bw_bits_per_cycle > 0 || c->offchip_write_bw_bits_per_cycle > 0 || !(c->offchip_bw_bits_per_cycle > 0));
    if (streams_input)
        cost.offchip_read_bw_bits_per_cycle = per_direction ? c->offchip_read_bw_bits_per_cycle : c->offchip_bw_bits_per_cycle;
    if (streams_output)
        cost.offchip_write_bw_bits_per_cycle = per_direction ? c->offchip_write_bw_bits_per_cycle : c->offchip_bw_bits_per_cycle;
    cap.cost = std::move(cost);
}

/// Bits a node receives from producer nodes, per input operand, in operand-name order.
using ReceivedBits = std::vector<std::pair<std::string, std::int64_t>>;

ReceivedBits received_bits(const CnGraph& g, const CnNode& n) {
    std::map<std::string, std::int64_t> bits;
    for (const NodeInput& in : n.inputs) {
        const Tensor& t = g.tensors[static_cast<std::size_t>(in.tensor)];
        if (t.kind == TensorKind::Activation) bits[in.operand] += t.size_bits;
    }
    return {bits.begin(), bits.end()};
}

/// One question to a core model: a tile shape, with what it receives, on a core type. Tiles of one
/// shape can receive different producer tensors (edge tiles), which changes what fits on the core.
struct Task {
    std::int64_t shape = 0;
    ReceivedBits received;
    std::int64_t core = 0; ///< a core of that type
    std::optional<CoreCost> cost;
    std::optional<Error> error;
};

/// Bits of the outermost memory of `core` that holds `operand` (0 when none does).
/// Two-input element-wise layers read I1 and I2 from the memories that serve I and W (ZigZag's links).
std::int64_t top_capacity_bits(const Core& core, const std::string& operand) {
    const auto& mems = core.type->memories;
    for (const std::string& name : {operand, std::string(operand == "I1" ? "I" : operand == "I2" ? "W" : "")})
        for (auto it = mems.rbegin(); it != mems.rend(); ++it)
            if (!name.empty() && std::find(it->operands.begin(), it->operands.end(), name) != it->operands.end()) return it->size_bits;
    return 0;
}

/// Stream's capacity check (stream.md §3.6) counts a tile's inputs as the producer tiles it receives,
/// which can far exceed the slice the core model sized (a row of a layer cut into columns needs every
/// column tile). When those tensors cannot fit the core's top memory together with the tile's weights
/// and output, the inputs are streamed from DRAM while the tile runs instead of being moved in.
void stream_inputs_that_cannot_fit(CnGraph& g, const Accelerator& acc) {
    for (CnNode& n : g.nodes) {
        std::map<std::string, std::int64_t> activation_bits;
        std::int64_t other_bits = n.output_bits;
        for (const NodeInput& in : n.inputs) {
            const Tensor& t = g.tensors[static_cast<std::size_t>(in.tensor)];
            if (t.kind == TensorKind::Activation) activation_bits[in.operand] += t.size_bits;
            else other_bits += t.size_bits;
        }
        std::int64_t inputs = 0;
        for (const auto& [op, bits] : activation_bits) inputs += bits;
        if (inputs == 0) continue;
        for (CoreCost& c : n.costs) {
            const Core& core = acc.cores[static_cast<std::size_t>(c.core)];
            bool overflow = false;
            for (const auto& [op, bits] : activation_bits) {
                const std::int64_t cap = top_capacity_bits(core, op);
                if (cap > 0 && inputs + other_bits > cap) overflow = true;
            }
            if (!overflow) continue;
            for (const auto& [op, bits] : activation_bits) {
                if (std::find(c.streamed_operands.begin(), c.streamed_operands.end(), op) != c.streamed_operands.end()) continue;
                c.streamed_operands.push_back(op);
                // The inputs arrive while the tile runs: their bits over its runtime, at least one bit per cycle.
                c.offchip_read_bw_bits_per_cycle +=
                    c.latency_cycles > 0 ? std::ceil(static_cast<double>(bits) / c.latency_cycles) : static_cast<double>(bits);
            }
        }
    }
}

} // namespace

Layer tile_layer(const Layer& layer, const CnNode& node) {
    Layer t = layer;
    for (std::size_t d = 0; d < t.loop_dims.size(); ++d) t.loop_dims[d].size = node.loop_ranges[d].size();
    for (Operand& op : t.operands) {
        for (TensorAxis& ax : op.axes) {
            // The slice the tile touches, without padding, is the extent the model may clip to.
            std::int64_t lo = ax.offset, hi_incl = ax.offset;
            for (const AffineTerm& term : ax.terms) {
                const Range& r = node.loop_ranges[term.loop_dim];
                lo += term.coefficient * (term.coefficient >= 0 ? r.lo : r.hi - 1);
                hi_incl += term.coefficient * (term.coefficient >= 0 ? r.hi - 1 : r.lo);
            }
            if (!ax.terms.empty()) {
                ax.extent = std::max<std::int64_t>(0, std::min(hi_incl + 1, ax.extent) - std::max<std::int64_t>(lo, 0));
                ax.offset = 0;
            }
        }
    }
    return t;
}

CostTableStats evaluate_cost_table(CnGraph& g, const Workload& w, const Accelerator& acc, const CostModelsOfCores& models,
                                   bool compat_stream, Diagnostics& diag) {
    // Which (shape, core type) pairs are asked for.
    std::vector<Task> tasks;
    using TaskKey = std::tuple<std::int64_t, const ReceivedBits*, const CoreType*>;
    std::vector<const ReceivedBits*> received_of_node(g.nodes.size());
    std::set<ReceivedBits> received_sets; // interned, so keys compare pointers
    for (const CnNode& n : g.nodes)
        received_of_node[static_cast<std::size_t>(n.id)] = &*received_sets.insert(received_bits(g, n)).first;
    std::map<TaskKey, std::size_t> task_of;
    auto key_of = [&](const CnNode& n, const CoreCost& c) {
        return TaskKey{n.shape, received_of_node[static_cast<std::size_t>(n.id)], acc.cores[static_cast<std::size_t>(c.core)].type.get()};
    };
    for (const CnNode& n : g.nodes)
        for (const CoreCost& c : n.costs)
            if (task_of.try_emplace(key_of(n, c), tasks.size()).second)
                tasks.push_back({n.shape, *received_of_node[static_cast<std::size_t>(n.id)], c.core, {}, {}});

    std::deque<CoreView> core_views;
    for (const Core& c : acc.cores) core_views.emplace_back(c, models.config[static_cast<std::size_t>(c.id)], offchip_memory(acc));
    std::map<const PluginInstance<stream_core_model_v1>*, std::mutex> model_locks;
    for (const auto* m : models.model)
        if (m) model_locks[m];

    std::map<const PluginInstance<stream_core_model_v1>*, std::string> identity;
    if (models.cache)
        for (const auto* m : models.model)
            if (m) identity.try_emplace(m, cost_model_identity(m->library().info().id, m->library().info().version, m->services().config()));

    std::atomic<std::size_t> next{0}, done{0}, hits{0};
    auto work = [&] {
        for (std::size_t i = next++; i < tasks.size(); i = next++) {
            Task& t = tasks[i];
            const CnShape& shape = g.shapes[static_cast<std::size_t>(t.shape)];
            const Layer& layer = w.layers[static_cast<std::size_t>(shape.layer)];
            const auto* model = models.model[static_cast<std::size_t>(t.core)];
            try {
                Layer tile = tile_layer(layer, g.nodes[static_cast<std::size_t>(shape.representative)]);
                std::string key;
                if (models.cache) {
                    const Core& core = acc.cores[static_cast<std::size_t>(t.core)];
                    key = cost_key(identity.at(model), models.config_text.at(static_cast<std::size_t>(t.core)), core, offchip_memory(acc), tile,
                                   t.received);
                    if ((t.cost = models.cache->find(key))) {
                        ++hits;
                        diag.progress("cost", static_cast<double>(++done), static_cast<double>(tasks.size()), "costing tile shapes");
                        continue;
                    }
                }
                LayerView lv(tile);
                std::vector<stream_received_bits_v1> received;
                for (const auto& [operand, bits] : t.received)
                    received.push_back({sizeof(stream_received_bits_v1), operand.c_str(), bits});
                stream_cn_v1 cn{sizeof(stream_cn_v1), shape.representative, lv.c(), received.data(),
                                static_cast<std::uint32_t>(received.size())};
                CostCapture cap;
                stream_cost_sink_v1 sink{sizeof(stream_cost_sink_v1), &cap, &cost_submit};
                std::unique_lock lock(model_locks.at(model), std::defer_lock);
                if (!model->library().info().thread_safe()) lock.lock();
                model->call("evaluate", [&](const stream_core_model_v1& vt, void* h) {
                    return vt.evaluate(h, &core_views[static_cast<std::size_t>(t.core)].c(), &cn, &sink);
                });
                if (!cap.cost)
                    throw Error(ErrorKind::Plugin, fmt::format("{} returned success without submitting a cost", model->library().describe()));
                if (!std::isfinite(cap.cost->latency_cycles) || cap.cost->latency_cycles < 0 || !std::isfinite(cap.cost->energy_pj))
                    throw Error(ErrorKind::Plugin, fmt::format("{} gave a latency of {} cycles and an energy of {} pJ",
                                                               model->library().describe(), cap.cost->latency_cycles,
                                                               cap.cost->energy_pj));
                if (models.cache) models.cache->store(key, *cap.cost);
                t.cost = std::move(cap.cost);
            } catch (const Error& e) {
                t.error = Error(e.kind(), fmt::format("costing a tile of {} on {}: {}", layer.label(),
                                                      acc.cores[static_cast<std::size_t>(t.core)].label(), e.message()),
                                e.where());
            }
            diag.progress("cost", static_cast<double>(++done), static_cast<double>(tasks.size()), "costing tile shapes");
        }
    };
    CostTableStats stats;
    stats.evaluations = tasks.size();
    bool all_thread_safe = std::all_of(models.model.begin(), models.model.end(),
                                       [](const auto* m) { return !m || m->library().info().thread_safe(); });
    stats.threads = all_thread_safe ? std::max<std::size_t>(1, std::min<std::size_t>(std::thread::hardware_concurrency(), tasks.size())) : 1;
    std::vector<std::thread> pool;
    for (std::size_t i = 1; i < stats.threads; ++i) pool.emplace_back(work);
    work();
    for (auto& th : pool) th.join();
    stats.cache_hits = hits;
    // A misbehaving plugin is an error whatever the other cores say.
    for (const Task& t : tasks)
        if (t.error && t.error->kind() != ErrorKind::Infeasible) throw *t.error;

    // Copy costs to the nodes; drop cores that cannot run a unit's tiles.
    std::vector<std::map<std::int64_t, const Error*>> refused(g.units.size());
    for (const CnNode& n : g.nodes)
        for (const CoreCost& c : n.costs) {
            const Task& t = tasks[task_of.at(key_of(n, c))];
            if (t.error) refused[static_cast<std::size_t>(n.unit)].emplace(c.core, &*t.error);
        }
    for (std::size_t u = 0; u < g.units.size(); ++u) {
        AllocUnit& unit = g.units[u];
        if (refused[u].empty()) continue;
        if (refused[u].size() == unit.costs.size()) {
            std::string reasons;
            for (const auto& [core, e] : refused[u]) reasons += "\n  " + e->message();
            throw Error(ErrorKind::Infeasible, fmt::format("{} (tile group {}) fits none of its candidate cores:{}",
                                                           w.layers[static_cast<std::size_t>(unit.layer)].label(), unit.group, reasons));
        }
        for (const auto& [core, e] : refused[u])
            diag.log(STREAM_LOG_WARNING, "host", fmt::format("{}; core {} is dropped from its candidates", e->message(), core));
        std::erase_if(unit.costs, [&](const CoreCost& c) { return refused[u].count(c.core) != 0; });
        if (unit.costs.size() == 1) unit.fixed_core = unit.costs.front().core;
    }
    for (AllocUnit& unit : g.units)
        for (CoreCost& uc : unit.costs) {
            const std::int64_t core = uc.core;
            uc = CoreCost{};
            uc.core = core;
        }
    for (CnNode& n : g.nodes) {
        AllocUnit& unit = g.units[static_cast<std::size_t>(n.unit)];
        std::erase_if(n.costs, [&](const CoreCost& c) { return refused[static_cast<std::size_t>(n.unit)].count(c.core) != 0; });
        for (std::size_t i = 0; i < n.costs.size(); ++i) {
            CoreCost& c = n.costs[i];
            const Task& t = tasks[task_of.at(key_of(n, c))];
            const std::int64_t core = c.core, weights = c.constant_bits;
            c = *t.cost;
            c.core = core;
            c.constant_bits = weights;
            // Stream runs a tile for latency_total2 when its core is fixed, latency_total1 when an allocator picks it.
            if (compat_stream && unit.fixed_core < 0 && c.latency_no_offload_cycles > 0) c.latency_cycles = c.latency_no_offload_cycles;
            CoreCost& uc = unit.costs[i];
            uc.latency_cycles += c.latency_cycles;
            uc.latency_no_offload_cycles += c.latency_no_offload_cycles;
            uc.energy_pj += c.energy_pj;
            uc.offchip_energy_pj += c.offchip_energy_pj;
            // A unit streams an operand when any of its tiles does: allocators then leave its weights out
            // of the core's weight capacity.
            for (const std::string& op : c.streamed_operands)
                if (std::find(uc.streamed_operands.begin(), uc.streamed_operands.end(), op) == uc.streamed_operands.end())
                    uc.streamed_operands.push_back(op);
            ++stats.pairs;
        }
    }
    stream_inputs_that_cannot_fit(g, acc);
    // A unit keeps each distinct weight tile once, however many of its tiles read it.
    std::vector<std::vector<std::int64_t>> weights_of_unit(g.units.size());
    for (const CnNode& n : g.nodes)
        for (const NodeInput& in : n.inputs)
            if (g.tensors[static_cast<std::size_t>(in.tensor)].kind == TensorKind::Constant)
                weights_of_unit[static_cast<std::size_t>(n.unit)].push_back(in.tensor);
    for (std::size_t u = 0; u < g.units.size(); ++u) {
        auto& ids = weights_of_unit[u];
        std::sort(ids.begin(), ids.end());
        ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
        std::int64_t bits = 0;
        for (std::int64_t t : ids) bits += g.tensors[static_cast<std::size_t>(t)].size_bits;
        for (CoreCost& uc : g.units[u].costs) uc.constant_bits = bits;
    }
    return stats;
}

} // namespace stream
