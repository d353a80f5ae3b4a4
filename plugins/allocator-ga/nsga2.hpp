// NSGA-II (Deb et al., 2002) over allocation genomes, independent of the
// plugin ABI: it asks a callback to evaluate batches of genomes and another
// to report each generation. Each generation makes `population` offspring
// (binary tournament on rank and crowding, crossover, mutation), evaluates
// the ones never seen before as one batch, and keeps the best `population`
// distinct genomes of parents and offspring by non-dominated rank, then
// crowding distance; once every genome of a small space has been evaluated
// it stops, as more generations cannot change the front. An archive keeps the non-dominated set of everything
// evaluated (DEAP's ParetoFront hall of fame), which is what the GA returns.
//
// All random draws happen on the calling thread, before a batch is handed
// out, and batch results come back by index: a seed fixes the whole run,
// whatever the evaluation callback does in parallel.
#pragma once

#include "evaluation_cache.hpp"
#include "ga_settings.hpp"

#include <allocation_genes.hpp>
#include <batch_evaluator.hpp>

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <vector>

namespace stream::plugins::ga {

/// What the GA knows after a generation (generation 0 is the initial population).
struct GenerationReport {
    std::size_t generation = 0;
    std::size_t generations = 0;
    std::size_t evaluations = 0;  ///< distinct genomes evaluated so far
    std::size_t front_size = 0;
    double best_latency = 0;      ///< over every feasible evaluation; +inf while there is none
    double best_energy = 0;
};

struct Nsga2Result {
    EvaluationCache evaluated;          ///< every distinct genome evaluated, in order
    std::vector<std::size_t> front;     ///< ids of the non-dominated feasible genomes
    std::size_t generations_run = 0;
    std::size_t duplicates = 0;         ///< offspring answered from the cache
    bool stopped = false;               ///< the report callback asked to stop early
    bool exhausted = false;             ///< every genome of the space was evaluated: the front is exact
};

class Nsga2 {
public:
    /// Evaluates genomes[i] into out[i] for every i.
    using EvaluateBatch = std::function<void(std::span<const alloc::Genome> genomes, std::span<alloc::Evaluation> out)>;
    /// Returns true to stop after this generation.
    using OnGeneration = std::function<bool(const GenerationReport&)>;

    /// `radices` are the candidate counts of the genes (each >= 2); `seed_genome`
    /// (e.g. the greedy allocation) joins the initial population when given.
    Nsga2(const GaSettings& settings, std::vector<std::uint32_t> radices, std::optional<alloc::Genome> seed_genome);

    Nsga2Result run(const EvaluateBatch& evaluate, const OnGeneration& on_generation) const;

private:
    GaSettings settings_;
    std::vector<std::uint32_t> radices_;
    std::optional<alloc::Genome> seed_genome_;
    std::size_t space_size_; ///< number of distinct genomes, saturated at SIZE_MAX
};

} // namespace stream::plugins::ga
