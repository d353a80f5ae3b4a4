// Hand-built allocation problems with a node graph (stacks, tiles, edges) and a
// fake host around an allocator plugin: a typed config table, recorded logs and
// errors, an evaluator that records what it is asked, and a result sink.
// Used by the gecode allocator's tests and benchmark.
//
//   gecodetest::ProblemBuilder b;
//   const auto a = b.add_core("a"), c = b.add_core("b");
//   const auto l0 = b.add_layer("conv0");
//   const auto u0 = b.add_unit(l0, {{a, 10}, {c, 20}});
//   b.add_node(u0, /*stack=*/0, /*sub_id=*/0);
//   gecodetest::FakeHost host({{"objective", std::string("latency")}});
//   gecodetest::Run r = gecodetest::run(host, b.build());
#pragma once

#include <stream/plugin.h>

#include <algorithm>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <tuple>
#include <utility>
#include <variant>
#include <vector>

extern "C" const stream_plugin_descriptor* stream_plugin_entry(const stream_host_info* host);

namespace gecodetest {

/// The cost of one node of a unit on one core; the unit's cost is the sum over its nodes.
struct UnitCost {
    int64_t core = 0;
    double node_latency = 0;
    double node_energy = 1;
    int64_t weight_bits = 0; ///< weights the unit keeps on that core
    bool weights_streamed = false;
};

class ProblemBuilder {
public:
    ProblemBuilder() = default;
    ProblemBuilder(const ProblemBuilder&) = delete;
    ProblemBuilder& operator=(const ProblemBuilder&) = delete;

    /// A core whose outermost memory holds weights of `weight_bits` (-1: no weight memory
    /// described); `shares_top_memory_with` names the core whose top memory it uses.
    int64_t add_core(std::string name, int64_t weight_bits = -1, int64_t shares_top_memory_with = -1) {
        cores_.push_back({std::move(name), weight_bits, shares_top_memory_with});
        return static_cast<int64_t>(cores_.size()) - 1;
    }
    /// A layer; `loops` give its loop sizes (their product = MACs), none = unknown MACs.
    int64_t add_layer(std::string name, std::vector<std::pair<std::string, int64_t>> loops = {}) {
        layers_.push_back({std::move(name), std::move(loops)});
        return static_cast<int64_t>(layers_.size()) - 1;
    }
    int64_t add_unit(int64_t layer, std::vector<UnitCost> costs, int64_t group = 0, int64_t fixed_core = -1) {
        units_.push_back({layer, group, fixed_core, std::move(costs), {}});
        return static_cast<int64_t>(units_.size()) - 1;
    }
    int64_t add_node(int64_t unit, int64_t stack, int64_t sub_id) {
        nodes_.push_back({unit, stack, sub_id});
        units_[static_cast<std::size_t>(unit)].nodes.push_back(static_cast<int64_t>(nodes_.size()) - 1);
        return static_cast<int64_t>(nodes_.size()) - 1;
    }
    void add_edge(int64_t from, int64_t to, int64_t bits = 8) { edges_.push_back({from, to, bits, 0}); }
    /// The host's intra-group edges: each unit's nodes run in sub_id order.
    void chain_units() {
        for (const Unit& u : units_) {
            std::vector<int64_t> ns = u.nodes;
            std::sort(ns.begin(), ns.end(), [&](int64_t a, int64_t b) { return sub(a) < sub(b); });
            for (std::size_t i = 1; i < ns.size(); ++i)
                edges_.push_back({ns[i - 1], ns[i], 0, -1});
        }
    }
    int64_t layer_of(int64_t node) const {
        return units_[static_cast<std::size_t>(nodes_[static_cast<std::size_t>(node)].unit)].layer;
    }
    int64_t sub(int64_t node) const { return nodes_[static_cast<std::size_t>(node)].sub_id; }
    std::size_t node_count() const { return nodes_.size(); }
    std::size_t unit_count() const { return units_.size(); }

