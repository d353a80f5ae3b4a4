// The scheduler's data structures against brute force: random operations on a
// dense array of cycles give the answers the timelines must give.
#include "BlockStepFunction.hpp"
#include "IntervalSet.hpp"
#include "LinkTimeline.hpp"
#include "MemoryTimeline.hpp"
#include "Routes.hpp"
#include "StepFunction.hpp"
#include "problem_builder.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <optional>
#include <random>
#include <utility>
#include <vector>

namespace ss = stream::plugins::stream_scheduler;

namespace {

constexpr int kHorizon = 200; // brute-force cycles; the treaps see the same times

// Value on [t, t+1) of a step function given as per-cycle deltas.
std::vector<long> prefix(const std::vector<long>& delta) {
    std::vector<long> v(delta.size());
    long run = 0;
    for (std::size_t i = 0; i < delta.size(); ++i) v[i] = run += delta[i];
    return v;
}

} // namespace

namespace {

// Adds 60 random changes at times from `next_time(pick)` and checks every query against a
// per-cycle array.
template <class NextTime>
void check_step_function(unsigned seed, NextTime&& next_time) {
    CAPTURE(seed);
    std::mt19937 rng(seed);
    auto pick = [&](int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng); };
    ss::StepFunction<long> f;
    std::vector<long> delta(kHorizon + 1, 0);
    for (int op = 0; op < 60; ++op) {
        const int t = next_time(pick);
        long d = pick(-20, 40);
        f.add(t, d);
        delta[static_cast<std::size_t>(t)] += d;
    }
    const std::vector<long> v = prefix(delta);
    for (int t = 0; t < kHorizon; ++t) CHECK(f.value_at(t) == v[static_cast<std::size_t>(t)]);
    CHECK(f.max_value() == std::max(0L, *std::max_element(v.begin(), v.end())));
    for (long threshold : {-10L, 0L, 15L, 40L, 90L}) {
        // last breakpoint whose value exceeds the threshold
        std::optional<long> last;
        f.for_each([&](std::int64_t t, long value) {
            if (value > threshold) last = t;
        });
        CHECK(f.last_above(threshold) == last);
        for (int from : {0, 17, 50, 120}) {
            std::optional<long> above, at_most;
            f.for_each([&](std::int64_t t, long value) {
                if (t <= from) return;
                if (!above && value > threshold) above = t;
                if (!at_most && value <= threshold) at_most = t;
            });
            CHECK(f.first_above_after(from, threshold) == above);
            CHECK(f.first_at_most_after(from, threshold) == at_most);
        }
    }
}

} // namespace

TEST_CASE("scheduler_stream step function: values, peaks and threshold searches match brute force") {
    for (unsigned seed = 1; seed <= 40; ++seed)
        check_step_function(seed, [](auto&& pick) { return pick(0, kHorizon - 1); });
}

TEST_CASE("scheduler_stream step function: mostly appended changes, as a schedule makes them, match brute force") {
    // Most changes come after every breakpoint so far (add's append path), some at the latest
    // time again, some earlier: the three ways a breakpoint is added.
    for (unsigned seed = 1; seed <= 40; ++seed) {
        int latest = 0;
        check_step_function(seed, [&](auto&& pick) {
            const int kind = pick(0, 9);
            if (kind < 7) latest = std::min(kHorizon - 1, latest + pick(1, 4));
            else if (kind == 9) return pick(0, latest);
            return latest;
        });
    }
}

