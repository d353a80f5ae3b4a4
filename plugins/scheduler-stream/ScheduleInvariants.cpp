#include "ScheduleInvariants.hpp"

#include "Routes.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <tuple>
#include <unordered_map>
#include <utility>

namespace stream::plugins::stream_scheduler {

namespace {

constexpr std::size_t kMessagesPerRule = 5;
constexpr std::int64_t kNever = ScheduleTrace::kNever;
constexpr const char* kComponents[] = {"onchip_compute",       "offchip_fetch_link",  "offchip_fetch_memory",
                                       "eviction_link",        "eviction_memory",     "final_output_link",
                                       "final_output_memory",  "core_to_core_link",   "core_to_core_memory"};

std::size_t ix(std::int64_t i) { return static_cast<std::size_t>(i); }
std::string num(double v) {
    std::string s = std::to_string(v);
    s.erase(s.find_last_not_of('0') + 1);
    if (!s.empty() && s.back() == '.') s.pop_back();
    return s;
}

std::int64_t min_cycles(std::int64_t bits, double bandwidth) {
    if (!(bandwidth > 0.0) || bits <= 0) return 0;
    const double q = static_cast<double>(bits) / bandwidth;
    const double whole = std::floor(q);
    return static_cast<std::int64_t>(q - whole <= 1e-9 * std::max(1.0, q) ? whole : whole + 1.0);
}

class Checker {
public:
    Checker(const stream_problem_v1& problem, const stream_allocation_v1& allocation,
            const sdk::ScheduleResult& schedule, const ScheduleTrace& trace)
        : problem_(problem), allocation_(allocation), schedule_(schedule), trace_(trace) {}

    std::vector<std::string> run() {
        index_residencies();
        if (check_nodes()) {
            check_edges();
            check_reads();
            check_transfers();
            check_residencies();
        }
        check_memory();
        check_links();
        check_totals();
        check_conservation();
        return std::move(messages_);
    }

private:
    void report(const std::string& rule, const std::string& message) {
        if (++count_[rule] <= kMessagesPerRule) messages_.push_back(rule + ": " + message);
    }

    const stream_link_v1& link(std::uint32_t l) const { return *STREAM_AT(stream_link_v1, problem_.accelerator->links, l); }

    std::uint64_t key(std::int64_t tensor, std::int32_t instance) const {
        return static_cast<std::uint64_t>(tensor) * (trace_.instances.size() + 1) + static_cast<std::uint64_t>(instance);
    }

    void index_residencies() {
        for (std::size_t r = 0; r < trace_.residencies.size(); ++r) {
            const auto& res = trace_.residencies[r];
            by_copy_[key(res.tensor, res.instance)].push_back(r);
        }
    }

    template <class Pred>
    bool any_copy(std::int64_t tensor, std::int32_t instance, Pred&& pred) const {
        auto it = by_copy_.find(key(tensor, instance));
        if (it == by_copy_.end()) return false;
        return std::any_of(it->second.begin(), it->second.end(), [&](std::size_t r) { return pred(trace_.residencies[r]); });
    }

