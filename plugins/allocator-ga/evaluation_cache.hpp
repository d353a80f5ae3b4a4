// Every distinct genome the GA has evaluated, in evaluation order, with its
// result. A genome's position is its id: populations are lists of ids, so a
// duplicate offspring costs a hash lookup instead of a schedule.
#pragma once

#include <allocation_genes.hpp>
#include <batch_evaluator.hpp>

#include <cstddef>
#include <cstdint>
#include <unordered_map>
#include <utility>
#include <vector>

namespace stream::plugins::ga {

struct GenomeHash {
    std::size_t operator()(const alloc::Genome& g) const noexcept {
        std::uint64_t h = 0xcbf29ce484222325ull; // FNV-1a over the gene values
        for (std::uint32_t v : g) {
            h ^= v;
            h *= 0x100000001b3ull;
        }
        return static_cast<std::size_t>(h ^ (h >> 32));
    }
};

class EvaluationCache {
public:
    /// The id of `genome`, and whether it was new (then its evaluation is still to be filled in).
    std::pair<std::size_t, bool> insert(const alloc::Genome& genome) {
        auto [it, added] = ids_.try_emplace(genome, genomes_.size());
        if (added) {
            genomes_.push_back(genome);
            evaluations_.emplace_back();
        }
        return {it->second, added};
    }

    bool contains(const alloc::Genome& genome) const { return ids_.count(genome) != 0; }
    std::size_t size() const noexcept { return genomes_.size(); }
    const alloc::Genome& genome(std::size_t id) const { return genomes_[id]; }
    const alloc::Evaluation& evaluation(std::size_t id) const { return evaluations_[id]; }
    const std::vector<alloc::Genome>& genomes() const noexcept { return genomes_; }
    std::vector<alloc::Evaluation>& evaluations() noexcept { return evaluations_; }

private:
    std::unordered_map<alloc::Genome, std::size_t, GenomeHash> ids_;
    std::vector<alloc::Genome> genomes_;
    std::vector<alloc::Evaluation> evaluations_;
};

} // namespace stream::plugins::ga
