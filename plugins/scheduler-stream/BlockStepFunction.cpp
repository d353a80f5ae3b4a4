#include "BlockStepFunction.hpp"

#include <algorithm>

namespace stream::plugins::stream_scheduler {

namespace {

constexpr std::int64_t kLowest = std::numeric_limits<std::int64_t>::min();

std::size_t ux(std::int32_t i) { return static_cast<std::size_t>(i); }

// The first index of times[0, count) whose time is >= time (lower) or > time (upper).
int lower_index(const std::int64_t* times, int count, std::int64_t time) {
    return static_cast<int>(std::lower_bound(times, times + count, time) - times);
}
int upper_index(const std::int64_t* times, int count, std::int64_t time) {
    return static_cast<int>(std::upper_bound(times, times + count, time) - times);
}

} // namespace

void BlockStepFunction::clear() {
    pool_used_ = 0;
    order_.clear();
    first_time_.clear();
    sum_.clear();
    offset_.clear();
    max_.clear();
    max_so_far_.clear();
    last_time_ = kLowest;
}

std::size_t BlockStepFunction::breakpoint_count() const {
    std::size_t n = 0;
    for (std::int32_t id : order_) n += static_cast<std::size_t>(pool_[ux(id)].count);
    return n;
}

std::size_t BlockStepFunction::new_block(std::size_t position) {
    if (pool_used_ == pool_.size()) pool_.emplace_back();
    const auto id = static_cast<std::int32_t>(pool_used_++);
    pool_[ux(id)].count = 0;
    const auto at = static_cast<std::ptrdiff_t>(position);
    order_.insert(order_.begin() + at, id);
    first_time_.insert(first_time_.begin() + at, 0);
    sum_.insert(sum_.begin() + at, 0);
    offset_.insert(offset_.begin() + at, 0);
    max_.insert(max_.begin() + at, kLowest);
    max_so_far_.insert(max_so_far_.begin() + at, kLowest);
    return position;
}

void BlockStepFunction::split(std::size_t position) {
    new_block(position + 1); // may move the pool: look blocks up afterwards
    Block& low = pool_[ux(order_[position])];
    Block& high = pool_[ux(order_[position + 1])];
    const int keep = low.count / 2;
    const std::int64_t base = low.run[keep - 1];
    high.count = low.count - keep;
    for (int j = 0; j < high.count; ++j) {
        high.time[j] = low.time[keep + j];
        high.run[j] = low.run[keep + j] - base;
    }
    low.count = keep;
    first_time_[position + 1] = high.time[0];
    sum_[position + 1] = sum_[position] - base;
    sum_[position] = base;
    refresh(position);
    refresh(position + 1);
    refresh_from(position);
}

void BlockStepFunction::refresh(std::size_t position) {
    const Block& b = pool_[ux(order_[position])];
    std::int64_t m = b.run[0];
    for (int j = 1; j < b.count; ++j) m = std::max(m, b.run[j]);
    max_[position] = m;
}

void BlockStepFunction::refresh_from(std::size_t position) {
    for (std::size_t k = position; k < order_.size(); ++k) {
        offset_[k] = k == 0 ? 0 : offset_[k - 1] + sum_[k - 1];
        max_so_far_[k] = std::max(k == 0 ? kLowest : max_so_far_[k - 1], offset_[k] + max_[k]);
    }
}

std::size_t BlockStepFunction::block_of(std::int64_t time) const {
    // The last block starting at or before `time` (the first when none does); most
    // schedule times fall in the last block.
    const std::size_t last = order_.size() - 1;
    if (time >= first_time_[last]) return last;
    const auto k = std::upper_bound(first_time_.begin(), first_time_.end(), time) - first_time_.begin();
    return k == 0 ? 0 : static_cast<std::size_t>(k - 1);
}

void BlockStepFunction::add_elsewhere(std::int64_t time, std::int64_t delta) {
    if (order_.empty() || time > last_time_) {
        // After every breakpoint, with the last block full (or none yet): a new block.
        const std::size_t k = order_.size();
        new_block(k);
        first_time_[k] = time;
        offset_[k] = k == 0 ? 0 : offset_[k - 1] + sum_[k - 1];
        return append(k, time, delta);
    }
    std::size_t k = block_of(time);
    Block* b = &pool_[ux(order_[k])];
    int i = lower_index(b->time, b->count, time);
    if (i == b->count || b->time[i] != time) {
        if (b->count == kBlock) {
            split(k);
            if (time >= first_time_[k + 1]) ++k;
            b = &pool_[ux(order_[k])];
            i = lower_index(b->time, b->count, time);
        }
        const std::int64_t before = i > 0 ? b->run[i - 1] : 0;
        for (int j = b->count; j > i; --j) {
            b->time[j] = b->time[j - 1];
            b->run[j] = b->run[j - 1];
        }
        b->time[i] = time;
        b->run[i] = before;
        ++b->count;
        if (i == 0) first_time_[k] = time;
    }
    // One pass: the running totals from i on move by delta, and the block's largest is
    // taken again (only the moved ones can have grown; any may have been the largest).
    std::int64_t largest = delta >= 0 ? max_[k] : kLowest;
    if (delta < 0)
        for (int j = 0; j < i; ++j) largest = std::max(largest, b->run[j]);
    for (int j = i; j < b->count; ++j) {
        b->run[j] += delta;
        largest = std::max(largest, b->run[j]);
    }
    max_[k] = largest;
    sum_[k] += delta;
    refresh_from(k);
}

std::int64_t BlockStepFunction::value_at(std::int64_t time) const {
    if (order_.empty() || time < first_time_[0]) return 0;
    const std::size_t k = block_of(time);
    const Block& b = pool_[ux(order_[k])];
    return offset_[k] + b.run[upper_index(b.time, b.count, time) - 1];
}

std::int64_t BlockStepFunction::max_value() const {
    return order_.empty() ? 0 : std::max<std::int64_t>(0, max_so_far_.back());
}

std::optional<BlockStepFunction::Above> BlockStepFunction::last_above(std::int64_t threshold) const {
    if (order_.empty() || max_so_far_.back() <= threshold) return std::nullopt;
    for (std::size_t k = order_.size(); k-- > 0;) {
        const std::int64_t offset = offset_[k];
        if (offset + max_[k] <= threshold) continue;
        const Block& b = pool_[ux(order_[k])];
        for (int j = b.count; j-- > 0;) {
            if (offset + b.run[j] <= threshold) continue;
            std::optional<std::int64_t> next;
            if (j + 1 < b.count) next = b.time[j + 1];
            else if (k + 1 < order_.size()) next = first_time_[k + 1];
            return Above{b.time[j], next};
        }
    }
    return std::nullopt;
}

std::optional<std::int64_t> BlockStepFunction::next_breakpoint_after(std::int64_t time) const {
    if (order_.empty()) return std::nullopt;
    if (time < first_time_[0]) return first_time_[0];
    const std::size_t k = block_of(time);
    const Block& b = pool_[ux(order_[k])];
    const int j = upper_index(b.time, b.count, time);
    if (j < b.count) return b.time[j];
    if (k + 1 < order_.size()) return first_time_[k + 1];
    return std::nullopt;
}

} // namespace stream::plugins::stream_scheduler