    /// The C views; valid until the builder is changed or destroyed.
    const stream_problem_v1& build() {
        c_cores_.clear();
        c_memories_.assign(cores_.size(), {});
        for (std::size_t i = 0; i < cores_.size(); ++i) {
            stream_core_v1 c{};
            c.struct_size = sizeof c;
            c.id = static_cast<int64_t>(i);
            c.name = cores_[i].name.c_str();
            c.top_memory_owner = cores_[i].shares >= 0 ? cores_[i].shares : c.id;
            if (cores_[i].weight_bits >= 0) {
                stream_memory_level_v1& m = c_memories_[i];
                m.struct_size = sizeof m;
                m.name = "sram";
                m.size_bits = cores_[i].weight_bits;
                m.operands = kOperands;
                m.operand_count = 3;
                c.memories = &m;
                c.memory_count = 1;
            }
            c_cores_.push_back(c);
        }
        accelerator_ = {
            sizeof accelerator_, "fake", c_cores_.data(), static_cast<uint32_t>(c_cores_.size()), -1, nullptr, 0};

        c_loops_.assign(layers_.size(), {});
        c_layers_.clear();
        for (std::size_t l = 0; l < layers_.size(); ++l) {
            for (const auto& [name, size] : layers_[l].loops)
                c_loops_[l].push_back({sizeof(stream_loop_dim_v1), name.c_str(), size});
            stream_layer_v1 layer{};
            layer.struct_size = sizeof layer;
            layer.id = static_cast<int64_t>(l);
            layer.name = layers_[l].name.c_str();
            layer.op_type = "Conv";
            layer.layer_class = STREAM_LAYER_COMPUTE;
            layer.loop_dims = c_loops_[l].empty() ? nullptr : c_loops_[l].data();
            layer.loop_dim_count = static_cast<uint32_t>(c_loops_[l].size());
            layer.operands = kLayerOperands;
            layer.operand_count = 3;
            layer.group_count = 1;
            c_layers_.push_back(layer);
        }

        c_unit_costs_.assign(units_.size(), {});
        c_node_costs_.assign(nodes_.size(), {});
        c_units_.clear();
        for (std::size_t u = 0; u < units_.size(); ++u) {
            const Unit& unit = units_[u];
            const double n = static_cast<double>(unit.nodes.size());
            for (const UnitCost& uc : unit.costs) {
                c_unit_costs_[u].push_back(cost(uc, uc.node_latency * n, uc.node_energy * n));
                for (int64_t node : unit.nodes)
                    c_node_costs_[static_cast<std::size_t>(node)].push_back(cost(uc, uc.node_latency, uc.node_energy));
            }
            stream_alloc_unit_v1 cu{};
            cu.struct_size = sizeof cu;
            cu.layer = unit.layer;
            cu.group = unit.group;
            cu.nodes = unit.nodes.data();
            cu.node_count = static_cast<uint32_t>(unit.nodes.size());
            cu.costs = c_unit_costs_[u].data();
            cu.cost_count = static_cast<uint32_t>(c_unit_costs_[u].size());
            cu.fixed_core = unit.fixed_core;
            c_units_.push_back(cu);
        }

        // The host's default order: earlier stacks first, deepest layer first, highest tile first.
        std::vector<int64_t> order(nodes_.size());
        for (std::size_t i = 0; i < order.size(); ++i)
            order[i] = static_cast<int64_t>(i);
        std::sort(order.begin(), order.end(), [&](int64_t a, int64_t b) {
            const Node& x = nodes_[static_cast<std::size_t>(a)];
            const Node& y = nodes_[static_cast<std::size_t>(b)];
            return std::make_tuple(x.stack, -layer_of(a), -x.sub_id) <
                   std::make_tuple(y.stack, -layer_of(b), -y.sub_id);
        });
        std::vector<int64_t> priority(nodes_.size());
        for (std::size_t r = 0; r < order.size(); ++r)
            priority[static_cast<std::size_t>(order[r])] = static_cast<int64_t>(r);

        c_nodes_.clear();
        for (std::size_t i = 0; i < nodes_.size(); ++i) {
            const Node& node = nodes_[i];
            stream_node_v1 cn{};
            cn.struct_size = sizeof cn;
            cn.id = static_cast<int64_t>(i);
            cn.layer = layer_of(cn.id);
            cn.unit = node.unit;
            cn.stack = node.stack;
            cn.priority = priority[i];
            cn.output_bits = 8;
            cn.costs = c_node_costs_[i].data();
            cn.cost_count = static_cast<uint32_t>(c_node_costs_[i].size());
            cn.group = units_[static_cast<std::size_t>(node.unit)].group;
            cn.sub_id = node.sub_id;
            cn.output_tensor = -1;
            c_nodes_.push_back(cn);
        }
        c_edges_.clear();
        for (const Edge& e : edges_)
            c_edges_.push_back({sizeof(stream_edge_v1), e.from, e.to, e.bits, e.tensor});

        problem_ = {};
        problem_.struct_size = sizeof problem_;
        problem_.accelerator = &accelerator_;
        problem_.layers = c_layers_.data();
        problem_.layer_count = static_cast<uint32_t>(c_layers_.size());
        problem_.units = c_units_.data();
        problem_.unit_count = static_cast<uint32_t>(c_units_.size());
        problem_.nodes = c_nodes_.data();
        problem_.node_count = static_cast<uint32_t>(c_nodes_.size());
        problem_.edges = c_edges_.empty() ? nullptr : c_edges_.data();
        problem_.edge_count = static_cast<uint32_t>(c_edges_.size());
        problem_.compat = "";
        return problem_;
    }

private:
    struct Core {
        std::string name;
        int64_t weight_bits;
        int64_t shares;
    };
    struct Layer {
        std::string name;
        std::vector<std::pair<std::string, int64_t>> loops;
    };
    struct Unit {
        int64_t layer;
        int64_t group;
        int64_t fixed_core;
        std::vector<UnitCost> costs;
        std::vector<int64_t> nodes;
    };
    struct Node {
        int64_t unit;
        int64_t stack;
        int64_t sub_id;
    };
    struct Edge {
        int64_t from;
        int64_t to;
        int64_t bits;
        int64_t tensor;
    };

