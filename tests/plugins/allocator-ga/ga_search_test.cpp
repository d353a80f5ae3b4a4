// The GA's parts without the plugin ABI: random draws, variation operators
// and the NSGA-II loop with a plain function as fitness.
#include "genetic_operators.hpp"
#include "nsga2.hpp"
#include "random.hpp"

#include <doctest/doctest.h>

#include <map>
#include <set>
#include <vector>

using namespace stream::plugins;
using ga::Crossover;
using ga::GeneticOperators;
using ga::Random;

TEST_CASE("ga random: the same seed draws the same numbers, within bounds") {
    Random a(42), b(42), c(43);
    bool differs = false;
    for (int i = 0; i < 1000; ++i) {
        const auto x = a.below(7);
        CHECK(x == b.below(7));
        CHECK(x < 7);
        differs = differs || x != c.below(7);
        const double u = a.unit();
        CHECK(u == b.unit());
        CHECK(u >= 0.0);
        CHECK(u < 1.0);
        c.unit();
    }
    CHECK(differs);
    // every value of a small range shows up
    std::set<std::uint64_t> seen;
    for (int i = 0; i < 200; ++i) seen.insert(a.below(3));
    CHECK(seen == std::set<std::uint64_t>{0, 1, 2});
}

TEST_CASE("ga operators: mutation redraws genes from their own candidates and always changes something") {
    const std::vector<std::uint32_t> radices{2, 3, 5, 2, 4};
    GeneticOperators ops(radices, Crossover::uniform);
    Random random(1);
    std::map<std::size_t, std::set<std::uint32_t>> values;
    for (int i = 0; i < 2000; ++i) {
        alloc::Genome g = ops.random_genome(random);
        const alloc::Genome before = g;
        ops.mutate(g, random);
        CHECK(g != before);
        for (std::size_t k = 0; k < g.size(); ++k) {
            CHECK(g[k] < radices[k]);
            values[k].insert(g[k]);
        }
    }
    for (std::size_t k = 0; k < radices.size(); ++k) CHECK(values[k].size() == radices[k]);
}

TEST_CASE("ga operators: crossover only exchanges genes position by position") {
    for (Crossover kind : {Crossover::uniform, Crossover::two_point}) {
        const std::vector<std::uint32_t> radices{4, 4, 4, 4, 4, 4};
        GeneticOperators ops(radices, kind);
        Random random(3);
        bool exchanged = false;
        for (int i = 0; i < 500; ++i) {
            alloc::Genome a = ops.random_genome(random), b = ops.random_genome(random);
            const alloc::Genome pa = a, pb = b;
            ops.crossover(a, b, random);
            for (std::size_t k = 0; k < a.size(); ++k) {
                const bool kept = a[k] == pa[k] && b[k] == pb[k];
                const bool swapped = a[k] == pb[k] && b[k] == pa[k];
                CHECK((kept || swapped));
            }
            exchanged = exchanged || (a != pa && a != pb);
        }
        CHECK(exchanged);
    }
}

TEST_CASE("ga operators: two-point crossover exchanges one contiguous block") {
    GeneticOperators ops(std::vector<std::uint32_t>(8, 2), Crossover::two_point);
    Random random(9);
    for (int i = 0; i < 200; ++i) {
        alloc::Genome a(8, 0), b(8, 1);
        ops.crossover(a, b, random);
        // a is 0...0 1...1 0...0 with a non-empty block of ones
        std::size_t switches = 0;
        for (std::size_t k = 1; k < a.size(); ++k) switches += a[k] != a[k - 1];
        CHECK(a[0] == 0);
        CHECK(switches >= 1);
        CHECK(switches <= 2);
    }
}

TEST_CASE("ga operators: a gene needs two candidates") {
    CHECK_THROWS(GeneticOperators(std::vector<std::uint32_t>{3, 1}, Crossover::uniform));
}

