// The fixed allocator through its C entry point, with a fake host (config
// table, captured errors and warnings) and a fake evaluator.
#include <stream/plugin.h>

#include <doctest/doctest.h>

#include <map>
#include <optional>
#include <string>
#include <vector>

extern "C" const stream_plugin_descriptor* stream_plugin_entry(const stream_host_info* host);

namespace {

const stream_allocator_v1& vtable() {
    return *static_cast<const stream_allocator_v1*>(stream_plugin_entry(nullptr)->vtable);
}

// A host whose config is {layers = {<name> = <core>, ...}} (or empty) and which records what it is told.
struct FakeHost {
    std::optional<std::map<std::string, int64_t>> layers;
    struct Reported {
        stream_item_kind kind = STREAM_ITEM_NONE;
        int64_t index = -1;
        std::string name;
        std::string message;
    };
    std::vector<Reported> errors;
    std::vector<std::string> warnings;
    stream_config_v1 root{};
    stream_config_v1 layers_table{};
    stream_host_services_v1 services{};

    FakeHost() {
        root.struct_size = sizeof root;
        root.ctx = this;
        root.has = [](void* ctx, const char* key) -> int32_t {
            return std::string(key) == "layers" && static_cast<FakeHost*>(ctx)->layers.has_value();
        };
        root.get_table = [](void* ctx, const char* key, const stream_config_v1** out) -> stream_status {
            auto* self = static_cast<FakeHost*>(ctx);
            if (std::string(key) != "layers" || !self->layers) return STREAM_ERROR_NOT_FOUND;
            *out = &self->layers_table;
            return STREAM_OK;
        };
        layers_table.struct_size = sizeof layers_table;
        layers_table.ctx = this;
        layers_table.has = [](void* ctx, const char* key) -> int32_t {
            return static_cast<FakeHost*>(ctx)->layers->count(key) != 0;
        };
        layers_table.get_int = [](void* ctx, const char* key, int64_t* out) -> stream_status {
            auto& table = *static_cast<FakeHost*>(ctx)->layers;
            auto it = table.find(key);
            if (it == table.end()) return STREAM_ERROR_NOT_FOUND;
            *out = it->second;
            return STREAM_OK;
        };
        services.struct_size = sizeof services;
        services.ctx = this;
        services.log = [](void* ctx, stream_log_level level, const char* message) {
            if (level == STREAM_LOG_WARNING) static_cast<FakeHost*>(ctx)->warnings.emplace_back(message);
        };
        services.report_error = [](void* ctx, const stream_item* item, const char* message) {
            Reported r;
            if (item) {
                r.kind = item->kind;
                r.index = item->index;
                r.name = item->name ? item->name : "";
            }
            r.message = message;
            static_cast<FakeHost*>(ctx)->errors.push_back(r);
        };
        services.progress = [](void*, double, double, const char*) -> int32_t { return 0; };
        services.is_cancelled = [](void*) -> int32_t { return 0; };
        services.config = &root;
        services.get_extension = [](void*, const char*) -> const void* { return nullptr; };
    }
    FakeHost(const FakeHost&) = delete;
};

// Scores an allocation with fixed metrics and remembers what it was asked.
struct FakeEvaluator {
    stream_status status = STREAM_OK;
    stream_metrics_v1 metrics{sizeof(stream_metrics_v1), 100.0, 50.0, 5000.0, 0.0};
    std::vector<std::vector<int64_t>> calls;
    stream_evaluator_v1 view{sizeof(stream_evaluator_v1), this,
                             [](void* ctx, const stream_allocation_v1* a, stream_metrics_v1* out) -> stream_status {
                                 auto* self = static_cast<FakeEvaluator*>(ctx);
                                 self->calls.emplace_back(a->unit_core, a->unit_core + a->unit_count);
                                 if (self->status == STREAM_OK) *out = self->metrics;
                                 return self->status;
                             },
                             nullptr}; // no re-tiling
};

struct Submitted {
    int count = 0;
    std::vector<int64_t> unit_core;
    int32_t proven_optimal = 0;
    double objective = 0;
    double best_bound = 0;
    std::string summary;
    stream_allocation_sink_v1 sink{
        sizeof(stream_allocation_sink_v1), this,
        [](void* ctx, const stream_allocation_result_v1* r) {
            auto* self = static_cast<Submitted*>(ctx);
            ++self->count;
            self->unit_core.assign(r->allocation.unit_core, r->allocation.unit_core + r->allocation.unit_count);
            self->proven_optimal = r->proven_optimal;
            self->objective = r->objective;
            self->best_bound = r->best_bound;
            self->summary = r->summary ? r->summary : "";
        },
        [](void*, const stream_allocation_v1*, const stream_metrics_v1*) {}};
};

// Three layers: conv1 (cores 0, 1; pinned to 1 by the mapping), conv2 (cores 0, 1), pool (core 2 only).
stream_core_cost_v1 cost(int64_t core, double latency_cycles) {
    stream_core_cost_v1 c{};
    c.struct_size = sizeof c;
    c.core = core;
    c.latency_cycles = latency_cycles;
    c.energy_pj = 1;
    return c;
}

struct ThreeLayers {
    std::vector<stream_core_v1> cores;
    stream_accelerator_v1 accelerator{};
    std::vector<stream_layer_v1> layers;
    std::vector<stream_core_cost_v1> gemm_costs;
    std::vector<stream_core_cost_v1> simd_costs;
    std::vector<stream_alloc_unit_v1> units;
    stream_problem_v1 problem{};

