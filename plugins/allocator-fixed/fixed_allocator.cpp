#include "fixed_allocator.hpp"

#include <optional>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

namespace stream::plugins {

namespace {

// "2 'simd'" when the accelerator names the core, else "2".
std::string describe_core(const stream_problem_v1& problem, int64_t core) {
    std::string text = std::to_string(core);
    const stream_accelerator_v1* accelerator = problem.accelerator;
    if (accelerator && core >= 0 && core < static_cast<int64_t>(accelerator->core_count) &&
        accelerator->cores[core].name)
        text += std::string(" '") + accelerator->cores[core].name + "'";
    return text;
}

std::string describe_candidates(const stream_problem_v1& problem, const stream_alloc_unit_v1& unit) {
    if (unit.cost_count == 0) return "none";
    std::string text;
    for (const stream_core_cost_v1& cost : sdk::view(unit.costs, unit.cost_count)) {
        if (!text.empty()) text += ", ";
        text += describe_core(problem, cost.core);
    }
    return text;
}

bool is_candidate(const stream_alloc_unit_v1& unit, int64_t core) {
    for (const stream_core_cost_v1& cost : sdk::view(unit.costs, unit.cost_count))
        if (cost.core == core) return true;
    return false;
}

struct Problem {
    sdk::Item item;
    std::string message;
};

} // namespace

FixedAllocator::FixedAllocator(sdk::Host host) : host_(host) {
    const stream_config_v1* config = host_.raw()->config;
    if (!config || !config->has(config->ctx, "layers")) return;
    if (config->get_table(config->ctx, "layers", &layer_cores_) != STREAM_OK || !layer_cores_)
        throw sdk::Error(STREAM_ERROR_INVALID_CONFIG, "layers must be a table of layer name = core id",
                         sdk::Item::config_key("layers"));
}

sdk::AllocationResult FixedAllocator::allocate(const stream_problem_v1& problem,
                                               const stream_evaluator_v1& evaluator) {
    std::unordered_map<int64_t, const char*> layer_names;
    for (const stream_layer_v1& layer : sdk::view(problem.layers, problem.layer_count))
        layer_names.emplace(layer.id, layer.name);
    auto layer_name = [&](int64_t layer) -> std::string {
        auto it = layer_names.find(layer);
        return it != layer_names.end() && it->second ? it->second : std::string{};
    };
    auto layer_label = [&](int64_t layer) {
        std::string name = layer_name(layer);
        return "layer " + std::to_string(layer) + (name.empty() ? "" : " '" + name + "'");
    };

    sdk::AllocationResult result;
    result.unit_core.reserve(problem.unit_count);
    // Every unallocatable layer is described, once, before failing: the user fixes them in one go.
    std::vector<Problem> problems;
    std::unordered_set<int64_t> reported_layers;
    auto fail = [&](const stream_alloc_unit_v1& unit, std::string message) {
        if (reported_layers.insert(unit.layer).second)
            problems.push_back({sdk::Item::layer(unit.layer, layer_name(unit.layer)), std::move(message)});
    };

    for (const stream_alloc_unit_v1& unit : sdk::view(problem.units, problem.unit_count)) {
        const std::string name = layer_name(unit.layer);
        std::optional<int64_t> from_table;
        if (layer_cores_ && !name.empty() && layer_cores_->has(layer_cores_->ctx, name.c_str())) {
            int64_t core = -1;
            if (layer_cores_->get_int(layer_cores_->ctx, name.c_str(), &core) != STREAM_OK)
                throw sdk::Error(STREAM_ERROR_INVALID_CONFIG, "layers." + name + " must be a core id",
                                 sdk::Item::config_key("layers"));
            from_table = core;
        }

        int64_t core = -1;
        const char* source = "";
        if (unit.fixed_core >= 0) {
            core = unit.fixed_core;
            source = "the mapping";
            if (from_table && *from_table != core)
                host_.warn(layer_label(unit.layer) + ": the mapping pins it to core " + std::to_string(core) +
                           ", which wins over layers." + name + " = " + std::to_string(*from_table));
        } else if (from_table) {
            core = *from_table;
            source = "the layers table";
        } else if (unit.cost_count == 1) {
            core = unit.costs[0].core;
        } else {
            fail(unit, layer_label(unit.layer) + " has " + std::to_string(unit.cost_count) +
                           " candidate cores (" + describe_candidates(problem, unit) +
                           ") and none is fixed: pin it in the mapping or add " +
                           (name.empty() ? std::string{"<layer name>"} : name) + " = <core id> to layers");
            result.unit_core.push_back(-1);
            continue;
        }
        if (!is_candidate(unit, core)) {
            fail(unit, layer_label(unit.layer) + ": core " + describe_core(problem, core) + " (from " + source +
                           ") is not among its candidate cores (" + describe_candidates(problem, unit) + ")");
        }
        result.unit_core.push_back(core);
    }

    if (!problems.empty()) {
        for (std::size_t i = 0; i + 1 < problems.size(); ++i) host_.report_error(problems[i].item, problems[i].message);
        throw sdk::Error(STREAM_ERROR_INVALID_INPUT, problems.back().message, problems.back().item);
    }

    stream_allocation_v1 allocation{sizeof(stream_allocation_v1), result.unit_core.data(),
                                    static_cast<uint32_t>(result.unit_core.size()), nullptr, 0};
    stream_metrics_v1 metrics{};
    metrics.struct_size = sizeof metrics;
    stream_status status = evaluator.evaluate(evaluator.ctx, &allocation, &metrics);
    if (status != STREAM_OK)
        throw sdk::Error(status, "the fixed allocation could not be evaluated (status " + std::to_string(status) + ")");

    // There is exactly one allocation, so its objective is both optimal and its own bound.
    result.objective = metrics.latency_cycles * metrics.energy_pj;
    result.best_bound = result.objective;
    result.proven_optimal = true;
    result.summary = "fixed allocation of " + std::to_string(result.unit_core.size()) + " units";
    return result;
}

} // namespace stream::plugins