namespace {

// Adds `ops` changes at times from `next_time(pick)` to a BlockStepFunction, twice on the same
// object (the second round reuses the first's blocks after clear()), and checks every query
// against a per-cycle array and the list of breakpoints (kept even where changes cancel).
template <class NextTime>
void check_block_step_function(unsigned seed, int horizon, int ops, NextTime&& next_time) {
    CAPTURE(seed);
    std::mt19937 rng(seed);
    auto pick = [&](int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng); };
    ss::BlockStepFunction f;
    for (int round = 0; round < 2; ++round) {
        CAPTURE(round);
        f.clear();
        std::vector<long> delta(static_cast<std::size_t>(horizon) + 1, 0);
        std::vector<char> is_breakpoint(static_cast<std::size_t>(horizon) + 1, 0);
        for (int op = 0; op < ops; ++op) {
            const int t = next_time(pick);
            const long d = pick(-20, 40);
            f.add(t, d);
            delta[static_cast<std::size_t>(t)] += d;
            is_breakpoint[static_cast<std::size_t>(t)] = 1;
        }
        const std::vector<long> v = prefix(delta);
        std::vector<int> breakpoints;
        for (int t = 0; t <= horizon; ++t)
            if (is_breakpoint[static_cast<std::size_t>(t)]) breakpoints.push_back(t);
        CHECK(f.breakpoint_count() == breakpoints.size());
        std::vector<std::pair<long, long>> seen, expected;
        f.for_each([&](std::int64_t t, std::int64_t value) { seen.emplace_back(t, value); });
        for (int t : breakpoints) expected.emplace_back(t, v[static_cast<std::size_t>(t)]);
        CHECK(seen == expected);
        for (int t = 0; t < horizon; ++t) CHECK(f.value_at(t) == v[static_cast<std::size_t>(t)]);
        CHECK(f.value_at(-1) == 0);
        long peak = 0;
        for (int t : breakpoints) peak = std::max(peak, v[static_cast<std::size_t>(t)]);
        CHECK(f.max_value() == peak);
        for (int from : {-1, 0, 17, horizon / 3, horizon / 2, horizon - 5, horizon}) {
            const auto after = std::upper_bound(breakpoints.begin(), breakpoints.end(), from);
            const std::optional<std::int64_t> next = f.next_breakpoint_after(from);
            CHECK(next.has_value() == (after != breakpoints.end()));
            if (next && after != breakpoints.end()) CHECK(*next == *after);
        }
        for (long threshold : {-10L, 0L, 15L, 40L, 90L, 200L, 400L}) {
            CAPTURE(threshold);
            std::size_t last = breakpoints.size();
            for (std::size_t i = 0; i < breakpoints.size(); ++i)
                if (v[static_cast<std::size_t>(breakpoints[i])] > threshold) last = i;
            const std::optional<ss::BlockStepFunction::Above> above = f.last_above(threshold);
            REQUIRE(above.has_value() == (last < breakpoints.size()));
            if (!above) continue;
            CHECK(above->time == breakpoints[last]);
            CHECK(above->next.has_value() == (last + 1 < breakpoints.size()));
            if (above->next && last + 1 < breakpoints.size()) CHECK(*above->next == breakpoints[last + 1]);
        }
    }
}

} // namespace

TEST_CASE("scheduler_stream block step function: few changes in one block match brute force") {
    for (unsigned seed = 1; seed <= 40; ++seed)
        check_block_step_function(seed, kHorizon, 20, [](auto&& pick) { return pick(0, kHorizon - 1); });
}

TEST_CASE("scheduler_stream block step function: hundreds of changes across split blocks match brute force") {
    // Uniform times make every block fill and split in the middle; a schedule's times (mostly
    // after the latest, some at it again, some anywhere before) fill the last block and insert
    // into earlier ones.
    constexpr int kLong = 4000;
    for (unsigned seed = 1; seed <= 10; ++seed)
        check_block_step_function(seed, kLong, 600, [](auto&& pick) { return pick(0, kLong - 1); });
    for (unsigned seed = 1; seed <= 10; ++seed) {
        int latest = 0;
        check_block_step_function(seed, kLong, 900, [&](auto&& pick) {
            const int kind = pick(0, 9);
            if (kind < 6) latest = std::min(kLong - 1, latest + pick(1, 6));
            else if (kind == 9) return pick(0, latest);
            else if (kind == 8) return std::max(0, latest - pick(0, 40));
            return latest;
        });
    }
}

