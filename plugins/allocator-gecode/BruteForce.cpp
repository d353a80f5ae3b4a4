#include "BruteForce.hpp"

#include <cstddef>
#include <vector>

namespace stream::plugins::gecode_alloc {

namespace {

class Enumerator {
public:
    Enumerator(const SlotInstance& in, Objective objective) : in_(in), objective_(objective) {
        a_.unit_core.assign(in.units.size(), -1);
        a_.node_slot.assign(in.nodes.size(), -1);
        busy_.assign(in.core_ids.size() * in.nodes.size(), 0);
    }

    BruteForceResult run() {
        cores(0);
        return std::move(result_);
    }

private:
    void cores(std::size_t u) {
        if (u == in_.units.size()) return slots(0);
        for (int c : in_.units[u].allowed) {
            a_.unit_core[u] = c;
            cores(u + 1);
        }
    }

    void slots(std::size_t i) {
        const std::size_t V = in_.nodes.size();
        if (i == V) return score();
        const std::size_t core = static_cast<std::size_t>(a_.unit_core[in_.nodes[i].unit]);
        for (int s = 0; s < static_cast<int>(V); ++s) {
            char& cell = busy_[core * V + static_cast<std::size_t>(s)];
            if (cell) continue;
            a_.node_slot[i] = s;
            if (!precedences_hold(i)) continue;
            cell = 1;
            slots(i + 1);
            cell = 0;
        }
        a_.node_slot[i] = -1;
    }

    // The edges between node i and nodes already given a slot.
    bool precedences_hold(std::size_t i) const {
        for (const auto& [from, to] : in_.edges) {
            if (from != i && to != i) continue;
            const int sf = a_.node_slot[from], st = a_.node_slot[to];
            if (sf >= 0 && st >= 0 && st <= sf) return false;
        }
        return true;
    }

    void score() {
        ++result_.leaves;
        std::optional<ModelValue> v = evaluate(in_, a_);
        if (!v) return; // weight capacity
        if (!result_.best || better(objective_, *v, result_.value)) {
            result_.best = a_;
            result_.value = *v;
        }
    }

    const SlotInstance& in_;
    Objective objective_;
    Assignment a_;
    std::vector<char> busy_;
    BruteForceResult result_;
};

} // namespace

BruteForceResult brute_force(const SlotInstance& instance, Objective objective) {
    return Enumerator(instance, objective).run();
}

} // namespace stream::plugins::gecode_alloc
