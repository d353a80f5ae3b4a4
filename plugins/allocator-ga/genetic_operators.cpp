#include "genetic_operators.hpp"

#include <stdexcept>
#include <utility>

namespace stream::plugins::ga {

GeneticOperators::GeneticOperators(std::vector<std::uint32_t> radices, Crossover crossover)
    : radices_(std::move(radices)), crossover_(crossover) {
    for (std::uint32_t r : radices_)
        if (r < 2) throw std::logic_error("a gene needs at least two candidates");
}

alloc::Genome GeneticOperators::random_genome(Random& random) const {
    alloc::Genome genome(radices_.size());
    for (std::size_t i = 0; i < radices_.size(); ++i) genome[i] = static_cast<std::uint32_t>(random.below(radices_[i]));
    return genome;
}

void GeneticOperators::crossover(alloc::Genome& a, alloc::Genome& b, Random& random) const {
    const std::size_t n = a.size();
    if (n < 2) return; // one gene: exchanging it only swaps the parents
    if (crossover_ == Crossover::uniform) {
        for (std::size_t i = 0; i < n; ++i)
            if (random.chance(0.5)) std::swap(a[i], b[i]);
        return;
    }
    // Two distinct cut points 1 <= lo < hi <= n, drawn as DEAP's cxTwoPoint
    // does; the genes in [lo, hi) change places, so a block of consecutive
    // layers (whose allocations interact through their transfers) travels together.
    std::size_t lo = 1 + static_cast<std::size_t>(random.below(n));
    std::size_t hi = 1 + static_cast<std::size_t>(random.below(n - 1));
    if (hi >= lo) ++hi;
    else std::swap(lo, hi);
    for (std::size_t i = lo; i < hi; ++i) std::swap(a[i], b[i]);
}

void GeneticOperators::mutate(alloc::Genome& genome, Random& random) const {
    const std::size_t n = genome.size();
    if (n == 0) return;
    const double p = 1.0 / static_cast<double>(n);
    bool changed = false;
    for (std::size_t i = 0; i < n; ++i)
        if (random.chance(p)) {
            redraw(genome, i, random);
            changed = true;
        }
    if (!changed) redraw(genome, static_cast<std::size_t>(random.below(n)), random);
}

void GeneticOperators::redraw(alloc::Genome& genome, std::size_t gene, Random& random) const {
    // Uniform over the other radix - 1 values: draw below radix - 1 and skip the current one.
    auto value = static_cast<std::uint32_t>(random.below(radices_[gene] - 1));
    if (value >= genome[gene]) ++value;
    genome[gene] = value;
}

} // namespace stream::plugins::ga
