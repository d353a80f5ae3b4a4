// Evaluates many allocations at once through the host's evaluator, which is
// [any-thread]: it serialises itself when the scheduler is not thread-safe.
// Results are placed by index, so what a search sees does not depend on the
// thread count or on which thread finished first.
#pragma once

#include "worker_pool.hpp"

#include <stream/plugin.hpp>

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>

namespace stream::plugins::alloc {

/// The outcome of one evaluation.
struct Evaluation {
    stream_status status = STREAM_OK;
    stream_metrics_v1 metrics{sizeof(stream_metrics_v1), 0, 0, 0, 0};

    bool feasible() const noexcept { return status == STREAM_OK; }
};

/// Statuses by name, for messages that say why an evaluation failed.
inline std::string status_name(stream_status status) {
    switch (status) {
    case STREAM_OK: return "ok";
    case STREAM_ERROR_INVALID_INPUT: return "invalid input";
    case STREAM_ERROR_INVALID_CONFIG: return "invalid config";
    case STREAM_ERROR_UNSUPPORTED: return "unsupported";
    case STREAM_ERROR_INFEASIBLE: return "infeasible";
    case STREAM_ERROR_CANCELLED: return "cancelled";
    case STREAM_ERROR_NOT_FOUND: return "not found";
    case STREAM_ERROR_TYPE_MISMATCH: return "type mismatch";
    case STREAM_ERROR_INTERNAL: return "internal error";
    default: return "status " + std::to_string(status);
    }
}

/// One evaluation, on the calling thread.
inline Evaluation evaluate(const stream_evaluator_v1& evaluator, std::span<const std::int64_t> unit_core) {
    stream_allocation_v1 allocation{sizeof(stream_allocation_v1), unit_core.data(),
                                    static_cast<std::uint32_t>(unit_core.size()), nullptr, 0};
    Evaluation e;
    e.status = evaluator.evaluate(evaluator.ctx, &allocation, &e.metrics);
    // A schedule without a finite latency and energy cannot be run: as infeasible as a refusal.
    if (e.status == STREAM_OK && !(std::isfinite(e.metrics.latency_cycles) && std::isfinite(e.metrics.energy_pj)))
        e.status = STREAM_ERROR_INFEASIBLE;
    return e;
}

/// Many evaluations at once on a WorkerPool.
class BatchEvaluator {
public:
    BatchEvaluator(const stream_evaluator_v1& evaluator, WorkerPool& pool) : evaluator_(evaluator), pool_(pool) {}

    /// `rows` holds out.size() allocations of `unit_count` cores each, row after row.
    void evaluate(std::span<const std::int64_t> rows, std::size_t unit_count, std::span<Evaluation> out) const {
        pool_.run(out.size(), [&](std::size_t i) { out[i] = alloc::evaluate(evaluator_, rows.subspan(i * unit_count, unit_count)); });
    }

    std::size_t threads() const noexcept { return pool_.size(); }

private:
    const stream_evaluator_v1& evaluator_;
    WorkerPool& pool_;
};

} // namespace stream::plugins::alloc
