// The exhaustive allocator through its C entry point, with the fake host and
// the analytic evaluator of tests/support/fake_allocator_host.hpp.
#include <fake_allocator_host.hpp>

#include <doctest/doctest.h>

#include <cmath>
#include <set>
#include <string>
#include <vector>

using namespace alloctest;

namespace {

// Three free units on two cores, plus a pinned and a single-candidate unit
// that cost nothing (so they leave the sums alone) and must never move:
//   unit   core 0 (lat, en)   core 1 (lat, en)
//   u0     4, 10              8, 4
//   u1     6, 12              9, 5
//   u2     5, 6               3, 9
// latency = max(sum on core 0, sum on core 1), energy = sum:
//   (0,0,0) 15, 28   (0,0,1) 10, 31   (0,1,0)  9, 21   (0,1,1) 12, 24
//   (1,0,0) 11, 22   (1,0,1) 11, 25   (1,1,0) 17, 15   (1,1,1) 20, 18
// so the lowest latency is 9 at (0,1,0), which is also the lowest EDP (189),
// and the lowest energy is 15 at (1,1,0).
void hand_problem(FakeProblem& p) {
    p.add_unit({{0, 4, 10}, {1, 8, 4}});
    p.add_unit({{0, 6, 12}, {1, 9, 5}});
    p.add_unit({{0, 5, 6}, {1, 3, 9}});
    p.add_unit({{0, 0, 0}, {1, 0, 0}}, 1); // pinned to core 1
    p.add_unit({{0, 0, 0}});               // one candidate
}

} // namespace

TEST_CASE("allocator-exhaustive: describes itself") {
    const stream_plugin_descriptor* d = stream_plugin_entry(nullptr);
    CHECK(std::string(d->id) == "exhaustive");
    CHECK(d->kind == STREAM_KIND_ALLOCATOR);
    std::set<std::string> keys;
    for (uint32_t i = 0; i < d->config_key_count; ++i) keys.insert(d->config_keys[i].key);
    CHECK(keys == std::set<std::string>{"objective", "max_allocations", "threads"});
}

TEST_CASE("allocator-exhaustive: finds the hand-derived optimum for each objective") {
    struct Expected {
        const char* objective;
        std::vector<int64_t> allocation;
        double value;
    };
    for (const Expected& e : {Expected{"edp", {0, 1, 0, 1, 0}, 189.0}, Expected{"latency", {0, 1, 0, 1, 0}, 9.0},
                              Expected{"energy", {1, 1, 0, 1, 0}, 15.0}}) {
        CAPTURE(e.objective);
        FakeProblem p(2);
        hand_problem(p);
        FakeEvaluator evaluator(p);
        FakeHost host({{"objective", std::string(e.objective)}});
        Run r;
        run_allocator(host, p, evaluator, r);
        REQUIRE(r.status == STREAM_OK);
        CHECK(r.submitted.count == 1);
        CHECK(r.submitted.unit_core == e.allocation);
        CHECK(r.submitted.objective == e.value);
        CHECK(r.submitted.best_bound == e.value);
        CHECK(r.submitted.proven_optimal == 1);
        CHECK(r.submitted.summary.find("8 allocations") != std::string::npos);
        // every allocation exactly once, pinned and single-candidate units in place
        const auto calls = evaluator.calls();
        CHECK(calls.size() == 8);
        CHECK(std::set<std::vector<int64_t>>(calls.begin(), calls.end()).size() == 8);
        CHECK(evaluator.invalid_calls() == 0);
        for (const auto& c : calls) {
            CHECK(c[3] == 1);
            CHECK(c[4] == 0);
        }
    }
}

