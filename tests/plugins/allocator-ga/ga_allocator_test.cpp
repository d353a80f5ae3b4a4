// The GA allocator through its C entry point, with the fake host and the
// analytic evaluator of tests/support/fake_allocator_host.hpp.
#include <fake_allocator_host.hpp>

#include "ga_allocator.hpp"
#include "ga_settings.hpp"

#include <doctest/doctest.h>

#include <cmath>
#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <vector>

using namespace alloctest;

namespace {

// The exhaustive test's hand-derived problem (see exhaustive_allocator_test.cpp):
// the (latency, energy) front is {(9, 21) at (0,1,0), (17, 15) at (1,1,0)};
// the lowest EDP, 189, and the lowest latency are at (0,1,0).
void hand_problem(FakeProblem& p) {
    p.add_unit({{0, 4, 10}, {1, 8, 4}});
    p.add_unit({{0, 6, 12}, {1, 9, 5}});
    p.add_unit({{0, 5, 6}, {1, 3, 9}});
    p.add_unit({{0, 0, 0}, {1, 0, 0}}, 1); // pinned to core 1
    p.add_unit({{0, 0, 0}});               // one candidate
}

/// `units` units on `cores` cores, each with 2..cores candidates of integer
/// latency and energy in [1, 20], from a fixed-seed LCG (the test's own, so
/// the problems do not change with the GA's random numbers).
void random_problem(FakeProblem& p, int units, int cores, std::uint64_t seed) {
    std::uint64_t state = seed * 6364136223846793005ull + 1442695040888963407ull;
    auto draw = [&](int n) {
        state = state * 6364136223846793005ull + 1442695040888963407ull;
        return static_cast<int>((state >> 33) % static_cast<std::uint64_t>(n));
    };
    for (int u = 0; u < units; ++u) {
        const int count = 2 + draw(cores - 1);
        std::vector<Candidate> candidates;
        const int first = draw(cores);
        for (int k = 0; k < count; ++k)
            candidates.push_back({(first + k) % cores, 1.0 + draw(20), 1.0 + draw(20), 0});
        p.add_unit(std::move(candidates));
    }
}

double best(const FakeProblem& p, double (*value)(const stream_metrics_v1&)) {
    double v = INFINITY;
    p.for_each_allocation([&](const std::vector<int64_t>& a) { v = std::min(v, value(*p.metrics(a))); });
    return v;
}
double edp(const stream_metrics_v1& m) { return m.latency_cycles * m.energy_pj; }
double latency(const stream_metrics_v1& m) { return m.latency_cycles; }

} // namespace

TEST_CASE("allocator-ga: describes itself, and its declared defaults are GaSettings' defaults") {
    const stream_plugin_descriptor* d = stream_plugin_entry(nullptr);
    CHECK(std::string(d->id) == "ga");
    CHECK(std::string(d->version) == "0.1.0");
    CHECK(d->kind == STREAM_KIND_ALLOCATOR);
    FakeHost host; // the descriptor's default literals, parsed as the host would
    const auto s = stream::plugins::ga::GaSettings::from_config(&host.config.view);
    const stream::plugins::ga::GaSettings defaults;
    CHECK(s.objectives == defaults.objectives);
    CHECK(s.select == defaults.select);
    CHECK_FALSE(s.select_given);
    CHECK(s.generations == defaults.generations);
    CHECK(s.population == defaults.population);
    CHECK(s.seed == defaults.seed);
    CHECK(s.crossover == defaults.crossover);
    CHECK(s.crossover_probability == defaults.crossover_probability);
    CHECK(s.mutation_probability == defaults.mutation_probability);
    CHECK(s.seed_with_greedy == defaults.seed_with_greedy);
    CHECK(s.time_limit_s == defaults.time_limit_s);
    CHECK(s.threads >= 1); // 0 = hardware concurrency, resolved
}

TEST_CASE("allocator-ga: finds the hand-derived front, submits the lowest EDP and offers the rest") {
    FakeProblem p(2);
    hand_problem(p);
    FakeEvaluator evaluator(p);
    FakeHost host;
    Run r;
    run_allocator(host, p, evaluator, r);
    REQUIRE(r.status == STREAM_OK);
    CHECK(host.errors.empty());
    CHECK(r.submitted.count == 1);
    CHECK(r.submitted.unit_core == std::vector<int64_t>{0, 1, 0, 1, 0});
    CHECK(r.submitted.objective == 189.0);
    // 8 allocations: the GA sees them all, stops early and knows its answer is optimal
    CHECK(r.submitted.proven_optimal == 1);
    CHECK(r.submitted.best_bound == 189.0);
    CHECK(r.submitted.summary.find("every allocation evaluated") != std::string::npos);
    CHECK(host.progress.size() < 10);
    REQUIRE(r.submitted.alternatives.size() == 1);
    CHECK(r.submitted.alternatives[0].first == std::vector<int64_t>{1, 1, 0, 1, 0});
    CHECK(r.submitted.alternatives[0].second.latency_cycles == 17.0);
    CHECK(r.submitted.alternatives[0].second.energy_pj == 15.0);
    CHECK(r.submitted.summary.find("front of 2") != std::string::npos);
    // 8 allocations exist: memoisation evaluates each at most once
    CHECK(evaluator.call_count() <= 8);
    CHECK(evaluator.invalid_calls() == 0);
    CHECK(r.submitted.summary.find(std::to_string(evaluator.call_count()) + " evaluations") != std::string::npos);
}