namespace {

// Inserts `ops` random intervals of 0..max_length cycles into [0, horizon) and, after every
// `check_every`-th, compares earliest_gap and overlaps with a busy array.
void check_interval_set(unsigned seed, int horizon, int ops, int max_length, int check_every) {
    CAPTURE(seed);
    std::mt19937 rng(seed);
    auto pick = [&](int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng); };
    ss::IntervalSet set;
    std::vector<char> busy(static_cast<std::size_t>(horizon) * 2, 0);
    for (int op = 0; op < ops; ++op) {
        int s = pick(0, horizon - 20);
        int e = s + pick(0, max_length);
        set.insert(s, e);
        for (int t = s; t < e; ++t) busy[static_cast<std::size_t>(t)] = 1;
        if (op % check_every != check_every - 1) continue;
        for (int q = 0; q < 10; ++q) {
            int from = pick(0, horizon);
            int length = pick(1, 12);
            int expect = from;
            while (std::any_of(busy.begin() + expect, busy.begin() + expect + length, [](char b) { return b; })) ++expect;
            CHECK(set.earliest_gap(from, length) == expect);
            int a = pick(0, horizon), b = a + pick(0, 10);
            bool overlap = std::any_of(busy.begin() + a, busy.begin() + b, [](char x) { return x; });
            CHECK(set.overlaps(a, b) == overlap);
        }
    }
}

} // namespace

TEST_CASE("scheduler_stream interval set: earliest gaps match brute force") {
    for (unsigned seed = 1; seed <= 40; ++seed) check_interval_set(seed, kHorizon, 25, 15, 1);
}

TEST_CASE("scheduler_stream interval set: a deep set of short, mostly apart intervals matches brute force") {
    // Short intervals over a long horizon mostly land apart or lengthen their predecessor, the
    // two cases insert() handles in one descent; the few that bridge neighbours take the
    // split-and-merge path. Hundreds per set make the treap deep enough for rotations.
    for (unsigned seed = 1; seed <= 20; ++seed) check_interval_set(seed, 4000, 600, 6, 20);
}

TEST_CASE("scheduler_stream interval set: intervals mostly after all others, as transfers come, match brute force") {
    // Appended intervals take insert()'s right-spine path, queries from past the last end its
    // shortcut; some intervals touch the last one (merge), some land earlier.
    for (unsigned seed = 1; seed <= 20; ++seed) {
        CAPTURE(seed);
        std::mt19937 rng(seed);
        auto pick = [&](int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng); };
        constexpr int kLong = 3000;
        ss::IntervalSet set;
        std::vector<char> busy(kLong * 2, 0);
        int last_end = 0;
        for (int op = 0; op < 400; ++op) {
            const int kind = pick(0, 9);
            const int s = kind < 6 ? last_end + pick(1, 5) : kind < 8 ? last_end : pick(0, std::max(0, last_end - 1));
            const int e = std::min(kLong, s + pick(1, 8));
            set.insert(s, e);
            for (int t = s; t < e; ++t) busy[static_cast<std::size_t>(t)] = 1;
            last_end = std::max(last_end, e);
            for (int from : {pick(0, last_end), last_end, last_end + pick(0, 5)}) {
                const int length = pick(1, 6);
                int expect = from;
                while (std::any_of(busy.begin() + expect, busy.begin() + expect + length, [](char b) { return b; })) ++expect;
                CHECK(set.earliest_gap(from, length) == expect);
            }
        }
    }
}

TEST_CASE("scheduler_stream memory timeline: earliest fit is the first time after which the tensor always fits") {
    for (unsigned seed = 1; seed <= 40; ++seed) {
        CAPTURE(seed);
        std::mt19937 rng(seed);
        auto pick = [&](int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng); };
        ss::MemoryTimeline memory;
        memory.reset(100);
        std::vector<long> delta(kHorizon + 1, 0);
        int last_change = 0; // the last breakpoint (Stream's too)
        for (int op = 0; op < 20; ++op) {
            int s = pick(0, kHorizon - 30);
            int e = s + pick(1, 30);
            long bits = pick(1, 40);
            memory.reserve(s, bits);
            delta[static_cast<std::size_t>(s)] += bits;
            last_change = std::max(last_change, s);
            if (pick(0, 3) != 0) {
                memory.release(e, bits);
                delta[static_cast<std::size_t>(e)] -= bits;
                last_change = std::max(last_change, e);
            }
        }
        const std::vector<long> use = prefix(delta);
        for (int q = 0; q < 30; ++q) {
            const int from = pick(0, kHorizon - 1);
            const long bits = pick(1, 60);
            CHECK(memory.usage_at(from) == use[static_cast<std::size_t>(from)]);
            // Brute force: the first t >= from with use + bits <= 100 on [t, horizon]; if even the
            // final level leaves no room, the last breakpoint (or from, if later).
            int expect = -1;
            for (int t = from; t <= kHorizon && expect < 0; ++t) {
                bool fits = true;
                for (int u = t; u <= kHorizon && fits; ++u) fits = use[static_cast<std::size_t>(u)] + bits <= 100;
                if (fits) expect = t;
            }
            const bool room = expect >= 0;
            if (expect < 0) expect = std::max(from, last_change);
            CHECK(memory.earliest_fit(from, bits) == expect);
            // find_fit says the same, and whether the bits fit there (what make_space asks).
            const ss::MemoryTimeline::Fit fit = memory.find_fit(from, bits);
            CHECK(fit.cycle == expect);
            CHECK(fit.room == room);
            CHECK(fit.room == (use[static_cast<std::size_t>(expect)] + bits <= 100));
        }
    }
}