    bool check_nodes() {
        const std::size_t n_nodes = problem_.node_count;
        if (schedule_.nodes.size() != n_nodes) {
            report("nodes", std::to_string(schedule_.nodes.size()) + " scheduled of " + std::to_string(n_nodes));
            return false;
        }
        start_.assign(n_nodes, 0);
        end_.assign(n_nodes, 0);
        std::vector<char> seen(n_nodes, 0);
        std::map<std::int64_t, std::vector<std::size_t>> by_core;
        for (const stream_scheduled_node_v1& s : schedule_.nodes) {
            if (s.node < 0 || ix(s.node) >= n_nodes || seen[ix(s.node)]) {
                report("nodes", "node " + std::to_string(s.node) + " is unknown or scheduled twice");
                return false;
            }
            seen[ix(s.node)] = 1;
            const stream_node_v1& node = *STREAM_AT(stream_node_v1, problem_.nodes, ix(s.node));
            const std::int64_t core = allocation_.unit_core[node.unit];
            start_[ix(s.node)] = static_cast<std::int64_t>(s.start_cycle);
            end_[ix(s.node)] = static_cast<std::int64_t>(s.end_cycle);
            if (s.core != core)
                report("nodes", "node " + std::to_string(s.node) + " runs on core " + std::to_string(s.core) +
                                    ", allocated to core " + std::to_string(core));
            if (s.start_cycle < 0) report("nodes", "node " + std::to_string(s.node) + " starts before cycle 0");
            if (ix(s.node) < trace_.runtime_cycles.size() &&
                s.end_cycle - s.start_cycle != static_cast<double>(trace_.runtime_cycles[ix(s.node)]))
                report("nodes", "node " + std::to_string(s.node) + " runs " + num(s.end_cycle - s.start_cycle) +
                                    " cycles, its cost says " + std::to_string(trace_.runtime_cycles[ix(s.node)]));
            by_core[s.core].push_back(ix(s.node));
        }
        for (auto& [core, list] : by_core) {
            std::sort(list.begin(), list.end(), [&](std::size_t a, std::size_t b) {
                return std::pair(start_[a], end_[a]) < std::pair(start_[b], end_[b]);
            });
            for (std::size_t i = 1; i < list.size(); ++i)
                if (start_[list[i]] < end_[list[i - 1]])
                    report("core busy", "core " + std::to_string(core) + " runs node " + std::to_string(list[i]) +
                                            " from " + std::to_string(start_[list[i]]) + " while node " +
                                            std::to_string(list[i - 1]) + " runs until " + std::to_string(end_[list[i - 1]]));
        }
        return true;
    }

    void check_edges() {
        for (std::size_t e = 0; e < problem_.edge_count; ++e) {
            const stream_edge_v1& edge = *STREAM_AT(stream_edge_v1, problem_.edges, e);
            if (start_[ix(edge.to_node)] < end_[ix(edge.from_node)])
                report("dependency", "node " + std::to_string(edge.to_node) + " starts at " +
                                         std::to_string(start_[ix(edge.to_node)]) + " before node " +
                                         std::to_string(edge.from_node) + " ends at " +
                                         std::to_string(end_[ix(edge.from_node)]));
        }
    }

    void check_reads() {
        for (const ScheduleTrace::Read& read : trace_.reads) {
            const bool dram = trace_.instances[ix(read.instance)].is_dram;
            if (dram && trace_.compat) continue; // Stream streams inputs without putting them in DRAM
            const std::int64_t s = start_[ix(read.node)], e = end_[ix(read.node)];
            const bool held = any_copy(read.tensor, read.instance, [&](const ScheduleTrace::Residency& r) {
                return r.reserve_cycle <= s && r.available_cycle <= s && (trace_.compat || r.freed_cycle >= e);
            });
            if (!held)
                report("input ready", "node " + std::to_string(read.node) + " runs [" + std::to_string(s) + ", " +
                                          std::to_string(e) + ") without tensor " + std::to_string(read.tensor) +
                                          " in memory " + std::to_string(read.instance) + " all that time");
        }
    }

