#include "report/ExplorationReport.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace stream {

namespace {

nlohmann::json candidate_json(const ExplorationResult& e, const Workload& w, std::size_t index) {
    using nlohmann::json;
    const CandidateRecord& r = e.records[index];
    json layers = json::object();
    for (std::size_t i = 0; i < e.space.choices.size(); ++i) {
        const LayerChoices& c = e.space.choices[i];
        const TilingOption& o = c.tilings[r.point.tiling[i]];
        json entry = {{"tiles", o.tiles}};
        entry["loop"] = o.dim.empty() ? json(nullptr) : json(o.dim);
        if (!c.split_dim.empty()) entry["split"] = r.point.split[i];
        layers[w.layers[static_cast<std::size_t>(c.layer)].name] = entry;
    }
    json j = {{"index", index}, {"layer_stacks", e.stacks_text(r)}, {"feasible", r.feasible}, {"layers", layers}};
    if (r.feasible) {
        j["latency_cycles"] = r.metrics.latency_cycles;
        j["energy_pj"] = r.metrics.energy_pj;
        j["edp"] = r.metrics.edp;
        j["peak_memory_bits"] = r.metrics.peak_memory_bits;
        j["objective"] = r.objective;
        j["n_cns"] = r.cns;
    } else {
        j["why_infeasible"] = r.why_infeasible;
    }
    return j;
}

std::size_t stack_count(const CandidateRecord& r) {
    return static_cast<std::size_t>(std::count(r.point.stack_start.begin(), r.point.stack_start.end(), 1));
}

} // namespace

nlohmann::json exploration_json(const ExplorationResult& e, const Workload& w) {
    using nlohmann::json;
    std::size_t feasible = 0;
    for (const CandidateRecord& r : e.records) feasible += r.feasible;
    json j = {{"strategy", e.strategy},
              {"summary", e.strategy_summary},
              {"objective", e.settings.objective},
              {"seed", e.settings.seed},
              {"stacks_searched", e.settings.stacks_searched},
              {"evaluations", e.records.size()},
              {"feasible", feasible},
              {"schedules", e.schedules},
              {"seconds", e.seconds},
              {"time_budget_s", e.settings.time_budget_s},
              {"max_evaluations", e.settings.max_evaluations},
              {"interrupted", e.interrupted}};
    j["chosen"] = candidate_json(e, w, e.chosen);
    if (e.layer_by_layer) j["layer_by_layer"] = candidate_json(e, w, *e.layer_by_layer);
    if (e.user_mapping) j["as_written"] = candidate_json(e, w, *e.user_mapping);
    json front = json::array();
    for (std::size_t i : e.front) front.push_back(candidate_json(e, w, i));
    j["pareto_front"] = front;
    return j;
}

std::string exploration_summary(const ExplorationResult& e) {
    const CandidateRecord& best = e.best();
    std::string s = fmt::format("search       {}: {} mappings evaluated ({} schedules) in {:.1f} s{}; {}\n", e.strategy,
                                e.records.size(), e.schedules, e.seconds, e.interrupted ? ", interrupted" : "", e.strategy_summary);
    std::string tiles;
    for (std::size_t i = 0; i < e.space.choices.size(); ++i) {
        const bool alone = best.point.stack_start[i] && (i + 1 == e.space.choices.size() || best.point.stack_start[i + 1]);
        const LayerChoices& c = e.space.choices[i];
        if (alone && (c.split_dim.empty() || best.point.split[i] == 1)) continue;
        tiles += fmt::format("{}{} {}", tiles.empty() ? "" : ", ", c.layer, describe_layer_choice(e.space, best.point, i));
    }
    s += fmt::format("  chosen     {} stacks: {}\n", stack_count(best), e.stacks_text(best));
    if (!tiles.empty()) s += fmt::format("  tiles      {}\n", tiles);
    auto ratio = [&](const char* what, const std::optional<std::size_t>& other) {
        if (!other) return;
        const CandidateRecord& o = e.records[*other];
        if (!o.feasible) {
            s += fmt::format("  vs {:<16} infeasible ({})\n", what, o.why_infeasible);
            return;
        }
        s += fmt::format("  vs {:<16} {} {:.4g} vs {:.4g}: {:.3g}x better (latency {:.3g}x, energy {:.3g}x)\n", what,
                         e.settings.objective, best.objective, o.objective, best.objective > 0 ? o.objective / best.objective : 0.0,
                         best.metrics.latency_cycles > 0 ? o.metrics.latency_cycles / best.metrics.latency_cycles : 0.0,
                         best.metrics.energy_pj > 0 ? o.metrics.energy_pj / best.metrics.energy_pj : 0.0);
    };
    ratio("layer by layer", e.layer_by_layer);
    ratio("as written", e.user_mapping);
    return s;
}

std::string chosen_mapping_toml(const ExplorationResult& e, const Workload& w, const Mapping& base, std::string& layer_stacks) {
    const CandidateRecord& best = e.best();
    layer_stacks = e.stacks_text(best);
    std::string out = fmt::format(
        "# The mapping a search chose ({}, objective {} = {:.6g}). Reproduce the run without searching:\n"
        "#   stream-dse run PIPELINE --mapping THIS_FILE --layer-stacks \"{}\"\n"
        "# (the pipeline's [mapping] mode must be \"fused\").\n",
        e.strategy, e.settings.objective, best.objective, layer_stacks);
    auto factors = [](const std::vector<TilingFactor>& f) {
        std::string t;
        for (const TilingFactor& x : f) {
            std::string factor = x.kind == TilingFactor::Kind::All ? "\"all\"" : x.kind == TilingFactor::Kind::Star ? "\"*\"" : std::to_string(x.factor);
            t += fmt::format("{}[\"{}\", {}]", t.empty() ? "" : ", ", x.dim, factor);
        }
        return "[" + t + "]";
    };
    for (std::size_t i = 0; i < e.space.choices.size(); ++i) {
        const LayerChoices& c = e.space.choices[i];
        const Layer& l = w.layers[static_cast<std::size_t>(c.layer)];
        auto resolved = base.resolve(l);
        if (!resolved) continue;
        const TilingOption& o = c.tilings[best.point.tiling[i]];
        std::string cores;
        for (std::int64_t core : resolved->cores) cores += fmt::format("{}{}", cores.empty() ? "" : ", ", core);
        out += fmt::format("\n[layers.\"{}\"]\ncores = [{}]\n", l.name, cores);
        if (resolved->fixed) out += "fixed = true\n";
        out += fmt::format("intra_core_tiling = [[\"{}\", {}]]\n", o.dim.empty() ? l.loop_dims.front().name : o.dim, o.tiles);
        std::vector<TilingFactor> inter = resolved->inter_core_tiling;
        if (!c.split_dim.empty()) inter = {{c.split_dim, TilingFactor::Kind::Count, best.point.split[i], {}}};
        std::erase_if(inter, [](const TilingFactor& f) { return f.kind == TilingFactor::Kind::Search; });
        if (!inter.empty()) out += fmt::format("inter_core_tiling = {}\n", factors(inter));
    }
    return out;
}

} // namespace stream
