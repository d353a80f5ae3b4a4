// Everything the plots and the trace need from a run, as plain values: the
// computation nodes (CNs) per core, the transfers per link, memory use over
// time and the energy split. It is built from a RunResult after a run and
// from results.json's "schedule" object by `stream-dse report`, and both
// give the same view, so re-rendered plots are identical to the first ones.
#pragma once

#include "ir/CnGraph.hpp"
#include "pipeline/Stages.hpp"
#include "report/JsonReader.hpp"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace stream {

struct ScheduleView {
    struct CoreInfo {
        std::int64_t id = 0;
        std::string type; ///< core type name
        bool offchip = false;
    };
    struct LinkInfo {
        std::int64_t id = 0;
        std::string name; ///< "link 0: core 0 <-> core 1", "bus 4: cores 0, 1, 2"
        double bandwidth_bits_per_cycle = 0;
    };
    struct LayerInfo {
        std::int64_t id = 0;
        std::string name;
    };
    struct Cn {
        std::int64_t node = 0;
        std::int64_t layer = 0;
        std::int64_t tile = 0; ///< index of the CN among its layer's CNs, in node order
        std::int64_t core = 0;
        double start_cycle = 0;
        double end_cycle = 0;
        double energy_pj = 0;
    };
    struct Memory {
        std::int64_t core = 0;
        std::uint32_t memory_level = 0;
        std::string name;
        std::int64_t capacity_bits = 0;
    };

    std::string title;
    double latency_cycles = 0;
    double energy_pj = 0;
    double edp = 0;
    std::vector<std::pair<std::string, double>> energy_pj_by_component; ///< sorted by name
    std::vector<CoreInfo> cores;                                        ///< sorted by id
    std::vector<LinkInfo> links;                                        ///< sorted by id
    std::vector<LayerInfo> layers;                                      ///< layers that have CNs, sorted by id
    std::vector<Cn> cns;                                                ///< in node order
    std::vector<Transfer> transfers;
    std::vector<Memory> memories; ///< every (core, level) with samples, sorted
    std::vector<MemorySample> memory_samples;
    /// results.json's allocator.pareto_front (the chosen allocation first), or null when the
    /// allocator offered no alternatives.
    nlohmann::json allocator_front;
    /// results.json's exploration section (a mapping search's front and seeds), or null.
    nlohmann::json exploration;

    const CoreInfo* find_core(std::int64_t id) const;
    const LinkInfo* find_link(std::int64_t id) const;
    /// Position of a layer in `layers` (its colour index), or -1.
    std::ptrdiff_t layer_index(std::int64_t id) const;
    const Cn* find_cn(std::int64_t node) const;
    const Memory* find_memory(std::int64_t core, std::uint32_t level) const;
    /// "core 0 array16"
    std::string core_label(std::int64_t id) const;
    /// "c1", or "layer 7" for a layer without a name
    std::string layer_label(std::int64_t id) const;
    /// "c1 #3"
    std::string cn_label(const Cn& cn) const;
    std::string memory_label(const Memory& m) const; ///< "core 0 sram"
};

/// "input fetch", "core to core", "eviction", "final output", "streaming".
std::string_view transfer_purpose_name(std::int32_t purpose);

ScheduleView schedule_view(const RunResult& r);

/// results.json's "schedule" object: cns, cores, layers, links, memories, memory_samples, transfers
/// (and time_unit, transfer_purposes), as JSON text with one record per line, indented to sit
/// `depth` levels deep. Written by hand: a 100k-CN schedule takes milliseconds, not seconds.
std::string schedule_json_text(const ScheduleView& v, int depth);
/// The same object as a value (parsed from schedule_json_text, so the two never differ).
nlohmann::json schedule_json(const ScheduleView& v);

/// Reads a view back from a whole results.json (its totals, pipeline.name and "schedule").
ScheduleView schedule_view(const JsonReader& results);

} // namespace stream