TEST_CASE("allocator-ga: select picks the front member") {
    struct Case {
        const char* select;
        std::vector<int64_t> allocation;
        double objective;
    };
    for (const Case& c : {Case{"latency", {0, 1, 0, 1, 0}, 9.0}, Case{"energy", {1, 1, 0, 1, 0}, 15.0},
                          Case{"edp", {0, 1, 0, 1, 0}, 189.0}}) {
        CAPTURE(c.select);
        FakeProblem p(2);
        hand_problem(p);
        FakeEvaluator evaluator(p);
        FakeHost host({{"select", std::string(c.select)}});
        Run r;
        run_allocator(host, p, evaluator, r);
        REQUIRE(r.status == STREAM_OK);
        CHECK(r.submitted.unit_core == c.allocation);
        CHECK(r.submitted.objective == c.objective);
    }
}

TEST_CASE("allocator-ga: reaches the exhaustive optimum on 8-gene problems within its default budget") {
    for (std::uint64_t problem_seed = 1; problem_seed <= 6; ++problem_seed) {
        CAPTURE(problem_seed);
        // 4 cores: 2 to 4 candidates per unit, thousands of allocations, more than the GA evaluates
        FakeProblem p(4);
        random_problem(p, 8, 4, problem_seed);
        std::size_t space = 0;
        p.for_each_allocation([&](const std::vector<int64_t>&) { ++space; });
        const double best_edp = best(p, edp);
        const double best_latency = best(p, latency);
        for (const char* select : {"edp", "latency"}) {
            CAPTURE(select);
            FakeEvaluator evaluator(p);
            FakeHost host({{"select", std::string(select)}});
            Run r;
            run_allocator(host, p, evaluator, r);
            REQUIRE(r.status == STREAM_OK);
            CHECK(evaluator.call_count() < space); // found, not enumerated
            const stream_metrics_v1 m = *p.metrics(r.submitted.unit_core);
            if (std::string(select) == "edp") CHECK(edp(m) == best_edp);
            else CHECK(m.latency_cycles == best_latency);
            CHECK(evaluator.invalid_calls() == 0);
        }
    }
}

TEST_CASE("allocator-ga: a single objective works too") {
    FakeProblem p(3);
    random_problem(p, 8, 3, 3);
    FakeEvaluator evaluator(p);
    FakeHost host({{"objectives", Strings{"edp"}}});
    Run r;
    run_allocator(host, p, evaluator, r);
    REQUIRE(r.status == STREAM_OK);
    CHECK(edp(*p.metrics(r.submitted.unit_core)) == best(p, edp));
    CHECK(r.submitted.alternatives.empty()); // one objective: the front is one point
}

namespace {

/// One GA run whose evaluations are logged per generation (a generation's
/// batch runs in parallel, so only the set within one generation is ordered).
struct Trace {
    Run run;
    std::vector<std::set<std::vector<int64_t>>> batches;
    std::vector<std::string> progress;
    std::size_t calls = 0;
};

void traced_run(int64_t seed, int64_t threads, Trace& t) {
    FakeProblem p(3);
    random_problem(p, 8, 3, 11);
    FakeEvaluator evaluator(p);
    // No time limit: on a loaded machine it could cut one run short and not the other.
    FakeHost host({{"seed", seed}, {"threads", threads}, {"time_limit_s", 0.0}});
    std::size_t seen = 0;
    host.on_progress = [&](const Progress& progress) {
        const auto calls = evaluator.calls();
        t.batches.emplace_back(calls.begin() + static_cast<std::ptrdiff_t>(seen), calls.end());
        seen = calls.size();
        t.progress.push_back(progress.text);
    };
    run_allocator(host, p, evaluator, t.run);
    t.calls = evaluator.call_count();
}

} // namespace

