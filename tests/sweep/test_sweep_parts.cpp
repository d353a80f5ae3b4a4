// The sweep engine's parts in process: the Pareto front against a brute-force
// filter, the points of a sweep file (product, ranges, seeded samples, keys
// that ignore axis order, shards), the points log's handling of a torn line,
// and workloads read once, before any point runs.
#include "error/Error.hpp"
#include "sweep/ParetoFront.hpp"
#include "sweep/PointsLog.hpp"
#include "sweep/SweepFile.hpp"
#include "sweep/SweepPoint.hpp"
#include "sweep/SweepRunner.hpp"

#include "temp_dir.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <fstream>
#include <random>
#include <set>

namespace fs = std::filesystem;
using stream::test::TempDir;
using namespace stream::sweep;

namespace {

std::vector<std::size_t> brute_force_front(const std::vector<std::vector<double>>& v) {
    std::vector<std::size_t> out;
    for (std::size_t i = 0; i < v.size(); ++i) {
        bool dominated = false;
        for (std::size_t j = 0; j < v.size() && !dominated; ++j) {
            bool no_worse = true, better = false;
            for (std::size_t m = 0; m < v[i].size(); ++m) {
                no_worse = no_worse && v[j][m] <= v[i][m];
                better = better || v[j][m] < v[i][m];
            }
            dominated = no_worse && better;
        }
        if (!dominated) out.push_back(i);
    }
    return out;
}

fs::path write_sweep(const TempDir& dir, const std::string& axes) {
    dir.write("pipeline.toml", "[workload]\nfile = \"w.onnx\"\n");
    return dir.write("sweep.toml", "pipeline = \"pipeline.toml\"\nmetrics = [\"latency_cycles\", \"energy_pj\"]\nseed = 3\n" + axes);
}

std::set<std::string> keys_of(const std::vector<SweepPoint>& points) {
    std::set<std::string> keys;
    for (const SweepPoint& p : points) keys.insert(p.key);
    return keys;
}

} // namespace

