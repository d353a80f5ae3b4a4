// `stream-dse sweep` and `merge` end to end on the small default pipeline:
// a killed and resumed sweep, shards, MPI ranks and the cost cache all give
// the same set of points as one uninterrupted run; invalid points keep their
// reason; merge's Pareto front matches a brute-force filter of its points.
#include "cli_run.hpp"
#include "shared_dir.hpp"
#include "temp_dir.hpp"

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include <chrono>
#include <csignal>
#include <set>
#include <sstream>
#include <thread>
#include <unistd.h>

namespace fs = std::filesystem;
using stream::test::kSource;
using stream::test::run;
using stream::test::slurp;
using stream::test::TempDir;

namespace {

// 3 DRAM bandwidths x 2 fusion modes x 2 sizes of the array cores' global buffer: 12 points.
// A 0-bit buffer is refused by the hardware loader, which makes those points invalid.
std::string sweep_text() {
    return "name = \"test sweep\"\n"
           "pipeline = \"" + (kSource / "configs/pipelines/small_cnn.toml").string() + "\"\n"
           "metrics = [\"latency_cycles\", \"energy_pj\"]\n"
           "[[axes]]\nkey = \"hardware.offchip.bandwidth_bits_per_cycle\"\nvalues = [16, 64, 256]\n"
           "[[axes]]\nkey = \"mapping.mode\"\nvalues = [\"fused\", \"layer_by_layer\"]\n"
           "[[axes]]\nkey = \"hardware.cores.array16.memories.gb.size_bits\"\nvalues = [0, 1048576]\n";
}

/// The lines of a points.jsonl as a set: order depends on thread timing, content must not.
std::multiset<std::string> point_set(const fs::path& dir) {
    std::multiset<std::string> lines;
    std::istringstream in(slurp(dir / "points.jsonl"));
    for (std::string line; std::getline(in, line);)
        if (!line.empty()) lines.insert(line);
    return lines;
}

std::string q(const fs::path& p) {
    // Appended, not "'" + p.string(): GCC 12 warns falsely (-Wrestrict) on that form in Release.
    std::string quoted = "'";
    quoted += p.string();
    quoted += '\'';
    return quoted;
}

} // namespace