    void check_transfers() {
        if (schedule_.transfers.size() != trace_.transfers.size() ||
            schedule_.transfer_links.size() != schedule_.transfers.size()) {
            report("transfers", "the trace describes " + std::to_string(trace_.transfers.size()) + " of " +
                                    std::to_string(schedule_.transfers.size()) + " transfers");
            return;
        }
        for (std::size_t i = 0; i < schedule_.transfers.size(); ++i) {
            const stream_transfer_v1& t = schedule_.transfers[i];
            const ScheduleTrace::TransferDetail& d = trace_.transfers[i];
            const std::string name = "transfer " + std::to_string(i);
            const auto start = static_cast<std::int64_t>(t.start_cycle), end = static_cast<std::int64_t>(t.end_cycle);
            if (end < start) report("transfers", name + " ends before it starts");
            const std::vector<std::int64_t>& ids = schedule_.transfer_links[i];
            bool same_links = ids.size() == d.hops.size();
            for (std::size_t h = 0; same_links && h < ids.size(); ++h) same_links = ids[h] == link(d.hops[h].link).id;
            if (!same_links) report("transfers", name + " lists other links than it used");
            if (t.node < 0 || ix(t.node) >= start_.size()) {
                report("transfers", name + " serves node " + std::to_string(t.node) + ", which does not exist");
                continue;
            }
            if (d.tensor < 0) {
                // A streaming block: the node's runtime, and (outside compat) exactly while it runs.
                if (end - start != trace_.runtime_cycles[ix(t.node)])
                    report("streaming", name + " lasts " + std::to_string(end - start) + " cycles, node " +
                                            std::to_string(t.node) + " runs " +
                                            std::to_string(trace_.runtime_cycles[ix(t.node)]));
                if (!trace_.compat && start != start_[ix(t.node)])
                    report("streaming", name + " holds the DRAM links from " + std::to_string(start) + ", node " +
                                            std::to_string(t.node) + " starts at " + std::to_string(start_[ix(t.node)]));
                continue;
            }
            if (t.bits != trace_.tensor_bits[ix(d.tensor)])
                report("transfers", name + " moves " + std::to_string(t.bits) + " bits of tensor " +
                                        std::to_string(d.tensor) + " (" + std::to_string(trace_.tensor_bits[ix(d.tensor)]) +
                                        " bits)");
            for (const ScheduleTrace::HopUse& hop : d.hops)
                if (end - start < min_cycles(t.bits, link(hop.link).bandwidth_bits_per_cycle))
                    report("link bandwidth", name + " moves " + std::to_string(t.bits) + " bits over link " +
                                                 std::to_string(link(hop.link).id) + " in " + std::to_string(end - start) +
                                                 " cycles");
            const bool source_ready = any_copy(d.tensor, d.source_instance, [&](const ScheduleTrace::Residency& r) {
                return r.reserve_cycle <= start && r.available_cycle <= start && (trace_.compat || r.freed_cycle >= end);
            });
            if (!source_ready)
                report("data ready", name + " sends tensor " + std::to_string(d.tensor) + " from memory " +
                                         std::to_string(d.source_instance) + " at " + std::to_string(start) +
                                         " without it being there until " + std::to_string(end));
            const bool target = any_copy(d.tensor, d.target_instance, [&](const ScheduleTrace::Residency& r) {
                return r.reserve_cycle == start && r.available_cycle == end;
            });
            if (!target) report("transfers", name + " creates no copy of tensor " + std::to_string(d.tensor));
            if ((t.purpose == STREAM_TRANSFER_INPUT_FETCH || t.purpose == STREAM_TRANSFER_CORE_TO_CORE) &&
                end > start_[ix(t.node)])
                report("input ready", name + " brings tensor " + std::to_string(d.tensor) + " at " + std::to_string(end) +
                                          ", after node " + std::to_string(t.node) + " starts at " +
                                          std::to_string(start_[ix(t.node)]));
            if (t.purpose == STREAM_TRANSFER_FINAL_OUTPUT && start < end_[ix(t.node)])
                report("data ready", name + " writes node " + std::to_string(t.node) + "'s output back before it ends");
        }
    }

    void check_residencies() {
        std::set<std::tuple<std::int64_t, std::int32_t, std::int64_t, std::int64_t>> made;
        for (const ScheduleTrace::TransferDetail& d : trace_.transfers)
            if (d.tensor >= 0) {
                const stream_transfer_v1& t = schedule_.transfers[ix(&d - trace_.transfers.data())];
                made.insert({d.tensor, d.target_instance, static_cast<std::int64_t>(t.start_cycle),
                             static_cast<std::int64_t>(t.end_cycle)});
            }
        std::unordered_map<std::int64_t, std::size_t> producer;
        for (std::size_t n = 0; n < trace_.output_tensor.size(); ++n)
            if (trace_.output_tensor[n] >= 0) producer[trace_.output_tensor[n]] = n;
        for (const ScheduleTrace::Residency& r : trace_.residencies) {
            const bool dram = trace_.instances[ix(r.instance)].is_dram;
            bool backed = made.contains({r.tensor, r.instance, r.reserve_cycle, r.available_cycle});
            if (!backed && dram && trace_.starts_in_dram[ix(r.tensor)] && r.reserve_cycle == 0 && r.available_cycle == 0)
                backed = true;
            if (!backed)
                if (auto it = producer.find(r.tensor); it != producer.end())
                    backed = start_[it->second] == r.reserve_cycle && end_[it->second] == r.available_cycle;
            if (!backed)
                report("copies", "tensor " + std::to_string(r.tensor) + " appears in memory " + std::to_string(r.instance) +
                                     " at " + std::to_string(r.reserve_cycle) + " from nowhere");
            if (r.freed_cycle < r.reserve_cycle || (!trace_.compat && r.freed_cycle < r.available_cycle))
                report("copies", "tensor " + std::to_string(r.tensor) + " leaves memory " + std::to_string(r.instance) +
                                     " at " + std::to_string(r.freed_cycle) + " before it is complete");
        }
    }