    static stream_core_cost_v1 cost(const UnitCost& uc, double latency, double energy) {
        stream_core_cost_v1 c{};
        c.struct_size = sizeof c;
        c.core = uc.core;
        c.latency_cycles = latency;
        c.latency_no_offload_cycles = latency;
        c.energy_pj = energy;
        c.constant_bits = uc.weight_bits;
        if (uc.weights_streamed) {
            c.streamed_operands = kStreamedWeights;
            c.streamed_operand_count = 1;
        }
        return c;
    }

    static constexpr const char* kOperands[] = {"I", "W", "O"};
    static constexpr const char* kStreamedWeights[] = {"W"};
    static constexpr stream_operand_v1 kLayerOperands[] = {
        {sizeof(stream_operand_v1), "I", STREAM_OPERAND_INPUT, 8, 0, -1, 0, nullptr, nullptr, 0},
        {sizeof(stream_operand_v1), "W", STREAM_OPERAND_CONSTANT, 8, 0, -1, 0, nullptr, nullptr, 0},
        {sizeof(stream_operand_v1), "O", STREAM_OPERAND_OUTPUT, 8, 0, -1, 0, nullptr, nullptr, 0},
    };

    std::vector<Core> cores_;
    std::vector<Layer> layers_;
    std::vector<Unit> units_;
    std::vector<Node> nodes_;
    std::vector<Edge> edges_;

