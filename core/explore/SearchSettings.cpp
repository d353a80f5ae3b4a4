#include "explore/SearchSettings.hpp"

#include "config/TomlFile.hpp"
#include "ir/CnGraph.hpp"
#include "pipeline/Pipeline.hpp"

#include <fmt/format.h>

#include <cmath>

namespace stream {

const std::vector<std::string>& search_host_keys() {
    static const std::vector<std::string> keys = {"plugin",    "objective",    "time_budget_s", "max_evaluations",
                                                  "seed",      "loops",        "max_tiles",     "tile_options",
                                                  "max_split", "peak_memory_limit_bits", "allocator", "start_stacks"};
    return keys;
}

namespace {

std::int64_t positive(const toml::table& t, std::string_view key, std::int64_t fallback, std::int64_t minimum) {
    auto v = get_int(t, key, "search");
    if (!v) return fallback;
    if (*v < minimum)
        fail_input(location_of(t, key), fmt::format("key 'search.{}': expected an integer >= {}, got {}", key, minimum, *v));
    return *v;
}

} // namespace

SearchSettings read_search_settings(const Pipeline& p, bool mapping_has_search_factor) {
    SearchSettings s;
    // Layer by layer has no stacks and cuts no layer into tiles: nothing to search. A fused pipeline
    // switched to it by a flag or a sweep axis stays usable, as its stacks are ignored there too.
    const bool fused = p.mode() != "layer_by_layer";
    s.stacks_searched = fused && p.layer_stacks() == "search";
    s.enabled = s.stacks_searched || (fused && mapping_has_search_factor);
    PluginStage stage = p.stage("search");
    s.where = stage.where;
    if (!stage.table) return s;
    const toml::table& t = *stage.table;
    if (auto o = get_string(t, "objective", "search")) {
        if (*o != "latency" && *o != "energy" && *o != "edp" && *o != "peak_memory")
            fail_input(location_of(t, "objective"),
                       fmt::format("key 'search.objective': expected \"latency\", \"energy\", \"edp\" or \"peak_memory\", got \"{}\"", *o));
        s.objective = *o;
    }
    if (auto b = get_float(t, "time_budget_s", "search")) {
        if (!std::isfinite(*b) || *b < 0)
            fail_input(location_of(t, "time_budget_s"),
                       fmt::format("key 'search.time_budget_s': expected seconds >= 0 (0: no time limit), got {}", *b));
        s.time_budget_s = *b;
    }
    s.max_evaluations = positive(t, "max_evaluations", s.max_evaluations, 0);
    s.seed = static_cast<std::uint64_t>(positive(t, "seed", static_cast<std::int64_t>(s.seed), 0));
    s.max_tiles = positive(t, "max_tiles", s.max_tiles, 1);
    s.tile_options = positive(t, "tile_options", s.tile_options, 0);
    s.max_split = positive(t, "max_split", s.max_split, 1);
    if (auto m = get_float(t, "peak_memory_limit_bits", "search")) {
        if (!std::isfinite(*m) || *m <= 0)
            fail_input(location_of(t, "peak_memory_limit_bits"),
                       fmt::format("key 'search.peak_memory_limit_bits': expected a positive number of bits, got {}", *m));
        s.peak_memory_limit_bits = *m;
    }
    if (auto start = get_string(t, "start_stacks", "search")) {
        s.start_stacks = *start;
        s.start_stacks_where = location_of(t, "start_stacks");
        if (s.start_stacks == "search")
            fail_input(s.start_stacks_where, "key 'search.start_stacks': the stacks to start from cannot themselves be searched");
    }
    if (const toml::table* a = get_table(t, "allocator", "search"))
        if (a->contains("plugin"))
            fail_input(location_of(*a, "plugin"), "key 'search.allocator.plugin': the search allocates with the pipeline's [allocator] "
                                                  "plugin; [search.allocator] only changes its keys for the candidates");
    if (const toml::array* loops = get_array(t, "loops", "search"))
        for (const toml::node& n : *loops) {
            auto name = n.value<std::string>();
            if (!n.is_string() || !name || name->empty())
                fail_input(location_of(n), fmt::format("key 'search.loops': expected loop names (strings), got {}", node_type_name(n)));
            s.loops.push_back(*name);
        }
    return s;
}

double objective_value(const std::string& objective, const Metrics& m) {
    if (objective == "latency") return m.latency_cycles;
    if (objective == "energy") return m.energy_pj;
    if (objective == "peak_memory") return m.peak_memory_bits;
    return m.edp;
}

} // namespace stream
