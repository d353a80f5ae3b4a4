#include "SlotSearch.hpp"

#include "SlotModel.hpp"

#include <gecode/search.hh>

#include <algorithm>
#include <atomic>
#include <memory>
#include <vector>

namespace stream::plugins::gecode_alloc {

namespace {

using Clock = std::chrono::steady_clock;

/// Stops the search at the deadline or when the host cancels. Gecode may call
/// it from several search threads at once, hence the atomics.
class DeadlineStop : public Gecode::Search::Stop {
public:
    DeadlineStop(Clock::time_point deadline, const std::function<bool()>& cancelled)
        : deadline_(deadline), cancelled_(cancelled) {}

    bool stop(const Gecode::Search::Statistics&, const Gecode::Search::Options&) override {
        if (cancelled_ && cancelled_()) cancelled_hit_ = true;
        if (Clock::now() >= deadline_) deadline_hit_ = true;
        return cancelled_hit_ || deadline_hit_;
    }
    bool was_cancelled() const { return cancelled_hit_; }

private:
    Clock::time_point deadline_;
    const std::function<bool()>& cancelled_;
    std::atomic<bool> deadline_hit_{false};
    std::atomic<bool> cancelled_hit_{false};
};

/// Gecode's geometric cutoffs (scale * base^i fails), saturating instead of overflowing: an
/// LNS neighbourhood that fails at the root is retried without a solution, and each retry takes
/// the next cutoff, so after a hundred of them the plain sequence leaves unsigned long and the
/// complete restarts get cutoffs too small to ever finish.
class SaturatingGeometric : public Gecode::Search::Cutoff {
public:
    SaturatingGeometric(unsigned long scale, double base) : scale_(static_cast<double>(scale)), base_(base) {}
    unsigned long operator()() const override {
        constexpr double kMaxFails = 1e15;
        return static_cast<unsigned long>(std::min(scale_ * n_, kMaxFails));
    }
    unsigned long operator++() override {
        n_ = std::min(n_ * base_, 1e300);
        return (*this)();
    }

private:
    double n_ = 1.0;
    double scale_;
    double base_;
};

double seconds_since(Clock::time_point start) { return std::chrono::duration<double>(Clock::now() - start).count(); }

Gecode::Search::Options options(unsigned threads, bool restarts, DeadlineStop& stop) {
    Gecode::Search::Options o;
    // Gecode reads 0 as "one thread per core", as the threads key does.
    o.threads = static_cast<double>(threads);
    o.stop = &stop;
    // Geometric cutoffs (100 fails, growing by 1.5): the complete restarts need ever longer
    // runs to finish a proof, the neighbourhood restarts short ones.
    if (restarts) o.cutoff = new SaturatingGeometric(100, 1.5);
    return o;
}

// Whether the whole model has a solution: true, false, or nothing on timeout.
std::optional<bool> satisfiable(const SlotInstance& instance, const SearchSettings& settings) {
    SlotModel root(instance, settings.objective);
    if (root.status() == Gecode::SS_FAILED) return false;
    DeadlineStop stop(settings.deadline, settings.cancelled);
    const Gecode::Search::Options o = options(1, false, stop);
    Gecode::DFS<SlotModel> dfs(&root, o);
    std::unique_ptr<SlotModel> found(dfs.next());
    if (found) return true;
    if (dfs.stopped()) return std::nullopt;
    return false;
}

} // namespace

SearchResult solve(const SlotInstance& instance, const SearchSettings& settings) {
    const Clock::time_point start = Clock::now();
    SearchResult r;
    SlotModel root(instance, settings.objective, settings.weight_capacity);
    if (root.status() == Gecode::SS_FAILED) {
        r.status = SearchStatus::infeasible;
        r.seconds = seconds_since(start);
        return r;
    }
    // Root propagation already bounds the objective from below.
    const long long root_bound = root.lower_bound();

    DeadlineStop stop(settings.deadline, settings.cancelled);
    const Gecode::Search::Options o = options(settings.threads, settings.restarts, stop);
    std::unique_ptr<Gecode::Search::Base<SlotModel>> engine;
    if (settings.restarts)
        engine = std::make_unique<Gecode::RBS<SlotModel, Gecode::BAB>>(&root, o);
    else
        engine = std::make_unique<Gecode::BAB<SlotModel>>(&root, o);

    std::unique_ptr<SlotModel> best;
    while (SlotModel* s = engine->next()) {
        // Each solution branch and bound returns is strictly better than the last.
        best.reset(s);
        if (r.solutions++ == 0) r.seconds_to_first = seconds_since(start);
    }
    const bool stopped = engine->stopped();
    const Gecode::Search::Statistics stats = engine->statistics();
    r.nodes = stats.node;
    r.fails = stats.fail;
    r.restarts = stats.restart;
    r.cancelled = stop.was_cancelled();
    r.seconds = seconds_since(start);

    if (best) {
        r.assignment = best->assignment();
        r.value = best->value();
        r.objective = objective_value(settings.objective, r.value);
        // A best solution that meets the root bound is optimal even when the search was
        // stopped (it was still looking for a better tie-break).
        const bool proven = !stopped || root_bound >= r.objective;
        r.status = proven ? SearchStatus::optimal : SearchStatus::limit_hit;
        r.bound = proven ? r.objective : root_bound;
    } else {
        r.status = stopped ? SearchStatus::no_solution : SearchStatus::infeasible;
        if (stopped) r.bound = root_bound;
    }
    return r;
}

std::optional<std::string> structural_family(const SlotInstance& instance) {
    for (const SlotInstance::Unit& u : instance.units)
        if (u.allowed.empty()) return "candidate cores";
    // Kahn's algorithm: a node never released lies on a cycle.
    const std::size_t V = instance.nodes.size();
    std::vector<std::size_t> waiting(V, 0);
    std::vector<std::vector<std::size_t>> succs(V);
    for (const auto& [from, to] : instance.edges) {
        succs[from].push_back(to);
        ++waiting[to];
    }
    std::vector<std::size_t> ready;
    for (std::size_t i = 0; i < V; ++i)
        if (waiting[i] == 0) ready.push_back(i);
    std::size_t released = 0;
    while (!ready.empty()) {
        const std::size_t i = ready.back();
        ready.pop_back();
        ++released;
        for (std::size_t s : succs[i])
            if (--waiting[s] == 0) ready.push_back(s);
    }
    if (released < V) return "precedence";
    return std::nullopt;
}

std::optional<std::string> failing_family(const SlotInstance& instance, const SearchSettings& settings) {
    if (auto family = structural_family(instance)) return family;
    if (instance.nodes.empty()) return std::nullopt;
    // Only the weight capacities are left to fail (see structural_family). Leaving out one
    // family at a time would not tell more: the implied bounds the model always posts assume
    // one node per core per slot, and without it an infeasible model can take exponentially
    // long to refute.
    std::optional<bool> ok = satisfiable(instance, settings);
    if (ok && !*ok) return std::string("weight capacity");
    return std::nullopt;
}

} // namespace stream::plugins::gecode_alloc