    std::vector<stream_core_v1> c_cores_;
    std::vector<stream_memory_level_v1> c_memories_;
    stream_accelerator_v1 accelerator_{};
    std::vector<std::vector<stream_loop_dim_v1>> c_loops_;
    std::vector<stream_layer_v1> c_layers_;
    std::vector<std::vector<stream_core_cost_v1>> c_unit_costs_;
    std::vector<std::vector<stream_core_cost_v1>> c_node_costs_;
    std::vector<stream_alloc_unit_v1> c_units_;
    std::vector<stream_node_v1> c_nodes_;
    std::vector<stream_edge_v1> c_edges_;
    stream_problem_v1 problem_{};
};

using Value = std::variant<bool, int64_t, double, std::string>;

/// Host services with a typed config table (the plugin's defaults unless overridden).
class FakeHost {
public:
    struct Reported {
        stream_item_kind kind = STREAM_ITEM_NONE;
        int64_t index = -1;
        std::string name;
        std::string message;
    };

    explicit FakeHost(std::map<std::string, Value> overrides = {}) {
        values_ = {
            {"objective", std::string("latency")}, {"time_limit_s", 5.0}, {"restarts", false}, {"threads", int64_t{1}},
            {"max_split", int64_t{4}}};
        for (auto& [k, v] : overrides)
            values_[k] = v;
        config_.struct_size = sizeof config_;
        config_.ctx = this;
        config_.has = [](void* ctx, const char* key) -> int32_t { return self(ctx).values_.count(key) != 0; };
        config_.get_bool = [](void* ctx, const char* key, int32_t* out) -> stream_status {
            const Value* v = self(ctx).find(key);
            if (!v) return STREAM_ERROR_NOT_FOUND;
            if (!std::holds_alternative<bool>(*v)) return STREAM_ERROR_TYPE_MISMATCH;
            *out = std::get<bool>(*v) ? 1 : 0;
            return STREAM_OK;
        };
        config_.get_int = [](void* ctx, const char* key, int64_t* out) -> stream_status {
            const Value* v = self(ctx).find(key);
            if (!v) return STREAM_ERROR_NOT_FOUND;
            if (!std::holds_alternative<int64_t>(*v)) return STREAM_ERROR_TYPE_MISMATCH;
            *out = std::get<int64_t>(*v);
            return STREAM_OK;
        };
        config_.get_float = [](void* ctx, const char* key, double* out) -> stream_status {
            const Value* v = self(ctx).find(key);
            if (!v) return STREAM_ERROR_NOT_FOUND;
            if (std::holds_alternative<double>(*v))
                *out = std::get<double>(*v);
            else if (std::holds_alternative<int64_t>(*v))
                *out = static_cast<double>(std::get<int64_t>(*v));
            else
                return STREAM_ERROR_TYPE_MISMATCH;
            return STREAM_OK;
        };
        config_.get_string = [](void* ctx, const char* key, const char** out) -> stream_status {
            const Value* v = self(ctx).find(key);
            if (!v) return STREAM_ERROR_NOT_FOUND;
            if (!std::holds_alternative<std::string>(*v)) return STREAM_ERROR_TYPE_MISMATCH;
            *out = std::get<std::string>(*v).c_str();
            return STREAM_OK;
        };
        services_.struct_size = sizeof services_;
        services_.ctx = this;
        services_.log = [](void* ctx, stream_log_level level, const char* message) {
            self(ctx).logs.emplace_back(level, message);
        };
        services_.report_error = [](void* ctx, const stream_item* item, const char* message) {
            Reported r;
            if (item) {
                r.kind = item->kind;
                r.index = item->index;
                r.name = item->name ? item->name : "";
            }
            r.message = message;
            self(ctx).errors.push_back(r);
        };
        services_.progress = [](void*, double, double, const char*) -> int32_t { return 0; };
        services_.is_cancelled = [](void* ctx) -> int32_t { return self(ctx).cancel ? 1 : 0; };
        services_.config = &config_;
        services_.get_extension = [](void*, const char*) -> const void* { return nullptr; };
    }
    FakeHost(const FakeHost&) = delete;
    FakeHost& operator=(const FakeHost&) = delete;

