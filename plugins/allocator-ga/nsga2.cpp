#include "nsga2.hpp"

#include "genetic_operators.hpp"
#include "random.hpp"

#include <objective.hpp>
#include <pareto.hpp>

#include <algorithm>
#include <limits>
#include <numeric>
#include <unordered_set>
#include <utility>

namespace stream::plugins::ga {

namespace {

constexpr double infinity = std::numeric_limits<double>::infinity();

/// A population member: a genome id with its NSGA-II rank and crowding distance.
struct Member {
    std::size_t id = 0;
    std::size_t rank = 0;
    double crowding = 0;
};

/// The mutable state of one run; Nsga2 itself stays const so a run cannot leak into the next.
class Search {
public:
    Search(const GaSettings& settings, const std::vector<std::uint32_t>& radices, const Nsga2::EvaluateBatch& evaluate)
        : settings_(settings), operators_(radices, settings.crossover), random_(settings.seed), evaluate_(evaluate) {}

    /// Ids of `genomes` (in order), evaluating those never seen, as one batch.
    std::vector<std::size_t> evaluate(const std::vector<alloc::Genome>& genomes) {
        const std::size_t first_new = result_.evaluated.size();
        std::vector<std::size_t> ids;
        ids.reserve(genomes.size());
        for (const alloc::Genome& g : genomes) {
            auto [id, added] = result_.evaluated.insert(g);
            if (!added) ++result_.duplicates;
            ids.push_back(id);
        }
        const std::size_t fresh = result_.evaluated.size() - first_new;
        if (fresh > 0) {
            std::span<const alloc::Genome> batch(result_.evaluated.genomes().data() + first_new, fresh);
            std::span<alloc::Evaluation> out(result_.evaluated.evaluations().data() + first_new, fresh);
            evaluate_(batch, out);
            for (std::size_t id = first_new; id < result_.evaluated.size(); ++id) admit(id);
        }
        return ids;
    }

    /// The first `population` distinct ids of `candidates` by rank, then crowding distance.
    void select(std::vector<std::size_t> candidates) {
        // Distinct, first occurrence kept: clones would crowd out diversity.
        std::vector<std::size_t> distinct;
        std::vector<char> seen(result_.evaluated.size(), 0);
        for (std::size_t id : candidates)
            if (!seen[id]) {
                seen[id] = 1;
                distinct.push_back(id);
            }
        std::vector<std::vector<double>> pts;
        pts.reserve(distinct.size());
        for (std::size_t id : distinct) pts.push_back(points_[id]);

        population_.clear();
        const auto fronts = alloc::non_dominated_sort(pts);
        for (std::size_t rank = 0; rank < fronts.size() && population_.size() < settings_.population; ++rank) {
            const auto& front = fronts[rank];
            const std::vector<double> crowding = alloc::crowding_distance(pts, front);
            std::vector<std::size_t> order(front.size());
            std::iota(order.begin(), order.end(), std::size_t{0});
            if (population_.size() + front.size() > settings_.population)
                std::stable_sort(order.begin(), order.end(),
                                 [&](std::size_t a, std::size_t b) { return crowding[a] > crowding[b]; });
            for (std::size_t k : order) {
                if (population_.size() == settings_.population) break;
                population_.push_back({distinct[front[k]], rank, crowding[k]});
            }
        }
    }

    /// `population` offspring of the current population. A child that was
    /// evaluated before (or is a twin of an earlier child) is mutated again, a
    /// few times at most: in a small discrete space a converged population
    /// otherwise spends most of each generation re-proposing known genomes,
    /// which cost nothing but also teach nothing.
    std::vector<alloc::Genome> offspring() {
        std::vector<alloc::Genome> children;
        children.reserve(settings_.population + 1);
        std::unordered_set<alloc::Genome, GenomeHash> proposed;
        auto add = [&](alloc::Genome child) {
            for (int retry = 0; retry < max_novelty_retries && !novel(child, proposed); ++retry)
                operators_.mutate(child, random_);
            proposed.insert(child);
            children.push_back(std::move(child));
        };
        while (children.size() < settings_.population) {
            alloc::Genome a = result_.evaluated.genome(tournament().id);
            alloc::Genome b = result_.evaluated.genome(tournament().id);
            if (random_.chance(settings_.crossover_probability)) operators_.crossover(a, b, random_);
            if (random_.chance(settings_.mutation_probability)) operators_.mutate(a, random_);
            if (random_.chance(settings_.mutation_probability)) operators_.mutate(b, random_);
            add(std::move(a));
            if (children.size() < settings_.population) add(std::move(b));
        }
        return children;
    }

    std::vector<alloc::Genome> initial(const std::optional<alloc::Genome>& seed_genome) {
        std::vector<alloc::Genome> genomes;
        if (seed_genome) genomes.push_back(*seed_genome);
        while (genomes.size() < settings_.population) genomes.push_back(operators_.random_genome(random_));
        return genomes;
    }

