#include "IntervalSet.hpp"

#include "TreapLeaf.hpp"

#include <algorithm>
#include <limits>

namespace stream::plugins::stream_scheduler {

namespace {

// Past every time a schedule reaches, with room to subtract an end without overflow.
constexpr std::int64_t kFar = std::numeric_limits<std::int64_t>::max() / 4;
constexpr std::int64_t kNone = std::numeric_limits<std::int64_t>::min();

} // namespace

void IntervalSet::clear() {
    nodes_.clear();
    free_.clear();
    root_ = kNil;
}

std::int32_t IntervalSet::make_node(std::int64_t start, std::int64_t end) {
    rng_ ^= rng_ << 13;
    rng_ ^= rng_ >> 17;
    rng_ ^= rng_ << 5;
    const Node node{start, end, start, end, -1, rng_, kNil, kNil};
    if (!free_.empty()) {
        std::int32_t x = free_.back();
        free_.pop_back();
        nodes_[x] = node;
        return x;
    }
    nodes_.push_back(node);
    return static_cast<std::int32_t>(nodes_.size() - 1);
}

void IntervalSet::release_subtree(std::int32_t x) {
    if (x == kNil) return;
    release_subtree(nodes_[x].left);
    release_subtree(nodes_[x].right);
    free_.push_back(x);
}

void IntervalSet::pull(std::int32_t x) {
    Node& n = nodes_[x];
    std::int64_t gap = -1;
    if (n.left != kNil) {
        const Node& l = nodes_[n.left];
        n.first_start = l.first_start;
        gap = std::max({gap, l.max_gap, n.start - l.last_end});
    } else {
        n.first_start = n.start;
    }
    if (n.right != kNil) {
        const Node& r = nodes_[n.right];
        n.last_end = r.last_end;
        gap = std::max({gap, r.max_gap, r.first_start - n.end});
    } else {
        n.last_end = n.end;
    }
    n.max_gap = gap;
}

void IntervalSet::split(std::int32_t x, std::int64_t key, std::int32_t& below, std::int32_t& rest) {
    if (x == kNil) {
        below = rest = kNil;
        return;
    }
    if (nodes_[x].start < key) {
        std::int32_t right_below = kNil, right_rest = kNil;
        split(nodes_[x].right, key, right_below, right_rest);
        nodes_[x].right = right_below;
        pull(x);
        below = x;
        rest = right_rest;
    } else {
        std::int32_t left_below = kNil, left_rest = kNil;
        split(nodes_[x].left, key, left_below, left_rest);
        nodes_[x].left = left_rest;
        pull(x);
        below = left_below;
        rest = x;
    }
}

std::int32_t IntervalSet::merge(std::int32_t a, std::int32_t b) {
    if (a == kNil) return b;
    if (b == kNil) return a;
    if (nodes_[a].priority > nodes_[b].priority) {
        const std::int32_t right = merge(nodes_[a].right, b);
        nodes_[a].right = right;
        pull(a);
        return a;
    }
    const std::int32_t left = merge(a, nodes_[b].left);
    nodes_[b].left = left;
    pull(b);
    return b;
}

std::int32_t IntervalSet::remove_last(std::int32_t x, std::int64_t& start, std::int64_t& end) {
    if (nodes_[x].right == kNil) {
        start = nodes_[x].start;
        end = nodes_[x].end;
        const std::int32_t left = nodes_[x].left;
        free_.push_back(x);
        return left;
    }
    const std::int32_t right = remove_last(nodes_[x].right, start, end);
    nodes_[x].right = right;
    pull(x);
    return x;
}

void IntervalSet::append(std::int64_t start, std::int64_t end) {
    // Most transfers start after everything a link carries so far. The new interval belongs on
    // the right spine, below the spine nodes of higher priority and above the rest, which
    // become its left subtree; each spine node above it only gains a last gap and a last end.
    const std::int32_t id = make_node(start, end);
    Node* n = nodes_.data();
    std::int32_t parent = kNil;
    std::int32_t x = root_;
    while (x != kNil && n[x].priority > n[id].priority) {
        Node& a = n[x];
        a.max_gap = std::max(a.max_gap, start - a.last_end);
        a.last_end = end;
        parent = x;
        x = a.right;
    }
    n[id].left = x;
    pull(id);
    if (parent == kNil) root_ = id;
    else n[parent].right = id;
}

void IntervalSet::insert(std::int64_t start, std::int64_t end) {
    if (end <= start) return;
    // An interval that touches the last one merges with it: only a strictly later one appends.
    if (root_ == kNil || start > nodes_[root_].last_end) return append(start, end);
    // One descent finds the neighbours. Most transfers land in idle time, touching neither:
    // the new node hangs as a leaf and rotates up to its priority, as in any treap. One that
    // only lengthens the interval before it grows that node in place. Both leave the same set
    // as the split-and-merge below, which absorbs several intervals at once.
    path_.clear();
    std::int32_t pred = kNil, succ = kNil;
    std::size_t pred_depth = 0;
    for (std::int32_t x = root_; x != kNil;) {
        path_.push_back(x);
        if (nodes_[x].start < start) {
            pred = x;
            pred_depth = path_.size();
            x = nodes_[x].right;
        } else {
            succ = x;
            x = nodes_[x].left;
        }
    }
    const bool joins_pred = pred != kNil && nodes_[pred].end >= start;
    const std::int64_t grown = joins_pred ? std::max(end, nodes_[pred].end) : end;
    if (succ == kNil || nodes_[succ].start > grown) {
        if (joins_pred) {
            nodes_[pred].end = grown;
            for (std::size_t d = pred_depth; d-- > 0;) pull(path_[d]);
            return;
        }
        const std::int32_t x = make_node(start, end);
        root_ = hang_leaf(
            nodes_.data(), path_.data(), path_.size(), x, root_,
            [&](std::int32_t p) { return start < nodes_[p].start; }, [&](std::int32_t p) { pull(p); });
        return;
    }
    std::int32_t below = kNil, rest = kNil;
    split(root_, start, below, rest);
    // The interval just before may reach (or touch) the new one: absorb it.
    if (below != kNil && nodes_[below].last_end >= start) {
        std::int64_t last_start = 0, last_end = 0;
        below = remove_last(below, last_start, last_end);
        start = last_start;
        end = std::max(end, last_end);
    }
    // Intervals starting inside (or right at the end of) the new one are absorbed too.
    std::int32_t covered = kNil, after = kNil;
    split(rest, end + 1, covered, after);
    if (covered != kNil) {
        end = std::max(end, nodes_[covered].last_end);
        release_subtree(covered);
    }
    root_ = merge(merge(below, make_node(start, end)), after);
}

bool IntervalSet::overlaps(std::int64_t start, std::int64_t end) const {
    if (end <= start) return false;
    // The last interval starting before `end` is the only candidate (they are disjoint).
    std::int32_t candidate = kNil;
    for (std::int32_t x = root_; x != kNil;) {
        if (nodes_[x].start < end) {
            candidate = x;
            x = nodes_[x].right;
        } else {
            x = nodes_[x].left;
        }
    }
    return candidate != kNil && nodes_[candidate].end > start;
}

std::int64_t IntervalSet::earliest_gap(std::int64_t from, std::int64_t length) const {
    if (length <= 0) return from;
    if (root_ == kNil || from >= nodes_[root_].last_end) return from; // after everything: idle
    std::int64_t t = from;
    // Inside an interval: the earliest candidate is its end.
    for (std::int32_t x = root_, pred = kNil; ; ) {
        if (x == kNil) {
            if (pred != kNil && nodes_[pred].end > t) t = nodes_[pred].end;
            break;
        }
        if (nodes_[x].start <= from) {
            pred = x;
            x = nodes_[x].right;
        } else {
            x = nodes_[x].left;
        }
    }
    // The next interval after t: merged neighbours never touch, so it starts after t.
    std::int64_t next_start = kNone;
    for (std::int32_t x = root_; x != kNil;) {
        if (nodes_[x].start > t) {
            next_start = nodes_[x].start;
            x = nodes_[x].left;
        } else {
            x = nodes_[x].right;
        }
    }
    if (next_start == kNone || next_start - t >= length) return t;
    return first_gap_end(root_, next_start, kFar, length);
}

std::int64_t IntervalSet::first_gap_end(std::int32_t x, std::int64_t key, std::int64_t next_start,
                                        std::int64_t length) const {
    while (x != kNil) {
        const Node& n = nodes_[x];
        if (n.start < key) {
            x = n.right;
            continue;
        }
        if (std::int64_t found = first_gap_end(n.left, key, n.start, length); found != kNone) return found;
        const std::int64_t after = n.right != kNil ? nodes_[n.right].first_start : next_start;
        if (after - n.end >= length) return n.end;
        return first_gap_end_in(n.right, next_start, length);
    }
    return kNone;
}

std::int64_t IntervalSet::first_gap_end_in(std::int32_t x, std::int64_t next_start, std::int64_t length) const {
    if (x == kNil) return kNone;
    if (nodes_[x].max_gap < length && next_start - nodes_[x].last_end < length) return kNone;
    while (x != kNil) {
        const Node& n = nodes_[x];
        if (n.left != kNil) {
            const Node& l = nodes_[n.left];
            if (l.max_gap >= length || n.start - l.last_end >= length) {
                next_start = n.start;
                x = n.left;
                continue;
            }
        }
        const std::int64_t after = n.right != kNil ? nodes_[n.right].first_start : next_start;
        if (after - n.end >= length) return n.end;
        x = n.right;
    }
    return kNone;
}

} // namespace stream::plugins::stream_scheduler