TEST_CASE("scheduler_stream link timeline: transfers avoid everything, blocks share what bandwidth is left") {
    ss::LinkTimeline link;
    link.reset(16);
    link.add_transfer(0, 10);
    CHECK(link.earliest_transfer_start(0, 5) == 10);
    CHECK(link.earliest_block_start(0, 5, 8) == 10);
    link.add_block(10, 30, 8);
    CHECK(link.earliest_block_start(10, 5, 8) == 10);  // 8 + 8 <= 16
    CHECK(link.earliest_block_start(10, 5, 12) == 30); // 8 + 12 > 16
    CHECK(link.earliest_transfer_start(10, 5) == 30);
    link.add_block(12, 20, 8);
    CHECK(link.earliest_block_start(10, 5, 4) == 20); // [12, 20) is full
    CHECK(link.earliest_block_start(0, 3, 4) == 20);
    link.add_transfer(40, 50);
    CHECK(link.earliest_block_start(25, 12, 4) == 25); // 8 + 4 fits until 30, then the link is idle until 40
    CHECK(link.earliest_block_start(25, 16, 4) == 50); // [25, 41) would cross the transfer at 40
    CHECK(link.earliest_transfer_start(25, 10) == 30);
}

TEST_CASE("scheduler_stream routes: fewest hops, buses in one hop, compat splits on-chip buses into pairs") {
    stream::test::ProblemBuilder b;
    auto c0 = b.add_core("c0", {stream::test::sram("sram", 100)});
    auto c1 = b.add_core("c1", {stream::test::sram("sram", 100)});
    auto c2 = b.add_core("c2", {stream::test::sram("sram", 100)});
    auto c3 = b.add_core("c3", {stream::test::sram("sram", 100)});
    auto dram = b.add_dram();
    b.add_link(c0, c1, 8);
    b.add_link(c1, c2, 8, 0, 0, false); // one way
    b.add_bus({c0, c2, c3}, 8);
    b.add_bus({c0, c1, c2, c3, dram}, 8, 0, dram, -1); // a DRAM read bus
    const stream_accelerator_v1& acc = *b.problem().accelerator;

    ss::Routes routes;
    routes.build(acc, false);
    CHECK(routes.hops(c0, c0).empty());
    REQUIRE(routes.hops(c1, c2).size() == 1);
    CHECK(routes.hops(c1, c2)[0].link == 1);
    CHECK(!routes.reachable(c1, dram)); // nothing writes to DRAM
    REQUIRE(routes.hops(c2, c1).size() == 2); // c2 -> c0 on the bus, c0 -> c1
    CHECK(routes.hops(c2, c1)[0].link == 2);
    CHECK(routes.hops(c2, c1)[1].link == 0);
    REQUIRE(routes.hops(dram, c3).size() == 1);
    CHECK(routes.hops(dram, c3)[0].link == 3);
    CHECK(routes.timeline_count() == 4);
    CHECK(routes.hops(c0, c2)[0].timeline == routes.hops(c0, c3)[0].timeline);

    ss::Routes compat;
    compat.build(acc, true);
    // The on-chip bus becomes one timeline per pair; the DRAM bus stays shared.
    CHECK(compat.hops(c0, c2)[0].timeline != compat.hops(c0, c3)[0].timeline);
    CHECK(compat.hops(c0, c2)[0].timeline == compat.hops(c2, c0)[0].timeline);
    CHECK(compat.hops(dram, c0)[0].timeline == compat.hops(dram, c3)[0].timeline);
    CHECK(compat.timeline_link(compat.hops(c2, c3)[0].timeline) == 2);
}