TEST_CASE("allocator-ga: the same seed gives the same run with 1 and 4 threads") {
    Trace one, four, again;
    traced_run(7, 1, one);
    traced_run(7, 4, four);
    traced_run(7, 1, again);
    REQUIRE(one.run.status == STREAM_OK);
    REQUIRE(four.run.status == STREAM_OK);
    CHECK(one.run.submitted.unit_core == four.run.submitted.unit_core);
    CHECK(one.run.submitted.summary == four.run.submitted.summary);
    CHECK(one.calls == four.calls);
    CHECK(one.batches == four.batches);
    CHECK(one.progress == four.progress);
    REQUIRE(one.run.submitted.alternatives.size() == four.run.submitted.alternatives.size());
    for (std::size_t i = 0; i < one.run.submitted.alternatives.size(); ++i)
        CHECK(one.run.submitted.alternatives[i].first == four.run.submitted.alternatives[i].first);
    CHECK(one.batches == again.batches);
    // one progress line per generation, 0 (initial population) to the last
    const stream::plugins::ga::GaSettings defaults;
    CHECK(one.progress.size() == defaults.generations + 1);
    CHECK(one.progress.back().find("generation 50/50: best latency") != std::string::npos);
}

TEST_CASE("allocator-ga: different seeds search differently") {
    Trace a, b;
    traced_run(1, 1, a);
    traced_run(2, 1, b);
    REQUIRE(a.run.status == STREAM_OK);
    REQUIRE(b.run.status == STREAM_OK);
    CHECK(a.batches != b.batches);
}

TEST_CASE("allocator-ga: pinned and single-candidate units never move, and no allocation is evaluated twice") {
    FakeProblem p(4);
    // free units interleaved with pinned ones and single-candidate ones
    for (int u = 0; u < 6; ++u) {
        p.add_unit({{u % 4, 5.0 + u, 3.0}, {(u + 1) % 4, 4.0, 6.0 - u % 3}, {(u + 2) % 4, 7.0, 2.0 + u}});
        p.add_unit({{(u + 3) % 4, 1.0, 1.0}});                          // single candidate
        p.add_unit({{0, 2.0, 2.0}, {1, 3.0, 1.0}, {2, 1.0, 3.0}}, u % 3); // pinned
    }
    FakeEvaluator evaluator(p);
    FakeHost host({{"threads", int64_t{4}}, {"mutation_probability", 1.0}});
    Run r;
    run_allocator(host, p, evaluator, r);
    REQUIRE(r.status == STREAM_OK);
    CHECK(evaluator.invalid_calls() == 0);
    const auto calls = evaluator.calls();
    CHECK(calls.size() > 100);
    for (const auto& c : calls)
        for (int u = 0; u < 6; ++u) {
            CHECK(c[3 * u + 1] == (u + 3) % 4);
            CHECK(c[3 * u + 2] == u % 3);
        }
    CHECK(std::set<std::vector<int64_t>>(calls.begin(), calls.end()).size() == calls.size());
}

TEST_CASE("allocator-ga: under --compat stream an unset select submits the lowest latency, as Stream does") {
    // the infeasible variant of the hand problem (next test): the front is
    // (0,0,1): 10, 31 (EDP 310); (1,0,0): 11, 22 (EDP 242); (1,1,0): 17, 15 (EDP 255)
    auto run_with = [](const char* compat, const std::map<std::string, Value>& keys, Run& r) {
        FakeProblem p(2);
        hand_problem(p);
        p.set_compat(compat);
        FakeEvaluator evaluator(p);
        evaluator.infeasible = [](const std::vector<int64_t>& a) { return a[0] == 0 && a[1] == 1 && a[2] == 0; };
        FakeHost host(keys);
        run_allocator(host, p, evaluator, r);
    };
    Run stream_default, stream_edp, plain;
    run_with("stream", {}, stream_default);
    run_with("stream", {{"select", std::string("edp")}}, stream_edp);
    run_with("", {}, plain);
    REQUIRE(stream_default.status == STREAM_OK);
    CHECK(stream_default.submitted.unit_core == std::vector<int64_t>{0, 0, 1, 1, 0});
    CHECK(stream_default.submitted.objective == 10.0);
    CHECK(stream_default.submitted.summary.find("--compat stream") != std::string::npos);
    CHECK(stream_edp.submitted.unit_core == std::vector<int64_t>{1, 0, 0, 1, 0}); // the user's choice wins
    CHECK(plain.submitted.unit_core == std::vector<int64_t>{1, 0, 0, 1, 0});
}

