#include "StreamScheduler.hpp"

#include "LinkTimeline.hpp"
#include "MemoryTimeline.hpp"
#include "ProblemIndex.hpp"
#include "Routes.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <span>
#include <string>
#include <utility>
#include <vector>

namespace stream::plugins::stream_scheduler {

namespace {

constexpr std::int64_t kNever = ScheduleTrace::kNever;

std::size_t ix(std::int64_t i) { return static_cast<std::size_t>(i); }

// Whole cycles or accesses for `bits` at `per_step` bits each, forgiving the last ulps of
// a quotient that is exact on paper; 0 when the rate is unknown.
std::int64_t steps(std::int64_t bits, double per_step) {
    if (!(per_step > 0.0) || bits <= 0) return 0;
    const double q = static_cast<double>(bits) / per_step;
    const double whole = std::floor(q);
    return static_cast<std::int64_t>(q - whole <= 1e-9 * std::max(1.0, q) ? whole : whole + 1.0);
}

// Energy per bit of a memory port that spends `pj_per_access` per access of `bits_per_access` bits.
double pj_per_bit(double pj_per_access, double bits_per_access) {
    return bits_per_access > 0.0 ? pj_per_access / bits_per_access : 0.0;
}

// Where a transfer's energy goes, as Stream books it (§6.7).
enum Bucket { kFetch, kCoreToCore, kEviction, kFinalOutput, kBucketCount };

stream_transfer_purpose purpose_of(Bucket b) {
    switch (b) {
    case kFetch: return STREAM_TRANSFER_INPUT_FETCH;
    case kCoreToCore: return STREAM_TRANSFER_CORE_TO_CORE;
    case kEviction: return STREAM_TRANSFER_EVICTION;
    case kFinalOutput: return STREAM_TRANSFER_FINAL_OUTPUT;
    default: return STREAM_TRANSFER_CORE_TO_CORE;
    }
}

// The state of one copy of a tensor (a slot) during a schedule: what every node's inputs
// touch, kept small so the slots of a schedule stay in cache...
struct SlotState {
    bool present = false;
    std::int32_t uses = 0; ///< reads still to come from this memory
    std::int64_t available_cycle = 0;
    std::int64_t last_read_end = 0; ///< when the last node or transfer reading this copy ends
};

// ... and what only transfers and evictions look at.
struct SlotRecord {
    std::int64_t reserve_cycle = 0;
    std::uint32_t sequence = 0;    ///< order of arrival: Stream's stored_tensors order, for ties
    std::int32_t resident_at = -1; ///< position in its instance's resident list
    std::int32_t residency = -1;   ///< its record in the trace
};

// One transfer of a tensor over one link timeline, kept for broadcasts.
struct LinkEvent {
    std::int64_t start;
    std::int64_t end;
    std::uint32_t timeline;
    std::int32_t sender;
    std::int32_t next; ///< the tensor's previous event
};

} // namespace

class StreamScheduler::Engine {
public:
    ScheduleOutcome run(const stream_problem_v1& problem, const stream_allocation_v1& allocation,
                        const ScheduleOptions& options);

private:
    struct Moved {
        std::int64_t start;
        std::int64_t end;
    };

    void reset(const stream_problem_v1& problem);
    void schedule_node(std::int64_t n);
    std::int64_t fetch(const NodeInput& input, std::int64_t node);
    std::int64_t make_space(std::int32_t instance, std::int64_t tensor, std::int64_t from, std::int64_t node);
    std::int64_t remove_copy(std::int32_t slot, std::int64_t at, bool write_back, Bucket bucket, std::int64_t node);
    std::int64_t write_back(std::int32_t slot, Bucket bucket, std::int64_t node);
    Moved move(std::int32_t from_slot, std::int32_t to_slot, std::int64_t to_core, std::int64_t ready, Bucket bucket,
               std::int64_t node);
    std::int64_t find_window(std::span<const Hop> hops, std::int64_t from, std::int64_t duration, std::int64_t tensor,
                             std::int32_t sender, bool block);
    std::int64_t broadcast_start(std::uint32_t timeline, std::int64_t tensor, std::int32_t sender,
                                 std::int64_t duration, std::int64_t not_before) const;
    bool broadcast_at(std::uint32_t timeline, std::int64_t tensor, std::int32_t sender, std::int64_t duration,
                      std::int64_t start) const;
    std::int64_t free_start(const Hop& hop, std::size_t i, std::int64_t from, std::int64_t duration, bool block) const;
    std::int64_t block_links(std::int64_t n, std::int64_t t);
    std::int64_t output_space(std::int64_t n, std::int64_t t);
    void release(std::int64_t tensor, std::int64_t end);
    void plan_streaming();
    void block_route(std::int64_t n);
    double links_bandwidth(std::uint32_t timeline) const { return links_[timeline].bandwidth_bits_per_cycle(); }
    void carry(std::uint32_t timeline, std::int64_t bits, std::int64_t node) {
        timeline_bits_[timeline] += bits;
        timeline_last_node_[timeline] = node;
    }
    void check_conservation() const;
    std::string node_label(std::int64_t n) const {
        const stream_node_v1& v = *STREAM_AT(stream_node_v1, problem_->nodes, ix(n));
        return "node " + std::to_string(n) + " (layer " + std::to_string(v.layer) + ", tile " + std::to_string(v.sub_id) + ")";
    }
    /// Stamps the tensors node `n` reads (not streamed), once: only evictions ask.
    void mark_needed(std::int64_t n) {
        if (needed_marked_for_ == n) return;
        needed_marked_for_ = n;
        const NodeInfo& node = index_.nodes[ix(n)];
        for (std::uint32_t i = node.first_input; i < node.first_input + node.input_count; ++i)
            if (!index_.inputs[i].streamed) needed_by_[ix(index_.inputs[i].tensor)] = static_cast<std::int32_t>(n);
    }
    void occupy(std::int32_t slot, std::int64_t reserve, std::int64_t available);
    void free_copy(std::int32_t slot, std::int64_t at);
    std::int32_t best_source(std::int64_t tensor) const;
    std::int64_t eviction_uses(std::int32_t slot) const;
    void record_transfer(std::span<const Hop> hops, std::int64_t start, std::int64_t end, std::int64_t bits,
                         stream_transfer_purpose purpose, std::int64_t node, double energy_pj, std::int64_t tensor,
                         std::int32_t from_instance, std::int32_t to_instance, std::int64_t from_core);
    sdk::ScheduleResult finish();

    const TensorInfo& tensor_of(std::int32_t slot) const { return index_.tensors[ix(index_.slots[ix(slot)].tensor)]; }
    const MemoryInstance& instance_of(std::int32_t slot) const {
        return index_.instances[ix(index_.slots[ix(slot)].instance)];
    }
    const MemoryPort& port_of(std::int32_t slot) const {
        const MemoryInstance& inst = instance_of(slot);
        return inst.is_dram ? index_.dram_port(tensor_of(slot).operand) : inst.port;
    }
    [[noreturn]] void fail(stream_status status, const std::string& message, std::int64_t node) const {
        throw sdk::Error(status, message, sdk::Item::node(node));
    }

