// Disjoint busy intervals [start, end) of integer time, with the query a
// link needs: the earliest start >= t of an idle window of a given length.
//
// Intervals that overlap or touch are merged, so gaps between neighbours are
// always positive. A treap ordered by start keeps, per subtree, its first
// start, its last end and its largest internal gap; the earliest fitting gap
// is then found in one descent instead of a scan over the link's history
// (Stream rescans every event after t for every transfer).
//
//   IntervalSet busy;
//   busy.insert(0, 10);
//   busy.insert(12, 20);
//   busy.earliest_gap(0, 2);   // 10: [10, 12) is idle
//   busy.earliest_gap(0, 3);   // 20
#pragma once

#include <cstdint>
#include <vector>

namespace stream::plugins::stream_scheduler {

class IntervalSet {
public:
    void clear();
    bool empty() const { return root_ == kNil; }
    std::size_t size() const { return nodes_.size() - free_.size(); }

    /// Marks [start, end) busy; a no-op when end <= start.
    void insert(std::int64_t start, std::int64_t end);

    /// The earliest s >= `from` such that [s, s + length) overlaps no interval.
    std::int64_t earliest_gap(std::int64_t from, std::int64_t length) const;

    /// True when some interval overlaps [start, end).
    bool overlaps(std::int64_t start, std::int64_t end) const;

private:
    static constexpr std::int32_t kNil = -1;

    struct Node {
        std::int64_t start;
        std::int64_t end;
        std::int64_t first_start; // of the subtree
        std::int64_t last_end;    // of the subtree
        std::int64_t max_gap;     // largest start(next) - end(previous) inside the subtree; -1 if none
        std::uint32_t priority;
        std::int32_t left;
        std::int32_t right;
    };

    std::int32_t make_node(std::int64_t start, std::int64_t end);
    void append(std::int64_t start, std::int64_t end); ///< insert() of an interval after every other
    void release_subtree(std::int32_t x);
    void pull(std::int32_t x);
    void split(std::int32_t x, std::int64_t key, std::int32_t& below, std::int32_t& rest);
    std::int32_t merge(std::int32_t a, std::int32_t b);
    std::int32_t remove_last(std::int32_t x, std::int64_t& start, std::int64_t& end);
    // The end of the first interval with start >= key followed by a gap >= length (the last
    // interval is followed by an infinite gap).
    std::int64_t first_gap_end(std::int32_t x, std::int64_t key, std::int64_t next_start, std::int64_t length) const;
    std::int64_t first_gap_end_in(std::int32_t x, std::int64_t next_start, std::int64_t length) const;

    std::vector<Node> nodes_;
    std::vector<std::int32_t> free_;
    std::vector<std::int32_t> path_; ///< insert()'s descent, kept to spare an allocation per call
    std::int32_t root_ = kNil;
    std::uint32_t rng_ = 0x2545f491u;
};

} // namespace stream::plugins::stream_scheduler
