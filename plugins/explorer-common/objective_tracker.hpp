// Every evaluation an explorer makes goes through here. The tracker normalises
// the point, answers points it has seen from its own memory (so a search that
// comes back to a point neither calls the host nor counts it), keeps the best
// point, and stops for good at the first CANCELLED or when the host's progress
// call asks to stop: after that no point reaches the host again. The host
// keeps its own best, so the best here is only what the search continues from
// and what the summary reports.
#pragma once

#include <mapping_space.hpp>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <limits>
#include <string>
#include <unordered_map>
#include <utility>

namespace stream::plugins::explore {

/// "1.23e+15": objectives span many orders of magnitude.
inline std::string objective_text(double value) {
    if (!std::isfinite(value)) return "none";
    char text[32];
    std::snprintf(text, sizeof text, "%.3g", value);
    return text;
}

class ObjectiveTracker {
public:
    static constexpr double infeasible = std::numeric_limits<double>::infinity();

    ObjectiveTracker(const MappingSpace& space, const stream_mapping_evaluator_v1& evaluator, sdk::Host host,
                     std::string strategy)
        : space_(space), evaluator_(evaluator), host_(host), strategy_(std::move(strategy)) {}

    /// Evaluates the host's seeds (free: the host evaluated them before the
    /// search) and makes the best of them the best point. Without a feasible
    /// seed the best point is layer by layer, with no objective.
    void evaluate_seeds() {
        const stream_mapping_space_v1& raw = space_.raw();
        best_ = space_.layer_by_layer();
        for (std::uint32_t s = 0; s < raw.seed_count && !stopped_; ++s) {
            const sdk::Mapping seed(*STREAM_AT(stream_mapping_v1, raw.seeds, s));
            // As given, so that the host recognises it; remembered in normal form.
            const double objective = call(seed, false);
            if (stopped_) break;
            memo_.emplace(key(space_.normalised(seed)), objective);
            if (objective < best_objective_) {
                best_ = space_.normalised(seed);
                best_objective_ = objective;
                seed_objective_ = objective;
                seed_name_ = s == 0 ? "layer by layer" : s == 1 ? "user mapping" : "seed " + std::to_string(s);
            }
        }
    }

    /// The objective of `m` (lower is better), or `infeasible` when the host
    /// found no allocation or schedule for it or the search has stopped.
    double evaluate(const sdk::Mapping& m) {
        if (stopped_) return infeasible;
        const sdk::Mapping point = space_.normalised(m);
        std::string k = key(point);
        if (auto it = memo_.find(k); it != memo_.end()) {
            // A search walking points it knows never calls the host, so it asks whether the
            // budget (or the user's patience) is spent: the host cannot stop it otherwise.
            if (budget_left() <= 0.0) {
                stopped_ = true;
                return infeasible;
            }
            return it->second;
        }
        const double objective = call(point, true);
        if (stopped_) return infeasible;
        memo_.emplace(std::move(k), objective);
        if (objective < best_objective_) {
            best_ = point;
            best_objective_ = objective;
        }
        return objective;
    }

    /// True once the budget is spent or the user interrupted: the search returns at once.
    bool stopped() const { return stopped_; }
    /// The number of evaluations the search expects to make, for the host's progress display (0: unknown).
    void expect_evaluations(double total) { expected_ = total; }
    /// The part of the host's budget still left, in [0, 1]; 1 when none is set.
    double budget_left() const {
        if (!STREAM_HAS_FIELD(stream_mapping_evaluator_v1, evaluator_.struct_size, budget_left) ||
            !evaluator_.budget_left)
            return 1.0;
        return std::clamp(evaluator_.budget_left(evaluator_.ctx), 0.0, 1.0);
    }

    const sdk::Mapping& best() const { return best_; }
    double best_objective() const { return best_objective_; }
    /// Evaluations the host made for this search (OK or INFEASIBLE, seeds and repeats excluded).
    std::uint64_t evaluations() const { return evaluations_; }
    std::uint64_t infeasible_count() const { return infeasible_; }

    /// "143 evaluations<detail> (2 infeasible), best objective 1.23e+15 (seed 'layer by layer' 2e+15)",
    /// plus a note when the host stopped the search; `detail` says what the strategy did, e.g. " in 4 passes".
    std::string summary(const std::string& detail = {}) const {
        std::string text = std::to_string(evaluations_) + (evaluations_ == 1 ? " evaluation" : " evaluations") + detail;
        if (infeasible_) text += " (" + std::to_string(infeasible_) + " infeasible)";
        text += ", best objective " + objective_text(best_objective_);
        text += seed_name_.empty() ? std::string(" (no feasible seed)")
                                   : " (seed '" + seed_name_ + "' " + objective_text(seed_objective_) + ")";
        if (stopped_) text += ", stopped by the host (budget spent or interrupted)";
        return text;
    }

private:
    // One host call. INFEASIBLE is an answer; CANCELLED ends the search; anything
    // else means the host or this plugin broke the contract.
    double call(const sdk::Mapping& m, bool counted) {
        const sdk::Evaluation e = sdk::evaluate(evaluator_, m);
        if (e.stop()) {
            stopped_ = true;
            return infeasible;
        }
        if (e.status != STREAM_OK && e.status != STREAM_ERROR_INFEASIBLE)
            throw sdk::Error(e.status == STREAM_ERROR_INVALID_INPUT ? STREAM_ERROR_INTERNAL : e.status,
                             "the host could not evaluate a mapping of the space (status " + std::to_string(e.status) +
                                 ")");
        if (counted) {
            ++evaluations_;
            if (!e.ok()) ++infeasible_;
            // The host's progress answer is its other way to say stop (its budget or an interrupt).
            if (host_.progress(static_cast<double>(evaluations_), expected_, strategy_.c_str())) stopped_ = true;
        }
        return e.ok() ? e.objective : infeasible;
    }

    // The point's bytes: one per stack start, four per tiling and split.
    static std::string key(const sdk::Mapping& m) {
        std::string k;
        k.reserve(m.stack_start.size() * 9);
        for (std::size_t i = 0; i < m.stack_start.size(); ++i) {
            k.push_back(static_cast<char>(m.stack_start[i]));
            k.append(reinterpret_cast<const char*>(&m.tiling[i]), sizeof m.tiling[i]);
            k.append(reinterpret_cast<const char*>(&m.split[i]), sizeof m.split[i]);
        }
        return k;
    }

    const MappingSpace& space_;
    const stream_mapping_evaluator_v1& evaluator_;
    sdk::Host host_;
    std::string strategy_;
    std::unordered_map<std::string, double> memo_;
    sdk::Mapping best_;
    double best_objective_ = infeasible;
    double seed_objective_ = infeasible;
    std::string seed_name_;
    std::uint64_t evaluations_ = 0;
    std::uint64_t infeasible_ = 0;
    double expected_ = 0;
    bool stopped_ = false;
};

} // namespace stream::plugins::explore