    // Per call.
    const stream_problem_v1* problem_ = nullptr;
    const stream_accelerator_v1* accelerator_ = nullptr;
    ScheduleOptions options_;
    bool compat_ = false;
    bool build_arrays_ = false;

    // Reused between calls.
    ProblemIndex index_;
    Routes routes_;
    std::vector<MemoryTimeline> memories_;
    std::vector<LinkTimeline> links_;
    std::vector<SlotState> slot_state_;
    std::vector<SlotRecord> slot_record_;
    std::vector<std::vector<std::int32_t>> resident_; ///< per instance: its present slots
    std::vector<std::int32_t> remaining_uses_;        ///< per tensor: reads still to come, from anywhere
    std::vector<std::int32_t> needed_by_;             ///< per tensor: the last node stamped as reading it
    std::int64_t needed_marked_for_ = -1;
    std::vector<std::int32_t> event_head_;            ///< per tensor: its latest link event
    std::vector<LinkEvent> events_;
    std::vector<std::int64_t> ready_, start_, end_;
    std::vector<std::uint32_t> waiting_;
    std::vector<char> scheduled_;
    std::vector<std::int64_t> core_idle_;
    std::vector<std::pair<std::int64_t, std::int64_t>> heap_;
    std::vector<std::pair<std::int64_t, std::uint32_t>> fetch_order_;
    std::vector<std::int32_t> scratch_slots_;
    std::vector<std::int32_t> released_now_;
    std::vector<std::pair<std::pair<std::int64_t, std::int64_t>, std::pair<std::uint32_t, std::int32_t>>> victims_;
    std::vector<char> reused_;
    std::vector<double> activity_;
    std::vector<Hop> block_hops_;
    std::vector<std::int64_t> block_hop_bits_; ///< per block hop: the streamed bits it carries
    std::vector<std::int64_t> candidates_;

    // Own mode: what each streaming node moves through the DRAM port and pays for it (see
    // plan_streaming), and the bits every timeline has carried, for the conservation check.
    std::vector<std::int64_t> stream_read_bits_, stream_write_bits_;
    std::vector<double> stream_energy_pj_;
    std::vector<std::int64_t> timeline_bits_;
    std::vector<std::int64_t> timeline_last_node_;

