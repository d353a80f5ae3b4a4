// Stream's too-large operands; see offchip_streaming.hpp and stream.md §3.6.
#include "offchip_streaming.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace stream::dataflow {

namespace {

// ZigZag's MemoryLevel.unroll_count: one instance per combination of the array dims the level
// is not shared over.
int64_t instance_count(const CoreDescription& core, const MemoryLevel& level) {
    int64_t n = 1;
    for (const ArrayDim& d : core.array_dims)
        if (std::find(level.served_dims.begin(), level.served_dims.end(), d.name) == level.served_dims.end())
            n *= d.size;
    return n;
}

bool stores(const MemoryLevel& level, const std::string& operand) {
    return std::find(level.operands.begin(), level.operands.end(), operand) != level.operands.end();
}

} // namespace

int64_t operand_size_bits(const LoopNest& nest, std::size_t operand) {
    const unsigned precision = operand == nest.output_operand() ? nest.partial_precision(operand)
                                                                : nest.operands()[operand].precision_bits;
    return static_cast<int64_t>(std::llround(nest.operand_size_elements(operand))) * static_cast<int64_t>(precision);
}

StreamingPlan plan_streaming(const LoopNest& nest, const CoreDescription& core, const std::vector<int64_t>& received_bits) {
    const auto& ops = nest.operands();
    // Innermost and outermost memory of each operand (-1: the core has none; the caller reports it).
    std::vector<int> lowest(ops.size(), -1), top(ops.size(), -1);
    for (std::size_t o = 0; o < ops.size(); ++o)
        for (std::size_t m = 0; m < core.memories.size(); ++m)
            if (stores(core.memories[m], ops[o].name)) {
                if (lowest[o] < 0) lowest[o] = static_cast<int>(m);
                top[o] = static_cast<int>(m);
            }
    std::vector<int> tops;
    for (int t : top)
        if (t >= 0 && std::find(tops.begin(), tops.end(), t) == tops.end()) tops.push_back(t);
    std::sort(tops.begin(), tops.end());

    StreamingPlan plan;
    std::vector<bool> streamed(ops.size(), false);
    for (int t : tops) {
        const MemoryLevel& mem = core.memories[static_cast<std::size_t>(t)];
        TopMemoryOverflow ov;
        ov.memory = static_cast<std::size_t>(t);
        ov.capacity_bits = mem.size_bits;
        // Every layer operand the memory stores counts, in the memory's own operand order (the
        // order Stream's stable sort keeps among equal sizes).
        for (const std::string& name : mem.operands) {
            if (!nest.has_operand(name)) continue;
            const std::size_t o = nest.operand_index(name);
            if (std::none_of(ov.needs.begin(), ov.needs.end(), [&](const OperandNeed& n) { return n.operand == o; }))
                ov.needs.push_back({o, std::max(operand_size_bits(nest, o), o < received_bits.size() ? received_bits[o] : 0)});
        }
        auto sum_bits = [&](std::size_t from, std::size_t to) {
            int64_t s = 0;
            for (std::size_t i = from; i < to; ++i) s += ov.needs[i].bits;
            return s;
        };
        if (sum_bits(0, ov.needs.size()) <= ov.capacity_bits) continue;
        std::stable_sort(ov.needs.begin(), ov.needs.end(),
                         [](const OperandNeed& a, const OperandNeed& b) { return a.bits < b.bits; });
        std::size_t kept = ov.needs.size();
        while (kept > 0 && ov.capacity_bits < sum_bits(0, kept)) --kept;
        // An operand streamed from DRAM still passes through the core: its innermost memory
        // (all of its instances) must fit in what the kept operands leave of this memory.
        auto required_bits = [&] {
            int64_t r = 0;
            for (std::size_t i = kept; i < ov.needs.size(); ++i) {
                const MemoryLevel& low = core.memories[static_cast<std::size_t>(lowest[ov.needs[i].operand])];
                r += low.size_bits * instance_count(core, low);
            }
            return r;
        };
        if (kept > 0 && kept < ov.needs.size())
            while (ov.capacity_bits - sum_bits(0, kept) < required_bits()) {
                --kept;
                if (kept == 0) break;
            }
        for (std::size_t i = kept; i < ov.needs.size(); ++i) {
            ov.offchip.push_back(ov.needs[i].operand);
            streamed[ov.needs[i].operand] = true;
        }
        plan.overflows.push_back(std::move(ov));
    }
    for (std::size_t o = 0; o < ops.size(); ++o)
        if (streamed[o]) plan.streamed.push_back(o);
    return plan;
}

CoreDescription with_offchip_level(const CoreDescription& core, const MemoryLevel& dram,
                                   const std::vector<std::string>& operands) {
    MemoryLevel level = dram;
    level.operands = operands;
    level.port_uses.clear();
    for (const PortUse& u : dram.port_uses)
        if (std::find(operands.begin(), operands.end(), u.operand) != operands.end()) level.port_uses.push_back(u);
    level.served_dims.clear();
    for (const ArrayDim& d : core.array_dims) level.served_dims.push_back(d.name);
    CoreDescription out = core;
    out.memories.push_back(std::move(level));
    return out;
}

} // namespace stream::dataflow
