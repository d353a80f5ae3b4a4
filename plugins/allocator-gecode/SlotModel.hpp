// The steady-state slot model as a Gecode space (Stream's MILP of stream.md
// §5.3 step B, with splits fixed to one core).
//
// Variables: core[u] per allocation unit (its candidate cores only, so no
// "impossible" latencies), slot[i] per steady-state node. Everything else is
// derived through element/ite/min/max constraints instead of Stream's big-M
// linearisation:
//   lat[i]     = element(latency row of i, core[unit(i)])
//   ls[s]      = max_i (slot[i] == s ? lat[i] : 0)          slot latency
//   period     = sum_s ls[s];  P[s] = ls[0] + ... + ls[s-1]  (prefix sums)
//   first[c]   = min_i (core(i) == c ? slot[i] : |V|),  endp[c] = max_i (core(i) == c ? slot[i] + 1 : 0)
//   idle[c]    = P[first[c]] + period - P[endp[c]]           leading + trailing idle slots
//   total      = N * period - (N - 1) * min_c idle[c]
//   energy     = sum_u element(energy row of u, core[u])
// Constraint families:
//   one node per core per slot: distinct(|V| * core(i) + slot[i]);
//   precedence: slot[consumer] > slot[producer];
//   weight capacity: per weight memory, sum of the weights of its units <= capacity
//   (left out for the fallback of a stack whose weights cannot stay on chip).
// Also posted (they remove no solution's value): empty slots only at the end
// (an empty slot lasts 0 and can be dropped); interchangeable cores used in
// order (precede); and implied bounds: period - idle_min >= load of every core,
// #cores * (period - idle_min) >= sum lat, and a unary-resource relaxation per
// core in which node i runs from P[slot[i]] for lat[i] (edge finding bounds the
// period before the slots are fixed).
//
// Branching: cores unit by unit, largest work first, onto the core that keeps
// the loads most balanced (energy: by spread, cheapest first); then slots
// smallest-first. Under restarts every other restart keeps about half of the
// best solution's cores (large-neighbourhood search); the others are complete.
//
// Minimisation is lexicographic: latency then energy, or energy then latency;
// EDP is total * energy exactly (see ProductLess.hpp).
#pragma once

#include "SlotInstance.hpp"

#include <gecode/int.hh>
#include <gecode/minimodel.hh>

#include <utility>

namespace stream::plugins::gecode_alloc {

class SlotModel : public Gecode::Space {
public:
    /// `instance` must outlive the model and all its clones.
    /// Without `weight_capacity` the weight memories are not bounded: the fallback for a stack
    /// whose weights cannot all stay on chip (see GecodeAllocator.hpp).
    SlotModel(const SlotInstance& instance, Objective objective, bool weight_capacity = true);
    SlotModel(SlotModel& other);

    Gecode::Space* copy() override;
    /// Better than `best`: see the file comment.
    void constrain(const Gecode::Space& best) override;
    /// Under restart-based search: large-neighbourhood steps between complete restarts.
    bool slave(const Gecode::MetaInfo& mi) override;

    /// The assignment of a solved space.
    Assignment assignment() const;
    ModelValue value() const;
    /// A lower bound on the objective from the current domains (e.g. after the root's status()).
    long long lower_bound() const;

    /// The core the brancher tries first for `unit`: for latency and EDP the one whose load
    /// (units placed so far plus this one) stays lowest, as greedy list scheduling would; for
    /// energy the cheapest.
    int preferred_core(const Gecode::IntVar& x, int unit) const;
    /// Which unit the brancher places next (largest first): for latency and EDP the unit's
    /// smallest latency (the biggest work first, as LPT does); for energy the spread of its
    /// energy over the remaining cores (where the choice matters most).
    double unit_priority(const Gecode::IntVar& x, int unit) const;

private:
    long long unit_latency(int unit, int core) const;
    /// Lexicographic key of placing `unit` on `core` (lower is better).
    std::pair<long long, long long> core_merit(int unit, int core) const;

    /// Seed of the neighbourhood choice under restarts: fixed, so one thread repeats itself.
    static constexpr unsigned kNeighbourhoodSeed = 20240611U;

    const SlotInstance* instance_;
    Objective objective_;
    Gecode::Rnd rnd_;
    Gecode::IntVarArray core_;
    Gecode::IntVarArray slot_;
    Gecode::IntVar period_;
    Gecode::IntVar idle_min_;
    Gecode::IntVar total_;
    Gecode::IntVar energy_;
};

} // namespace stream::plugins::gecode_alloc
