#include "sweep/SweepMpi.hpp"

#include "sweep/PointsLog.hpp"
#include "report/AtomicFile.hpp"

#include <fmt/format.h>
#include <mpi.h>

#include <chrono>
#include <optional>
#include <string>

namespace stream::sweep {

namespace {

constexpr int kTagWork = 1;   // root -> worker: a point index, or -1 to stop
constexpr int kTagResult = 2; // worker -> root: a record ("" for the first request)

/// Ends MPI however the sweep ends, so mpirun sees every rank finish.
struct MpiSession {
    MpiSession() { MPI_Init(nullptr, nullptr); }
    ~MpiSession() { MPI_Finalize(); }
    MpiSession(const MpiSession&) = delete;
    MpiSession& operator=(const MpiSession&) = delete;
};

void send_record(const std::string& text) {
    MPI_Send(text.data(), static_cast<int>(text.size()), MPI_CHAR, 0, kTagResult, MPI_COMM_WORLD);
}

/// Receives one record from any worker; returns its rank.
int receive_record(std::string& text) {
    MPI_Status status;
    MPI_Probe(MPI_ANY_SOURCE, kTagResult, MPI_COMM_WORLD, &status);
    int size = 0;
    MPI_Get_count(&status, MPI_CHAR, &size);
    text.assign(static_cast<std::size_t>(size), '\0');
    MPI_Recv(text.data(), size, MPI_CHAR, status.MPI_SOURCE, kTagResult, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
    return status.MPI_SOURCE;
}

void worker(const SweepContext& context) {
    send_record(""); // ready
    while (true) {
        long long index = -1;
        MPI_Recv(&index, 1, MPI_LONG_LONG, 0, kTagWork, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
        if (index < 0) return;
        PointCosts costs;
        nlohmann::json record = context.evaluate(context.points().at(static_cast<std::size_t>(index)), &costs);
        // The costs travel beside the record and are taken off before it is written.
        record["_costs"] = {costs.questions, costs.cache_hits};
        send_record(record.dump());
    }
}

SweepSummary root(const SweepContext& context, const SweepOptions& options, Diagnostics& progress, int ranks) {
    const auto start = std::chrono::steady_clock::now();
    std::optional<PointsLog> log;
    std::optional<Error> failure;
    std::vector<std::size_t> todo;
    SweepSummary summary;
    try {
        log.emplace(options.output_dir);
        write_file_atomically(options.output_dir / "sweep.json", context.manifest(options).dump(2) + "\n");
        todo = context.pending(log->finished(), options);
        summary.points = context.points().size();
        summary.in_shard = context.pending({}, options).size();
        summary.skipped = summary.in_shard - todo.size();
    } catch (const Error& e) {
        failure = e; // the workers still need to be told to stop
        todo.clear();
    }
    std::size_t next = 0;
    int stopped = 0;
    std::string text;
    while (stopped < ranks - 1) {
        const int from = receive_record(text);
        if (!text.empty()) {
            nlohmann::json record = nlohmann::json::parse(text);
            const auto costs = record["_costs"];
            record.erase("_costs");
            if (!failure) {
                try {
                    log->append(record);
                } catch (const Error& e) {
                    failure = e;
                }
            }
            ++summary.run;
            if (record["status"] == "ok") ++summary.ok;
            summary.cost_questions += costs[0].get<std::size_t>();
            summary.cost_cache_hits += costs[1].get<std::size_t>();
            progress.progress("sweep", static_cast<double>(summary.run), static_cast<double>(todo.size()), "points");
        }
        long long index = -1;
        if (!failure && next < todo.size()) index = static_cast<long long>(todo[next++]);
        else ++stopped;
        MPI_Send(&index, 1, MPI_LONG_LONG, from, kTagWork, MPI_COMM_WORLD);
    }
    if (failure) throw *failure;
    summary.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    return summary;
}

} // namespace

SweepSummary run_sweep_mpi(const SweepContext& context, const SweepOptions& options, Diagnostics& progress, bool* is_root) {
    MpiSession session;
    int rank = 0, ranks = 1;
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    MPI_Comm_size(MPI_COMM_WORLD, &ranks);
    *is_root = rank == 0;
    if (ranks == 1) return run_sweep(context, options, progress);
    if (rank != 0) {
        worker(context);
        return {};
    }
    return root(context, options, progress, ranks);
}

} // namespace stream::sweep