TEST_SUITE("sweep") {

TEST_CASE("a sweep records every point, invalid ones with their reason, and merges to a Pareto front") {
    TempDir tmp;
    const fs::path sweep = tmp.write("s.toml", sweep_text());
    const auto r = run("sweep " + q(sweep) + " -o " + q(tmp.path() / "full") + " --jobs 2 --json");
    REQUIRE_MESSAGE(r.exit_code == 0, r.err);
    const auto summary = nlohmann::json::parse(r.out);
    CHECK(summary["points"] == 12);
    CHECK(summary["run"] == 12);
    const auto lines = point_set(tmp.path() / "full");
    REQUIRE(lines.size() == 12);
    std::size_t ok = 0, invalid = 0;
    std::set<double> latencies;
    for (const std::string& line : lines) {
        const auto p = nlohmann::json::parse(line);
        CHECK(p["key"].get<std::string>().size() == 16);
        CHECK(p["params"].size() == 3);
        if (p["status"] == "ok") {
            ++ok;
            latencies.insert(p["metrics"]["latency_cycles"].get<double>());
        } else {
            ++invalid;
            CHECK(p["params"]["hardware.cores.array16.memories.gb.size_bits"] == 0);
            CHECK(p["reason"].get<std::string>().find("must be > 0") != std::string::npos);
        }
    }
    CHECK(ok == 6);
    CHECK(invalid == 6);
    // The axes change the runs: not every valid point has the same latency.
    CHECK(latencies.size() > 1);

    const auto m = run("merge " + q(tmp.path() / "full") + " -o " + q(tmp.path() / "merged"));
    REQUIRE_MESSAGE(m.exit_code == 0, m.err);
    const auto merged = nlohmann::json::parse(slurp(tmp.path() / "merged" / "points.json"));
    REQUIRE(merged["points"].size() == 12);
    std::set<std::string> front(merged["pareto_front"].begin(), merged["pareto_front"].end());
    std::set<std::string> expected;
    for (const auto& p : merged["points"]) {
        if (p["status"] != "ok") continue;
        bool dominated = false;
        for (const auto& o : merged["points"]) {
            if (o["status"] != "ok") continue;
            const double la = p["metrics"]["latency_cycles"], ea = p["metrics"]["energy_pj"];
            const double lb = o["metrics"]["latency_cycles"], eb = o["metrics"]["energy_pj"];
            dominated = dominated || (lb <= la && eb <= ea && (lb < la || eb < ea));
        }
        if (!dominated) expected.insert(p["key"].get<std::string>());
    }
    CHECK(front == expected);
    CHECK(!front.empty());
    const std::string csv = slurp(tmp.path() / "merged" / "points.csv");
    CHECK(std::count(csv.begin(), csv.end(), '\n') == 13);
    CHECK(csv.rfind("key,status,hardware.offchip.bandwidth_bits_per_cycle,mapping.mode,", 0) == 0);
    CHECK(slurp(tmp.path() / "merged" / "pareto.svg").find("<circle") != std::string::npos);
    CHECK(fs::exists(tmp.path() / "merged" / "pareto.html"));
}

TEST_CASE("a sweep killed mid-run and restarted gives the same points as an uninterrupted run") {
    TempDir tmp;
    const fs::path sweep = tmp.write("s.toml", sweep_text());
    REQUIRE(run("sweep " + q(sweep) + " -o " + q(tmp.path() / "full") + " --jobs 1 -q").exit_code == 0);

    const fs::path out = tmp.path() / "killed";
    const pid_t child = fork();
    REQUIRE(child >= 0);
    if (child == 0) {
        execl(stream::test::kBinary.c_str(), "stream-dse", "sweep", sweep.c_str(), "-o", out.c_str(), "--jobs", "1", "-q",
              static_cast<char*>(nullptr));
        _exit(127);
    }
    // Kill it once some points are written (or after a while, if the machine is slow to start it).
    for (int i = 0; i < 2000 && point_set(out).size() < 3; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(5));
    kill(child, SIGKILL);
    int status = 0;
    waitpid(child, &status, 0);
    const std::size_t before = point_set(out).size();
    MESSAGE("killed after " << before << " of 12 points");
    // A write cut short by the kill leaves a torn last line; make sure there is one.
    { std::ofstream(out / "points.jsonl", std::ios::app) << "{\"key\":\"0123456789abcdef\",\"params\":{\"hard"; }

    const auto r = run("sweep " + q(sweep) + " -o " + q(out) + " --jobs 2 --json");
    REQUIRE_MESSAGE(r.exit_code == 0, r.err);
    CHECK(nlohmann::json::parse(r.out)["skipped"] == before);
    CHECK(point_set(out) == point_set(tmp.path() / "full"));
    // A third run finds nothing left to do.
    CHECK(nlohmann::json::parse(run("sweep " + q(sweep) + " -o " + q(out) + " --json").out)["run"] == 0);
}

TEST_CASE("two shards merged equal the unsharded run, and cached costs equal fresh ones") {
    TempDir tmp;
    const fs::path sweep = tmp.write("s.toml", sweep_text());
    const fs::path cache = tmp.path() / "cache";
    REQUIRE(run("sweep " + q(sweep) + " -o " + q(tmp.path() / "full") + " --no-cost-cache -q").exit_code == 0);
    const auto s0 = run("sweep " + q(sweep) + " -o " + q(tmp.path() / "s0") + " --shard 0/2 --cache " + q(cache) + " --json");
    const auto s1 = run("sweep " + q(sweep) + " -o " + q(tmp.path() / "s1") + " --shard 1/2 --cache " + q(cache) + " --json");
    REQUIRE_MESSAGE(s0.exit_code == 0, s0.err);
    REQUIRE_MESSAGE(s1.exit_code == 0, s1.err);
    const auto a = point_set(tmp.path() / "s0"), b = point_set(tmp.path() / "s1");
    CHECK(!a.empty());
    CHECK(!b.empty());
    std::multiset<std::string> both = a;
    both.insert(b.begin(), b.end());
    CHECK(both == point_set(tmp.path() / "full"));
    // Points that differ only in the DRAM's link ask the cores the same questions.
    CHECK(nlohmann::json::parse(s1.out)["cost_cache_hits"].get<int>() > 0);

    REQUIRE(run("merge " + q(tmp.path() / "s0") + " " + q(tmp.path() / "s1") + " -o " + q(tmp.path() / "m") + " -q").exit_code == 0);
    REQUIRE(run("merge " + q(tmp.path() / "full") + " -o " + q(tmp.path() / "mfull") + " -q").exit_code == 0);
    CHECK(slurp(tmp.path() / "m" / "points.csv") == slurp(tmp.path() / "mfull" / "points.csv"));
}

TEST_CASE("mpirun with two ranks gives the same points") {
#ifndef STREAM_DSE_MPIEXEC
    stream::test::skip("stream-dse was built without MPI (install libopenmpi-dev and openmpi-bin, then reconfigure)");
#else
    TempDir tmp;
    const fs::path sweep = tmp.write("s.toml", sweep_text());
    REQUIRE(run("sweep " + q(sweep) + " -o " + q(tmp.path() / "full") + " -q").exit_code == 0);
    // Leak reports of the MPI library itself would fail a sanitizer build; they are not ours.
    const std::string cmd = std::string("ASAN_OPTIONS=detect_leaks=0 ") + STREAM_DSE_MPIEXEC +
                            " -np 2 --allow-run-as-root --oversubscribe -x ASAN_OPTIONS " + stream::test::kBinary.string() +
                            " sweep --mpi " + q(sweep) + " -o " + q(tmp.path() / "mpi") + " -q 2>&1";
    const int status = std::system(cmd.c_str());
    REQUIRE(WIFEXITED(status));
    REQUIRE(WEXITSTATUS(status) == 0);
    CHECK(point_set(tmp.path() / "mpi") == point_set(tmp.path() / "full"));
#endif
}

TEST_CASE("a hardware value that names nothing is an error at its place in the sweep file") {
    TempDir tmp;
    const fs::path sweep = tmp.write("s.toml", "pipeline = \"" + (kSource / "configs/pipelines/small_cnn.toml").string() +
                                                   "\"\nmetrics = [\"latency_cycles\"]\n"
                                                   "[[axes]]\nkey = \"hardware.cores.array16.memories.nope.size_bits\"\nvalues = [8]\n");
    REQUIRE(run("sweep " + q(sweep) + " -o " + q(tmp.path() / "out") + " -q").exit_code == 0);
    const auto p = nlohmann::json::parse(*point_set(tmp.path() / "out").begin());
    CHECK(p["status"] == "invalid");
    const std::string reason = p["reason"];
    CHECK(reason.find(sweep.string() + ":5") != std::string::npos);
    CHECK(reason.find("no entry 'nope'") != std::string::npos);
}

}