    const std::vector<Member>& population() const noexcept { return population_; }

    GenerationReport report(std::size_t generation) const {
        return {generation, settings_.generations, result_.evaluated.size(), archive_.size(), best_latency_, best_energy_};
    }

    std::size_t evaluated() const noexcept { return result_.evaluated.size(); }

    Nsga2Result finish(std::size_t generations_run, bool stopped, bool exhausted) {
        result_.generations_run = generations_run;
        result_.stopped = stopped;
        result_.exhausted = exhausted;
        // Sorted by the objectives, so the report lists the front from one extreme to the other.
        std::sort(archive_.begin(), archive_.end(), [&](std::size_t a, std::size_t b) {
            return points_[a] != points_[b] ? points_[a] < points_[b] : a < b;
        });
        result_.front = std::move(archive_);
        return std::move(result_);
    }

private:
    static constexpr int max_novelty_retries = 8;

    bool novel(const alloc::Genome& g, const std::unordered_set<alloc::Genome, GenomeHash>& proposed) const {
        return !result_.evaluated.contains(g) && !proposed.count(g);
    }

    /// Records a new evaluation: its objective point, the best metrics and the archive.
    void admit(std::size_t id) {
        const alloc::Evaluation& e = result_.evaluated.evaluation(id);
        std::vector<double> point(settings_.objectives.size(), infinity);
        if (e.feasible()) {
            for (std::size_t m = 0; m < point.size(); ++m) point[m] = alloc::objective_value(settings_.objectives[m], e.metrics);
            best_latency_ = std::min(best_latency_, e.metrics.latency_cycles);
            best_energy_ = std::min(best_energy_, e.metrics.energy_pj);
        }
        points_.push_back(std::move(point));
        if (!e.feasible()) return;
        const std::vector<double>& p = points_[id];
        // A point equal to an archived one adds nothing to the front: the first one found stays.
        for (std::size_t a : archive_)
            if (points_[a] == p || alloc::dominates(points_[a], p)) return;
        std::erase_if(archive_, [&](std::size_t a) { return alloc::dominates(p, points_[a]); });
        archive_.push_back(id);
    }

    /// Binary tournament: the lower rank wins, then the larger crowding distance, then the first drawn.
    const Member& tournament() {
        const Member& a = population_[random_.below(population_.size())];
        const Member& b = population_[random_.below(population_.size())];
        if (a.rank != b.rank) return a.rank < b.rank ? a : b;
        return b.crowding > a.crowding ? b : a;
    }

    const GaSettings& settings_;
    GeneticOperators operators_;
    Random random_;
    const Nsga2::EvaluateBatch& evaluate_;
    Nsga2Result result_;
    std::vector<std::vector<double>> points_; ///< per id: objective values, +inf when infeasible
    std::vector<std::size_t> archive_;        ///< ids of the non-dominated feasible evaluations
    std::vector<Member> population_;
    double best_latency_ = infinity;
    double best_energy_ = infinity;
};

} // namespace

Nsga2::Nsga2(const GaSettings& settings, std::vector<std::uint32_t> radices, std::optional<alloc::Genome> seed_genome)
    : settings_(settings), radices_(std::move(radices)), seed_genome_(std::move(seed_genome)),
      space_size_(std::numeric_limits<std::size_t>::max()) {
    std::size_t size = 1;
    for (std::uint32_t r : radices_) {
        if (size > std::numeric_limits<std::size_t>::max() / r) return; // saturated: never exhausted
        size *= r;
    }
    space_size_ = size;
}

Nsga2Result Nsga2::run(const EvaluateBatch& evaluate, const OnGeneration& on_generation) const {
    Search search(settings_, radices_, evaluate);
    search.select(search.evaluate(search.initial(seed_genome_)));
    const bool stop = on_generation(search.report(0));
    if (search.evaluated() >= space_size_) return search.finish(0, false, true);
    if (stop && settings_.generations > 0) return search.finish(0, true, false);
    for (std::size_t generation = 1; generation <= settings_.generations; ++generation) {
        std::vector<std::size_t> candidates;
        for (const Member& m : search.population()) candidates.push_back(m.id);
        const std::vector<std::size_t> children = search.evaluate(search.offspring());
        candidates.insert(candidates.end(), children.begin(), children.end());
        search.select(std::move(candidates));
        const bool stop_here = on_generation(search.report(generation));
        if (search.evaluated() >= space_size_) return search.finish(generation, false, true);
        if (stop_here && generation < settings_.generations) return search.finish(generation, true, false);
    }
    return search.finish(settings_.generations, false, false);
}

} // namespace stream::plugins::ga
