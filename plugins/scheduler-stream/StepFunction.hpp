// A right-continuous step function of integer time, value 0 before its first
// breakpoint, stored as the change ("delta") at each breakpoint in a treap
// augmented with subtree sums and the largest and smallest running total.
//
// Adding "delta from t on" touches one node, and every query is one descent,
// wherever the times fall. The link timelines keep their streaming blocks'
// activity in one; memory use, whose changes and questions cluster at the end
// of the timeline, is a BlockStepFunction, faster there.
//
//   StepFunction<std::int64_t> use;
//   use.add(10, 64);                 // 64 bits held from cycle 10 on
//   use.add(30, -64);                // ... until cycle 30
//   use.value_at(20);                // 64
//   use.last_above(0);               // 10: the last breakpoint whose value exceeds 0
//
// Nodes live in one vector (indices, not pointers), so clear() keeps the
// storage for the next schedule.
#pragma once

#include "TreapLeaf.hpp"

#include <algorithm>
#include <limits>
#include <cstdint>
#include <optional>
#include <type_traits>
#include <vector>

namespace stream::plugins::stream_scheduler {

/// `kTrackMinimum` keeps the smallest running total per subtree too, which only
/// first_at_most_after needs.
template <class Value, bool kTrackMinimum = true>
class StepFunction {
public:
    StepFunction() { clear(); }

    void clear() {
        nodes_.assign(1, sentinel());
        root_ = kNil;
        last_time_ = std::numeric_limits<std::int64_t>::min();
    }
    bool empty() const { return root_ == kNil; }
    std::size_t breakpoint_count() const { return nodes_.size() - 1; }

    /// The value changes by `delta` from `time` on.
    void add(std::int64_t time, Value delta) {
        if (root_ == kNil || time > last_time_) return append(time, delta);
        // Iterative: walk down keeping the path, add or hang a leaf, rotate it up to its
        // priority, then refresh the sums along the path.
        path_.clear();
        Node* n = nodes_.data();
        std::int32_t x = root_;
        while (x != kNil && n[x].time != time) {
            path_.push_back(x);
            x = time < n[x].time ? n[x].left : n[x].right;
        }
        std::size_t depth = path_.size();
        const std::int32_t* path = path_.data();
        if (x != kNil) {
            n[x].delta += delta;
            pull(n, x);
        } else {
            Node leaf{};
            leaf.time = time;
            leaf.delta = leaf.sum = leaf.max_prefix = delta;
            if constexpr (kTrackMinimum) leaf.min_prefix = delta;
            leaf.priority = next_priority();
            leaf.left = leaf.right = kNil;
            nodes_.push_back(leaf);
            n = nodes_.data();
            x = static_cast<std::int32_t>(nodes_.size() - 1);
            root_ = hang_leaf(
                n, path, depth, x, root_, [&](std::int32_t p) { return time < n[p].time; },
                [&](std::int32_t p) { pull(n, p); });
            return;
        }
        while (depth > 0) pull(n, path[--depth]);
    }

    /// The value on [time, next breakpoint).
    Value value_at(std::int64_t time) const {
        Value total{};
        for (std::int32_t x = root_; x != kNil;) {
            const Node& n = nodes_[x];
            if (n.time <= time) {
                total += sum(n.left) + n.delta;
                x = n.right;
            } else {
                x = n.left;
            }
        }
        return total;
    }

    /// The largest value ever taken (0 counts: the value before the first breakpoint).
    Value max_value() const { return root_ == kNil ? Value{} : std::max(Value{}, nodes_[root_].max_prefix); }

    /// The last breakpoint from which the value exceeds `threshold`, if any.
    std::optional<std::int64_t> last_above(Value threshold) const {
        Value offset{};
        for (std::int32_t x = root_; x != kNil;) {
            const Node& n = nodes_[x];
            const Value at = offset + sum(n.left) + n.delta;
            if (n.right != kNil && at + nodes_[n.right].max_prefix > threshold) {
                offset = at;
                x = n.right;
            } else if (at > threshold) {
                return n.time;
            } else if (n.left != kNil && offset + nodes_[n.left].max_prefix > threshold) {
                x = n.left;
            } else {
                break;
            }
        }
        return std::nullopt;
    }

    /// The first breakpoint strictly after `time`, if any.
    std::optional<std::int64_t> next_breakpoint_after(std::int64_t time) const {
        std::optional<std::int64_t> best;
        for (std::int32_t x = root_; x != kNil;) {
            const Node& n = nodes_[x];
            if (n.time > time) {
                best = n.time;
                x = n.left;
            } else {
                x = n.right;
            }
        }
        return best;
    }

    /// The first breakpoint strictly after `time` from which the value exceeds `threshold`.
    std::optional<std::int64_t> first_above_after(std::int64_t time, Value threshold) const {
        std::int32_t x = first_after(root_, Value{}, time, threshold, true);
        return x == kNil ? std::nullopt : std::optional<std::int64_t>(nodes_[x].time);
    }

    /// The first breakpoint strictly after `time` from which the value is at most `threshold`.
    std::optional<std::int64_t> first_at_most_after(std::int64_t time, Value threshold) const {
        static_assert(kTrackMinimum, "first_at_most_after needs the minimum tracked");
        std::int32_t x = first_after(root_, Value{}, time, threshold, false);
        return x == kNil ? std::nullopt : std::optional<std::int64_t>(nodes_[x].time);
    }

