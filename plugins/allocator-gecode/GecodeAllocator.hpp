// The "gecode" allocator: Stream's constraint-optimisation allocation
// (stream.md §5.3) with Gecode in place of Gurobi, so it needs no licence.
//
// Per fusion stack: find the steady state (SteadyState.hpp), solve the slot
// model of one steady-state wave (SlotModel.hpp) by branch and bound under the
// time limit, then turn slots into an allocation (unit -> core; a unit outside
// every steady state takes its layer's steady-state core, else its fastest
// candidate) and a scheduling order (Stream's step C), evaluate that once with
// the host's scheduler and submit it. `objective` in the result is the model's
// value summed over the stacks, `proven_optimal` says every stack's search was
// exhausted (or met its lower bound), `best_bound` is a lower bound on that sum.
//
// Split counts (Stream's k cores per node): when the host can re-tile (the
// evaluator's `retile`, ABI 1.1) a second candidate is solved on the problem
// with every layer whole: for each k from 2 to `max_split` the host re-tiles
// the layers' inter-core "*" k ways and costs the parts with the core models
// (Stream guesses floor(latency / k)), and the slot model may run a unit on k
// cores at once (SplitOptions.hpp). Its allocation is for the problem re-tiled
// with the chosen counts, group g of a split layer on its g-th core. The first
// candidate is the problem as given, one core per unit: there the host may
// already have split each layer into tile groups (one per candidate core in
// Stream-DSE's default tiling) and the model gives each group its own core, so
// a layer may spread over several cores, unevenly too. Neither model sees the
// memory traffic (every part of a split layer fetches its own input), so both
// candidates are evaluated by the host, each having had half the time, and the
// better under the objective is submitted.
//
// Other differences from Stream: weights count per unit rather than per layer;
// latencies are the host's per-node latency (Stream's latency_total1 under
// --compat stream). A steady state of more than 256 nodes is not modelled (the
// model grows with its square): its units take the cores that would finish
// them earliest (spreading them over identical cores) and its nodes keep the
// host's order.
//
// Fallback where Stream's model has no solution: a stack whose weights cannot
// all stay in its candidate cores' weight memories (e.g. Stream's
// simba_small_fixed mapping pins a stack of 4.2 Mbit of weights to one 2 Mbit
// chiplet) is warned about, naming the layers and memories, and solved without
// the weight-capacity family; the scheduler fetches the weights that do not fit
// from DRAM again, as for any allocation. The result is then not proven
// optimal. Only when no allocation exists at all (a unit without a candidate
// core, dependencies in a cycle) does the call fail, naming that family.
#pragma once

#include "SlotInstance.hpp"

#include <stream/plugin.hpp>

namespace stream::plugins::gecode_alloc {

class GecodeAllocator {
public:
    static constexpr stream_plugin_kind kind = STREAM_KIND_ALLOCATOR;
    static constexpr sdk::Info info{
        "gecode", "Gecode constraint optimisation", "0.2.0",
        "Stream's steady-state slot model per fusion stack, by branch and bound with Gecode."};
    static constexpr stream_config_key keys[] = {
        sdk::key("objective", STREAM_VALUE_STRING, "\"edp\"", nullptr,
                 "Minimised model quantity: \"latency\" (N*period - (N-1)*shared idle, then energy), \"energy\" "
                 "(units' energy on their cores, then latency) or \"edp\" (latency x energy, per stack, summed). The "
                 "host's evaluation of the candidates (one core per unit, split counts) is compared on the same measure."),
        sdk::key("time_limit_s", STREAM_VALUE_FLOAT, "5.0", "s",
                 "Search time for all stacks together; when it runs out the best allocation found is used, not proven "
                 "optimal."),
        sdk::key("restarts", STREAM_VALUE_BOOL, "false", nullptr,
                 "Restart-based branch and bound (geometric cutoffs), every other restart searching around the "
                 "best allocation found (large-neighbourhood search)."),
        sdk::key("max_split", STREAM_VALUE_INT, "4", nullptr,
                 "Stream's split counts: the most cores one steady-state node may run on at once, each doing a part "
                 "(the host re-tiles and re-costs the layer for every count from 2 up). 1 = one core per unit. Larger "
                 "values grow the model and the re-tiled problems; Stream allows up to all cores."),
        sdk::key("threads", STREAM_VALUE_INT, "1", nullptr,
                 "Gecode search threads; 0 = one per hardware thread. Above 1 an equally good but different "
                 "allocation may come back from run to run."),
    };

    explicit GecodeAllocator(sdk::Host host);

    sdk::AllocationResult allocate(const stream_problem_v1& problem, const stream_evaluator_v1& evaluator);

private:
    sdk::Host host_;
    Objective objective_ = Objective::edp;
    double time_limit_s_ = 5.0;
    bool restarts_ = false;
    unsigned threads_ = 1;
    int max_split_ = 4;
};

} // namespace stream::plugins::gecode_alloc