    void check_memory() {
        std::map<std::pair<std::int64_t, std::uint32_t>, std::vector<std::pair<std::int64_t, std::int64_t>>> reported;
        for (const stream_memory_sample_v1& s : schedule_.memory_samples)
            reported[{s.core, s.memory_level}].emplace_back(static_cast<std::int64_t>(s.cycle), s.bits);
        std::int64_t peak = 0;
        for (std::size_t i = 0; i < trace_.instances.size(); ++i) {
            const ScheduleTrace::Instance& inst = trace_.instances[i];
            if (!inst.reported) continue;
            std::map<std::int64_t, std::int64_t> delta;
            for (const ScheduleTrace::Residency& r : trace_.residencies) {
                if (r.instance != static_cast<std::int32_t>(i)) continue;
                delta[r.reserve_cycle] += trace_.tensor_bits[ix(r.tensor)];
                if (r.freed_cycle != kNever) delta[r.freed_cycle] -= trace_.tensor_bits[ix(r.tensor)];
            }
            std::vector<std::pair<std::int64_t, std::int64_t>> expected;
            std::int64_t use = 0;
            for (const auto& [cycle, d] : delta) {
                if (d == 0) continue;
                use += d;
                expected.emplace_back(cycle, use);
                if (use > inst.capacity_bits)
                    report("memory capacity", "core " + std::to_string(inst.owner_core) + " memory level " +
                                                  std::to_string(inst.level) + " holds " + std::to_string(use) +
                                                  " bits from cycle " + std::to_string(cycle) + ", capacity " +
                                                  std::to_string(inst.capacity_bits));
                if (use < 0) report("memory capacity", "memory " + std::to_string(i) + " holds negative bits");
                peak = std::max(peak, use);
            }
            auto it = reported.find({inst.owner_core, inst.level});
            const auto& samples = it == reported.end() ? decltype(expected){} : it->second;
            if (samples != expected)
                report("memory samples", "core " + std::to_string(inst.owner_core) + " memory level " +
                                             std::to_string(inst.level) + ": " + std::to_string(samples.size()) +
                                             " samples differ from the " + std::to_string(expected.size()) +
                                             " changes its tensors make");
        }
        if (schedule_.metrics.peak_memory_bits != static_cast<double>(peak))
            report("metrics", "peak memory " + num(schedule_.metrics.peak_memory_bits) + " bits, the samples peak at " +
                                  std::to_string(peak));
    }

    void check_links() {
        if (schedule_.transfers.size() != trace_.transfers.size()) return;
        using Key = std::tuple<std::uint32_t, std::int32_t, std::int32_t>;
        auto key_of = [&](const ScheduleTrace::HopUse& hop) {
            if (trace_.compat && Routes::is_onchip_bus(link(hop.link), problem_.accelerator->offchip_core))
                return Key{hop.link, std::min(hop.from_core, hop.to_core), std::max(hop.from_core, hop.to_core)};
            return Key{hop.link, -1, -1};
        };
        std::map<Key, std::vector<std::pair<std::int64_t, double>>> activity;
        std::set<std::tuple<Key, std::int64_t, std::int64_t, std::int64_t, std::int64_t>> carried; // key, tensor, sender, start, length
        for (std::size_t i = 0; i < trace_.transfers.size(); ++i) {
            const ScheduleTrace::TransferDetail& d = trace_.transfers[i];
            const auto start = static_cast<std::int64_t>(schedule_.transfers[i].start_cycle);
            const auto end = static_cast<std::int64_t>(schedule_.transfers[i].end_cycle);
            for (const ScheduleTrace::HopUse& hop : d.hops) {
                if (hop.reused || end <= start) continue;
                activity[key_of(hop)].emplace_back(start, hop.activity_bits_per_cycle);
                activity[key_of(hop)].emplace_back(end, -hop.activity_bits_per_cycle);
                if (d.tensor >= 0) carried.insert({key_of(hop), d.tensor, d.source_core, start, end - start});
            }
        }
        for (std::size_t i = 0; i < trace_.transfers.size(); ++i) {
            const ScheduleTrace::TransferDetail& d = trace_.transfers[i];
            const auto start = static_cast<std::int64_t>(schedule_.transfers[i].start_cycle);
            const auto length = static_cast<std::int64_t>(schedule_.transfers[i].end_cycle) - start;
            for (const ScheduleTrace::HopUse& hop : d.hops) {
                if (!hop.reused) continue;
                auto it = carried.lower_bound({key_of(hop), d.tensor, d.source_core, start, length});
                if (it == carried.end() || std::get<0>(*it) != key_of(hop) || std::get<1>(*it) != d.tensor ||
                    std::get<2>(*it) != d.source_core || std::get<3>(*it) != start)
                    report("link bandwidth", "transfer " + std::to_string(i) + " claims a broadcast on link " +
                                                 std::to_string(link(hop.link).id) + " that no transfer carries");
            }
        }
        for (auto& [key, events] : activity) {
            std::sort(events.begin(), events.end());
            const double bandwidth = link(std::get<0>(key)).bandwidth_bits_per_cycle;
            double use = 0;
            for (const auto& [cycle, d] : events) {
                use += d;
                if (use > bandwidth + 1e-6)
                    report("link bandwidth", "link " + std::to_string(link(std::get<0>(key)).id) + " carries " + num(use) +
                                                 " bits/cycle at cycle " + std::to_string(cycle) + ", bandwidth " +
                                                 num(bandwidth));
            }
        }
    }