    /// Calls visit(time, value from time on) for every breakpoint, in time order.
    template <class Visit>
    void for_each(Visit&& visit) const {
        std::vector<std::int32_t> stack;
        Value offset{};
        std::int32_t x = root_;
        while (x != kNil || !stack.empty()) {
            while (x != kNil) {
                stack.push_back(x);
                x = nodes_[x].left;
            }
            x = stack.back();
            stack.pop_back();
            offset += nodes_[x].delta;
            visit(nodes_[x].time, offset);
            x = nodes_[x].right;
        }
    }

private:
    // Node 0 is a sentinel standing for every missing child: sum 0 and prefix bounds no real
    // total reaches, so refreshing a node needs no branches.
    static constexpr std::int32_t kNil = 0;
    static constexpr Value kLowest =
        std::numeric_limits<Value>::has_infinity ? -std::numeric_limits<Value>::infinity() : std::numeric_limits<Value>::min() / 4;
    static constexpr Value kHighest =
        std::numeric_limits<Value>::has_infinity ? std::numeric_limits<Value>::infinity() : std::numeric_limits<Value>::max() / 4;

    struct Empty {};
    struct Node {
        std::int64_t time;
        Value delta;
        Value sum;        // of the subtree's deltas
        Value max_prefix; // largest running total at a breakpoint of the subtree, counted from its first
        [[no_unique_address]] std::conditional_t<kTrackMinimum, Value, Empty> min_prefix; // smallest such total
        std::uint32_t priority;
        std::int32_t left;
        std::int32_t right;
    };

    Value sum(std::int32_t x) const { return nodes_[x].sum; }

    static auto sentinel() {
        Node n{};
        n.max_prefix = kLowest;
        if constexpr (kTrackMinimum) n.min_prefix = kHighest;
        n.left = n.right = kNil;
        return n;
    }

    std::uint32_t next_priority() {
        // xorshift32: the treap only needs priorities that look random, not good randomness.
        rng_ ^= rng_ << 13;
        rng_ ^= rng_ >> 17;
        rng_ ^= rng_ << 5;
        return rng_;
    }

    // A breakpoint after every other one, the most common case in a schedule (most changes fall
    // after everything already on a timeline). The new node belongs on the
    // right spine, below the spine nodes of higher priority and above the rest, which become its
    // left subtree. No earlier running total changes, so each spine node above it only gains the
    // new last total: no descent by key, no path, no full refresh.
    void append(std::int64_t time, Value delta) {
        Node leaf{};
        leaf.time = time;
        leaf.delta = delta;
        leaf.priority = next_priority();
        leaf.right = kNil;
        last_time_ = time;
        std::int32_t parent = kNil;
        std::int32_t x = root_;
        Node* n = nodes_.data();
        while (x != kNil && n[x].priority > leaf.priority) {
            Node& a = n[x];
            a.sum += delta;
            a.max_prefix = std::max(a.max_prefix, a.sum);
            if constexpr (kTrackMinimum) a.min_prefix = std::min(a.min_prefix, a.sum);
            parent = x;
            x = a.right;
        }
        leaf.left = x;
        nodes_.push_back(leaf);
        n = nodes_.data();
        const auto id = static_cast<std::int32_t>(nodes_.size() - 1);
        pull(n, id);
        if (parent == kNil) root_ = id;
        else n[parent].right = id;
    }

    static void pull(Node* base, std::int32_t x) {
        Node& n = base[x];
        const Node& l = base[n.left];
        const Node& r = base[n.right];
        const Value at = l.sum + n.delta;
        n.sum = at + r.sum;
        n.max_prefix = std::max(std::max(l.max_prefix, at), at + r.max_prefix);
        if constexpr (kTrackMinimum) n.min_prefix = std::min(std::min(l.min_prefix, at), at + r.min_prefix);
    }

    bool matches(Value v, Value threshold, bool above) const { return above ? v > threshold : v <= threshold; }
    bool subtree_may_match(std::int32_t x, Value offset, Value threshold, bool above) const {
        if (above) return offset + nodes_[x].max_prefix > threshold;
        if constexpr (kTrackMinimum) return offset + nodes_[x].min_prefix <= threshold;
        else return true; // without the minimum, every subtree may hold a match
    }

    // The leftmost breakpoint of subtree x (whose running total starts at `offset`) with
    // time > `after` and a value matching the threshold. Walks one root-to-leaf path and
    // descends into at most one other subtree, guided by the prefix bounds.
    std::int32_t first_after(std::int32_t x, Value offset, std::int64_t after, Value threshold, bool above) const {
        while (x != kNil) {
            const Node& n = nodes_[x];
            const Value at = offset + sum(n.left) + n.delta;
            if (n.time <= after) {
                offset = at;
                x = n.right;
                continue;
            }
            if (std::int32_t found = first_after(n.left, offset, after, threshold, above); found != kNil) return found;
            if (matches(at, threshold, above)) return x;
            return leftmost_match(n.right, at, threshold, above);
        }
        return kNil;
    }

    std::int32_t leftmost_match(std::int32_t x, Value offset, Value threshold, bool above) const {
        if (x == kNil || !subtree_may_match(x, offset, threshold, above)) return kNil;
        while (x != kNil) {
            const Node& n = nodes_[x];
            if (n.left != kNil && subtree_may_match(n.left, offset, threshold, above)) {
                x = n.left;
                continue;
            }
            const Value at = offset + sum(n.left) + n.delta;
            if (matches(at, threshold, above)) return x;
            offset = at;
            x = n.right;
        }
        return kNil;
    }

    std::vector<Node> nodes_;
    std::vector<std::int32_t> path_; ///< add()'s walk, kept to spare an allocation per call
    std::int32_t root_ = kNil;
    std::int64_t last_time_ = std::numeric_limits<std::int64_t>::min(); ///< the latest breakpoint's time
    std::uint32_t rng_ = 0x9e3779b9u;
};

} // namespace stream::plugins::stream_scheduler