    const stream_host_services_v1* services() const { return &services_; }
    bool logged(stream_log_level level, const std::string& part) const {
        return std::any_of(logs.begin(), logs.end(),
                           [&](const auto& l) { return l.first == level && l.second.find(part) != std::string::npos; });
    }

    std::vector<std::pair<stream_log_level, std::string>> logs;
    std::vector<Reported> errors;
    bool cancel = false; ///< what is_cancelled answers

private:
    static FakeHost& self(void* ctx) { return *static_cast<FakeHost*>(ctx); }
    const Value* find(const char* key) const {
        auto it = values_.find(key);
        return it == values_.end() ? nullptr : &it->second;
    }

    std::map<std::string, Value> values_;
    stream_config_v1 config_{};
    stream_host_services_v1 services_{};
};

/// Records each allocation it is asked to evaluate and answers with fixed metrics
/// (`host_order_metrics`, when set, for an allocation that keeps the host's order).
struct FakeEvaluator {
    struct Call {
        std::vector<int64_t> unit_core;
        std::vector<int64_t> node_priority;
    };
    stream_status status = STREAM_OK;
    stream_metrics_v1 metrics{sizeof(stream_metrics_v1), 1000.0, 50.0, 50000.0, 0.0};
    std::optional<stream_metrics_v1> host_order_metrics;
    std::vector<Call> calls;
    stream_evaluator_v1 view{sizeof(stream_evaluator_v1), this,
                             [](void* ctx, const stream_allocation_v1* a, stream_metrics_v1* out) -> stream_status {
                                 auto& self = *static_cast<FakeEvaluator*>(ctx);
                                 Call c;
                                 c.unit_core.assign(a->unit_core, a->unit_core + a->unit_count);
                                 if (a->node_priority)
                                     c.node_priority.assign(a->node_priority,
                                                            a->node_priority + a->node_priority_count);
                                 self.calls.push_back(std::move(c));
                                 if (self.status == STREAM_OK)
                                     *out = !a->node_priority && self.host_order_metrics ? *self.host_order_metrics
                                                                                         : self.metrics;
                                 return self.status;
                             },
                             nullptr}; // no re-tiling
};

struct Submitted {
    int count = 0;
    std::vector<int64_t> unit_core;
    std::vector<int64_t> node_priority;
    int32_t proven_optimal = 0;
    double objective = 0;
    double best_bound = 0;
    std::string summary;
    stream_allocation_sink_v1 sink{
        sizeof(stream_allocation_sink_v1), this,
        [](void* ctx, const stream_allocation_result_v1* r) {
            auto& self = *static_cast<Submitted*>(ctx);
            ++self.count;
            self.unit_core.assign(r->allocation.unit_core, r->allocation.unit_core + r->allocation.unit_count);
            if (r->allocation.node_priority)
                self.node_priority.assign(r->allocation.node_priority,
                                          r->allocation.node_priority + r->allocation.node_priority_count);
            self.proven_optimal = r->proven_optimal;
            self.objective = r->objective;
            self.best_bound = r->best_bound;
            self.summary = r->summary ? r->summary : "";
        },
        [](void*, const stream_allocation_v1*, const stream_metrics_v1*) {}};
};

struct Run {
    stream_status create_status = STREAM_OK;
    stream_status status = STREAM_OK;
    Submitted submitted;
    FakeEvaluator evaluator;
};

/// Creates the plugin instance with `host`, allocates `problem` and destroys the instance.
inline void run(FakeHost& host, const stream_problem_v1& problem, Run& out) {
    const auto& vtable = *static_cast<const stream_allocator_v1*>(stream_plugin_entry(nullptr)->vtable);
    void* instance = nullptr;
    out.create_status = vtable.create(host.services(), &instance);
    if (out.create_status != STREAM_OK) return;
    out.status = vtable.allocate(instance, &problem, &out.evaluator.view, &out.submitted.sink);
    vtable.destroy(instance);
}

} // namespace gecodetest