    void check_totals() {
        double sum = 0;
        std::set<std::string> names;
        for (const auto& [name, pj] : schedule_.energy) {
            sum += pj;
            names.insert(name);
            if (pj < 0) report("energy", "component " + name + " is negative");
        }
        const std::set<std::string> expected(std::begin(kComponents), std::end(kComponents));
        if (names != expected || schedule_.energy.size() != expected.size())
            report("energy", "the components are not Stream's nine");
        const double total = schedule_.metrics.energy_pj;
        if (std::abs(sum - total) > 1e-9 * std::max(1.0, std::abs(total)))
            report("energy", "the components add up to " + num(sum) + " pJ, the total is " + num(total));
        const double latency = schedule_.metrics.latency_cycles;
        if (std::abs(schedule_.metrics.edp - latency * total) > 1e-9 * std::max(1.0, std::abs(latency * total)))
            report("metrics", "EDP " + num(schedule_.metrics.edp) + " is not latency x energy");
        double last = 0;
        for (const stream_scheduled_node_v1& n : schedule_.nodes) last = std::max(last, n.end_cycle);
        for (const stream_transfer_v1& t : schedule_.transfers) last = std::max(last, t.end_cycle);
        if (!schedule_.nodes.empty() && latency != last)
            report("metrics", "latency " + num(latency) + ", the last node or transfer ends at " + num(last));
    }

