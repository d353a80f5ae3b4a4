// The header-only pieces both search allocators share (plugins/allocator-common).
#include <allocation_genes.hpp>
#include <objective.hpp>
#include <pareto.hpp>
#include <worker_pool.hpp>

#include <fake_allocator_host.hpp>

#include <doctest/doctest.h>

#include <atomic>
#include <cmath>
#include <limits>
#include <span>
#include <stdexcept>
#include <thread>
#include <vector>

using namespace stream::plugins;

namespace {
constexpr double inf = std::numeric_limits<double>::infinity();
}

TEST_CASE("pareto: dominance is strict in one objective and weak in the others") {
    using V = std::vector<double>;
    CHECK(alloc::dominates(V{1, 2}, V{1, 3}));
    CHECK(alloc::dominates(V{1, 2}, V{2, 3}));
    CHECK_FALSE(alloc::dominates(V{1, 2}, V{1, 2}));
    CHECK_FALSE(alloc::dominates(V{1, 3}, V{2, 2}));
    CHECK(alloc::dominates(V{5, 5}, V{inf, inf}));
    CHECK_FALSE(alloc::dominates(V{inf, inf}, V{inf, inf}));
}

TEST_CASE("pareto: non-dominated sort by hand") {
    // the exhaustive test's eight (latency, energy) points
    const std::vector<std::vector<double>> pts{{15, 28}, {10, 31}, {9, 21}, {12, 24},
                                               {11, 22}, {11, 25}, {17, 15}, {20, 18}};
    const auto fronts = alloc::non_dominated_sort(pts);
    REQUIRE(fronts.size() >= 2);
    CHECK(fronts[0] == std::vector<std::size_t>{2, 6});    // (9, 21), (17, 15)
    CHECK(fronts[1] == std::vector<std::size_t>{1, 4, 7}); // (10, 31), (11, 22), (20, 18)
    std::size_t total = 0;
    for (const auto& f : fronts) total += f.size();
    CHECK(total == pts.size());
    // infeasible points come last, together
    const auto with_inf = alloc::non_dominated_sort({{inf, inf}, {3, 1}, {inf, inf}});
    REQUIRE(with_inf.size() == 2);
    CHECK(with_inf[1] == std::vector<std::size_t>{0, 2});
}

TEST_CASE("pareto: crowding distance keeps the extremes and measures the middle") {
    const std::vector<std::vector<double>> pts{{0, 4}, {1, 3}, {3, 1}, {4, 0}};
    const std::vector<std::size_t> front{0, 1, 2, 3};
    const auto d = alloc::crowding_distance(pts, front);
    CHECK(std::isinf(d[0]));
    CHECK(std::isinf(d[3]));
    CHECK(d[1] == doctest::Approx(3.0 / 4 + 3.0 / 4)); // neighbours 0 and 3 in both objectives, range 4
    CHECK(d[2] == doctest::Approx(3.0 / 4 + 3.0 / 4));
    // all infinite: no NaN
    const std::vector<std::vector<double>> infeasible{{inf, inf}, {inf, inf}, {inf, inf}};
    const auto di = alloc::crowding_distance(infeasible, std::span(front).subspan(0, 3));
    for (double v : di) CHECK_FALSE(std::isnan(v));
}

TEST_CASE("allocation genes: only free units with a choice are genes") {
    alloctest::FakeProblem p(3);
    p.add_unit({{0, 1, 1}, {2, 1, 1}});            // gene 0
    p.add_unit({{1, 1, 1}});                       // one candidate
    p.add_unit({{0, 1, 1}, {1, 1, 1}}, 1);         // pinned
    p.add_unit({{2, 9, 1}, {0, 4, 1}, {1, 4, 1}}); // gene 1; lowest latency: core 0 (first of the tie)
    const auto genes = alloc::AllocationGenes::from_problem(p.problem());
    REQUIRE(genes.size() == 2);
    CHECK(genes.genes()[0].unit == 0);
    CHECK(genes.genes()[1].unit == 3);
    CHECK(genes.radices() == std::vector<std::uint32_t>{2, 3});
    CHECK(genes.allocation(alloc::Genome{1, 2}) == std::vector<int64_t>{2, 1, 1, 1});
    CHECK(genes.lowest_latency() == alloc::Genome{0, 1});
    CHECK(genes.combination_count(100) == 6);
    CHECK(genes.combination_count(4) == 5); // saturated at limit + 1
}

TEST_CASE("allocation genes: a pinned core outside the candidates is an input error naming the layer") {
    alloctest::FakeProblem p(3);
    p.add_unit({{0, 1, 1}, {1, 1, 1}}, 2);
    try {
        (void)alloc::AllocationGenes::from_problem(p.problem());
        FAIL("expected an error");
    } catch (const stream::sdk::Error& e) {
        CHECK(e.status() == STREAM_ERROR_INVALID_INPUT);
        REQUIRE(e.item().has_value());
        CHECK(e.item()->name == "layer0");
        CHECK(std::string(e.what()).find("pinned to core 2") != std::string::npos);
    }
}

TEST_CASE("objectives: names round-trip and values come from the metrics") {
    for (alloc::Objective o : alloc::all_objectives) CHECK(alloc::objective_from_name(alloc::objective_name(o)) == o);
    CHECK_FALSE(alloc::objective_from_name("speed").has_value());
    const stream_metrics_v1 m{sizeof(stream_metrics_v1), 10, 3, 30, 512};
    CHECK(alloc::objective_value(alloc::Objective::latency, m) == 10);
    CHECK(alloc::objective_value(alloc::Objective::energy, m) == 3);
    CHECK(alloc::objective_value(alloc::Objective::edp, m) == 30);
    CHECK(alloc::objective_value(alloc::Objective::peak_memory, m) == 512);
}

TEST_CASE("worker pool: runs every index once, on several threads, batch after batch") {
    alloc::WorkerPool pool(4);
    CHECK(pool.size() == 4);
    for (int batch = 0; batch < 50; ++batch) {
        std::vector<std::atomic<int>> hits(97);
        pool.run(hits.size(), [&](std::size_t i) { hits[i].fetch_add(1); });
        for (auto& h : hits) CHECK(h.load() == 1);
    }
    // an exception reaches the caller after the batch
    CHECK_THROWS_AS(pool.run(10, [](std::size_t i) { if (i == 3) throw std::runtime_error("boom"); }),
                    std::runtime_error);
    // and the pool still works afterwards
    std::atomic<int> count{0};
    pool.run(10, [&](std::size_t) { ++count; });
    CHECK(count == 10);
}
