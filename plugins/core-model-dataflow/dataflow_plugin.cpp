// The "dataflow" core-model plugin: ZigZag's cost model with the core's dataflow as spatial
// mapping (or, when it leaves array dims undefined, ZigZag's generated candidates:
// spatial_mapping_generator.hpp) and a LOMA temporal mapping search (mapping_search.hpp). The
// library's one export.
#include "dataflow_model.hpp"
#include "mapping_search.hpp"
#include "offchip_streaming.hpp"
#include "spatial_mapping_generator.hpp"
#include "stream_loop_names.hpp"
#include "temporal_ordering.hpp"

#include <stream/plugin.hpp>

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace stream::plugins {

namespace {

// True when the user wrote `key` (the host fills in declared defaults and says so through the
// key's location, "(default)"); a host without locations counts every present key as written.
bool written(const stream_config_v1* config, const char* key) {
    if (!config || !config->has || !config->has(config->ctx, key)) return false;
    if (!STREAM_HAS_FIELD(stream_config_v1, config->struct_size, location) || !config->location) return true;
    stream_source_location where{sizeof(stream_source_location), nullptr, 0, 0};
    return !(config->location(config->ctx, key, &where) == STREAM_OK && where.file &&
             std::string_view(where.file) == "(default)");
}

std::string join(const std::vector<std::string>& parts, const char* sep) {
    std::string out;
    for (std::size_t i = 0; i < parts.size(); ++i) out += (i ? sep : "") + parts[i];
    return out;
}

// "'sram' (1048576 bits) cannot hold I (802816 bits), W (802816 bits) and O (802816 bits) together"
// (operands named as the layer names them)
std::string describe_overflows(const std::vector<std::string>& operand_names, const dataflow::CoreDescription& core,
                               const dataflow::StreamingPlan& plan) {
    std::vector<std::string> parts;
    for (const auto& ov : plan.overflows) {
        std::vector<std::string> needs;
        for (const auto& n : ov.needs) needs.push_back(operand_names[n.operand] + " (" + std::to_string(n.bits) + " bits)");
        std::string list = needs.size() > 1 ? join({needs.begin(), needs.end() - 1}, ", ") + " and " + needs.back()
                                            : needs.front();
        parts.push_back("'" + core.memories[ov.memory].name + "' (" + std::to_string(ov.capacity_bits) +
                        " bits) cannot hold " + list + " together");
    }
    return join(parts, "; ");
}

// The DRAM level's instantaneous bandwidth by direction, as Stream's block_offchip_links reads
// ZigZag's get_total_inst_bandwidth: towards the core (rd_out_to_low) for streamed inputs, from
// the core (wr_in_by_low) for a streamed output. ZigZag books the bandwidth the level's ports
// lend to one-shot loading, which it only knows per port, as wr_in_by_high when the level holds
// the output and as rd_out_to_low otherwise; so it counts towards reading only without O.
void fill_offchip_directions(stream_cost_v1& cost, const dataflow::CostResult& c, std::size_t dram_level,
                             const std::vector<std::string>& streamed, bool output_streamed) {
    cost.offchip_read_bw_bits_per_cycle = 0;
    cost.offchip_write_bw_bits_per_cycle = 0;
    for (const std::string& op : streamed) {
        const auto it = c.levels.find(op);
        if (it == c.levels.end() || it->second.empty() || it->second.back().memory != dram_level) continue;
        cost.offchip_read_bw_bits_per_cycle += it->second.back().inst_bw_bits_per_cycle.rd_out_to_low;
        cost.offchip_write_bw_bits_per_cycle += it->second.back().inst_bw_bits_per_cycle.wr_in_by_low;
    }
    if (!output_streamed && dram_level < c.loading_bw_borrowed_bits_per_cycle.size())
        cost.offchip_read_bw_bits_per_cycle += c.loading_bw_borrowed_bits_per_cycle[dram_level];
}

} // namespace

class DataflowCoreModel {
public:
    static constexpr stream_plugin_kind kind = STREAM_KIND_CORE_MODEL;
    // evaluate only reads members set in the constructor and keeps its search state on the
    // stack: safe to call concurrently.
    static constexpr sdk::Info info{"dataflow", "ZigZag dataflow model", "1.2.0",
                                    "ZigZag's analytical cost model with a LOMA temporal mapping search over the "
                                    "core's dataflow (array dims it leaves out generated, as ZigZag does); operands "
                                    "too large for the core are streamed from DRAM.",
                                    STREAM_PLUGIN_THREAD_SAFE};
    static constexpr stream_config_key keys[] = {
        sdk::key("lpf_limit", STREAM_VALUE_INT, "6", nullptr,
                 "Most loop prime factors per layer; larger factors are merged (LOMA), orderings grow as n!."),
        sdk::key("objective", STREAM_VALUE_STRING, "\"latency\"", nullptr,
                 "Best temporal mapping by \"latency\" (ties by energy), \"energy\" or \"edp\"."),
        sdk::key("zigzag_quirks", STREAM_VALUE_BOOL, "false", nullptr,
                 "Reproduce ZigZag 3.8.0's arithmetic quirks (truncated access counts, shifted partial-sum flag, "
                 "loading below its minimum, half-shared loading assigned) for bit-exact parity; on under "
                 "--compat stream unless set."),
        sdk::key("stream_loop_names", STREAM_VALUE_BOOL, "false", nullptr,
                 "Name element-wise loops by output position as Stream does (K = last axis), so a core's dataflow "
                 "unrolls what Stream unrolls; on under --compat stream unless set."),
        sdk::key("temporal_ordering", STREAM_VALUE_STRING, nullptr, nullptr,
                 "A complete temporal loop ordering, innermost first, e.g. \"OX 112, OY 112, K 2\": allocated to the "
                 "memories as given instead of searched. In a core's model table it applies to that core."),
        sdk::key("search", STREAM_VALUE_STRING, "\"loma\"", nullptr,
                 "Temporal mapping search: \"loma\" (loop prime factors merged down to lpf_limit, pruned) or "
                 "\"exhaustive\" (every ordering of the unmerged prime factors, for small layers)."),
        sdk::key("exhaustive_max_orderings", STREAM_VALUE_INT, "1000000", nullptr,
                 "With search = \"exhaustive\": a layer with more loop orderings than this is refused."),
        sdk::key("spatial_mapping_hint", STREAM_VALUE_STRING, nullptr, nullptr,
                 "Layer dims the spatial-mapping generator may unroll per array dim, e.g. \"D1: K; D2: C, FX, FY\" "
                 "(ZigZag's spatial_mapping_hint). In a core's model table it applies to that core."),
        sdk::key("nb_mappings_generated", STREAM_VALUE_INT, "3", nullptr,
                 "When the dataflow leaves array dims undefined or hints are given: how many of the best-ranked "
                 "generated spatial mappings get a temporal search each (the best result is kept)."),
        sdk::key("mix_spatial_mapping", STREAM_VALUE_BOOL, "false", nullptr,
                 "Let the spatial-mapping generator also put several layer dims on one array dim (ZigZag's "
                 "enable_mix_spatial_mapping)."),
    };

    explicit DataflowCoreModel(sdk::Host host) : host_(host) {
        sdk::Config cfg = host.config();
        if (cfg.has("lpf_limit")) {
            int64_t v = cfg.get_int("lpf_limit");
            if (v < 1 || v > 10)
                throw sdk::Error(STREAM_ERROR_INVALID_CONFIG,
                                 "lpf_limit must be between 1 and 10 (orderings grow as lpf_limit!), got " +
                                     std::to_string(v),
                                 sdk::Item::config_key("lpf_limit"));
            options_.lpf_limit = static_cast<int>(v);
        }
        if (cfg.has("objective")) {
            std::string o = cfg.get_string("objective");
            if (o == "latency") options_.objective = dataflow::Objective::Latency;
            else if (o == "energy") options_.objective = dataflow::Objective::Energy;
            else if (o == "edp") options_.objective = dataflow::Objective::Edp;
            else
                throw sdk::Error(STREAM_ERROR_INVALID_CONFIG,
                                 "objective must be \"latency\", \"energy\" or \"edp\", got \"" + o + "\"",
                                 sdk::Item::config_key("objective"));
        }
        // The quirks are ZigZag's, so Stream's numbers need them: the host's compat switch turns
        // them on unless the user decided.
        options_.model.compat_zigzag = written(host.raw()->config, "zigzag_quirks")
                                           ? cfg.get_bool("zigzag_quirks")
                                           : host.compat_stream();
        stream_loop_names_ =
            written(host.raw()->config, "stream_loop_names") ? cfg.get_bool("stream_loop_names") : host.compat_stream();
        if (cfg.has("temporal_ordering")) temporal_ordering_ = cfg.get_string("temporal_ordering");
        if (cfg.has("search")) {
            const std::string s = cfg.get_string("search");
            if (s != "loma" && s != "exhaustive")
                throw sdk::Error(STREAM_ERROR_INVALID_CONFIG, "search must be \"loma\" or \"exhaustive\", got \"" + s + "\"",
                                 sdk::Item::config_key("search"));
            exhaustive_ = s == "exhaustive";
        }
        if (cfg.has("exhaustive_max_orderings")) {
            exhaustive_max_orderings_ = cfg.get_int("exhaustive_max_orderings");
            if (exhaustive_max_orderings_ < 1)
                throw sdk::Error(STREAM_ERROR_INVALID_CONFIG,
                                 "exhaustive_max_orderings must be at least 1, got " + std::to_string(exhaustive_max_orderings_),
                                 sdk::Item::config_key("exhaustive_max_orderings"));
        }
        if (cfg.has("spatial_mapping_hint")) hints_ = parse_hints(cfg.get_string("spatial_mapping_hint"), nullptr);
        if (cfg.has("nb_mappings_generated")) {
            const int64_t n = cfg.get_int("nb_mappings_generated");
            if (n < 1 || n > 1000)
                throw sdk::Error(STREAM_ERROR_INVALID_CONFIG,
                                 "nb_mappings_generated must be between 1 and 1000 (each gets a temporal search), got " +
                                     std::to_string(n),
                                 sdk::Item::config_key("nb_mappings_generated"));
            generator_.nb_mappings = static_cast<std::size_t>(n);
        }
        if (cfg.has("mix_spatial_mapping")) generator_.mixed = cfg.get_bool("mix_spatial_mapping");
    }

    sdk::CostResult evaluate(const stream_core_v1& core, const stream_cn_v1& cn) const {
        const std::string core_name = core.name ? core.name : "";
        const std::string layer_name = cn.layer.name ? cn.layer.name : "";
        auto core_item = sdk::Item::core(core.id, core_name);
        auto layer_item = sdk::Item::layer(cn.layer.id, layer_name);
        int64_t units = core.array_dim_count ? 1 : 0;
        for (uint32_t i = 0; i < core.array_dim_count; ++i)
            units *= STREAM_AT(stream_array_dim_v1, core.array_dims, i)->size;
        if (core.is_offchip)
            throw sdk::Error(STREAM_ERROR_UNSUPPORTED, "core '" + core_name + "' is off-chip: it cannot compute",
                             core_item);
        if (units <= 0)
            throw sdk::Error(STREAM_ERROR_UNSUPPORTED, "core '" + core_name + "' has no MAC units", core_item);

        dataflow::LoopNest nest = [&] {
            try {
                if (stream_loop_names_) return dataflow::with_stream_loop_names(dataflow::LoopNest::from_abi(cn.layer));
                return dataflow::LoopNest::from_abi(cn.layer);
            } catch (const std::invalid_argument& e) {
                // The layer item names the layer; the host puts it in front of the message.
                throw sdk::Error(STREAM_ERROR_INVALID_INPUT, e.what(), layer_item);
            }
        }();
        dataflow::CoreDescription desc = dataflow::CoreDescription::from_abi(core);
        // The layer's own operand names, which the results use (the renaming below is internal).
        std::vector<std::string> layer_names;
        for (const auto& op : nest.operands()) layer_names.push_back(op.name);
        auto stored = [&](const std::string& operand) {
            for (const auto& m : desc.memories)
                for (const auto& name : m.operands)
                    if (name == operand) return true;
            return false;
        };
        for (std::size_t i = 0; i < nest.operands().size(); ++i) {
            const auto& op = nest.operands()[i];
            // Two-input element-wise layers name their inputs I1 and I2; cores described for ZigZag serve
            // "I" and "W" (ZigZag links I1 -> I, I2 -> W), so the inputs use those memories.
            if (!stored(op.name) && op.name == "I1" && stored("I")) nest.rename_operand(i, "I");
            if (!stored(op.name) && op.name == "I2" && stored("W")) nest.rename_operand(i, "W");
            if (!stored(op.name))
                throw sdk::Error(STREAM_ERROR_UNSUPPORTED,
                                 "core '" + core_name + "' has no memory for operand " + op.name + " of layer '" +
                                     layer_name + "'",
                                 core_item);
        }

        // Spatial mapping: the core's dataflow, clipped to the node's loop sizes (§3.1).
        dataflow::SpatialMapping user;
        for (uint32_t i = 0; i < core.dataflow_count; ++i) {
            const auto* u = STREAM_AT(stream_spatial_unrolling_v1, core.dataflow, i);
            std::string ad = u->array_dim ? u->array_dim : "";
            dataflow::ArrayDimUnrolling* slot = nullptr;
            for (auto& d : user.dims)
                if (d.array_dim == ad) slot = &d;
            if (!slot) slot = &user.dims.emplace_back(dataflow::ArrayDimUnrolling{ad, {}});
            slot->loops.push_back({u->loop_dim ? u->loop_dim : "", static_cast<double>(u->factor)});
        }
        // A dataflow that leaves array dims undefined, or hints, go through ZigZag's generator
        // (zigzag.md §3.3): each candidate gets its own temporal search below.
        dataflow::SpatialHints hints = hints_;
        if (core.model_config) {
            sdk::Config core_cfg(core.model_config);
            if (core_cfg.has("spatial_mapping_hint")) hints = parse_hints(core_cfg.get_string("spatial_mapping_hint"), &core_item);
        }
        const bool generated = !hints.empty() || !dataflow::defines_every_array_dim(desc, user);
        std::vector<dataflow::SpatialMapping> candidates;
        try {
            const auto users = generated ? dataflow::generate_spatial_mappings(nest, desc, user, hints, generator_)
                                         : std::vector<dataflow::SpatialMapping>{user};
            for (const auto& u : users) candidates.push_back(dataflow::SpatialMapping::normalized(nest, desc, u));
        } catch (const std::invalid_argument& e) {
            throw sdk::Error(STREAM_ERROR_INVALID_INPUT, "core '" + core_name + "' dataflow: " + e.what(), core_item);
        }

        // Operands the core cannot hold are streamed from DRAM: a DRAM level above the core's
        // own memories serves them while the node runs (stream.md §3.6).
        std::vector<int64_t> received(layer_names.size(), 0);
        if (STREAM_HAS_FIELD(stream_cn_v1, cn.struct_size, received_count))
            for (uint32_t i = 0; cn.received && i < cn.received_count; ++i) {
                const auto* r = STREAM_AT(stream_received_bits_v1, cn.received, i);
                const auto it = std::find(layer_names.begin(), layer_names.end(), r->operand ? r->operand : "");
                if (it != layer_names.end()) received[static_cast<std::size_t>(it - layer_names.begin())] += r->size_bits;
            }
        const dataflow::StreamingPlan plan = dataflow::plan_streaming(nest, desc, received);
        std::vector<std::string> streamed, streamed_labels; // as the core's memories / the layer name them
        for (std::size_t o : plan.streamed) {
            streamed.push_back(nest.operands()[o].name);
            streamed_labels.push_back(layer_names[o]);
        }
        const std::size_t dram_level = desc.memories.size();
        if (!plan.empty()) {
            if (!STREAM_HAS_FIELD(stream_core_v1, core.struct_size, offchip_memory) || !core.offchip_memory)
                throw sdk::Error(STREAM_ERROR_INFEASIBLE,
                                 "too large for core '" + core_name + "': " + describe_overflows(layer_names, desc, plan) +
                                     ", and the system has no off-chip memory to stream " + join(streamed_labels, ", ") +
                                     " from",
                                 layer_item);
            desc = dataflow::with_offchip_level(desc, dataflow::MemoryLevel::from_abi(*core.offchip_memory), streamed);
        }

        dataflow::SearchOptions options = options_;
        const sdk::Host host = host_;
        options.cancelled = [host] { return host.cancelled(); };
        std::string ordering_text = temporal_ordering_;
        if (core.model_config) {
            sdk::Config core_cfg(core.model_config);
            if (core_cfg.has("temporal_ordering")) ordering_text = core_cfg.get_string("temporal_ordering");
        }
        // Every candidate is searched; the best by the objective is kept, the first on ties (ZigZag's
        // reduce stage). A candidate no ordering fits is skipped, not fatal (ZigZag's issue #119).
        dataflow::SearchResult found;
        const dataflow::SpatialMapping* spatial = nullptr;
        std::size_t orderings = 0;
        for (const auto& candidate : candidates) {
            dataflow::SearchResult one;
            try {
                if (!ordering_text.empty()) one = cost_ordering(nest, desc, candidate, ordering_text, options, layer_item);
                else if (exhaustive_) one = search_exhaustive(nest, desc, candidate, options, layer_item, layer_name);
                else one = dataflow::search_temporal_mapping(nest, desc, candidate, options);
            } catch (const std::invalid_argument& e) {
                // the core's description does not hold together (a port routes an operand its memory
                // does not store, an unknown flow, ...)
                throw sdk::Error(STREAM_ERROR_INVALID_INPUT, "core '" + core_name + "': " + e.what(), core_item);
            }
            orderings += one.stats.orderings;
            if (one.cancelled) {
                found.cancelled = true;
                break;
            }
            if (one.mapping && (!found.mapping || dataflow::better(options.objective, one.cost, found.cost))) {
                found = std::move(one);
                spatial = &candidate;
            }
        }
        found.stats.orderings = orderings;
        if (found.cancelled)
            throw sdk::Error(STREAM_ERROR_CANCELLED, "temporal mapping search of layer '" + layer_name + "' cancelled");
        if (!found.mapping) {
            std::string why = ordering_text.empty() ? "none of the " + std::to_string(found.stats.orderings) +
                                                          " loop orderings fits the memories of core '" + core_name + "'"
                                                    : "temporal_ordering \"" + ordering_text +
                                                          "\" does not fit the memories of core '" + core_name + "'";
            if (!plan.empty())
                why += ", even with " + join(streamed_labels, ", ") + " streamed from '" + desc.memories.back().name +
                       "' (" + describe_overflows(layer_names, desc, plan) + ")";
            throw sdk::Error(STREAM_ERROR_INFEASIBLE, why, layer_item);
        }

        const dataflow::CostResult& c = found.cost;
        sdk::CostResult r;
        r.cost.latency_cycles = c.latency_total2;
        r.cost.latency_no_offload_cycles = c.latency_total1;
        r.cost.ideal_cycles = c.ideal_cycle;
        r.cost.onloading_cycles = c.data_onloading_cycle;
        r.cost.offloading_cycles = c.data_offloading_cycle;
        r.cost.energy_pj = c.energy_total;
        r.cost.mac_energy_pj = c.mac_energy;
        r.cost.utilization = c.latency_total2 > 0 ? c.ideal_cycle / c.latency_total2 : 0;
        // Stream: the streamed operands' energy at the DRAM level, and ZigZag's instantaneous
        // bandwidth of that level (all four directions) as what the DRAM must deliver.
        r.cost.offchip_energy_pj = 0;
        r.cost.offchip_bw_bits_per_cycle = 0;
        if (!plan.empty()) {
            for (const std::string& name : streamed) r.cost.offchip_energy_pj += c.levels.at(name).back().energy_total_pj;
            r.cost.offchip_bw_bits_per_cycle = dataflow::total_inst_bandwidth(c, dram_level, streamed);
            fill_offchip_directions(r.cost, c, dram_level, streamed,
                                    std::find(plan.streamed.begin(), plan.streamed.end(), nest.output_operand()) !=
                                        plan.streamed.end());
        }
        // operand names first (as the layer names them): accesses and footprints point into r.strings
        for (std::size_t o : nest.operand_order()) r.strings.push_back(layer_names[o]);
        for (std::size_t k = 0; k < r.strings.size(); ++k) {
            const std::string& name = r.strings[k];
            const std::size_t o = nest.operand_order()[k];
            const auto& levels = c.levels.at(nest.operands()[o].name);
            const bool is_streamed = std::find(plan.streamed.begin(), plan.streamed.end(), o) != plan.streamed.end();
            for (const auto& lv : levels) {
                // The DRAM level is not one of core->memories (accesses index them); its energy
                // is offchip_energy_pj.
                if (lv.memory >= dram_level) continue;
                stream_access_energy_v1 a{};
                a.struct_size = sizeof a;
                a.memory_level = static_cast<uint32_t>(lv.memory);
                a.operand = name.c_str();
                a.reads = lv.word_accesses.rd_out_to_low + lv.word_accesses.rd_out_to_high;
                a.writes = lv.word_accesses.wr_in_by_low + lv.word_accesses.wr_in_by_high;
                a.energy_pj = lv.energy_total_pj;
                r.accesses.push_back(a);
            }
            // What the core's own top memory holds: for a streamed operand, the level below DRAM.
            stream_footprint_v1 f{};
            f.struct_size = sizeof f;
            f.operand = name.c_str();
            const std::size_t on_chip = levels.size() - (is_streamed ? 1 : 0);
            f.size_bits = on_chip == 0 ? 0 : levels[on_chip - 1].tile_bits;
            f.streamed_from_offchip = is_streamed ? 1 : 0;
            r.footprints.push_back(f);
        }
        r.mapping_text = dataflow::format_zigzag(nest, *found.mapping);
        // A generated spatial mapping is part of the answer: say which one won.
        if (generated) r.mapping_text += "\nspatial " + dataflow::format_spatial(*spatial);
        return r;
    }

private:
    static dataflow::SpatialHints parse_hints(const std::string& text, const sdk::Item* core_item) {
        try {
            return dataflow::parse_spatial_hints(text);
        } catch (const std::invalid_argument& e) {
            throw sdk::Error(STREAM_ERROR_INVALID_CONFIG, e.what(),
                             core_item ? *core_item : sdk::Item::config_key("spatial_mapping_hint"));
        }
    }

    // Distinct orderings of the factors: n! / prod(m_i!) over groups of equal factors (a double:
    // exact up to 2^53, and only compared with the limit beyond).
    static double distinct_orderings(const std::vector<dataflow::LoopFactor>& factors) {
        std::vector<dataflow::LoopFactor> seen;
        std::vector<double> multiplicity;
        for (const auto& f : factors) {
            const auto it = std::find(seen.begin(), seen.end(), f);
            if (it == seen.end()) {
                seen.push_back(f);
                multiplicity.push_back(1);
            } else {
                ++multiplicity[static_cast<std::size_t>(it - seen.begin())];
            }
        }
        // group by group: C(placed + m, m) ways to place the next m equal factors
        double count = 1, placed = 0;
        for (double m : multiplicity) {
            for (double k = 1; k <= m; ++k) count = count * (placed + k) / k;
            placed += m;
        }
        return std::round(count);
    }

    // search = "exhaustive": every ordering of the unmerged loop prime factors, each allocated and
    // costed in full; refused when there are more than exhaustive_max_orderings.
    dataflow::SearchResult search_exhaustive(const dataflow::LoopNest& nest, const dataflow::CoreDescription& desc,
                                             const dataflow::SpatialMapping& spatial, dataflow::SearchOptions options,
                                             const sdk::Item& layer_item, const std::string& layer_name) const {
        // no layer of realistic size has 64 prime factors, so nothing is merged (one that has is
        // merged down to 64 and then refused by the count)
        options.lpf_limit = 64;
        const auto factors = dataflow::loop_prime_factors(nest, spatial, options.lpf_limit);
        const double count = distinct_orderings(factors);
        if (count > static_cast<double>(exhaustive_max_orderings_))
            throw sdk::Error(STREAM_ERROR_INVALID_CONFIG,
                             "search = \"exhaustive\": layer '" + layer_name + "' has " +
                                 (count >= 1e15 ? std::string("more than 1e15")
                                                : std::to_string(static_cast<long long>(count))) +
                                 " orderings of its " + std::to_string(factors.size()) +
                                 " loop prime factors, more than exhaustive_max_orderings = " +
                                 std::to_string(exhaustive_max_orderings_) + "; use search = \"loma\" for this layer",
                             layer_item);
        return dataflow::search_temporal_mapping_exhaustive(nest, desc, spatial, options);
    }

    // A pinned ordering (zigzag.md §4.2): one allocation, one evaluation, no search.
    static dataflow::SearchResult cost_ordering(const dataflow::LoopNest& nest, const dataflow::CoreDescription& desc,
                                                const dataflow::SpatialMapping& spatial, const std::string& text,
                                                const dataflow::SearchOptions& options, const sdk::Item& layer_item) {
        std::vector<dataflow::LoopFactor> ordering;
        try {
            ordering = dataflow::parse_temporal_ordering(nest, spatial, text);
        } catch (const std::invalid_argument& e) {
            throw sdk::Error(STREAM_ERROR_INVALID_INPUT, e.what(), layer_item);
        }
        dataflow::SearchResult r;
        r.stats.factors = ordering.size();
        r.stats.orderings = 1;
        r.mapping = dataflow::allocate_ordering(nest, desc, spatial, ordering);
        if (r.mapping) {
            r.stats.allocated = r.stats.evaluated = 1;
            r.cost = dataflow::evaluate(nest, desc, spatial, *r.mapping, options.model);
        }
        return r;
    }

    sdk::Host host_;
    dataflow::SearchOptions options_;
    // Stream names element-wise loops by output position, and cores' dataflows name loops.
    bool stream_loop_names_ = false;
    std::string temporal_ordering_; // empty: search
    bool exhaustive_ = false;
    int64_t exhaustive_max_orderings_ = 1000000;
    dataflow::SpatialHints hints_;
    dataflow::SpatialGeneratorOptions generator_;
};

} // namespace stream::plugins

STREAM_DSE_PLUGIN(stream::plugins::DataflowCoreModel)
