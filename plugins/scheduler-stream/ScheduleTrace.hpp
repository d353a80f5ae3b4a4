// What the scheduler did, in more detail than the ABI's schedule carries:
// which tensor each transfer moved between which memories, when each copy
// of a tensor was reserved, present and freed, and which memory each node
// read each input from. The invariant checker needs this to verify a
// schedule independently; the scheduler fills it only when asked.
#pragma once

#include <cstdint>
#include <limits>
#include <vector>

namespace stream::plugins::stream_scheduler {

struct ScheduleTrace {
    static constexpr std::int64_t kNever = std::numeric_limits<std::int64_t>::max();

    struct Instance {
        std::int64_t owner_core = -1;
        std::uint32_t level = 0;
        std::int64_t capacity_bits = 0;
        bool is_dram = false;
        bool reported = false; ///< has memory samples
    };
    /// One copy of a tensor in one memory: space held on [reserve, freed), data there from `available`.
    struct Residency {
        std::int64_t tensor = -1;
        std::int32_t instance = -1;
        std::int64_t reserve_cycle = 0;
        std::int64_t available_cycle = 0;
        std::int64_t freed_cycle = kNever;
    };
    struct HopUse {
        std::uint32_t link = 0; ///< index into accelerator.links
        std::int32_t from_core = -1;
        std::int32_t to_core = -1;
        double activity_bits_per_cycle = 0; ///< what the hop adds to the link (0 when it reuses a broadcast)
        bool reused = false;                ///< rides on an earlier transfer of the same tensor (a broadcast)
        std::int64_t bits = 0;              ///< what the hop carries for this transfer (0 when reused; 0 for a block under compat)
    };
    /// Parallel to the schedule's transfers.
    struct TransferDetail {
        std::int64_t tensor = -1;          ///< -1 for a streaming block
        std::int32_t source_instance = -1; ///< -1 for a streaming block
        std::int32_t target_instance = -1;
        std::int64_t source_core = -1;
        std::vector<HopUse> hops;
    };
    struct Read {
        std::int64_t node = -1;
        std::int64_t tensor = -1;
        std::int32_t instance = -1; ///< the memory the node reads it from (DRAM when streamed)
    };

    bool compat = false;
    std::vector<Instance> instances;
    std::vector<std::int64_t> tensor_bits;
    std::vector<Residency> residencies;
    std::vector<TransferDetail> transfers;
    std::vector<Read> reads;
    std::vector<std::int64_t> runtime_cycles; ///< per node, as scheduled (whole cycles)
    std::vector<std::int64_t> output_tensor;  ///< per node, -1 if none
    std::vector<char> starts_in_dram;          ///< per tensor: a weight or network input

    void clear() { *this = ScheduleTrace{}; }
};

} // namespace stream::plugins::stream_scheduler