    std::uint32_t sequence_ = 0;
    std::int64_t latency_cycles_ = 0;
    double onchip_energy_pj_ = 0;
    double streamed_energy_pj_ = 0;
    double link_energy_pj_[kBucketCount] = {};
    double memory_energy_pj_[kBucketCount] = {};
    // Own mode: the least the DRAM bits of each bucket cost at the DRAM's energy per bit
    // (streaming counts with the fetches, whose memory component it shares).
    double dram_floor_pj_[kBucketCount] = {};
    std::int64_t dram_bits_[kBucketCount] = {};
    std::int64_t dram_last_node_[kBucketCount] = {};
    sdk::ScheduleResult result_;
    ScheduleTrace trace_;
};

void StreamScheduler::Engine::reset(const stream_problem_v1& problem) {
    problem_ = &problem;
    accelerator_ = problem.accelerator;
    compat_ = index_.compat;
    const std::size_t node_count = index_.nodes.size();
    const std::size_t tensor_count = index_.tensors.size();

    memories_.resize(index_.instances.size());
    for (std::size_t i = 0; i < index_.instances.size(); ++i) memories_[i].reset(index_.instances[i].capacity_bits);
    links_.resize(routes_.timeline_count());
    for (std::size_t t = 0; t < links_.size(); ++t)
        links_[t].reset(STREAM_AT(stream_link_v1, accelerator_->links, routes_.timeline_link(t))->bandwidth_bits_per_cycle);
    timeline_bits_.assign(links_.size(), 0);
    timeline_last_node_.assign(links_.size(), -1);
    plan_streaming(); // may lengthen runtimes: before anything reads them
    resident_.resize(index_.instances.size());
    for (auto& r : resident_) r.clear();

    slot_state_.assign(index_.slots.size(), SlotState{});
    slot_record_.assign(index_.slots.size(), SlotRecord{});
    for (std::size_t s = 0; s < index_.slots.size(); ++s) slot_state_[s].uses = index_.slots[s].initial_uses;
    remaining_uses_.assign(tensor_count, 0);
    for (const Slot& s : index_.slots) remaining_uses_[ix(s.tensor)] += s.initial_uses;
    needed_by_.assign(tensor_count, -1);
    needed_marked_for_ = -1;
    event_head_.assign(tensor_count, -1);
    events_.clear();

    ready_.assign(node_count, 0);
    start_.assign(node_count, 0);
    end_.assign(node_count, 0);
    waiting_.resize(node_count);
    for (std::size_t n = 0; n < node_count; ++n) waiting_[n] = index_.nodes[n].in_degree;
    scheduled_.assign(node_count, 0);
    core_idle_.assign(accelerator_->core_count, 0);
    heap_.clear();

    sequence_ = 0;
    latency_cycles_ = 0;
    onchip_energy_pj_ = 0;
    streamed_energy_pj_ = 0;
    std::fill(std::begin(link_energy_pj_), std::end(link_energy_pj_), 0.0);
    std::fill(std::begin(memory_energy_pj_), std::end(memory_energy_pj_), 0.0);
    std::fill(std::begin(dram_floor_pj_), std::end(dram_floor_pj_), 0.0);
    std::fill(std::begin(dram_bits_), std::end(dram_bits_), 0);
    std::fill(std::begin(dram_last_node_), std::end(dram_last_node_), -1);
    result_ = sdk::ScheduleResult{};
    trace_.clear();
    if (options_.record_trace) {
        trace_.compat = compat_;
        for (const MemoryInstance& inst : index_.instances)
            trace_.instances.push_back({inst.owner_core, inst.level, inst.capacity_bits, inst.is_dram, inst.reported});
        for (const TensorInfo& t : index_.tensors) {
            trace_.tensor_bits.push_back(t.size_bits);
            trace_.starts_in_dram.push_back(t.kind != TensorKind::activation);
        }
        for (const NodeInfo& n : index_.nodes) {
            trace_.runtime_cycles.push_back(n.runtime_cycles);
            trace_.output_tensor.push_back(n.output_tensor);
        }
    }

    // Weights and network inputs are in DRAM from the start (Stream's initialisation, step 5).
    for (std::size_t t = 0; t < tensor_count; ++t)
        if (index_.tensors[t].kind != TensorKind::activation) occupy(index_.dram_slot(static_cast<std::int64_t>(t)), 0, 0);
}

ScheduleOutcome StreamScheduler::Engine::run(const stream_problem_v1& problem, const stream_allocation_v1& allocation,
                                             const ScheduleOptions& options) {
    options_ = options;
    build_arrays_ = !options.metrics_only || options.record_trace;
    index_.build(problem, allocation, options.metrics_only);
    routes_.build(*problem.accelerator, index_.compat);
    reset(problem);

    const std::size_t node_count = index_.nodes.size();
    auto later = std::greater<>{};
    for (std::size_t n = 0; n < node_count; ++n)
        if (waiting_[n] == 0) heap_.emplace_back(index_.nodes[n].priority, static_cast<std::int64_t>(n));
    std::make_heap(heap_.begin(), heap_.end(), later);
    std::size_t done = 0;
    while (!heap_.empty()) {
        std::pop_heap(heap_.begin(), heap_.end(), later);
        const std::int64_t n = heap_.back().second;
        heap_.pop_back();
        schedule_node(n);
        const NodeInfo& node = index_.nodes[ix(n)];
        const std::int64_t end = end_[ix(n)];
        const std::int32_t* succ = index_.successors.data() + node.first_successor;
        const std::int32_t* const last = succ + node.successor_count;
        std::int64_t* ready = ready_.data();
        std::uint32_t* waiting = waiting_.data();
        for (; succ != last; ++succ) {
            ready[*succ] = std::max(ready[*succ], end);
            if (--waiting[*succ] == 0) {
                heap_.emplace_back(index_.nodes[ix(*succ)].priority, *succ);
                std::push_heap(heap_.begin(), heap_.end(), later);
            }
        }
        if (++done % 1024 == 0 && options_.host && options_.host->cancelled())
            throw sdk::Error(STREAM_ERROR_CANCELLED, "scheduling cancelled");
    }
    if (done != node_count) {
        std::size_t stuck = 0;
        while (waiting_[stuck] == 0) ++stuck;
        fail(STREAM_ERROR_INVALID_INPUT,
             "the node graph has a cycle: " + std::to_string(node_count - done) + " nodes, among them node " +
                 std::to_string(stuck) + ", wait on each other",
             static_cast<std::int64_t>(stuck));
    }
    ScheduleOutcome out;
    out.reused_graph = index_.reused_graph();
    out.result = finish();
    if (options_.record_trace) out.trace = std::move(trace_);
    return out;
}

void StreamScheduler::Engine::schedule_node(std::int64_t n) {
    const NodeInfo& node = index_.nodes[ix(n)];
    const std::span<const NodeInput> inputs{index_.inputs.data() + node.first_input, node.input_count};
    std::int64_t t = std::max(core_idle_[ix(node.core)], ready_[ix(n)]);

    // Inputs already in place only make the node wait for them; the others are fetched below.
    std::int64_t in_place = t;
    fetch_order_.clear();
    {
        // Every input of every node passes here: raw pointers spare the vector reloads.
        const SlotState* states = slot_state_.data();
        for (std::uint32_t i = 0; i < node.input_count; ++i) {
            const NodeInput& in = inputs[i];
            if (in.streamed) continue;
            const SlotState& slot = states[in.slot];
            if (slot.present) in_place = std::max(in_place, slot.available_cycle);
            else fetch_order_.emplace_back(index_.tensors[ix(in.tensor)].size_bits, i);
        }
    }

    // 1. A streamed operand uses the core's memory as a staging level: empty it first.
    if (node.cleared_count > 0) mark_needed(n);
    for (std::uint32_t c = node.first_cleared; c < node.first_cleared + node.cleared_count; ++c) {
        const std::int32_t instance = index_.cleared[c];
        if (index_.instances[ix(instance)].is_dram) continue;
        scratch_slots_.clear();
        for (std::int32_t s : resident_[ix(instance)])
            if (slot_record_[ix(s)].reserve_cycle <= t && needed_by_[ix(index_.slots[ix(s)].tensor)] != n)
                scratch_slots_.push_back(s);
        std::sort(scratch_slots_.begin(), scratch_slots_.end(), [&](std::int32_t a, std::int32_t b) {
            return slot_record_[ix(a)].sequence < slot_record_[ix(b)].sequence;
        });
        for (std::int32_t s : scratch_slots_)
            if (slot_state_[ix(s)].present) t = remove_copy(s, t, true, kEviction, n);
    }

    // 2. The missing inputs, smallest first.
    t = std::max(t, in_place);
    std::sort(fetch_order_.begin(), fetch_order_.end());
    for (const auto& [bits, i] : fetch_order_) t = std::max(t, fetch(inputs[i], n));

    // Streamed inputs are read from DRAM while the node runs, so DRAM must hold them.
    if (!compat_ && node.streams_inputs)
        for (const NodeInput& in : inputs) {
            if (!in.streamed) continue;
            const std::int32_t dram = index_.dram_slot(in.tensor);
            if (!slot_state_[ix(dram)].present) {
                const std::int32_t source = best_source(in.tensor);
                if (source < 0)
                    fail(STREAM_ERROR_INTERNAL, "tensor " + std::to_string(in.tensor) + " is in no memory", n);
                write_back(source, kEviction, n);
            }
            t = std::max(t, slot_state_[ix(dram)].available_cycle);
        }

    // 3-4. Output space and the DRAM links of streamed operands. Stream blocks the links
    // first, so a later eviction for the output can leave the block before the node.
    if (compat_) {
        t = block_links(n, t);
        t = output_space(n, t);
    } else {
        t = output_space(n, t);
        t = block_links(n, t);
    }
    const std::int64_t start = t;
    const std::int64_t end = start + node.runtime_cycles;
    if (node.output_tensor >= 0) occupy(node.output_slot, start, end);
    start_[ix(n)] = start;
    end_[ix(n)] = end;
    scheduled_[ix(n)] = 1;
    core_idle_[ix(node.core)] = end;
    latency_cycles_ = std::max(latency_cycles_, end);
    onchip_energy_pj_ += node.cost->energy_pj - node.cost->offchip_energy_pj;
    streamed_energy_pj_ += stream_energy_pj_[ix(n)];

    // 6. One use fewer of each input; an input nobody reads any more leaves every memory.
    released_now_.clear();
    if (options_.record_trace)
        for (const NodeInput& in : inputs)
            trace_.reads.push_back({n, in.tensor, in.streamed ? index_.dram_instance : index_.slots[ix(in.slot)].instance});
    const bool skip_streamed = compat_ && node.streams_inputs; // Stream never counts a streamed input down
    {
        SlotState* states = slot_state_.data();
        std::int32_t* remaining = remaining_uses_.data();
        for (const NodeInput& in : inputs) {
            if (skip_streamed && in.streamed) continue;
            SlotState& slot = states[in.slot];
            --slot.uses;
            slot.last_read_end = std::max(slot.last_read_end, end);
            if (--remaining[in.tensor] == 0) released_now_.push_back(in.tensor);
        }
    }
    for (std::int32_t tensor : released_now_) release(tensor, end);

    // 7. Final outputs go to DRAM.
    if (node.output_tensor < 0 || node.output_streamed) return;
    if (compat_) {
        if (node.stream_sink) remove_copy(node.output_slot, end, true, kFinalOutput, n);
        return;
    }
    if (node.final_output && index_.dram_instance >= 0 &&
        !slot_state_[ix(index_.dram_slot(node.output_tensor))].present)
        write_back(node.output_slot, kFinalOutput, n);
    if (remaining_uses_[ix(node.output_tensor)] == 0) release(node.output_tensor, end);
}

std::int64_t StreamScheduler::Engine::fetch(const NodeInput& input, std::int64_t node) {
    const SlotState& target = slot_state_[ix(input.slot)];
    if (target.present) return target.available_cycle; // an earlier input was the same tensor
    const std::int32_t source = best_source(input.tensor);
    if (source < 0) {
        const std::int64_t producer = index_.tensors[ix(input.tensor)].producer;
        if (producer >= 0 && !scheduled_[ix(producer)])
            fail(STREAM_ERROR_INVALID_INPUT,
                 "node " + std::to_string(node) + " reads tensor " + std::to_string(input.tensor) + " of node " +
                     std::to_string(producer) + ", but no edge orders node " + std::to_string(producer) + " before it",
                 node);
        fail(STREAM_ERROR_INTERNAL,
             "tensor " + std::to_string(input.tensor) + " needed by node " + std::to_string(node) + " is in no memory",
             node);
    }
    const std::int32_t instance = index_.slots[ix(input.slot)].instance;
    const std::int64_t size = index_.tensors[ix(input.tensor)].size_bits;
    // Transfers may start before the node: as soon as the data exists and there is room.
    std::int64_t t = slot_state_[ix(source)].available_cycle;
    if (!index_.instances[ix(instance)].is_dram) t = memories_[ix(instance)].earliest_fit(t, size);
    t = make_space(instance, input.tensor, t, node);
    const Bucket bucket = instance_of(source).is_dram ? kFetch : kCoreToCore;
    const Moved moved = move(source, input.slot, index_.nodes[ix(node)].core, t, bucket, node);
    // A copy on another core with no reads left is dropped once sent. Stream means to keep the
    // producer's copy but its check never holds [quirk]; Stream-DSE keeps it until the last use.
    const SlotState& from = slot_state_[ix(source)];
    if (!instance_of(source).is_dram && from.uses == 0) {
        const std::int64_t producer = index_.tensors[ix(input.tensor)].producer;
        const bool producer_copy = producer >= 0 && index_.nodes[ix(producer)].output_slot == source;
        if (compat_) free_copy(source, moved.end);
        else if (!producer_copy) free_copy(source, std::max(moved.end, from.last_read_end));
    }
    return moved.end;
}

std::int64_t StreamScheduler::Engine::eviction_uses(std::int32_t slot) const {
    const Slot& s = index_.slots[ix(slot)];
    if (s.initial_uses > 0) return slot_state_[ix(slot)].uses;
    // A copy nobody reads from here (the producer's): Stream scores it with all remaining
    // uses [quirk]; what it protects is the reads of memories that do not hold it yet.
    if (compat_) return remaining_uses_[ix(s.tensor)];
    const TensorInfo& t = index_.tensors[ix(s.tensor)];
    std::int64_t uses = 0;
    for (std::int32_t q = t.first_slot; q >= 0; q = index_.slots[ix(q)].next)
        if (!slot_state_[ix(q)].present) uses += slot_state_[ix(q)].uses;
    return uses;
}

std::int64_t StreamScheduler::Engine::make_space(std::int32_t instance, std::int64_t tensor, std::int64_t from,
                                                 std::int64_t node) {
    const MemoryInstance& inst = index_.instances[ix(instance)];
    if (inst.is_dram) return from;
    MemoryTimeline& memory = memories_[ix(instance)];
    const std::int64_t size = index_.tensors[ix(tensor)].size_bits;
    const MemoryTimeline::Fit found = memory.find_fit(from, size);
    const std::int64_t fit = found.cycle;
    if (found.room) return fit;
    const std::int64_t need = size - (memory.capacity_bits() - memory.usage_at(fit));
    if (need <= 0) return fit;

    // Victims: copies held by then that the node does not need, fewest (remaining uses x size)
    // first, then smallest, then oldest; as few as free enough.
    mark_needed(node);
    victims_.clear();
    for (std::int32_t s : resident_[ix(instance)]) {
        const SlotRecord& state = slot_record_[ix(s)];
        const std::int64_t owner = index_.slots[ix(s)].tensor;
        if (owner == tensor || needed_by_[ix(owner)] == node || state.reserve_cycle > fit) continue;
        const std::int64_t bits = index_.tensors[ix(owner)].size_bits;
        victims_.push_back({{eviction_uses(s) * bits, bits}, {state.sequence, s}});
    }
    auto worse = std::greater<>{};
    std::make_heap(victims_.begin(), victims_.end(), worse);
    std::int64_t freed = 0;
    std::size_t chosen = 0;
    while (freed < need && chosen < victims_.size()) {
        std::pop_heap(victims_.begin(), victims_.end() - static_cast<std::ptrdiff_t>(chosen), worse);
        ++chosen;
        freed += victims_[victims_.size() - chosen].first.second;
    }
    if (freed < need)
        fail(STREAM_ERROR_INFEASIBLE,
             "no room for tensor " + std::to_string(tensor) + " (" + std::to_string(size) + " bits) in " +
                 index_.core_label(inst.owner_core) + "'s memory " + std::string(inst.name) + " (" +
                 std::to_string(memory.capacity_bits()) + " bits) from cycle " + std::to_string(fit) + ": only " +
                 std::to_string(freed) + " of the " + std::to_string(need) +
                 " bits it lacks are held by tensors node " + std::to_string(node) + " does not need",
             node);
    // Stream frees the victims at the caller's time, before their write-back ends [quirk];
    // Stream-DSE frees each once it is written back and read for the last time.
    const std::int64_t remove_at = compat_ ? from : fit;
    std::int64_t t = fit;
    for (std::size_t k = 0; k < chosen; ++k) {
        const std::int32_t victim = victims_[victims_.size() - 1 - k].second.second;
        t = std::max(t, remove_copy(victim, remove_at, true, kEviction, node));
    }
    return t;
}

std::int64_t StreamScheduler::Engine::remove_copy(std::int32_t slot, std::int64_t at, bool write_back_first,
                                                  Bucket bucket, std::int64_t node) {
    const std::int64_t tensor = index_.slots[ix(slot)].tensor;
    std::int64_t written = at;
    if (write_back_first && index_.dram_instance >= 0 && !slot_state_[ix(index_.dram_slot(tensor))].present)
        written = std::max(at, write_back(slot, bucket, node));
    if (compat_) {
        free_copy(slot, at);
        return written;
    }
    const std::int64_t free_at = std::max(written, slot_state_[ix(slot)].last_read_end);
    free_copy(slot, free_at);
    return free_at;
}

std::int64_t StreamScheduler::Engine::write_back(std::int32_t slot, Bucket bucket, std::int64_t node) {
    const std::int32_t dram = index_.dram_slot(index_.slots[ix(slot)].tensor);
    return move(slot, dram, index_.offchip_core, slot_state_[ix(slot)].available_cycle, bucket, node).end;
}

StreamScheduler::Engine::Moved StreamScheduler::Engine::move(std::int32_t from_slot, std::int32_t to_slot,
                                                             std::int64_t to_core, std::int64_t ready, Bucket bucket,
                                                             std::int64_t node) {
    const std::int64_t tensor = index_.slots[ix(from_slot)].tensor;
    const std::int64_t bits = index_.tensors[ix(tensor)].size_bits;
    const std::int32_t from_instance = index_.slots[ix(from_slot)].instance;
    const std::int32_t to_instance = index_.slots[ix(to_slot)].instance;
    const std::int64_t from_core = index_.instances[ix(from_instance)].owner_core;
    if (!routes_.reachable(from_core, to_core))
        fail(STREAM_ERROR_INFEASIBLE,
             "no route from " + index_.core_label(from_core) + " to " + index_.core_label(to_core) + " for tensor " +
                 std::to_string(tensor),
             node);
    const std::span<const Hop> hops = routes_.hops(from_core, to_core);
    const MemoryPort& from_port = port_of(from_slot);
    const MemoryPort& to_port = port_of(to_slot);

    // Every link of the route is held at full bandwidth for the same interval: the slowest
    // link sets the duration. Between two memories of one core only the memories limit it.
    std::int64_t duration = 0;
    if (hops.empty()) {
        duration = std::max(steps(bits, from_port.read_bw_bits_per_cycle), steps(bits, to_port.write_bw_bits_per_cycle));
    } else {
        std::int64_t latency = 0;
        for (const Hop& hop : hops) {
            const stream_link_v1& link = *STREAM_AT(stream_link_v1, accelerator_->links, hop.link);
            duration = std::max(duration, steps(bits, link.bandwidth_bits_per_cycle));
            latency += static_cast<std::int64_t>(std::ceil(std::max(0.0, link.latency_cycles)));
        }
        duration += latency;
    }
    const std::int64_t start = find_window(hops, ready, duration, tensor, static_cast<std::int32_t>(from_core), false);
    const std::int64_t end = start + duration;

    double link_energy = 0;
    for (std::size_t i = 0; i < hops.size(); ++i) {
        const stream_link_v1& link = *STREAM_AT(stream_link_v1, accelerator_->links, hops[i].link);
        // A broadcast reuses what the link already carries; Stream charges the link again.
        if (!reused_[i] || compat_) link_energy += static_cast<double>(bits) * link.energy_pj_per_bit;
        if (reused_[i] || end == start) continue;
        carry(hops[i].timeline, bits, node);
        links_[hops[i].timeline].add_transfer(start, end);
        events_.push_back({start, end, hops[i].timeline, static_cast<std::int32_t>(from_core), event_head_[ix(tensor)]});
        event_head_[ix(tensor)] = static_cast<std::int32_t>(events_.size() - 1);
    }
    const double memory_energy = from_port.read_energy_pj * static_cast<double>(steps(bits, from_port.read_bw_bits_per_cycle)) +
                                 to_port.write_energy_pj * static_cast<double>(steps(bits, to_port.write_bw_bits_per_cycle));
    link_energy_pj_[bucket] += link_energy;
    memory_energy_pj_[bucket] += memory_energy;
    const bool from_dram = instance_of(from_slot).is_dram, to_dram = instance_of(to_slot).is_dram;
    if (from_dram != to_dram) {
        dram_bits_[bucket] += bits;
        dram_last_node_[bucket] = node;
        dram_floor_pj_[bucket] += static_cast<double>(bits) *
                                  (from_dram ? pj_per_bit(from_port.read_energy_pj, from_port.read_bw_bits_per_cycle)
                                             : pj_per_bit(to_port.write_energy_pj, to_port.write_bw_bits_per_cycle));
    }
    latency_cycles_ = std::max(latency_cycles_, end);

    occupy(to_slot, start, end);
    SlotState& source = slot_state_[ix(from_slot)];
    source.last_read_end = std::max(source.last_read_end, end);
    record_transfer(hops, start, end, bits, purpose_of(bucket), node, link_energy + memory_energy, tensor, from_instance,
                    to_instance, from_core);
    return {start, end};
}

std::int64_t StreamScheduler::Engine::broadcast_start(std::uint32_t timeline, std::int64_t tensor, std::int32_t sender,
                                                      std::int64_t duration, std::int64_t not_before) const {
    std::int64_t best = kNever;
    for (std::int32_t e = event_head_[ix(tensor)]; e >= 0; e = events_[ix(e)].next) {
        const LinkEvent& ev = events_[ix(e)];
        if (ev.timeline == timeline && ev.sender == sender && ev.end - ev.start >= duration && ev.start >= not_before)
            best = std::min(best, ev.start);
    }
    return best;
}

bool StreamScheduler::Engine::broadcast_at(std::uint32_t timeline, std::int64_t tensor, std::int32_t sender,
                                           std::int64_t duration, std::int64_t start) const {
    for (std::int32_t e = event_head_[ix(tensor)]; e >= 0; e = events_[ix(e)].next) {
        const LinkEvent& ev = events_[ix(e)];
        if (ev.timeline == timeline && ev.sender == sender && ev.end - ev.start >= duration && ev.start == start)
            return true;
    }
    return false;
}

std::int64_t StreamScheduler::Engine::free_start(const Hop& hop, std::size_t i, std::int64_t from,
                                                 std::int64_t duration, bool block) const {
    const LinkTimeline& link = links_[hop.timeline];
    return block ? link.earliest_block_start(from, duration, activity_[i]) : link.earliest_transfer_start(from, duration);
}

std::int64_t StreamScheduler::Engine::find_window(std::span<const Hop> hops, std::int64_t from, std::int64_t duration,
                                                  std::int64_t tensor, std::int32_t sender, bool block) {
    reused_.assign(hops.size(), 0);
    if (hops.empty() || duration <= 0) return from;
    auto settle = [&](std::int64_t s) {
        if (tensor >= 0)
            for (std::size_t i = 0; i < hops.size(); ++i)
                reused_[i] = broadcast_at(hops[i].timeline, tensor, sender, duration, s);
        return s;
    };
    if (compat_ && tensor >= 0) {
        // Stream lists broadcast windows before idle ones and takes the first that fits every
        // link [quirk], even when an idle window starts earlier.
        candidates_.clear();
        for (std::int32_t e = event_head_[ix(tensor)]; e >= 0; e = events_[ix(e)].next) {
            const LinkEvent& ev = events_[ix(e)];
            if (ev.sender == sender && ev.start >= from && ev.end - ev.start >= duration) candidates_.push_back(ev.start);
        }
        std::sort(candidates_.begin(), candidates_.end());
        for (std::int64_t s : candidates_) {
            bool fits = true;
            for (std::size_t i = 0; i < hops.size() && fits; ++i)
                fits = broadcast_at(hops[i].timeline, tensor, sender, duration, s) ||
                       free_start(hops[i], i, s, duration, block) == s;
            if (fits) return settle(s);
        }
    }
    // The earliest start every link accepts: raise the candidate to each link's earliest
    // acceptable start (idle, or a broadcast of the same tensor) until all agree.
    std::int64_t s = from;
    for (bool moved = true; moved;) {
        moved = false;
        for (std::size_t i = 0; i < hops.size(); ++i) {
            std::int64_t earliest = free_start(hops[i], i, s, duration, block);
            if (tensor >= 0 && earliest > s)
                earliest = std::min(earliest, broadcast_start(hops[i].timeline, tensor, sender, duration, s));
            if (earliest > s) {
                s = earliest;
                moved = true;
            }
        }
    }
    return settle(s);
}

void StreamScheduler::Engine::plan_streaming() {
    const std::size_t node_count = index_.nodes.size();
    stream_read_bits_.assign(node_count, 0);
    stream_write_bits_.assign(node_count, 0);
    stream_energy_pj_.assign(node_count, 0.0);
    for (std::size_t n = 0; n < node_count; ++n) {
        NodeInfo& node = index_.nodes[n];
        stream_energy_pj_[n] = node.cost->offchip_energy_pj;
        if (!(node.output_streamed || node.streams_inputs)) continue;
        // What crosses the DRAM port while the node runs: each streamed input tensor once (two
        // operands reading one tensor read it once), and a streamed output.
        double port_pj = 0;
        for (std::uint32_t i = node.first_input; i < node.first_input + node.input_count; ++i) {
            const NodeInput& in = index_.inputs[i];
            if (!in.streamed) continue;
            bool seen = false;
            for (std::uint32_t k = node.first_input; k < i && !seen; ++k)
                seen = index_.inputs[k].streamed && index_.inputs[k].tensor == in.tensor;
            if (seen) continue;
            const TensorInfo& tensor = index_.tensors[ix(in.tensor)];
            const MemoryPort& port = index_.dram_port(tensor.operand);
            stream_read_bits_[n] += tensor.size_bits;
            port_pj += port.read_energy_pj * static_cast<double>(steps(tensor.size_bits, port.read_bw_bits_per_cycle));
        }
        if (node.output_streamed) {
            const TensorInfo& tensor = index_.tensors[ix(node.output_tensor)];
            const MemoryPort& port = index_.dram_port(tensor.operand);
            stream_write_bits_[n] = tensor.size_bits;
            port_pj += port.write_energy_pj * static_cast<double>(steps(tensor.size_bits, port.write_bw_bits_per_cycle));
        }
        // Stream books the core model's DRAM energy and runtime whatever the streamed tensors
        // weigh [compat]. Stream-DSE pays every streamed bit at the DRAM's energy per access
        // (whole accesses per tensor; the core model's figure when it is more, as re-reads
        // make it), and the node lasts at least as long as the slowest link of its DRAM
        // routes needs to carry those bits: the core stalls on the port. Without this, a
        // tile streaming a producer's whole output moved it in a fraction of the time the
        // port needs and paid for the few bits its core model read.
        if (compat_) continue;
        stream_energy_pj_[n] = std::max(node.cost->offchip_energy_pj, port_pj);
        block_route(static_cast<std::int64_t>(n));
        for (std::size_t i = 0; i < block_hops_.size(); ++i)
            node.runtime_cycles =
                std::max(node.runtime_cycles, steps(block_hop_bits_[i], links_bandwidth(block_hops_[i].timeline)));
    }
}

void StreamScheduler::Engine::block_route(std::int64_t n) {
    const NodeInfo& node = index_.nodes[ix(n)];
    const stream_core_cost_v1& cost = *node.cost;
    const bool has_bw = STREAM_HAS_FIELD(stream_core_cost_v1, cost.struct_size, offchip_write_bw_bits_per_cycle);
    const double read_bw = has_bw ? cost.offchip_read_bw_bits_per_cycle : 0.0;
    const double write_bw = has_bw ? cost.offchip_write_bw_bits_per_cycle : 0.0;
    // Both directions' needs add up on a link that carries both (a single DRAM port).
    block_hops_.clear();
    block_hop_bits_.clear();
    activity_.clear();
    auto need = [&](std::int64_t from_core, std::int64_t to_core, double bw, std::int64_t bits) {
        // Stream holds no link for a direction its core model gives no bandwidth [compat];
        // Stream-DSE holds one for every bit it moves.
        if (!(bw > 0.0) && (compat_ || bits <= 0)) return;
        if (!routes_.reachable(from_core, to_core))
            fail(STREAM_ERROR_INFEASIBLE,
                 "node " + std::to_string(n) + " streams operands between " + index_.core_label(node.core) +
                     " and DRAM, but there is no route from " + index_.core_label(from_core) + " to " +
                     index_.core_label(to_core),
                 n);
        for (const Hop& hop : routes_.hops(from_core, to_core)) {
            std::size_t i = 0;
            while (i < block_hops_.size() && block_hops_[i].timeline != hop.timeline) ++i;
            if (i == block_hops_.size()) {
                block_hops_.push_back(hop);
                block_hop_bits_.push_back(0);
                activity_.push_back(0.0);
            }
            activity_[i] += std::max(bw, 0.0);
            block_hop_bits_[i] += bits;
        }
    };
    if (node.output_streamed) need(node.core, index_.offchip_core, write_bw, stream_write_bits_[ix(n)]);
    if (node.streams_inputs) need(index_.offchip_core, node.core, read_bw, stream_read_bits_[ix(n)]);
}

std::int64_t StreamScheduler::Engine::block_links(std::int64_t n, std::int64_t t) {
    const NodeInfo& node = index_.nodes[ix(n)];
    if (!(node.output_streamed || node.streams_inputs) || node.runtime_cycles <= 0) return t;
    block_route(n);
    if (block_hops_.empty()) return t;
    for (std::size_t i = 0; i < block_hops_.size(); ++i) {
        double activity = std::ceil(activity_[i] - 1e-9);
        // The core model's instantaneous need, and at least what the hop's bits need over the
        // node's run (plan_streaming made the run long enough for the link to carry them).
        if (!compat_)
            activity = std::max(activity, static_cast<double>((block_hop_bits_[i] + node.runtime_cycles - 1) /
                                                              node.runtime_cycles));
        activity_[i] = std::min(activity, links_bandwidth(block_hops_[i].timeline));
    }

    const std::int64_t start = find_window(block_hops_, t, node.runtime_cycles, -1, -1, true);
    const std::int64_t end = start + node.runtime_cycles;
    for (std::size_t i = 0; i < block_hops_.size(); ++i) {
        links_[block_hops_[i].timeline].add_block(start, end, activity_[i]);
        carry(block_hops_[i].timeline, block_hop_bits_[i], n);
    }
    latency_cycles_ = std::max(latency_cycles_, end);

    std::int64_t bits = 0;
    if (compat_) {
        for (std::uint32_t i = node.first_input; i < node.first_input + node.input_count; ++i)
            if (index_.inputs[i].streamed) bits += index_.tensors[ix(index_.inputs[i].tensor)].size_bits;
        if (node.output_streamed) bits += index_.tensors[ix(node.output_tensor)].size_bits;
    } else {
        bits = stream_read_bits_[ix(n)] + stream_write_bits_[ix(n)];
        // The streamed bits cross the links of the route like any transfer's (Stream charges
        // its blocks no link energy [compat]).
        for (std::size_t i = 0; i < block_hops_.size(); ++i)
            link_energy_pj_[kFetch] += static_cast<double>(block_hop_bits_[i]) *
                                       STREAM_AT(stream_link_v1, accelerator_->links, block_hops_[i].link)->energy_pj_per_bit;
        dram_bits_[kFetch] += bits;
        dram_last_node_[kFetch] = n;
        for (std::uint32_t i = node.first_input; i < node.first_input + node.input_count; ++i) {
            const NodeInput& in = index_.inputs[i];
            bool seen = false;
            for (std::uint32_t k = node.first_input; k < i && !seen; ++k)
                seen = index_.inputs[k].streamed && index_.inputs[k].tensor == in.tensor;
            if (!in.streamed || seen) continue;
            const MemoryPort& port = index_.dram_port(index_.tensors[ix(in.tensor)].operand);
            dram_floor_pj_[kFetch] += pj_per_bit(port.read_energy_pj, port.read_bw_bits_per_cycle) *
                                      static_cast<double>(index_.tensors[ix(in.tensor)].size_bits);
        }
        if (node.output_streamed) {
            const MemoryPort& port = index_.dram_port(index_.tensors[ix(node.output_tensor)].operand);
            dram_floor_pj_[kFetch] +=
                pj_per_bit(port.write_energy_pj, port.write_bw_bits_per_cycle) * static_cast<double>(stream_write_bits_[ix(n)]);
        }
    }
    // The streamed operands' DRAM energy is part of the node's cost (offchip_fetch_memory);
    // the record shows it, as Stream's block events do, without counting it twice.
    record_transfer(block_hops_, start, end, bits, STREAM_TRANSFER_STREAMING, n, stream_energy_pj_[ix(n)], -1, -1, -1,
                    node.core);
    return start;
}

std::int64_t StreamScheduler::Engine::output_space(std::int64_t n, std::int64_t t) {
    const NodeInfo& node = index_.nodes[ix(n)];
    if (node.output_tensor < 0 || node.output_streamed) return t;
    return make_space(index_.slots[ix(node.output_slot)].instance, node.output_tensor, t, n);
}

void StreamScheduler::Engine::release(std::int64_t tensor, std::int64_t end) {
    const TensorInfo& info = index_.tensors[ix(tensor)];
    for (std::int32_t s = info.first_slot; s >= 0; s = index_.slots[ix(s)].next) {
        const SlotState& state = slot_state_[ix(s)];
        const std::int32_t instance = index_.slots[ix(s)].instance;
        if (!state.present || index_.instances[ix(instance)].is_dram) continue;
        if (!compat_) {
            free_copy(static_cast<std::int32_t>(s), std::max(end, state.last_read_end));
            continue;
        }
        // Stream looks the copy up under the tensor's own operand on the memory's first core:
        // a copy in a memory of another operand is never found, so it stays [quirk].
        const std::int64_t owner = index_.instances[ix(instance)].owner_core;
        if (index_.top_instance(owner, info.operand) != instance) continue;
        // Stream frees an activation after the producer's successors on this memory's cores.
        // Anything else it frees at the end of the node that used it last in list order, which
        // never bites there (a weight tile read on two cores never reaches priority 0); with
        // exact use counts that could free a tile another core still reads, so compat frees it
        // after its last read from this memory.
        std::int64_t at = std::max(end, state.last_read_end);
        if (info.producer >= 0) {
            at = end;
            const NodeInfo& producer = index_.nodes[ix(info.producer)];
            for (std::uint32_t k = producer.first_successor; k < producer.first_successor + producer.successor_count; ++k) {
                const std::int64_t succ = index_.successors[k];
                const std::int64_t core = index_.nodes[ix(succ)].core;
                if (scheduled_[ix(succ)] && (core == owner || index_.memory_owner[ix(core)] == owner))
                    at = std::max(at, end_[ix(succ)]);
            }
        }
        free_copy(static_cast<std::int32_t>(s), at);
    }
}

void StreamScheduler::Engine::occupy(std::int32_t slot, std::int64_t reserve, std::int64_t available) {
    SlotState& state = slot_state_[ix(slot)];
    SlotRecord& record = slot_record_[ix(slot)];
    state.present = true;
    state.available_cycle = available;
    state.last_read_end = available;
    record.reserve_cycle = reserve;
    record.sequence = sequence_++;
    const std::int32_t instance = index_.slots[ix(slot)].instance;
    const std::int64_t tensor = index_.slots[ix(slot)].tensor;
    if (!index_.instances[ix(instance)].is_dram) {
        memories_[ix(instance)].reserve(reserve, index_.tensors[ix(tensor)].size_bits);
        auto& list = resident_[ix(instance)];
        record.resident_at = static_cast<std::int32_t>(list.size());
        list.push_back(slot);
    }
    if (options_.record_trace) {
        record.residency = static_cast<std::int32_t>(trace_.residencies.size());
        trace_.residencies.push_back({tensor, instance, reserve, available, kNever});
    }
}

void StreamScheduler::Engine::free_copy(std::int32_t slot, std::int64_t at) {
    SlotState& state = slot_state_[ix(slot)];
    if (!state.present) return;
    state.present = false;
    SlotRecord& record = slot_record_[ix(slot)];
    const std::int32_t instance = index_.slots[ix(slot)].instance;
    if (!index_.instances[ix(instance)].is_dram) {
        memories_[ix(instance)].release(at, index_.tensors[ix(index_.slots[ix(slot)].tensor)].size_bits);
        auto& list = resident_[ix(instance)];
        const std::int32_t moved = list.back();
        list[ix(record.resident_at)] = moved;
        slot_record_[ix(moved)].resident_at = record.resident_at;
        list.pop_back();
        record.resident_at = -1;
    }
    if (options_.record_trace && record.residency >= 0) trace_.residencies[ix(record.residency)].freed_cycle = at;
}

std::int32_t StreamScheduler::Engine::best_source(std::int64_t tensor) const {
    // The copy available first; among equals the first memory in core order, DRAM last (the
    // off-chip core has the highest id), as Stream's memory manager lists them.
    const TensorInfo& info = index_.tensors[ix(tensor)];
    std::int32_t best = -1;
    auto order = [&](std::int32_t s) {
        const MemoryInstance& inst = index_.instances[ix(index_.slots[ix(s)].instance)];
        return std::pair(inst.is_dram ? std::numeric_limits<std::int64_t>::max() : inst.owner_core, inst.level);
    };
    for (std::int32_t s = info.first_slot; s >= 0; s = index_.slots[ix(s)].next) {
        if (!slot_state_[ix(s)].present) continue;
        if (best < 0 || std::pair(slot_state_[ix(s)].available_cycle, order(s)) <
                            std::pair(slot_state_[ix(best)].available_cycle, order(best)))
            best = s;
    }
    return best;
}

void StreamScheduler::Engine::record_transfer(std::span<const Hop> hops, std::int64_t start, std::int64_t end,
                                              std::int64_t bits, stream_transfer_purpose purpose, std::int64_t node,
                                              double energy_pj, std::int64_t tensor, std::int32_t from_instance,
                                              std::int32_t to_instance, std::int64_t from_core) {
    if (!build_arrays_) return;
    result_.transfers.push_back({sizeof(stream_transfer_v1), nullptr, 0, static_cast<double>(start),
                                 static_cast<double>(end), bits, purpose, node, energy_pj});
    std::vector<std::int64_t>& ids = result_.transfer_links.emplace_back();
    ids.reserve(hops.size());
    for (const Hop& hop : hops) ids.push_back(STREAM_AT(stream_link_v1, accelerator_->links, hop.link)->id);
    if (!options_.record_trace) return;
    ScheduleTrace::TransferDetail& detail = trace_.transfers.emplace_back();
    detail.tensor = tensor;
    detail.source_instance = from_instance;
    detail.target_instance = to_instance;
    detail.source_core = from_core;
    for (std::size_t i = 0; i < hops.size(); ++i) {
        const bool block = purpose == STREAM_TRANSFER_STREAMING;
        const double bandwidth = STREAM_AT(stream_link_v1, accelerator_->links, hops[i].link)->bandwidth_bits_per_cycle;
        const bool reused = !block && reused_[i];
        const double activity = reused ? 0.0 : (block ? activity_[i] : bandwidth);
        const std::int64_t carried = reused ? 0 : (block ? (compat_ ? 0 : block_hop_bits_[i]) : bits);
        detail.hops.push_back(
            {hops[i].link, hops[i].from_core, hops[i].to_core, end > start ? activity : 0.0, reused, carried});
    }
}

void StreamScheduler::Engine::check_conservation() const {
    // Stream itself breaks both rules (docs/compat-stream.md); its numbers are kept as they are.
    if (compat_) return;
    for (std::size_t t = 0; t < timeline_bits_.size(); ++t) {
        const stream_link_v1& link = *STREAM_AT(stream_link_v1, accelerator_->links, routes_.timeline_link(t));
        const double capacity_bits = link.bandwidth_bits_per_cycle * static_cast<double>(latency_cycles_);
        if (static_cast<double>(timeline_bits_[t]) > capacity_bits * (1 + 1e-12))
            fail(STREAM_ERROR_INTERNAL,
                 "link " + std::to_string(link.id) + " carries " + std::to_string(timeline_bits_[t]) + " bits in " +
                     std::to_string(latency_cycles_) + " cycles at " + std::to_string(link.bandwidth_bits_per_cycle) +
                     " bits/cycle, more than it can move (the last by " + node_label(timeline_last_node_[t]) + ")",
                 timeline_last_node_[t]);
    }
    const std::pair<Bucket, double> memory_pj[] = {{kFetch, memory_energy_pj_[kFetch] + streamed_energy_pj_},
                                                   {kEviction, memory_energy_pj_[kEviction]},
                                                   {kFinalOutput, memory_energy_pj_[kFinalOutput]}};
    for (const auto& [bucket, pj] : memory_pj)
        if (pj < dram_floor_pj_[bucket] * (1 - 1e-9))
            fail(STREAM_ERROR_INTERNAL,
                 std::string(bucket == kFetch ? "fetched and streamed" : bucket == kEviction ? "evicted" : "final output") +
                     " DRAM traffic of " + std::to_string(dram_bits_[bucket]) + " bits costs " + std::to_string(pj) +
                     " pJ of memory energy, less than the " + std::to_string(dram_floor_pj_[bucket]) +
                     " pJ the DRAM charges for it (the last by " + node_label(dram_last_node_[bucket]) + ")",
                 dram_last_node_[bucket]);
}

sdk::ScheduleResult StreamScheduler::Engine::finish() {
    check_conservation();
    const std::pair<const char*, double> components[] = {
        {"onchip_compute", onchip_energy_pj_},
        {"offchip_fetch_link", link_energy_pj_[kFetch]},
        {"offchip_fetch_memory", memory_energy_pj_[kFetch] + streamed_energy_pj_},
        {"eviction_link", link_energy_pj_[kEviction]},
        {"eviction_memory", memory_energy_pj_[kEviction]},
        {"final_output_link", link_energy_pj_[kFinalOutput]},
        {"final_output_memory", memory_energy_pj_[kFinalOutput]},
        {"core_to_core_link", link_energy_pj_[kCoreToCore]},
        {"core_to_core_memory", memory_energy_pj_[kCoreToCore]},
    };
    double total_pj = 0;
    for (const auto& [name, pj] : components) {
        result_.energy.emplace_back(name, pj);
        total_pj += pj;
    }
    std::int64_t peak_bits = 0;
    std::vector<std::int32_t>& reported = scratch_slots_;
    reported.clear();
    for (std::size_t i = 0; i < index_.instances.size(); ++i)
        if (index_.instances[i].reported) {
            reported.push_back(static_cast<std::int32_t>(i));
            peak_bits = std::max(peak_bits, memories_[i].peak_bits());
        }
    result_.metrics.latency_cycles = static_cast<double>(latency_cycles_);
    result_.metrics.energy_pj = total_pj;
    result_.metrics.edp = static_cast<double>(latency_cycles_) * total_pj;
    result_.metrics.peak_memory_bits = static_cast<double>(peak_bits);
    if (!build_arrays_) return std::move(result_);

    result_.nodes.reserve(index_.nodes.size());
    for (std::size_t n = 0; n < index_.nodes.size(); ++n)
        result_.nodes.push_back({sizeof(stream_scheduled_node_v1), static_cast<std::int64_t>(n), index_.nodes[n].core,
                                 static_cast<double>(start_[n]), static_cast<double>(end_[n])});
    // One series per memory instance, by core then level; a shared memory under its owner.
    std::sort(reported.begin(), reported.end(), [&](std::int32_t a, std::int32_t b) {
        const MemoryInstance& x = index_.instances[ix(a)];
        const MemoryInstance& y = index_.instances[ix(b)];
        return std::pair(x.owner_core, x.level) < std::pair(y.owner_core, y.level);
    });
    for (std::int32_t i : reported) {
        const MemoryInstance& inst = index_.instances[ix(i)];
        std::int64_t last = 0;
        memories_[ix(i)].for_each_change([&](std::int64_t cycle, std::int64_t bits) {
            if (bits == last) return;
            result_.memory_samples.push_back(
                {sizeof(stream_memory_sample_v1), inst.owner_core, inst.level, static_cast<double>(cycle), bits});
            last = bits;
        });
    }
    return std::move(result_);
}

StreamScheduler::StreamScheduler() : engine_(std::make_unique<Engine>()) {}
StreamScheduler::~StreamScheduler() = default;

ScheduleOutcome StreamScheduler::schedule(const stream_problem_v1& problem, const stream_allocation_v1& allocation,
                                          const ScheduleOptions& options) {
    return engine_->run(problem, allocation, options);
}

} // namespace stream::plugins::stream_scheduler
