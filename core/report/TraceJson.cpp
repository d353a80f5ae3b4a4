#include "report/TraceJson.hpp"

#include "report/JsonText.hpp"
#include "report/Lanes.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <iterator>
#include <map>

namespace stream {

namespace {

using json_text::num;
using json_text::str;

/// Collects events one per line, so a large trace stays diffable and greppable.
class EventList {
  public:
    template <class... A> void add(fmt::format_string<A...> f, A&&... a) {
        fmt::format_to(std::back_inserter(text_), "{}", first_ ? "\n" : ",\n");
        fmt::format_to(std::back_inserter(text_), f, std::forward<A>(a)...);
        first_ = false;
    }
    std::string take() { return fmt::to_string(text_); }

  private:
    fmt::memory_buffer text_; // grows without the per-call overhead of appending to a std::string
    bool first_ = true;
};

void name_process(EventList& out, int pid, const std::string& name) {
    out.add(R"({{"ph":"M","pid":{},"tid":0,"name":"process_name","args":{{"name":{}}}}})", pid, str(name));
    out.add(R"({{"ph":"M","pid":{},"tid":0,"name":"process_sort_index","args":{{"sort_index":{}}}}})", pid, pid);
}

void name_thread(EventList& out, int pid, int tid, const std::string& name) {
    out.add(R"({{"ph":"M","pid":{},"tid":{},"name":"thread_name","args":{{"name":{}}}}})", pid, tid, str(name));
    out.add(R"({{"ph":"M","pid":{},"tid":{},"name":"thread_sort_index","args":{{"sort_index":{}}}}})", pid, tid, tid);
}

std::string lane_name(const std::string& base, std::size_t lane) {
    return lane == 0 ? base : fmt::format("{} (overlap {})", base, lane + 1);
}

} // namespace

std::string trace_json(const ScheduleView& v) {
    EventList out;
    name_process(out, kTraceCoresPid, "cores (1 us = 1 cycle)");
    name_process(out, kTraceLinksPid, "links (1 us = 1 cycle)");

    // Cores: CNs that overlap on a core (a scheduler may run them concurrently) go to extra tracks.
    std::map<std::int64_t, std::vector<const ScheduleView::Cn*>> by_core;
    for (const auto& core : v.cores)
        by_core[core.id]; // every core gets a track, idle or not
    for (const auto& c : v.cns)
        by_core[c.core].push_back(&c);
    int tid = 0;
    for (const auto& [core, cns] : by_core) {
        std::vector<Interval> iv;
        for (const auto* c : cns)
            iv.push_back({c->start_cycle, c->end_cycle});
        const LaneAssignment lanes = assign_lanes(iv);
        const std::string label = v.core_label(core);
        const int first_tid = tid;
        for (std::size_t l = 0; l < std::max<std::size_t>(lanes.lanes, 1); ++l)
            name_thread(out, kTraceCoresPid, tid++, lane_name(label, l));
        const std::string core_arg = str(label);
        for (std::size_t i = 0; i < cns.size(); ++i) {
            const auto& c = *cns[i];
            out.add(R"({{"ph":"X","pid":{},"tid":{},"cat":"compute","name":{},"ts":{},"dur":{},)"
                    R"("args":{{"layer":{},"layer_id":{},"tile":{},"node":{},"core":{},"energy_pj":{}}}}})",
                    kTraceCoresPid, first_tid + static_cast<int>(lanes.lane[i]), str(v.cn_label(c)), num(c.start_cycle),
                    num(c.end_cycle - c.start_cycle), str(v.layer_label(c.layer)), c.layer, c.tile, c.node, core_arg,
                    num(c.energy_pj));
        }
    }

    // Links: a transfer appears on every link of its route; transfers sharing a link's
    // bandwidth at the same time get extra tracks. Link -1 collects transfers without a route.
    std::map<std::int64_t, std::vector<const Transfer*>> by_link;
    for (const auto& l : v.links)
        by_link[l.id];
    for (const Transfer& t : v.transfers) {
        if (t.links.empty()) by_link[-1].push_back(&t);
        for (std::int64_t l : t.links)
            by_link[l].push_back(&t);
    }
    tid = 0;
    for (const auto& [link, transfers] : by_link) {
        std::vector<Interval> iv;
        for (const Transfer* t : transfers)
            iv.push_back({t->start_cycle, t->end_cycle});
        const LaneAssignment lanes = assign_lanes(iv);
        const auto* info = v.find_link(link);
        const std::string base = link < 0 ? "transfers without a link"
                                 : info   ? info->name
                                          : fmt::format("link {}", link);
        const int first_tid = tid;
        for (std::size_t l = 0; l < std::max<std::size_t>(lanes.lanes, 1); ++l)
            name_thread(out, kTraceLinksPid, tid++, lane_name(base, l));
        for (std::size_t i = 0; i < transfers.size(); ++i) {
            const Transfer& t = *transfers[i];
            const auto* cn = v.find_cn(t.node);
            const std::string_view purpose = transfer_purpose_name(t.purpose);
            out.add(R"({{"ph":"X","pid":{},"tid":{},"cat":"transfer","name":{},"ts":{},"dur":{},)"
                    R"("args":{{"bits":{},"purpose":{},"purpose_id":{},"node":{},"links":[{}],"energy_pj":{}}}}})",
                    kTraceLinksPid, first_tid + static_cast<int>(lanes.lane[i]),
                    str(cn ? fmt::format("{} {}", purpose, v.cn_label(*cn)) : std::string(purpose)), num(t.start_cycle),
                    num(t.end_cycle - t.start_cycle), t.bits, str(purpose), t.purpose, t.node, fmt::join(t.links, ","),
                    num(t.energy_pj));
        }
    }

    // Memory counters: one named counter per memory, in the cores process.
    std::map<std::pair<std::int64_t, std::uint32_t>, std::string> counter_names;
    for (const MemorySample& m : v.memory_samples) {
        std::string& name = counter_names[{m.core, m.memory_level}];
        if (name.empty()) {
            const auto* mem = v.find_memory(m.core, m.memory_level);
            name = str(mem ? "memory " + v.memory_label(*mem)
                           : fmt::format("memory core {} level {}", m.core, m.memory_level));
        }
        out.add(R"({{"ph":"C","pid":{},"tid":0,"name":{},"ts":{},"args":{{"bits":{}}}}})", kTraceCoresPid, name,
                num(m.cycle), m.bits);
    }

    return fmt::format("{{\"traceEvents\":[{}\n],\n\"metadata\":{{\"generator\":\"stream-dse\",\"title\":{},"
                       "\"time_unit\":\"1 us on the trace's time axis = 1 clock "
                       "cycle\",\"latency_cycles\":{},\"energy_pj\":{},\"edp\":{}}}}}\n",
                       out.take(), str(v.title), num(v.latency_cycles), num(v.energy_pj), num(v.edp));
}

} // namespace stream
