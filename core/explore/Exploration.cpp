#include "explore/Exploration.hpp"

#include "plugin_host/AbiViews.hpp"
#include "sweep/ParetoFront.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace stream {

namespace {

/// The C views of a space; they point into `space`, which must outlive them.
struct SpaceView {
    std::vector<std::vector<stream_tiling_option_v1>> options;
    std::vector<stream_layer_choices_v1> choices;
    std::vector<stream_mapping_v1> seeds;
    stream_mapping_space_v1 c{};

    SpaceView(const MappingSpace& space, const SearchSettings& s, const stream_problem_v1& problem) {
        for (const LayerChoices& lc : space.choices) {
            auto& opts = options.emplace_back();
            for (const TilingOption& o : lc.tilings)
                opts.push_back({sizeof(stream_tiling_option_v1), o.dim.empty() ? nullptr : o.dim.c_str(), o.tiles});
        }
        for (std::size_t i = 0; i < space.choices.size(); ++i) {
            const LayerChoices& lc = space.choices[i];
            choices.push_back({sizeof(stream_layer_choices_v1), lc.layer, options[i].data(),
                               static_cast<std::uint32_t>(options[i].size()), lc.max_split, lc.stack_start_fixed,
                               lc.weight_bits, lc.output_bits, lc.macs});
        }
        for (const MappingPoint& p : space.seeds)
            seeds.push_back({sizeof(stream_mapping_v1), p.stack_start.data(), p.tiling.data(), p.split.data(),
                             static_cast<std::uint32_t>(p.stack_start.size())});
        c.struct_size = sizeof c;
        c.accelerator = problem.accelerator;
        c.layers = problem.layers;
        c.layer_count = problem.layer_count;
        c.choices = choices.data();
        c.choice_count = static_cast<std::uint32_t>(choices.size());
        c.seeds = seeds.data();
        c.seed_count = static_cast<std::uint32_t>(seeds.size());
        c.objective = s.objective.c_str();
        c.seed = s.seed;
        c.max_evaluations = s.max_evaluations;
        c.time_budget_s = s.time_budget_s;
    }
};

struct EvaluatorContext {
    CandidateEvaluator* evaluator;
    std::optional<Error> error; ///< a failure that must end the search (a plugin's, not the mapping's)
    std::optional<std::string> summary;
};

stream_status c_evaluate(void* ctx, const stream_mapping_v1* m, stream_metrics_v1* metrics, double* objective) {
    auto& self = *static_cast<EvaluatorContext*>(ctx);
    if (self.error) return STREAM_ERROR_CANCELLED;
    try {
        if (!m || !m->stack_start || !m->tiling || !m->split)
            throw Error(ErrorKind::Plugin, "the explorer asked to evaluate a NULL mapping or one without arrays");
        MappingPoint p{{m->stack_start, m->stack_start + m->count}, {m->tiling, m->tiling + m->count}, {m->split, m->split + m->count}};
        const CandidateRecord* r = nullptr;
        switch (self.evaluator->evaluate(p, &r)) {
        case CandidateEvaluator::Outcome::OutOfBudget: return STREAM_ERROR_CANCELLED;
        case CandidateEvaluator::Outcome::Infeasible: return STREAM_ERROR_INFEASIBLE;
        case CandidateEvaluator::Outcome::Evaluated: break;
        }
        if (metrics) *metrics = {sizeof(stream_metrics_v1), r->metrics.latency_cycles, r->metrics.energy_pj, r->metrics.edp,
                                 r->metrics.peak_memory_bits};
        if (objective) *objective = r->objective;
        return STREAM_OK;
    } catch (const Error& e) {
        // A mapping outside the space is the explorer's error; the host reports it once, at the end.
        self.error = e;
        return STREAM_ERROR_CANCELLED;
    }
}

std::vector<std::size_t> feasible_front(const std::vector<CandidateRecord>& records) {
    std::vector<std::size_t> feasible, front;
    std::vector<std::vector<double>> values;
    for (std::size_t i = 0; i < records.size(); ++i)
        if (records[i].feasible) {
            feasible.push_back(i);
            values.push_back({records[i].metrics.latency_cycles, records[i].metrics.energy_pj});
        }
    for (std::size_t k : sweep::pareto_front(values)) front.push_back(feasible[k]);
    return front;
}

double c_budget_left(void* ctx) { return static_cast<EvaluatorContext*>(ctx)->evaluator->budget_left(); }

void c_submit(void* ctx, const char* summary) { static_cast<EvaluatorContext*>(ctx)->summary = summary ? summary : ""; }

} // namespace

