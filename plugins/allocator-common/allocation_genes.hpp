// The free choices of an allocation problem. A unit the mapping pins
// (fixed_core >= 0) or that has a single candidate core has no choice and
// keeps that core; every other unit is a gene whose values are its own
// candidate cores. A genome stores, per gene, an index into that gene's
// candidate list rather than a core id, so a search can only ever produce
// in-set values and never needs to know core ids.
#pragma once

#include <stream/plugin.hpp>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <span>
#include <string>
#include <vector>

namespace stream::plugins::alloc {

/// Per gene, the index of the chosen candidate in Gene::cores.
using Genome = std::vector<std::uint32_t>;

struct Gene {
    std::size_t unit = 0;              ///< index into problem.units
    std::vector<std::int64_t> cores;   ///< candidate cores, in the order unit.costs lists them
    std::vector<double> latency;       ///< the unit's latency on each candidate (cycles)
};

class AllocationGenes {
public:
    /// Throws sdk::Error (INVALID_INPUT, naming the layer) for a unit without
    /// candidates or pinned to a core that is not among them: no search can fix those.
    static AllocationGenes from_problem(const stream_problem_v1& problem) {
        AllocationGenes g;
        g.base_.reserve(problem.unit_count);
        for (std::uint32_t u = 0; u < problem.unit_count; ++u) {
            const auto& unit = *STREAM_AT(stream_alloc_unit_v1, problem.units, u);
            std::vector<std::int64_t> cores;
            std::vector<double> latency;
            for (std::uint32_t c = 0; c < unit.cost_count; ++c) {
                const auto& cost = *STREAM_AT(stream_core_cost_v1, unit.costs, c);
                cores.push_back(cost.core);
                latency.push_back(cost.latency_cycles);
            }
            if (unit.fixed_core >= 0) {
                if (std::find(cores.begin(), cores.end(), unit.fixed_core) == cores.end())
                    throw sdk::Error(STREAM_ERROR_INVALID_INPUT,
                                     layer_label(problem, unit.layer) + " is pinned to core " +
                                         std::to_string(unit.fixed_core) + ", which is not among its candidate cores",
                                     sdk::Item::layer(unit.layer, layer_name(problem, unit.layer)));
                g.base_.push_back(unit.fixed_core);
                continue;
            }
            if (cores.empty())
                throw sdk::Error(STREAM_ERROR_INVALID_INPUT, layer_label(problem, unit.layer) + " has no candidate core",
                                 sdk::Item::layer(unit.layer, layer_name(problem, unit.layer)));
            g.base_.push_back(cores.front());
            if (cores.size() > 1) g.genes_.push_back(Gene{u, std::move(cores), std::move(latency)});
        }
        return g;
    }

    const std::vector<Gene>& genes() const noexcept { return genes_; }
    std::size_t size() const noexcept { return genes_.size(); }
    bool empty() const noexcept { return genes_.empty(); }
    std::size_t unit_count() const noexcept { return base_.size(); }
    /// Candidate count of each gene: the radices of the search space.
    std::vector<std::uint32_t> radices() const {
        std::vector<std::uint32_t> r;
        r.reserve(genes_.size());
        for (const Gene& g : genes_) r.push_back(static_cast<std::uint32_t>(g.cores.size()));
        return r;
    }

    /// Writes the core of every unit for `genome` into `out` (unit_count entries).
    void write_allocation(std::span<const std::uint32_t> genome, std::span<std::int64_t> out) const {
        std::copy(base_.begin(), base_.end(), out.begin());
        for (std::size_t i = 0; i < genes_.size(); ++i) out[genes_[i].unit] = genes_[i].cores.at(genome[i]);
    }
    std::vector<std::int64_t> allocation(std::span<const std::uint32_t> genome) const {
        std::vector<std::int64_t> out(base_.size());
        write_allocation(genome, out);
        return out;
    }

    /// Each gene on its lowest-latency candidate (the first listed on a tie):
    /// a cheap, usually decent starting point for a search.
    Genome lowest_latency() const {
        Genome genome(genes_.size(), 0);
        for (std::size_t i = 0; i < genes_.size(); ++i)
            for (std::uint32_t c = 1; c < genes_[i].latency.size(); ++c)
                if (genes_[i].latency[c] < genes_[i].latency[genome[i]]) genome[i] = c;
        return genome;
    }

    /// Number of distinct allocations, saturated at `limit` + 1 so that
    /// products beyond 2^64 cannot wrap around to a small count.
    std::uint64_t combination_count(std::uint64_t limit) const {
        const std::uint64_t cap = limit == std::numeric_limits<std::uint64_t>::max() ? limit : limit + 1;
        std::uint64_t n = 1;
        for (const Gene& g : genes_) {
            const std::uint64_t k = g.cores.size();
            if (n > cap / k) return cap;
            n *= k;
        }
        return std::min(n, cap);
    }
    /// The same count as a double, for messages about counts too large for 64 bits.
    double approximate_combination_count() const {
        double n = 1;
        for (const Gene& g : genes_) n *= static_cast<double>(g.cores.size());
        return n;
    }

    static std::string layer_name(const stream_problem_v1& problem, std::int64_t layer) {
        for (std::uint32_t i = 0; i < problem.layer_count; ++i) {
            const auto& l = *STREAM_AT(stream_layer_v1, problem.layers, i);
            if (l.id == layer) return l.name ? l.name : "";
        }
        return {};
    }
    static std::string layer_label(const stream_problem_v1& problem, std::int64_t layer) {
        std::string name = layer_name(problem, layer);
        return "layer " + std::to_string(layer) + (name.empty() ? "" : " '" + name + "'");
    }

private:
    std::vector<std::int64_t> base_; ///< every unit's core when no gene overrides it
    std::vector<Gene> genes_;
};

} // namespace stream::plugins::alloc