TEST_CASE("allocator-exhaustive: the same answer with one thread and with four") {
    for (int64_t threads : {1, 4}) {
        CAPTURE(threads);
        FakeProblem p(3);
        // 7 units x 3 cores = 2187 allocations, enough for several batches
        for (int u = 0; u < 7; ++u)
            p.add_unit({{0, 3.0 + u, 9.0 - u}, {1, 5.0 + (u % 3), 4.0 + u}, {2, 7.0 - (u % 2), 2.0 + 2 * u}});
        FakeEvaluator evaluator(p);
        FakeHost host({{"threads", threads}, {"objective", std::string("latency")}});
        Run r;
        run_allocator(host, p, evaluator, r);
        REQUIRE(r.status == STREAM_OK);
        CHECK(evaluator.call_count() == 2187);
        // ties in latency go to lower energy, then to the first in enumeration order
        double best_latency = INFINITY, best_energy = INFINITY;
        p.for_each_allocation([&](const std::vector<int64_t>& a) {
            auto m = *p.metrics(a);
            if (m.latency_cycles < best_latency || (m.latency_cycles == best_latency && m.energy_pj < best_energy)) {
                best_latency = m.latency_cycles;
                best_energy = m.energy_pj;
            }
        });
        auto m = *p.metrics(r.submitted.unit_core);
        CHECK(m.latency_cycles == best_latency);
        CHECK(m.energy_pj == best_energy);
        // progress counts allocations up to the total
        REQUIRE(!host.progress.empty());
        CHECK(host.progress.back().done == 2187);
        CHECK(host.progress.back().total == 2187);
    }
}

TEST_CASE("allocator-exhaustive: a problem without choices is evaluated once") {
    FakeProblem p(2);
    p.add_unit({{0, 4, 10}, {1, 8, 4}}, 0);
    p.add_unit({{1, 2, 3}});
    FakeEvaluator evaluator(p);
    FakeHost host;
    Run r;
    run_allocator(host, p, evaluator, r);
    REQUIRE(r.status == STREAM_OK);
    CHECK(evaluator.call_count() == 1);
    CHECK(r.submitted.unit_core == std::vector<int64_t>{0, 1});
    CHECK(r.submitted.proven_optimal == 1);
}

TEST_CASE("allocator-exhaustive: infeasible allocations are skipped, all infeasible is an error") {
    FakeProblem p(2);
    hand_problem(p);
    FakeEvaluator evaluator(p);
    // (0,1,0), the EDP optimum, cannot be scheduled; next best EDP is (1,0,0): 11 * 22 = 242
    evaluator.infeasible = [](const std::vector<int64_t>& a) { return a[0] == 0 && a[1] == 1 && a[2] == 0; };
    FakeHost host;
    Run r;
    run_allocator(host, p, evaluator, r);
    REQUIRE(r.status == STREAM_OK);
    CHECK(r.submitted.unit_core == std::vector<int64_t>{1, 0, 0, 1, 0});
    CHECK(r.submitted.objective == 242.0);
    CHECK(r.submitted.summary.find("1 infeasible") != std::string::npos);

    FakeEvaluator none(p);
    none.infeasible = [](const std::vector<int64_t>&) { return true; };
    FakeHost host2;
    Run r2;
    run_allocator(host2, p, none, r2);
    CHECK(r2.status == STREAM_ERROR_INFEASIBLE);
    CHECK(r2.submitted.count == 0);
    CHECK(host2.error_text().find("all 8 allocations are infeasible") != std::string::npos);
}

TEST_CASE("allocator-exhaustive: an evaluator error other than infeasible fails the call") {
    FakeProblem p(2);
    hand_problem(p);
    FakeEvaluator evaluator(p);
    evaluator.status = STREAM_ERROR_INVALID_INPUT;
    FakeHost host;
    Run r;
    run_allocator(host, p, evaluator, r);
    CHECK(r.status == STREAM_ERROR_INVALID_INPUT);
    CHECK(r.submitted.count == 0);
    CHECK(host.error_text().find("invalid input") != std::string::npos);
}