ExplorationResult explore_mappings(const PluginInstance<stream_explorer_v1>& explorer, CandidateInputs inputs, MappingSpace space,
                                   const SearchSettings& settings) {
    ExplorationResult result;
    result.strategy = explorer.library().info().id;
    result.settings = settings;
    result.workload_layers = inputs.workload->layers.size();
    Diagnostics& diag = *inputs.diag;
    CandidateEvaluator evaluator(inputs, space, settings);

    // The seeds first: whatever the strategy does, the result is never worse than them.
    for (std::size_t i = 0; i < space.seeds.size(); ++i) {
        const CandidateRecord* r = nullptr;
        if (evaluator.evaluate(space.seeds[i], &r) == CandidateEvaluator::Outcome::OutOfBudget) break;
    }

    CnGraph no_nodes;
    ProblemView problem(*inputs.accelerator, *inputs.core_model_configs, *inputs.workload, no_nodes,
                        inputs.compat_stream ? "stream" : "");
    SpaceView view(space, settings, problem.c());
    EvaluatorContext ctx{&evaluator, std::nullopt, std::nullopt};
    stream_mapping_evaluator_v1 c_evaluator{sizeof(stream_mapping_evaluator_v1), &ctx, &c_evaluate, &c_budget_left};
    stream_exploration_sink_v1 sink{sizeof(stream_exploration_sink_v1), &ctx, &c_submit};
    explorer.call("explore", [&](const stream_explorer_v1& vt, void* h) { return vt.explore(h, &view.c, &c_evaluator, &sink); });
    if (ctx.error) throw Error(ctx.error->kind(), fmt::format("{}: {}", explorer.library().describe(), ctx.error->message()));
    if (!ctx.summary)
        throw Error(ErrorKind::Plugin, fmt::format("{} returned success without submitting its summary", explorer.library().describe()));
    result.strategy_summary = *ctx.summary;

    const auto& records = evaluator.records();
    if (!evaluator.best()) {
        std::string reasons;
        for (std::size_t i = 0; i < records.size() && i < 3; ++i)
            reasons += fmt::format("\n  {}: {}", space.stacks_text(records[i].point, result.workload_layers), records[i].why_infeasible);
        throw Error(ErrorKind::Infeasible, fmt::format("the mapping search evaluated {} mappings and none is feasible{}",
                                                       records.size(), reasons));
    }
    result.chosen = *evaluator.best();
    for (std::size_t i = 0; i < records.size(); ++i) {
        // With the pipeline's stacks kept, no point of the space runs layer by layer.
        if (settings.stacks_searched && records[i].point == space.layer_by_layer) result.layer_by_layer = i;
        if (records[i].point == space.as_written) result.user_mapping = i;
    }
    result.front = feasible_front(records);
    result.seconds = evaluator.seconds();
    result.schedules = evaluator.schedules();
    result.interrupted = evaluator.interrupted();
    result.records = records;
    result.space = std::move(space);
    if (result.interrupted) diag.log(STREAM_LOG_WARNING, "host", "the mapping search was interrupted; the best mapping found so far is used");
    return result;
}

void reallocate_finalists(ExplorationResult& e, const CandidateInputs& in, const PluginInstance<stream_allocator_v1>& allocator) {
    std::vector<std::size_t> finalists = {e.chosen};
    for (auto other : {e.layer_by_layer, e.user_mapping})
        if (other && e.records[*other].feasible && std::find(finalists.begin(), finalists.end(), *other) == finalists.end())
            finalists.push_back(*other);
    for (std::size_t i : finalists) {
        CandidateRecord again = evaluate_candidate(in, e.space, e.settings, e.records[i].point, allocator);
        if (again.feasible && again.objective < e.records[i].objective) {
            again.schedules += e.records[i].schedules;
            e.records[i] = std::move(again);
        } else {
            e.records[i].schedules += again.schedules;
        }
        e.schedules += again.schedules;
        if (e.records[i].objective < e.records[e.chosen].objective) e.chosen = i;
    }
    e.front = feasible_front(e.records);
}

} // namespace stream
