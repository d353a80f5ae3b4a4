// Variation operators on integer genomes where gene i takes values in
// [0, radix[i]) — an index into that gene's own candidate cores. They fix
// Stream's GA quirks: no permutation crossover (cxOrdered) and no swap
// mutation, both of which can move a core id into a gene that cannot run on
// it; and no gene with a single candidate, so a redraw always has somewhere to go.
#pragma once

#include "ga_settings.hpp"
#include "random.hpp"

#include <allocation_genes.hpp>

#include <cstdint>
#include <vector>

namespace stream::plugins::ga {

class GeneticOperators {
public:
    /// Every radix must be at least 2 (single-candidate units are not genes).
    GeneticOperators(std::vector<std::uint32_t> radices, Crossover crossover);

    /// Each gene uniformly from its own candidates.
    alloc::Genome random_genome(Random& random) const;

    /// Exchanges genes between `a` and `b` in place: each gene with
    /// probability 1/2 (uniform), or the genes between two cut points (two-point).
    void crossover(alloc::Genome& a, alloc::Genome& b, Random& random) const;

    /// Redraws each gene with probability 1/length (at least one gene, so a
    /// mutation always changes the genome) from its own candidates other than
    /// the current one.
    void mutate(alloc::Genome& genome, Random& random) const;

private:
    void redraw(alloc::Genome& genome, std::size_t gene, Random& random) const;

    std::vector<std::uint32_t> radices_;
    Crossover crossover_;
};

} // namespace stream::plugins::ga
