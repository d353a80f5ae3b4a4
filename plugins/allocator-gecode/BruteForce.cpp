#include "BruteForce.hpp"

#include <algorithm>
#include <cstddef>
#include <vector>

namespace stream::plugins::gecode_alloc {

namespace {

class Enumerator {
public:
    Enumerator(const SlotInstance& in, Objective objective) : in_(in), objective_(objective) {
        a_.unit_core.assign(in.units.size(), -1);
        a_.node_slot.assign(in.nodes.size(), -1);
        if (in.has_splits()) {
            a_.unit_split.assign(in.units.size(), 0);
            a_.unit_cores.assign(in.units.size(), {});
        }
        occupied_.assign(in.units.size(), {});
        busy_.assign(in.core_ids.size() * in.nodes.size(), 0);
    }

    BruteForceResult run() {
        cores(0);
        return std::move(result_);
    }

private:
    // One core first (in candidate order), then each split option over its k-subsets.
    void cores(std::size_t u) {
        if (u == in_.units.size()) return slots(0);
        const SlotInstance::Unit& unit = in_.units[u];
        for (int c : unit.allowed) {
            a_.unit_core[u] = c;
            occupied_[u] = {c};
            cores(u + 1);
        }
        for (std::size_t s = 0; s < unit.splits.size(); ++s) {
            a_.unit_split[u] = static_cast<int>(s) + 1;
            subsets(u, static_cast<std::size_t>(unit.splits[s].cores), 0);
            a_.unit_split[u] = 0;
            a_.unit_cores[u].clear();
        }
    }

    // The ascending k-subsets of unit u's candidates from index `from` on.
    void subsets(std::size_t u, std::size_t k, std::size_t from) {
        std::vector<int>& chosen = a_.unit_cores[u];
        const std::vector<int>& allowed = in_.units[u].allowed;
        if (chosen.size() == k) {
            a_.unit_core[u] = chosen.front();
            occupied_[u] = chosen;
            return cores(u + 1);
        }
        for (std::size_t j = from; j + (k - chosen.size()) <= allowed.size(); ++j) {
            chosen.push_back(allowed[j]);
            subsets(u, k, j + 1);
            chosen.pop_back();
        }
    }

    void slots(std::size_t i) {
        const std::size_t V = in_.nodes.size();
        if (i == V) return score();
        const std::vector<int>& cores = occupied_[in_.nodes[i].unit];
        auto cell = [&](int c, int s) -> char& {
            return busy_[static_cast<std::size_t>(c) * V + static_cast<std::size_t>(s)];
        };
        for (int s = 0; s < static_cast<int>(V); ++s) {
            if (std::any_of(cores.begin(), cores.end(), [&](int c) { return cell(c, s) != 0; })) continue;
            a_.node_slot[i] = s;
            if (!precedences_hold(i)) continue;
            for (int c : cores)
                cell(c, s) = 1;
            slots(i + 1);
            for (int c : cores)
                cell(c, s) = 0;
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
            drop_unsplit(*result_.best);
            result_.value = *v;
        }
    }

    const SlotInstance& in_;
    Objective objective_;
    Assignment a_;
    std::vector<std::vector<int>> occupied_; ///< per unit: the cores it is on
    std::vector<char> busy_;
    BruteForceResult result_;
};

} // namespace

BruteForceResult brute_force(const SlotInstance& instance, Objective objective) {
    return Enumerator(instance, objective).run();
}

} // namespace stream::plugins::gecode_alloc