TEST_CASE("allocator-exhaustive: refuses more allocations than max_allocations, saying how many") {
    FakeProblem p(3);
    for (int u = 0; u < 8; ++u) p.add_unit({{0, 1, 1}, {1, 1, 1}, {2, 1, 1}});
    FakeEvaluator evaluator(p);
    FakeHost host({{"max_allocations", int64_t{1000}}});
    Run r;
    run_allocator(host, p, evaluator, r);
    CHECK(r.status == STREAM_ERROR_INVALID_CONFIG);
    CHECK(evaluator.call_count() == 0);
    REQUIRE(host.errors.size() == 1);
    CHECK(host.errors[0].kind == STREAM_ITEM_CONFIG_KEY);
    CHECK(host.errors[0].name == "max_allocations");
    CHECK(host.errors[0].message.find("6561 allocations (8 units with a choice of core: 3^8)") != std::string::npos);
    CHECK(host.errors[0].message.find("max_allocations = 1000") != std::string::npos);

    // beyond 64 bits the count is approximate, never wrapped around
    FakeProblem huge(3);
    for (int u = 0; u < 50; ++u) huge.add_unit({{0, 1, 1}, {1, 1, 1}, {2, 1, 1}});
    FakeEvaluator huge_evaluator(huge);
    FakeHost host2;
    Run r2;
    run_allocator(host2, huge, huge_evaluator, r2);
    CHECK(r2.status == STREAM_ERROR_INVALID_CONFIG);
    CHECK(host2.error_text().find("about 7.17898e+23 allocations") != std::string::npos);
}

TEST_CASE("allocator-exhaustive: config errors name the key") {
    struct Case {
        const char* key;
        Value value;
        const char* phrase;
    };
    for (const Case& c : {Case{"objective", std::string("speed"), "\"speed\" is not an objective"},
                          Case{"max_allocations", int64_t{0}, "at least 1"},
                          Case{"threads", int64_t{-2}, "negative"}}) {
        CAPTURE(c.key);
        FakeProblem p(2);
        hand_problem(p);
        FakeEvaluator evaluator(p);
        FakeHost host({{c.key, c.value}});
        Run r;
        run_allocator(host, p, evaluator, r);
        CHECK(r.create_status == STREAM_ERROR_INVALID_CONFIG);
        REQUIRE(host.errors.size() == 1);
        CHECK(host.errors[0].kind == STREAM_ITEM_CONFIG_KEY);
        CHECK(host.errors[0].name == c.key);
        CHECK(host.errors[0].message.find(c.phrase) != std::string::npos);
    }
}

TEST_CASE("allocator-exhaustive: a unit without candidates is an input error naming its layer") {
    FakeProblem p(2);
    hand_problem(p);
    p.add_unit({});
    FakeEvaluator evaluator(p);
    FakeHost host;
    Run r;
    run_allocator(host, p, evaluator, r);
    CHECK(r.status == STREAM_ERROR_INVALID_INPUT);
    REQUIRE(host.errors.size() == 1);
    CHECK(host.errors[0].kind == STREAM_ITEM_LAYER);
    CHECK(host.errors[0].name == "layer5");
    CHECK(host.errors[0].message.find("no candidate core") != std::string::npos);
}

TEST_CASE("allocator-exhaustive: a cancelled search submits its best so far, not proven optimal") {
    FakeProblem p(3);
    for (int u = 0; u < 7; ++u) p.add_unit({{0, 3.0 + u, 9.0}, {1, 5.0, 4.0 + u}, {2, 7.0, 2.0}});
    FakeEvaluator evaluator(p);
    FakeHost host({{"threads", int64_t{1}}});
    host.cancel_after_progress = 2;
    Run r;
    run_allocator(host, p, evaluator, r);
    REQUIRE(r.status == STREAM_OK);
    CHECK(r.submitted.proven_optimal == 0);
    CHECK(std::isnan(r.submitted.best_bound));
    CHECK(evaluator.call_count() < 2187);
    CHECK(r.submitted.summary.find("stopped after") != std::string::npos);
}