namespace {

/// Fitness: latency = number of genes at 0, energy = number of genes at 1 (radix 3):
/// any genome whose genes are all 2 is ideal in both.
void count_fitness(std::span<const alloc::Genome> genomes, std::span<alloc::Evaluation> out) {
    for (std::size_t i = 0; i < genomes.size(); ++i) {
        double zeros = 0, ones = 0;
        for (std::uint32_t v : genomes[i]) {
            zeros += v == 0;
            ones += v == 1;
        }
        out[i].status = STREAM_OK;
        out[i].metrics = {sizeof(stream_metrics_v1), zeros, ones, zeros * ones, 0};
    }
}

} // namespace

TEST_CASE("nsga2: converges on a separable problem and never re-evaluates a genome") {
    ga::GaSettings settings;
    settings.seed_with_greedy = false;
    std::size_t evaluated = 0;
    std::set<alloc::Genome> seen;
    auto evaluate = [&](std::span<const alloc::Genome> genomes, std::span<alloc::Evaluation> out) {
        for (const auto& g : genomes) CHECK(seen.insert(g).second);
        evaluated += genomes.size();
        count_fitness(genomes, out);
    };
    std::vector<ga::GenerationReport> reports;
    auto on_generation = [&](const ga::GenerationReport& r) {
        reports.push_back(r);
        return false;
    };
    const auto result = ga::Nsga2(settings, std::vector<std::uint32_t>(10, 3), std::nullopt).run(evaluate, on_generation);
    CHECK(result.generations_run == settings.generations);
    CHECK_FALSE(result.stopped);
    CHECK(result.evaluated.size() == evaluated);
    CHECK(evaluated <= settings.population * (settings.generations + 1));
    CHECK(result.duplicates > 0);
    REQUIRE(result.front.size() == 1);
    CHECK(result.evaluated.genome(result.front[0]) == alloc::Genome(10, 2));
    REQUIRE(reports.size() == settings.generations + 1);
    CHECK(reports.front().generation == 0);
    CHECK(reports.back().best_latency == 0);
    CHECK(reports.back().best_energy == 0);
    for (std::size_t g = 1; g < reports.size(); ++g) CHECK(reports[g].evaluations >= reports[g - 1].evaluations);
}

TEST_CASE("nsga2: the seed genome is evaluated first, and a stop request is honoured") {
    ga::GaSettings settings;
    const alloc::Genome seed(6, 1);
    std::vector<alloc::Genome> first_batch;
    auto evaluate = [&](std::span<const alloc::Genome> genomes, std::span<alloc::Evaluation> out) {
        if (first_batch.empty()) first_batch.assign(genomes.begin(), genomes.end());
        count_fitness(genomes, out);
    };
    std::size_t reports = 0;
    auto on_generation = [&](const ga::GenerationReport&) { return ++reports == 4; };
    const auto result = ga::Nsga2(settings, std::vector<std::uint32_t>(6, 3), seed).run(evaluate, on_generation);
    REQUIRE(!first_batch.empty());
    CHECK(first_batch.front() == seed);
    CHECK(result.stopped);
    CHECK(result.generations_run == 3);
}

TEST_CASE("nsga2: a search space smaller than the population is searched completely") {
    ga::GaSettings settings;
    settings.population = 16;
    settings.generations = 5;
    auto evaluate = [&](std::span<const alloc::Genome> genomes, std::span<alloc::Evaluation> out) {
        count_fitness(genomes, out);
    };
    const auto result = ga::Nsga2(settings, {2, 2}, std::nullopt).run(evaluate, [](const ga::GenerationReport&) {
        return false;
    });
    CHECK(result.evaluated.size() == 4);
    // (zeros, ones): {0,0} (2, 0), {0,1} and {1,0} (1, 1), {1,1} (0, 2) — all
    // non-dominated; of the two equal points only the first evaluated is kept
    REQUIRE(result.front.size() == 3);
    CHECK(result.evaluated.genome(result.front[0]) == alloc::Genome{1, 1});
    CHECK(result.evaluated.genome(result.front[2]) == alloc::Genome{0, 0});
}
