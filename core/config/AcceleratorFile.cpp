#include "config/AcceleratorFile.hpp"

#include "config/TomlFile.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <set>

namespace stream {

namespace fs = std::filesystem;

namespace {

template <class T>
T require(std::optional<T> v, const toml::table& t, std::string_view key, std::string_view context) {
    if (!v) fail_input(location_of(t), fmt::format("missing required key '{}'", qualified(context, key)));
    return *v;
}

double non_negative(const toml::table& t, std::string_view key, std::string_view context, double fallback = 0) {
    double v = get_float(t, key, context).value_or(fallback);
    if (v < 0) fail_input(location_of(t, key), fmt::format("key '{}': must be >= 0, got {}", qualified(context, key), v));
    return v;
}

double positive(const toml::table& t, std::string_view key, std::string_view context) {
    double v = require(get_float(t, key, context), t, key, context);
    if (!(v > 0)) fail_input(location_of(t, key), fmt::format("key '{}': must be > 0, got {}", qualified(context, key), v));
    return v;
}

std::vector<std::string> string_list(const toml::table& t, std::string_view key, std::string_view context) {
    std::vector<std::string> out;
    const toml::array* a = get_array(t, key, context);
    if (!a) return out;
    for (const toml::node& e : *a) {
        if (!e.is_string())
            fail_input(location_of(e), fmt::format("key '{}': expected strings, got {}", qualified(context, key), node_type_name(e)));
        out.push_back(*e.value<std::string>());
    }
    return out;
}

const toml::table& table_at(const toml::node& n, std::string_view context) {
    if (!n.is_table()) fail_input(location_of(n), fmt::format("'{}': expected a table, got {}", context, node_type_name(n)));
    return *n.as_table();
}

MemoryLevel parse_memory(const toml::table& t, const std::string& ctx) {
    reject_unknown_keys(t, {"name", "size_bits", "read_bw_bits_per_cycle", "write_bw_bits_per_cycle", "read_energy_pj",
                            "write_energy_pj", "area_mm2", "leakage_mw", "latency_cycles", "min_access_bits",
                            "operands", "served_dims", "ports"},
                        ctx);
    MemoryLevel m;
    m.where = location_of(t);
    m.name = require(get_string(t, "name", ctx), t, "name", ctx);
    m.size_bits = require(get_int(t, "size_bits", ctx), t, "size_bits", ctx);
    if (m.size_bits <= 0)
        fail_input(location_of(t, "size_bits"), fmt::format("key '{}': must be > 0, got {}", qualified(ctx, "size_bits"), m.size_bits));
    m.read_bw_bits_per_cycle = positive(t, "read_bw_bits_per_cycle", ctx);
    m.write_bw_bits_per_cycle = positive(t, "write_bw_bits_per_cycle", ctx);
    m.read_energy_pj = non_negative(t, "read_energy_pj", ctx);
    m.write_energy_pj = non_negative(t, "write_energy_pj", ctx);
    m.area_mm2 = non_negative(t, "area_mm2", ctx);
    m.leakage_mw = non_negative(t, "leakage_mw", ctx);
    m.latency_cycles = non_negative(t, "latency_cycles", ctx);
    m.min_access_bits = get_int(t, "min_access_bits", ctx).value_or(0);
    m.operands = string_list(t, "operands", ctx);
    if (m.operands.empty())
        fail_input(location_of(t, "operands"), fmt::format("key '{}': a memory must serve at least one operand (I, W, O)",
                                                           qualified(ctx, "operands")));
    m.served_dims = string_list(t, "served_dims", ctx);
    m.port_count = static_cast<std::uint32_t>(get_int(t, "ports", ctx).value_or(1));
    return m;
}

} // namespace

CoreType load_core_type(const fs::path& core_file, bool* is_offchip) {
    toml::table root = parse_toml_file(core_file);
    reject_unknown_keys(root, {"name", "offchip", "operational_array", "memories", "dataflow", "model"}, "");
    CoreType t;
    t.where = location_of(root);
    t.where.file = core_file.string();
    t.where.line = 0;
    t.name = require(get_string(root, "name", ""), root, "name", "");
    bool offchip = get_bool(root, "offchip", "").value_or(false);
    if (is_offchip) *is_offchip = offchip;
    if (const toml::table* arr = get_table(root, "operational_array", "")) {
        reject_unknown_keys(*arr, {"dimensions", "mac_energy_pj", "area_mm2"}, "operational_array");
        if (const toml::array* dims = get_array(*arr, "dimensions", "operational_array")) {
            std::set<std::string> seen;
            for (const toml::node& n : *dims) {
                const toml::table& d = table_at(n, "operational_array.dimensions");
                reject_unknown_keys(d, {"name", "size"}, "operational_array.dimensions");
                ArrayDim ad;
                ad.name = require(get_string(d, "name", "operational_array.dimensions"), d, "name", "operational_array.dimensions");
                ad.size = require(get_int(d, "size", "operational_array.dimensions"), d, "size", "operational_array.dimensions");
                if (ad.size < 1) fail_input(location_of(d, "size"), fmt::format("array dimension '{}': size must be >= 1", ad.name));
                if (!seen.insert(ad.name).second)
                    fail_input(location_of(d, "name"), fmt::format("array dimension '{}' is listed twice", ad.name));
                t.array_dims.push_back(ad);
            }
        }
        t.mac_energy_pj = non_negative(*arr, "mac_energy_pj", "operational_array");
        t.array_area_mm2 = non_negative(*arr, "area_mm2", "operational_array");
    } else if (!offchip) {
        fail_input(location_of(root), "missing required table 'operational_array' (an off-chip core says offchip = true)");
    }
    const toml::array* mems = get_array(root, "memories", "");
    if (!mems || mems->empty()) fail_input(location_of(root), "a core needs at least one [[memories]] entry");
    for (std::size_t i = 0; i < mems->size(); ++i)
        t.memories.push_back(parse_memory(table_at(*mems->get(i), "memories"), fmt::format("memories[{}]", i)));
    // Every operand a level serves must also be served by the top level, so it has a path to off-chip.
    const MemoryLevel& top = t.memories.back();
    for (const MemoryLevel& m : t.memories)
        for (const std::string& op : m.operands)
            if (std::find(top.operands.begin(), top.operands.end(), op) == top.operands.end())
                fail_input(m.where, fmt::format("memory '{}' serves operand '{}', but the outermost memory '{}' does "
                                                "not, so '{}' has no path to off-chip",
                                                m.name, op, top.name, op));
    if (const toml::array* df = get_array(root, "dataflow", "")) {
        for (const toml::node& n : *df) {
            const toml::table& d = table_at(n, "dataflow");
            reject_unknown_keys(d, {"array_dim", "loop_dim", "factor"}, "dataflow");
            SpatialUnrolling u;
            u.array_dim = require(get_string(d, "array_dim", "dataflow"), d, "array_dim", "dataflow");
            u.loop_dim = require(get_string(d, "loop_dim", "dataflow"), d, "loop_dim", "dataflow");
            u.factor = require(get_int(d, "factor", "dataflow"), d, "factor", "dataflow");
            bool known = std::any_of(t.array_dims.begin(), t.array_dims.end(), [&](const ArrayDim& a) { return a.name == u.array_dim; });
            if (!known) fail_input(location_of(d, "array_dim"), fmt::format("dataflow: unknown array dimension '{}'", u.array_dim));
            t.dataflow.push_back(u);
        }
    }
    if (const toml::table* model = get_table(root, "model", "")) {
        t.model_plugin = get_string(*model, "plugin", "model").value_or("");
        t.model_table = std::make_shared<const toml::table>(*model);
    }
    return t;
}

Accelerator load_accelerator(const fs::path& system_file) {
    toml::table root = parse_toml_file(system_file);
    reject_unknown_keys(root, {"name", "cores", "offchip", "links"}, "");
    Accelerator acc;
    acc.where = {system_file.string()};
    acc.name = get_string(root, "name", "").value_or(system_file.stem().string());

    std::map<fs::path, std::shared_ptr<const CoreType>> types; // one CoreType per file: reused, not copied
    auto type_of = [&](const toml::table& t, std::string_view ctx, bool want_offchip) {
        std::string rel = require(get_string(t, "type", ctx), t, "type", ctx);
        fs::path file = resolve_path(*t.get("type"), rel);
        auto it = types.find(file);
        if (it == types.end()) {
            bool offchip = false;
            try {
                auto ct = std::make_shared<const CoreType>(load_core_type(file, &offchip));
                it = types.emplace(file, ct).first;
            } catch (const Error& e) {
                if (e.where().file == file.string() && e.message() == "no such file")
                    fail_input(location_of(t, "type"), fmt::format("key '{}': core-type file '{}' does not exist",
                                                                   qualified(ctx, "type"), file.string()));
                throw;
            }
            if (offchip != want_offchip)
                fail_input(location_of(t, "type"), want_offchip ? fmt::format("'{}' is not an off-chip core (add offchip = true)", rel)
                                                                : fmt::format("'{}' is an off-chip core; use it under [offchip]", rel));
        }
        return it->second;
    };

    const toml::array* cores = get_array(root, "cores", "");
    if (!cores || cores->empty()) fail_input(location_of(root), "an accelerator needs at least one [[cores]] entry");
    std::map<std::int64_t, Core> by_id;
    for (const toml::node& n : *cores) {
        const toml::table& c = table_at(n, "cores");
        reject_unknown_keys(c, {"id", "type"}, "cores");
        Core core;
        core.where = location_of(c);
        core.id = require(get_int(c, "id", "cores"), c, "id", "cores");
        core.type = type_of(c, "cores", false);
        if (!by_id.emplace(core.id, core).second)
            fail_input(location_of(c, "id"), fmt::format("core id {} is used twice", core.id));
    }
    std::int64_t expected = 0;
    for (auto& [id, core] : by_id) {
        if (id != expected)
            fail_input(core.where, fmt::format("core ids must be dense from 0: expected id {}, found {}", expected, id));
        acc.cores.push_back(core);
        ++expected;
    }

    double offchip_bw = 0, offchip_energy = 0;
    if (const toml::table* off = get_table(root, "offchip", "")) {
        reject_unknown_keys(*off, {"type", "bandwidth_bits_per_cycle", "energy_pj_per_bit"}, "offchip");
        Core dram;
        dram.where = location_of(*off);
        dram.id = static_cast<std::int64_t>(acc.cores.size());
        dram.is_offchip = true;
        dram.type = type_of(*off, "offchip", true);
        offchip_bw = positive(*off, "bandwidth_bits_per_cycle", "offchip");
        offchip_energy = non_negative(*off, "energy_pj_per_bit", "offchip");
        acc.offchip_core = dram.id;
        acc.cores.push_back(dram);
    }

    auto core_ref = [&](const toml::table& t, std::string_view key) {
        std::int64_t id = require(get_int(t, key, "links"), t, key, "links");
        if (id < 0 || id >= static_cast<std::int64_t>(acc.cores.size()))
            fail_input(location_of(t, key), fmt::format("key '{}': no core {} (cores are 0..{})", qualified("links", key), id,
                                                        acc.cores.size() - 1));
        return id;
    };
    if (const toml::array* links = get_array(root, "links", "")) {
        for (const toml::node& n : *links) {
            const toml::table& l = table_at(n, "links");
            reject_unknown_keys(l, {"from", "to", "bandwidth_bits_per_cycle", "energy_pj_per_bit", "latency_cycles", "bidirectional"},
                                "links");
            Link link;
            link.where = location_of(l);
            link.id = static_cast<std::int64_t>(acc.links.size());
            link.from_core = core_ref(l, "from");
            link.to_core = core_ref(l, "to");
            if (link.from_core == link.to_core)
                fail_input(location_of(l, "to"), fmt::format("link from core {} to itself", link.from_core));
            link.bandwidth_bits_per_cycle = positive(l, "bandwidth_bits_per_cycle", "links");
            link.energy_pj_per_bit = non_negative(l, "energy_pj_per_bit", "links");
            link.latency_cycles = non_negative(l, "latency_cycles", "links");
            link.bidirectional = get_bool(l, "bidirectional", "links").value_or(true);
            acc.links.push_back(link);
        }
    }
    // The off-chip core reaches every compute core through its own port.
    if (acc.offchip_core >= 0) {
        for (const Core& c : acc.cores) {
            if (c.is_offchip) continue;
            Link link;
            link.where = acc.cores[static_cast<std::size_t>(acc.offchip_core)].where;
            link.id = static_cast<std::int64_t>(acc.links.size());
            link.from_core = acc.offchip_core;
            link.to_core = c.id;
            link.bandwidth_bits_per_cycle = offchip_bw;
            link.energy_pj_per_bit = offchip_energy;
            acc.links.push_back(link);
        }
    }
    return acc;
}

} // namespace stream