TEST_SUITE("sweep") {

TEST_CASE("the Pareto front equals a brute-force filter, ties and duplicates included") {
    std::mt19937_64 gen(42);
    for (int trial = 0; trial < 50; ++trial) {
        const std::size_t metrics = 1 + trial % 3;
        std::vector<std::vector<double>> values(5 + static_cast<std::size_t>(trial) * 4);
        // Few distinct values, so equal coordinates and equal rows are common.
        for (auto& row : values)
            for (std::size_t m = 0; m < metrics; ++m) row.push_back(static_cast<double>(gen() % 6));
        CAPTURE(trial);
        CHECK(pareto_front(values) == brute_force_front(values));
    }
}

TEST_CASE("a hand-checked Pareto front") {
    // (1,5) (2,2) (5,1) trade off; (3,3) is worse than (2,2) in both; (2,2) twice: both stay.
    const std::vector<std::vector<double>> v = {{3, 3}, {1, 5}, {2, 2}, {5, 1}, {2, 2}, {6, 6}};
    CHECK(pareto_front(v) == std::vector<std::size_t>{1, 2, 3, 4});
}

TEST_CASE("points are the product of the axes, with ranges counted from `from`") {
    TempDir dir;
    const fs::path file = write_sweep(dir, R"(
[[axes]]
key = "cost.peak_fraction"
range = { from = 0.5, to = 1.0, step = 0.25 }
[[axes]]
key = "mapping.mode"
values = ["fused", "layer_by_layer"]
)");
    const SweepSpec spec = load_sweep(file);
    const auto points = sweep_points(spec);
    // 0.5, 0.75, 1.0 times two modes; the first axis varies slowest.
    REQUIRE(points.size() == 6);
    CHECK(points[0].params_json() == nlohmann::json{{"cost.peak_fraction", 0.5}, {"mapping.mode", "fused"}});
    CHECK(points[1].params_json() == nlohmann::json{{"cost.peak_fraction", 0.5}, {"mapping.mode", "layer_by_layer"}});
    CHECK(points[5].params_json() == nlohmann::json{{"cost.peak_fraction", 1.0}, {"mapping.mode", "layer_by_layer"}});
    CHECK(points[4].overrides().front().assignment == "cost.peak_fraction=1.0");
    CHECK(keys_of(points).size() == 6);
}

TEST_CASE("point keys do not depend on the order of the axes") {
    TempDir a, b;
    const std::string x = "[[axes]]\nkey = \"x.a\"\nvalues = [1, 2, 3]\n", y = "[[axes]]\nkey = \"y.b\"\nvalues = [\"p\", \"q\"]\n";
    CHECK(keys_of(sweep_points(load_sweep(write_sweep(a, x + y)))) == keys_of(sweep_points(load_sweep(write_sweep(b, y + x)))));
}

TEST_CASE("random axes are reproducible from the seed and stay within bounds") {
    TempDir a, b;
    const std::string axes = "[[axes]]\nkey = \"hardware.offchip.bandwidth_bits_per_cycle\"\n"
                             "random = { min = 16, max = 256, count = 20, log = true }\n";
    const SweepSpec s1 = load_sweep(write_sweep(a, axes)), s2 = load_sweep(write_sweep(b, axes));
    const auto p1 = sweep_points(s1);
    const auto p2 = sweep_points(s2);
    REQUIRE(p1.size() == 20);
    std::set<std::int64_t> distinct;
    for (std::size_t i = 0; i < p1.size(); ++i) {
        CHECK(p1[i].key == p2[i].key);
        const auto v = p1[i].params.front().second->json.get<std::int64_t>();
        CHECK(v >= 16);
        CHECK(v <= 256);
        distinct.insert(v);
    }
    CHECK(distinct.size() > 1);
}

TEST_CASE("shards split the points: each point in exactly one shard") {
    TempDir dir;
    const auto points = sweep_points(load_sweep(write_sweep(dir, "[[axes]]\nkey = \"a.b\"\nrange = { from = 1, to = 40, step = 1 }\n")));
    REQUIRE(points.size() == 40);
    std::size_t in_some = 0;
    std::set<std::uint64_t> used;
    for (const SweepPoint& p : points) {
        const auto s = shard_of(p.key, 3);
        CHECK(s < 3);
        used.insert(s);
        ++in_some;
    }
    CHECK(in_some == 40);
    CHECK(used.size() == 3);
}

TEST_CASE("a sweep file's mistakes are errors at their place") {
    TempDir dir;
    const fs::path file = write_sweep(dir, "[[axes]]\nkey = \"a.b\"\nrange = { from = 1, to = 4, step = 0 }\n");
    try {
        load_sweep(file);
        FAIL("expected an error");
    } catch (const stream::Error& e) {
        CHECK(e.where().file == file.string());
        CHECK(e.where().line == 6);
        CHECK(e.message().find("step") != std::string::npos);
    }
    const fs::path bad_metric = dir.write("m.toml", "pipeline = \"pipeline.toml\"\nmetrics = [\"speed\"]\n[[axes]]\nkey = \"a\"\nvalues = [1]\n");
    CHECK_THROWS_WITH_AS(load_sweep(bad_metric), doctest::Contains("unknown metric 'speed'"), stream::Error);
}

TEST_CASE("the points log ignores a torn last line and cuts it before appending") {
    TempDir dir;
    dir.write("out/points.jsonl", "{\"key\":\"a\",\"status\":\"ok\"}\n{\"key\":\"b\",\"sta");
    CHECK(read_points(dir.path() / "out" / "points.jsonl").size() == 1);
    {
        PointsLog log(dir.path() / "out");
        CHECK(log.finished() == std::set<std::string>{"a"});
        log.append({{"key", "c"}, {"status", "ok"}});
    }
    const auto records = read_points(dir.path() / "out" / "points.jsonl");
    REQUIRE(records.size() == 2);
    CHECK(records[1]["key"] == "c");
}

TEST_CASE("a second writer of the same folder is refused") {
    TempDir dir;
    PointsLog first(dir.path());
    CHECK_THROWS_WITH_AS(PointsLog(dir.path()), doctest::Contains("another sweep"), stream::Error);
}

TEST_CASE("a sweep reads each workload once, before its points run") {
    // The points run on a pool of threads; their workload must already be read by then (the
    // ONNX frontend isolates shape inference only in a single-threaded process). Removing the
    // file after the context is built shows the points no longer read it.
    TempDir tmp;
    const fs::path source(STREAM_DSE_SOURCE_DIR);
    const fs::path workload = tmp.path() / "small_cnn.onnxtxt";
    fs::copy_file(source / "configs/workloads/small_cnn.onnxtxt", workload);
    const fs::path file = tmp.write("sweep.toml", "pipeline = \"" + (source / "configs/pipelines/small_cnn.toml").string() +
                                                      "\"\nmetrics = [\"latency_cycles\"]\n"
                                                      "[[axes]]\nkey = \"workload.file\"\nvalues = [\"" +
                                                      workload.string() + "\"]\n"
                                                      "[[axes]]\nkey = \"mapping.mode\"\nvalues = [\"fused\", \"layer_by_layer\"]\n");
    SweepOptions options;
    options.output_dir = tmp.path() / "out";
    options.use_cost_cache = false;
    const SweepContext context(load_sweep(file), options);
    fs::remove(workload);
    REQUIRE(context.points().size() == 2);
    for (const SweepPoint& point : context.points()) {
        const nlohmann::json record = context.evaluate(point);
        CAPTURE(record.dump());
        CHECK(record["status"] == "ok");
        CHECK(record["metrics"]["latency_cycles"].get<double>() > 0);
    }
}

}