TEST_CASE("allocator-ga: infeasible allocations lose, they do not fail the run") {
    FakeProblem p(2);
    hand_problem(p);
    FakeEvaluator evaluator(p);
    // (0,1,0) cannot be scheduled; the front becomes (0,0,1): 10, 31; (1,0,0): 11, 22;
    // (1,1,0): 17, 15, and the lowest EDP is (1,0,0) at 242 (exhaustive test, same problem)
    evaluator.infeasible = [](const std::vector<int64_t>& a) { return a[0] == 0 && a[1] == 1 && a[2] == 0; };
    FakeHost host;
    Run r;
    run_allocator(host, p, evaluator, r);
    REQUIRE(r.status == STREAM_OK);
    CHECK(r.submitted.unit_core == std::vector<int64_t>{1, 0, 0, 1, 0});
    CHECK(r.submitted.objective == 242.0);
    REQUIRE(r.submitted.alternatives.size() == 2); // in order of latency
    CHECK(r.submitted.alternatives[0].first == std::vector<int64_t>{0, 0, 1, 1, 0});
    CHECK(r.submitted.alternatives[1].first == std::vector<int64_t>{1, 1, 0, 1, 0});
}

TEST_CASE("allocator-ga: when every allocation is infeasible the run fails and says so") {
    FakeProblem p(2);
    hand_problem(p);
    FakeEvaluator evaluator(p);
    evaluator.infeasible = [](const std::vector<int64_t>&) { return true; };
    FakeHost host;
    Run r;
    run_allocator(host, p, evaluator, r);
    CHECK(r.status == STREAM_ERROR_INFEASIBLE);
    CHECK(r.submitted.count == 0);
    CHECK(host.error_text().find("every allocation the GA evaluated is infeasible") != std::string::npos);
    CHECK(host.progress.back().text.find("no feasible allocation yet") != std::string::npos);
}

TEST_CASE("allocator-ga: an evaluator error other than infeasible fails the run") {
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

TEST_CASE("allocator-ga: without a choice the one allocation is evaluated once") {
    FakeProblem p(2);
    p.add_unit({{0, 4, 10}, {1, 8, 4}}, 1);
    p.add_unit({{0, 2, 3}});
    FakeEvaluator evaluator(p);
    FakeHost host;
    Run r;
    run_allocator(host, p, evaluator, r);
    REQUIRE(r.status == STREAM_OK);
    CHECK(evaluator.call_count() == 1);
    CHECK(r.submitted.unit_core == std::vector<int64_t>{1, 0});
    CHECK(r.submitted.proven_optimal == 1);
    CHECK(r.submitted.objective == (8.0 * 7.0)); // latency max(2, 8) x energy 4 + 3
}

TEST_CASE("allocator-ga: a cancelled run submits the best found so far") {
    FakeProblem p(3);
    random_problem(p, 8, 3, 5);
    FakeEvaluator evaluator(p);
    FakeHost host({{"threads", int64_t{2}}});
    host.cancel_after_progress = 3; // the initial population and two generations
    Run r;
    run_allocator(host, p, evaluator, r);
    REQUIRE(r.status == STREAM_OK);
    CHECK(host.progress.size() == 3);
    CHECK(r.submitted.summary.find("2 generations") != std::string::npos);
    CHECK(r.submitted.summary.find("stopped early") != std::string::npos);
    CHECK(p.metrics(r.submitted.unit_core).has_value());
}

TEST_CASE("allocator-ga: the time limit stops the search between generations and keeps the best found") {
    FakeProblem p(3);
    random_problem(p, 8, 3, 5);
    FakeEvaluator evaluator(p);
    // Evaluating the initial population takes longer than a nanosecond, so no generation may start.
    FakeHost host({{"time_limit_s", 1e-9}});
    Run r;
    run_allocator(host, p, evaluator, r);
    REQUIRE(r.status == STREAM_OK);
    CHECK(host.progress.size() == 1);
    CHECK(r.submitted.summary.find("0 generations") != std::string::npos);
    CHECK(r.submitted.summary.find("time_limit_s = 1e-09 s reached") != std::string::npos);
    CHECK(p.metrics(r.submitted.unit_core).has_value());
}

TEST_CASE("allocator-ga: config errors name the key") {
    struct Case {
        const char* key;
        Value value;
        const char* phrase;
    };
    for (const Case& c : {Case{"objectives", Strings{"latency", "speed"}, "lists \"speed\", which is not an objective"},
                          Case{"objectives", Strings{"energy", "energy"}, "lists \"energy\" twice"},
                          Case{"objectives", Strings{}, "is empty"},
                          Case{"select", std::string("throughput"), "\"throughput\" is not an objective"},
                          Case{"population", int64_t{1}, "population = 1 is too small"},
                          Case{"generations", int64_t{-1}, "generations = -1 is too small"},
                          Case{"crossover", std::string("ordered"), "\"ordered\" is not a crossover"},
                          Case{"crossover_probability", 1.5, "not a probability"},
                          Case{"mutation_probability", -0.1, "not a probability"},
                          Case{"threads", int64_t{-1}, "negative"},
                          Case{"time_limit_s", -1.0, "is not a number of seconds"}}) {
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
        CHECK(evaluator.call_count() == 0);
    }
}