    ThreeLayers() {
        const char* names[] = {"gemm0", "gemm1", "simd"};
        for (int64_t c = 0; c < 3; ++c) {
            stream_core_v1 core{};
            core.struct_size = sizeof core;
            core.id = c;
            core.name = names[c];
            cores.push_back(core);
        }
        accelerator = {sizeof accelerator, "acc", cores.data(), 3, -1, nullptr, 0};
        const char* layer_names[] = {"conv1", "conv2", "pool"};
        for (int64_t l = 0; l < 3; ++l) {
            stream_layer_v1 layer{};
            layer.struct_size = sizeof layer;
            layer.id = l;
            layer.name = layer_names[l];
            layers.push_back(layer);
        }
        gemm_costs = {cost(0, 10), cost(1, 12)};
        simd_costs = {cost(2, 5)};
        units = {unit(0, gemm_costs, 1), unit(1, gemm_costs, -1), unit(2, simd_costs, -1)};
        problem.struct_size = sizeof problem;
        problem.accelerator = &accelerator;
        problem.layers = layers.data();
        problem.layer_count = 3;
        problem.units = units.data();
        problem.unit_count = static_cast<uint32_t>(units.size());
    }
    ThreeLayers(const ThreeLayers&) = delete;

    static stream_alloc_unit_v1 unit(int64_t layer, const std::vector<stream_core_cost_v1>& costs, int64_t fixed) {
        stream_alloc_unit_v1 u{};
        u.struct_size = sizeof u;
        u.layer = layer;
        u.costs = costs.data();
        u.cost_count = static_cast<uint32_t>(costs.size());
        u.fixed_core = fixed;
        return u;
    }
};

struct Run {
    stream_status create_status = STREAM_OK;
    stream_status status = STREAM_OK;
    Submitted submitted;
};

void run(FakeHost& host, const ThreeLayers& p, FakeEvaluator& evaluator, Run& out) {
    void* instance = nullptr;
    out.create_status = vtable().create(&host.services, &instance);
    if (out.create_status != STREAM_OK) return;
    out.status = vtable().allocate(instance, &p.problem, &evaluator.view, &out.submitted.sink);
    vtable().destroy(instance);
}

} // namespace

TEST_CASE("allocator-fixed: describes itself with an optional layers table") {
    const stream_plugin_descriptor* d = stream_plugin_entry(nullptr);
    CHECK(std::string(d->id) == "fixed");
    CHECK(d->kind == STREAM_KIND_ALLOCATOR);
    REQUIRE(d->config_key_count == 1);
    CHECK(std::string(d->config_keys[0].key) == "layers");
    CHECK(d->config_keys[0].type == STREAM_VALUE_TABLE);
    CHECK((d->config_keys[0].flags & STREAM_KEY_REQUIRED) == 0);
}

TEST_CASE("allocator-fixed: picks the fixed core, then the table, then the only candidate") {
    FakeHost host;
    host.layers = std::map<std::string, int64_t>{{"conv2", 0}};
    ThreeLayers p;
    FakeEvaluator evaluator;
    Run r;
    run(host, p, evaluator, r);
    REQUIRE(r.status == STREAM_OK);
    CHECK(host.errors.empty());
    // conv1 pinned to 1 by the mapping, conv2 to 0 by the table, pool has only core 2
    CHECK(r.submitted.unit_core == std::vector<int64_t>{1, 0, 2});
    REQUIRE(evaluator.calls.size() == 1);
    CHECK(evaluator.calls[0] == std::vector<int64_t>{1, 0, 2});
    CHECK(r.submitted.count == 1);
    // objective = latency * energy = 100 * 50
    CHECK(r.submitted.objective == 5000.0);
    CHECK(r.submitted.best_bound == 5000.0);
    CHECK(r.submitted.proven_optimal == 1);
    CHECK(r.submitted.summary == "fixed allocation of 3 units");
}

