// Runs the stream scheduler on a ProblemBuilder problem, with its trace, and
// checks every schedule against the invariants; plus a fake host to reach the
// plugin through its real descriptor and vtable.
#pragma once

#include "ScheduleInvariants.hpp"
#include "StreamScheduler.hpp"
#include "problem_builder.hpp"

#include <stream/plugin.h>

#include <doctest/doctest.h>

#include <algorithm>
#include <cstdint>
#include <iterator>
#include <optional>
#include <string>
#include <vector>

extern "C" const stream_plugin_descriptor* stream_plugin_entry(const stream_host_info* host);

namespace stream_test {

using stream::test::MemorySpec;
using stream::test::ProblemBuilder;
using stream::test::sram;
namespace ss = stream::plugins::stream_scheduler;

struct Outcome {
    stream_status status = STREAM_OK;
    std::string error;
    std::optional<stream::sdk::Item> item;
    stream::sdk::ScheduleResult schedule;
    ss::ScheduleTrace trace;
    std::vector<std::string> violations;

    bool ok() const { return status == STREAM_OK; }
    double energy_of(const std::string& name) const {
        for (const auto& [n, pj] : schedule.energy)
            if (n == name) return pj;
        return -1;
    }
    std::vector<stream_transfer_v1> of_purpose(stream_transfer_purpose p) const {
        std::vector<stream_transfer_v1> out;
        std::copy_if(schedule.transfers.begin(), schedule.transfers.end(), std::back_inserter(out),
                     [&](const stream_transfer_v1& t) { return t.purpose == p; });
        return out;
    }
    const stream_scheduled_node_v1& node(std::int64_t id) const { return schedule.nodes[static_cast<std::size_t>(id)]; }
    /// The samples of one core's memory level: (cycle, bits).
    std::vector<std::pair<double, std::int64_t>> samples(std::int64_t core, std::uint32_t level) const {
        std::vector<std::pair<double, std::int64_t>> out;
        for (const auto& s : schedule.memory_samples)
            if (s.core == core && s.memory_level == level) out.emplace_back(s.cycle, s.bits);
        return out;
    }
    std::string violation_text() const {
        std::string text;
        for (const auto& v : violations) text += v + "\n";
        return text;
    }
};

/// Schedules with a fresh scheduler (or `scheduler`), records the trace and checks the invariants.
inline Outcome schedule(ProblemBuilder& b, ss::StreamScheduler* scheduler = nullptr) {
    Outcome out;
    ss::StreamScheduler own;
    ss::StreamScheduler& s = scheduler ? *scheduler : own;
    try {
        ss::ScheduleOutcome r = s.schedule(b.problem(), b.allocation(), {.metrics_only = false, .record_trace = true});
        out.schedule = std::move(r.result);
        out.trace = std::move(r.trace);
        out.violations = ss::check_schedule_invariants(b.problem(), b.allocation(), out.schedule, out.trace);
    } catch (const stream::sdk::Error& e) {
        out.status = e.status();
        out.error = e.what();
        out.item = e.item();
    }
    return out;
}

// A schedule exists and keeps every invariant.
#define REQUIRE_SOUND(outcome)                                                      \
    do {                                                                            \
        REQUIRE_MESSAGE((outcome).ok(), (outcome).error);                           \
        CHECK_MESSAGE((outcome).violations.empty(), (outcome).violation_text());    \
    } while (0)

// ---- through the ABI, as the host calls it ----

struct BoolConfig {
    std::optional<bool> check_invariants;
    stream_config_v1 view{};
    BoolConfig() {
        view.struct_size = sizeof view;
        view.ctx = this;
        view.has = [](void* ctx, const char* key) -> int32_t {
            return std::string(key) == "check_invariants" && static_cast<BoolConfig*>(ctx)->check_invariants ? 1 : 0;
        };
        view.get_bool = [](void* ctx, const char* key, int32_t* out) -> stream_status {
            auto* self = static_cast<BoolConfig*>(ctx);
            if (std::string(key) != "check_invariants" || !self->check_invariants) return STREAM_ERROR_NOT_FOUND;
            *out = *self->check_invariants ? 1 : 0;
            return STREAM_OK;
        };
    }
};

struct AbiRun {
    stream_status status = STREAM_OK;
    int submissions = 0;
    stream_metrics_v1 metrics{};
    std::size_t nodes = 0, transfers = 0, samples = 0, energy = 0;
    struct Reported {
        stream_item_kind kind = STREAM_ITEM_NONE;
        int64_t index = -1;
        std::string message;
    };
    std::vector<Reported> errors;
};

inline AbiRun run_plugin(ProblemBuilder& b, bool metrics_only, std::optional<bool> check_invariants = true) {
    AbiRun out;
    BoolConfig config;
    config.check_invariants = check_invariants;
    stream_host_services_v1 host{};
    host.struct_size = sizeof host;
    host.ctx = &out;
    host.log = [](void*, stream_log_level, const char*) {};
    host.report_error = [](void* ctx, const stream_item* item, const char* message) {
        AbiRun::Reported r;
        if (item) {
            r.kind = item->kind;
            r.index = item->index;
        }
        r.message = message;
        static_cast<AbiRun*>(ctx)->errors.push_back(r);
    };
    host.progress = [](void*, double, double, const char*) -> int32_t { return 0; };
    host.is_cancelled = [](void*) -> int32_t { return 0; };
    host.config = &config.view;
    host.get_extension = [](void*, const char*) -> const void* { return nullptr; };

    stream_schedule_sink_v1 sink{};
    sink.struct_size = sizeof sink;
    sink.ctx = &out;
    sink.metrics_only = metrics_only ? 1 : 0;
    sink.submit = [](void* ctx, const stream_schedule_v1* s) {
        auto* self = static_cast<AbiRun*>(ctx);
        ++self->submissions;
        self->metrics = s->metrics;
        self->nodes = s->node_count;
        self->transfers = s->transfer_count;
        self->samples = s->memory_sample_count;
        self->energy = s->energy_count;
    };
    const auto& vtable = *static_cast<const stream_scheduler_v1*>(stream_plugin_entry(nullptr)->vtable);
    void* instance = nullptr;
    out.status = vtable.create(&host, &instance);
    if (out.status != STREAM_OK) return out;
    out.status = vtable.schedule(instance, &b.problem(), &b.allocation(), &sink);
    vtable.destroy(instance);
    return out;
}

} // namespace stream_test