    // Every bit moved to or from DRAM is paid at the DRAM's energy per bit (whole accesses may
    // only add) and fits the links it crosses: a streaming block's bits fit the share of each
    // link it holds over its time, and no link carries more than bandwidth x latency in the
    // whole schedule (per direction, and both together on a link both directions share).
    // Stream breaks both (docs/compat-stream.md): skipped under compat.
    void check_conservation() {
        if (trace_.compat || schedule_.transfers.size() != trace_.transfers.size()) return;
        const stream_accelerator_v1& acc = *problem_.accelerator;
        double dram_pj_per_bit = 0; // the cheapest way the DRAM moves a bit
        bool have_dram = false;
        if (acc.offchip_core >= 0) {
            const stream_core_v1& dram = *STREAM_AT(stream_core_v1, acc.cores, ix(acc.offchip_core));
            for (std::uint32_t m = 0; m < dram.memory_count; ++m) {
                const stream_memory_level_v1& level = *STREAM_AT(stream_memory_level_v1, dram.memories, m);
                for (const auto& [pj, bw] : {std::pair(level.read_energy_pj, level.read_bw_bits_per_cycle),
                                             std::pair(level.write_energy_pj, level.write_bw_bits_per_cycle)}) {
                    const double per_bit = bw > 0 ? pj / bw : 0.0;
                    dram_pj_per_bit = have_dram ? std::min(dram_pj_per_bit, per_bit) : per_bit;
                    have_dram = true;
                }
            }
        }
        std::map<std::pair<std::uint32_t, int>, std::int64_t> carried; // (link, direction: +1 to DRAM, -1 from, 0 other)
        std::map<std::uint32_t, std::int64_t> carried_total;
        std::map<std::uint32_t, std::int64_t> last_node;
        for (std::size_t i = 0; i < schedule_.transfers.size(); ++i) {
            const stream_transfer_v1& t = schedule_.transfers[i];
            const ScheduleTrace::TransferDetail& d = trace_.transfers[i];
            const auto start = static_cast<std::int64_t>(t.start_cycle), end = static_cast<std::int64_t>(t.end_cycle);
            const bool dram = t.purpose != STREAM_TRANSFER_CORE_TO_CORE;
            if (dram && have_dram && t.energy_pj < static_cast<double>(t.bits) * dram_pj_per_bit * (1 - 1e-9))
                report("conservation", "transfer " + std::to_string(i) + " of " + node_label(t.node) + " moves " +
                                           std::to_string(t.bits) + " bits to or from DRAM for " + num(t.energy_pj) +
                                           " pJ, less than the DRAM's " + num(dram_pj_per_bit) + " pJ/bit");
            std::int64_t hop_bits_sum = 0;
            for (const ScheduleTrace::HopUse& hop : d.hops) {
                hop_bits_sum += hop.bits;
                if (d.tensor < 0 && static_cast<double>(hop.bits) >
                                        hop.activity_bits_per_cycle * static_cast<double>(end - start) + 1e-6)
                    report("conservation", "transfer " + std::to_string(i) + " streams " + std::to_string(hop.bits) +
                                               " bits of " + node_label(t.node) + " over link " +
                                               std::to_string(link(hop.link).id) + " at " +
                                               num(hop.activity_bits_per_cycle) + " bits/cycle for " +
                                               std::to_string(end - start) + " cycles");
                const std::int64_t offchip = acc.offchip_core;
                const int direction = hop.to_core == offchip ? 1 : hop.from_core == offchip ? -1 : 0;
                carried[{hop.link, direction}] += hop.bits;
                carried_total[hop.link] += hop.bits;
                last_node[hop.link] = t.node;
            }
            if (d.tensor < 0 && hop_bits_sum < t.bits && !d.hops.empty())
                report("conservation", "transfer " + std::to_string(i) + " of " + node_label(t.node) + " counts " +
                                           std::to_string(t.bits) + " streamed bits, its links carry " +
                                           std::to_string(hop_bits_sum));
        }
        const double latency = schedule_.metrics.latency_cycles;
        auto over = [&](std::uint32_t l, std::int64_t bits, const std::string& what) {
            if (static_cast<double>(bits) > link(l).bandwidth_bits_per_cycle * latency * (1 + 1e-12))
                report("conservation", "link " + std::to_string(link(l).id) + " carries " + std::to_string(bits) + " bits " +
                                           what + " in " + num(latency) + " cycles at " +
                                           num(link(l).bandwidth_bits_per_cycle) + " bits/cycle (the last for " +
                                           node_label(last_node[l]) + ")");
        };
        for (const auto& [key, bits] : carried)
            over(key.first, bits, key.second > 0 ? "to DRAM" : key.second < 0 ? "from DRAM" : "between cores");
        // The scheduler gives every link one bandwidth for all its traffic (both directions).
        for (const auto& [l, bits] : carried_total) over(l, bits, "in all");
    }

    std::string node_label(std::int64_t n) const {
        if (n < 0 || ix(n) >= problem_.node_count) return "node " + std::to_string(n);
        const stream_node_v1& v = *STREAM_AT(stream_node_v1, problem_.nodes, ix(n));
        return "node " + std::to_string(n) + " (layer " + std::to_string(v.layer) + ", tile " + std::to_string(v.sub_id) + ")";
    }

    const stream_problem_v1& problem_;
    const stream_allocation_v1& allocation_;
    const sdk::ScheduleResult& schedule_;
    const ScheduleTrace& trace_;
    std::vector<std::string> messages_;
    std::map<std::string, std::size_t> count_;
    std::unordered_map<std::uint64_t, std::vector<std::size_t>> by_copy_;
    std::vector<std::int64_t> start_, end_;
};

} // namespace

std::vector<std::string> check_schedule_invariants(const stream_problem_v1& problem,
                                                   const stream_allocation_v1& allocation,
                                                   const sdk::ScheduleResult& schedule, const ScheduleTrace& trace) {
    return Checker(problem, allocation, schedule, trace).run();
}

} // namespace stream::plugins::stream_scheduler