TEST_CASE("allocator-fixed: the mapping's fixed core wins over the table, with a warning") {
    FakeHost host;
    host.layers = std::map<std::string, int64_t>{{"conv1", 0}, {"conv2", 1}};
    ThreeLayers p;
    FakeEvaluator evaluator;
    Run r;
    run(host, p, evaluator, r);
    REQUIRE(r.status == STREAM_OK);
    CHECK(r.submitted.unit_core == std::vector<int64_t>{1, 1, 2});
    REQUIRE(host.warnings.size() == 1);
    CHECK(host.warnings[0].find("conv1") != std::string::npos);
}

TEST_CASE("allocator-fixed: an unpinned layer with several candidates is an error naming it") {
    FakeHost host; // no layers table at all
    ThreeLayers p;
    FakeEvaluator evaluator;
    Run r;
    run(host, p, evaluator, r);
    CHECK(r.status == STREAM_ERROR_INVALID_INPUT);
    CHECK(evaluator.calls.empty());
    CHECK(r.submitted.count == 0);
    REQUIRE(host.errors.size() == 1);
    CHECK(host.errors[0].kind == STREAM_ITEM_LAYER);
    CHECK(host.errors[0].index == 1);
    CHECK(host.errors[0].name == "conv2");
    CHECK(host.errors[0].message.find("0 'gemm0', 1 'gemm1'") != std::string::npos);
}

TEST_CASE("allocator-fixed: every ambiguous layer is reported, once per layer") {
    FakeHost host;
    ThreeLayers p;
    p.units[0].fixed_core = -1;                                   // conv1 unpinned too
    p.units.push_back(ThreeLayers::unit(1, p.gemm_costs, -1));   // a second tile group of conv2
    p.problem.units = p.units.data();
    p.problem.unit_count = static_cast<uint32_t>(p.units.size());
    FakeEvaluator evaluator;
    Run r;
    run(host, p, evaluator, r);
    CHECK(r.status == STREAM_ERROR_INVALID_INPUT);
    REQUIRE(host.errors.size() == 2);
    CHECK(host.errors[0].name == "conv1");
    CHECK(host.errors[1].name == "conv2");
}

TEST_CASE("allocator-fixed: a chosen core outside the candidates is an error naming layer and core") {
    FakeHost host;
    host.layers = std::map<std::string, int64_t>{{"conv2", 2}};
    ThreeLayers p;
    FakeEvaluator evaluator;
    Run r;
    run(host, p, evaluator, r);
    CHECK(r.status == STREAM_ERROR_INVALID_INPUT);
    REQUIRE(host.errors.size() == 1);
    CHECK(host.errors[0].kind == STREAM_ITEM_LAYER);
    CHECK(host.errors[0].name == "conv2");
    CHECK(host.errors[0].message.find("core 2 'simd'") != std::string::npos);
    CHECK(host.errors[0].message.find("layers table") != std::string::npos);

    // the same for a core the mapping pins
    FakeHost plain;
    plain.layers = std::map<std::string, int64_t>{{"conv2", 0}};
    p.units[2].fixed_core = 0; // pool can only run on core 2
    Run pinned;
    run(plain, p, evaluator, pinned);
    CHECK(pinned.status == STREAM_ERROR_INVALID_INPUT);
    REQUIRE(plain.errors.size() == 1);
    CHECK(plain.errors[0].name == "pool");
    CHECK(plain.errors[0].message.find("core 0 'gemm0'") != std::string::npos);
}

TEST_CASE("allocator-fixed: an evaluator failure fails the call with a message") {
    FakeHost host;
    host.layers = std::map<std::string, int64_t>{{"conv2", 0}};
    ThreeLayers p;
    FakeEvaluator evaluator;
    evaluator.status = STREAM_ERROR_INFEASIBLE;
    Run r;
    run(host, p, evaluator, r);
    CHECK(r.status == STREAM_ERROR_INFEASIBLE);
    CHECK(r.submitted.count == 0);
    CHECK(host.errors.size() == 1);
}
