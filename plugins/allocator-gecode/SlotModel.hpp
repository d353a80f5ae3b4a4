// The steady-state slot model as a Gecode space (Stream's MILP of stream.md
// §5.3 step B, split counts included).
//
// Variables: core[u] per allocation unit (its candidate cores only, so no
// "impossible" latencies), slot[i] per steady-state node. A unit with split
// options (SlotInstance::Unit::splits) also has option[u] (0 = one core, s + 1 =
// splits[s]) and, up to its largest k, further part cores part[u][j], j >= 1,
// whose value NONE (= #cores) marks an unused part: part j is used iff
// j < k(option[u]), used parts take ascending candidate cores, and core[u] is
// part 0. Every (node, part of its unit) is an "item" on that part's core in the
// node's slot; without splits the items are the nodes and the model below is
// the one-core model. Everything else is derived through element/ite/min/max
// constraints instead of Stream's big-M linearisation:
//   lat[q]     = element(latency table of q over (option, core), its core)   per item q
//   ls[s]      = max_q (slot(q) == s ? lat[q] : 0)          slot latency
//   period     = sum_s ls[s];  P[s] = ls[0] + ... + ls[s-1]  (prefix sums)
//   first[c]   = min_q (core(q) == c ? slot(q) : |V|),  endp[c] = max_q (core(q) == c ? slot(q) + 1 : 0)
//   idle[c]    = P[first[c]] + period - P[endp[c]]           leading + trailing idle slots
//   total      = N * period - (N - 1) * min_c idle[c]
//   energy     = sum over units' used parts of element(energy table, option, core)
// Constraint families:
//   one node per core per slot: distinct(|V| * core(q) + slot(q)) over used items
//   (an unused part gets a key of its own);
//   precedence: slot[consumer] > slot[producer];
//   weight capacity: per weight memory, sum of the weights of the parts on it <= capacity
//   (left out for the fallback of a stack whose weights cannot stay on chip).
// Also posted (they remove no solution's value): empty slots only at the end
// (an empty slot lasts 0 and can be dropped); interchangeable cores used in
// order (precede over the parts, unit by unit, each unit's cores ascending); and
// implied bounds: period - idle_min >= load of every core,
// #cores * (period - idle_min) >= sum lat, and a unary-resource relaxation per
// core in which item q runs from P[slot(q)] for lat[q] (edge finding bounds the
// period before the slots are fixed).
//
// Branching: units one by one, largest work first: a unit's option first (the
// one with the shortest part on its best core; see preferred_option), then its
// part cores, each onto the core that keeps the loads most balanced (energy: by
// spread, cheapest first); then slots smallest-first. Without split options the
// branching is on the cores alone, as before splits existed. Under restarts every
// other restart keeps about half of the best solution's units (option and cores
// together: large-neighbourhood search); the others are complete.
//
// Minimisation is lexicographic: latency then energy, or energy then latency;
// EDP is total * energy exactly (see ProductLess.hpp).
#pragma once

#include "SlotInstance.hpp"

#include <gecode/int.hh>
#include <gecode/minimodel.hh>

#include <atomic>
#include <memory>
#include <utility>
#include <vector>

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

    /// The core the brancher tries first for `unit` (any of its parts): for latency and EDP the
    /// one whose load (parts placed so far plus this one) stays lowest, as greedy list scheduling
    /// would; for energy the cheapest.
    int preferred_core(const Gecode::IntVar& x, int unit) const;
    /// The split option the brancher tries first for `unit`: latency the shortest part on its
    /// best core (fewer cores on ties), energy the cheapest k best cores, EDP their product.
    int preferred_option(const Gecode::IntVar& x, int unit) const;
    /// Which unit the brancher places next (largest first): for latency and EDP the unit's
    /// smallest latency (the biggest work first, as LPT does); for energy the spread of its
    /// energy over the remaining cores (where the choice matters most).
    double unit_priority(const Gecode::IntVar& x, int unit) const;
    /// The merit of position `i` of the split model's decision array: its unit's priority,
    /// or the highest once the unit's option is fixed (a unit is placed as a whole).
    double decision_priority(int i) const;
    int decision_value(const Gecode::IntVar& x, int i) const;

private:
    /// The unit's option under the current domains: 0 until it is fixed.
    int current_option(int unit) const;
    long long unit_latency(int unit, int core, int option) const;
    long long unit_energy(int unit, int core, int option) const;
    /// Lexicographic key of placing `unit` on `core` (lower is better).
    std::pair<long long, long long> core_merit(int unit, int core) const;

    /// Seed of the neighbourhood choice under restarts: fixed, so one thread repeats itself.
    static constexpr unsigned kNeighbourhoodSeed = 20240611U;

    const SlotInstance* instance_;
    Objective objective_;
    Gecode::Rnd rnd_;
    Gecode::IntVarArray core_;
    Gecode::IntVarArray slot_;
    /// With split options only (else empty): option[u] (0 for units without options) and the
    /// parts j >= 1 of the units with options, unit by unit (first_part_[u] .. first_part_[u + 1]).
    Gecode::IntVarArray option_;
    Gecode::IntVarArray part_;
    std::vector<int> first_part_;
    /// With split options only: what the brancher decides, unit by unit (option, then cores),
    /// and each position's unit and part (-1: the option).
    Gecode::IntVarArray decision_;
    std::vector<int> decision_unit_;
    std::vector<int> decision_part_;
    /// Restarts seen by slave() with a best solution, shared by the model and all its clones.
    std::shared_ptr<std::atomic<unsigned long>> slave_calls_;
    Gecode::IntVar period_;
    Gecode::IntVar idle_min_;
    Gecode::IntVar total_;
    Gecode::IntVar energy_;
};

} // namespace stream::plugins::gecode_alloc
