#include "config/AcceleratorFile.hpp"

#include "config/AcceleratorOverrides.hpp"
#include "config/TomlFile.hpp"
#include "import/StreamYamlHardware.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <functional>
#include <limits>
#include <map>
#include <set>
#include <tuple>

namespace stream {

namespace fs = std::filesystem;

namespace {

template <class T>
T require(std::optional<T> v, const toml::table& t, std::string_view key, std::string_view context) {
    if (!v) fail_input(location_of(t), fmt::format("missing required key '{}'", qualified(context, key)));
    return *v;
}

// TOML has nan and inf; either would poison every total it enters without failing anything.
void require_finite(double v, const toml::table& t, std::string_view key, std::string_view context) {
    if (!std::isfinite(v)) fail_input(location_of(t, key), fmt::format("key '{}': must be a finite number, got {}", qualified(context, key), v));
}

double non_negative(const toml::table& t, std::string_view key, std::string_view context, double fallback = 0) {
    double v = get_float(t, key, context).value_or(fallback);
    require_finite(v, t, key, context);
    if (v < 0) fail_input(location_of(t, key), fmt::format("key '{}': must be >= 0, got {}", qualified(context, key), v));
    return v;
}

double positive(const toml::table& t, std::string_view key, std::string_view context) {
    double v = require(get_float(t, key, context), t, key, context);
    require_finite(v, t, key, context);
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

// Keys of a memory entry that describe its structure; with a model, the rest belong to the model.
const std::vector<std::string> kMemoryStructureKeys = {"name", "size_bits", "operands", "served_dims", "ports", "model",
                                                      "read_ports", "write_ports", "read_write_ports", "min_read_bits",
                                                      "min_write_bits"};
const std::vector<std::string> kMemoryCostKeys = {"read_bw_bits_per_cycle", "write_bw_bits_per_cycle", "read_energy_pj",
                                                  "write_energy_pj", "area_mm2", "leakage_mw", "latency_cycles"};

std::uint32_t port_count(const toml::table& t, std::string_view key, const std::string& ctx, std::int64_t fallback) {
    std::int64_t v = get_int(t, key, ctx).value_or(fallback);
    if (v < 0) fail_input(location_of(t, key), fmt::format("key '{}': must be >= 0, got {}", qualified(ctx, key), v));
    // The count is stored in 32 bits; a larger one would wrap to a small, wrong count.
    if (v > std::numeric_limits<std::uint32_t>::max())
        fail_input(location_of(t, key), fmt::format("key '{}': must be at most {}, got {}", qualified(ctx, key),
                                                  std::numeric_limits<std::uint32_t>::max(), v));
    return static_cast<std::uint32_t>(v);
}

// 0 means "no finer granularity than the full bandwidth" (ZigZag's default), so only negatives are wrong here;
// the comparison with the bandwidth waits until a memory model may have supplied it.
std::int64_t granularity_bits(const toml::table& t, std::string_view key, const std::string& ctx) {
    std::int64_t v = get_int(t, key, ctx).value_or(0);
    if (v < 0)
        fail_input(location_of(t, key), fmt::format("key '{}': must be >= 0 (0 = the full bandwidth), got {}", qualified(ctx, key), v));
    return v;
}

// A minimum access wider than a full access would charge more than a whole word for part of one.
void check_granularity_fits(const MemoryLevel& m, const toml::table& t, const std::string& ctx) {
    for (auto [key, bits, bw_key, bw] : {std::tuple{"min_read_bits", m.min_read_bits, "read_bw_bits_per_cycle", m.read_bw_bits_per_cycle},
                                         std::tuple{"min_write_bits", m.min_write_bits, "write_bw_bits_per_cycle", m.write_bw_bits_per_cycle}})
        if (static_cast<double>(bits) > bw)
            fail_input(location_of(t, key), fmt::format("key '{}': {} bits is more than the memory's {} of {}; the minimum "
                                                      "access cannot be wider than a full one",
                                                      qualified(ctx, key), bits, bw_key, bw));
}

// served_dims name array dimensions the level is shared over, so each must be one the core has.
std::vector<std::string> served_dims(const toml::table& t, const std::string& ctx, const std::vector<ArrayDim>& array_dims,
                                     bool offchip) {
    std::vector<std::string> out = string_list(t, "served_dims", ctx);
    const toml::array* a = get_array(t, "served_dims", ctx);
    std::string key = qualified(ctx, "served_dims");
    for (std::size_t i = 0; i < out.size(); ++i) {
        SourceLoc where = location_of(*a->get(i));
        if (offchip)
            fail_input(where, fmt::format("key '{}': an off-chip core has no operational array to share '{}' over; give []",
                                          key, out[i]));
        if (std::none_of(array_dims.begin(), array_dims.end(), [&](const ArrayDim& d) { return d.name == out[i]; })) {
            std::vector<std::string> names;
            for (const ArrayDim& d : array_dims) names.push_back(d.name);
            fail_input(where, fmt::format("key '{}': unknown array dimension '{}' (operational_array has: {})", key, out[i],
                                          names.empty() ? std::string{"none"} : fmt::format("{}", fmt::join(names, ", "))));
        }
        if (std::find(out.begin(), out.begin() + static_cast<std::ptrdiff_t>(i), out[i]) != out.begin() + static_cast<std::ptrdiff_t>(i))
            fail_input(where, fmt::format("key '{}': array dimension '{}' is listed twice", key, out[i]));
    }
    return out;
}

std::vector<PortUse> parse_port_uses(const toml::table& t, const std::string& ctx, const std::vector<std::string>& operands) {
    std::vector<PortUse> uses;
    const toml::table* ports = get_table(t, "ports", ctx);
    if (!ports) return uses;
    for (auto&& [op, flows] : *ports) {
        std::string operand{op.str()};
        std::string octx = qualified(ctx, "ports." + operand);
        if (std::find(operands.begin(), operands.end(), operand) == operands.end())
            fail_input(location_of(op), fmt::format("key '{}': operand '{}' is not among this memory's operands ({})", octx, operand,
                                                  fmt::join(operands, ", ")));
        const toml::table& ft = table_at(flows, octx);
        reject_unknown_keys(ft, {"fh", "tl", "fl", "th"}, octx);
        for (auto&& [flow, port] : ft) {
            auto name = get_string(ft, flow.str(), octx);
            uses.push_back({operand, std::string{flow.str()}, *name});
        }
    }
    return uses;
}

MemoryLevel parse_memory(const toml::table& t, const std::string& ctx, const MemoryModelResolver* resolver,
                         const std::vector<ArrayDim>& array_dims, bool offchip) {
    MemoryLevel m;
    m.where = location_of(t);
    m.name = require(get_string(t, "name", ctx), t, "name", ctx);
    m.size_bits = require(get_int(t, "size_bits", ctx), t, "size_bits", ctx);
    if (m.size_bits <= 0)
        fail_input(location_of(t, "size_bits"), fmt::format("key '{}': must be > 0, got {}", qualified(ctx, "size_bits"), m.size_bits));
    m.operands = string_list(t, "operands", ctx);
    if (m.operands.empty())
        fail_input(location_of(t, "operands"), fmt::format("key '{}': a memory must serve at least one operand (I, W, O)",
                                                           qualified(ctx, "operands")));
    m.served_dims = served_dims(t, ctx, array_dims, offchip);
    m.read_ports = port_count(t, "read_ports", ctx, 1);
    m.write_ports = port_count(t, "write_ports", ctx, 1);
    m.read_write_ports = port_count(t, "read_write_ports", ctx, 0);
    if (m.read_ports + m.write_ports + m.read_write_ports == 0)
        fail_input(m.where, fmt::format("'{}': memory '{}' has no ports (read_ports, write_ports and read_write_ports are all 0)",
                                        ctx, m.name));
    m.min_read_bits = granularity_bits(t, "min_read_bits", ctx);
    m.min_write_bits = granularity_bits(t, "min_write_bits", ctx);
    m.port_uses = parse_port_uses(t, ctx, m.operands);

    auto model = get_string(t, "model", ctx);
    if (!model) {
        std::vector<std::string_view> allowed(kMemoryStructureKeys.begin(), kMemoryStructureKeys.end());
        allowed.insert(allowed.end(), kMemoryCostKeys.begin(), kMemoryCostKeys.end());
        std::vector<std::string> names(allowed.begin(), allowed.end());
        for (auto&& [k, v] : t) {
            if (std::find(names.begin(), names.end(), k.str()) != names.end()) continue;
            std::string msg = fmt::format("unknown key '{}'", qualified(ctx, k.str()));
            if (auto near = closest_match(k.str(), names)) msg += fmt::format(" (did you mean '{}'?)", *near);
            else msg += " (a memory-model plugin's key needs model = \"<id>\")";
            fail_input(location_of(k), msg);
        }
        m.read_bw_bits_per_cycle = positive(t, "read_bw_bits_per_cycle", ctx);
        m.write_bw_bits_per_cycle = positive(t, "write_bw_bits_per_cycle", ctx);
        for (const char* key : {"read_energy_pj", "write_energy_pj"})
            if (!t.get(key))
                fail_input(m.where, fmt::format("'{}': memory '{}' gives no {} (give it, or name a memory model, e.g. "
                                                "model = \"sram\")",
                                                ctx, m.name, key));
        m.read_energy_pj = non_negative(t, "read_energy_pj", ctx);
        m.write_energy_pj = non_negative(t, "write_energy_pj", ctx);
        m.area_mm2 = non_negative(t, "area_mm2", ctx);
        m.leakage_mw = non_negative(t, "leakage_mw", ctx);
        m.latency_cycles = non_negative(t, "latency_cycles", ctx);
        check_granularity_fits(m, t, ctx);
        return m;
    }
    if (!resolver)
        fail_input(location_of(t, "model"), fmt::format("key '{}': memory models are not available here",
                                                        qualified(ctx, "model")));
    // The model's own keys go to the model; a cost key it does not declare stays the host's.
    std::vector<ConfigKey> model_keys = resolver->keys_of(*model, location_of(t, "model"));
    auto declares = [&](const std::string& k) {
        return std::any_of(model_keys.begin(), model_keys.end(), [&](const ConfigKey& c) { return c.key == k; });
    };
    std::vector<std::string> host_keys = kMemoryStructureKeys;
    for (const auto& k : kMemoryCostKeys)
        if (!declares(k)) host_keys.push_back(k);
    auto given = [&](const char* key) { return t.get(key) != nullptr && !declares(key); };
    MemorySpec spec{m.name, m.size_bits, 0, m.read_ports, m.write_ports, m.read_write_ports, 0};
    spec.word_bits = given("read_bw_bits_per_cycle") ? static_cast<std::int64_t>(*get_float(t, "read_bw_bits_per_cycle", ctx)) : 64;
    if (auto tech = t.get("technology_nm"); tech && tech->is_number()) spec.technology_nm = *tech->value<double>();
    MemoryCosts c = resolver->describe(*model, spec, t, host_keys, ctx);
    m.read_energy_pj = given("read_energy_pj") ? non_negative(t, "read_energy_pj", ctx) : c.read_energy_pj;
    m.write_energy_pj = given("write_energy_pj") ? non_negative(t, "write_energy_pj", ctx) : c.write_energy_pj;
    m.read_bw_bits_per_cycle = given("read_bw_bits_per_cycle") ? positive(t, "read_bw_bits_per_cycle", ctx) : c.read_bw_bits_per_cycle;
    m.write_bw_bits_per_cycle = given("write_bw_bits_per_cycle") ? positive(t, "write_bw_bits_per_cycle", ctx) : c.write_bw_bits_per_cycle;
    m.area_mm2 = given("area_mm2") ? non_negative(t, "area_mm2", ctx) : c.area_mm2;
    m.leakage_mw = given("leakage_mw") ? non_negative(t, "leakage_mw", ctx) : c.leakage_mw;
    m.latency_cycles = given("latency_cycles") ? non_negative(t, "latency_cycles", ctx) : c.latency_cycles;
    if (!(m.read_bw_bits_per_cycle > 0) || !(m.write_bw_bits_per_cycle > 0))
        fail_input(location_of(t, "model"), fmt::format("'{}': memory model '{}' gave memory '{}' no bandwidth; give "
                                                        "read_bw_bits_per_cycle and write_bw_bits_per_cycle",
                                                        ctx, *model, m.name));
    m.cost_source = fmt::format("model '{}': {}", *model, c.source.empty() ? "no source given" : c.source);
    check_granularity_fits(m, t, ctx);
    return m;
}

} // namespace

CoreType load_core_type(const fs::path& core_file, bool* is_offchip, const MemoryModelResolver* resolver,
                        const toml::table* overrides) {
    toml::table root = parse_toml_file(core_file);
    if (overrides) override_core_type_table(root, *overrides);
    reject_unknown_keys(root, {"name", "offchip", "operational_array", "memories", "dataflow", "model"}, "");
    CoreType t;
    t.where = location_of(root);
    t.where.file = core_file.string();
    t.where.line = 0;
    t.name = require(get_string(root, "name", ""), root, "name", "");
    bool offchip = get_bool(root, "offchip", "").value_or(false);
    if (is_offchip) *is_offchip = offchip;
    if (const toml::table* arr = get_table(root, "operational_array", "")) {
        reject_unknown_keys(*arr, {"dimensions", "mac_energy_pj", "mac_area_mm2"}, "operational_array");
        if (const toml::array* dims = get_array(*arr, "dimensions", "operational_array")) {
            std::set<std::string> seen;
            for (const toml::node& n : *dims) {
                const toml::table& d = table_at(n, "operational_array.dimensions");
                reject_unknown_keys(d, {"name", "size"}, "operational_array.dimensions");
                ArrayDim ad;
                ad.name = require(get_string(d, "name", "operational_array.dimensions"), d, "name", "operational_array.dimensions");
                ad.size = require(get_int(d, "size", "operational_array.dimensions"), d, "size", "operational_array.dimensions");
                if (ad.size < 1)
                    fail_input(location_of(d, "size"), fmt::format("key 'operational_array.dimensions.size': array dimension "
                                                                   "'{}' must have size >= 1, got {}",
                                                                   ad.name, ad.size));
                if (!seen.insert(ad.name).second)
                    fail_input(location_of(d, "name"), fmt::format("key 'operational_array.dimensions.name': array dimension '{}' "
                                                                   "is listed twice",
                                                                   ad.name));
                t.array_dims.push_back(ad);
            }
        }
        t.mac_energy_pj = non_negative(*arr, "mac_energy_pj", "operational_array");
        t.mac_area_mm2 = non_negative(*arr, "mac_area_mm2", "operational_array");
    } else if (!offchip) {
        fail_input(location_of(root), "missing required table 'operational_array' (an off-chip core says offchip = true)");
    }
    const toml::array* mems = get_array(root, "memories", "");
    if (!mems || mems->empty())
        fail_input(location_of(root, "memories"), "key 'memories': a core needs at least one [[memories]] entry");
    for (std::size_t i = 0; i < mems->size(); ++i)
        t.memories.push_back(
            parse_memory(table_at(*mems->get(i), "memories"), fmt::format("memories[{}]", i), resolver, t.array_dims, offchip));
    // Each operand has its own outermost level (Stream and ZigZag keep weights and activations in
    // different top memories), so what must hold is that every core stores an output somewhere.
    if (!offchip && std::none_of(t.memories.begin(), t.memories.end(), [](const MemoryLevel& m) {
            return std::find(m.operands.begin(), m.operands.end(), "O") != m.operands.end();
        }))
        fail_input(location_of(root), fmt::format("core type '{}': no memory stores the output operand O", t.name));
    if (const toml::array* df = get_array(root, "dataflow", "")) {
        for (const toml::node& n : *df) {
            const toml::table& d = table_at(n, "dataflow");
            reject_unknown_keys(d, {"array_dim", "loop_dim", "factor"}, "dataflow");
            SpatialUnrolling u;
            u.array_dim = require(get_string(d, "array_dim", "dataflow"), d, "array_dim", "dataflow");
            u.loop_dim = require(get_string(d, "loop_dim", "dataflow"), d, "loop_dim", "dataflow");
            u.factor = require(get_int(d, "factor", "dataflow"), d, "factor", "dataflow");
            if (u.factor < 1)
                fail_input(location_of(d, "factor"), fmt::format("key 'dataflow.factor': an unrolling factor must be >= 1, got {}",
                                                                 u.factor));
            // A factor above the dimension's size stays allowed: it is a hint that cost models clip to the
            // array, as ZigZag's check_and_reduce does (Stream's own eyeriss_like unrolls K 16 on 14 rows).
            bool known = std::any_of(t.array_dims.begin(), t.array_dims.end(), [&](const ArrayDim& a) { return a.name == u.array_dim; });
            if (!known) {
                std::vector<std::string> names;
                for (const ArrayDim& a : t.array_dims) names.push_back(a.name);
                std::string have = names.empty() ? "none" : fmt::format("{}", fmt::join(names, ", "));
                fail_input(location_of(d, "array_dim"), fmt::format("key 'dataflow.array_dim': unknown array dimension '{}' "
                                                                    "(operational_array has: {})",
                                                                    u.array_dim, have));
            }
            t.dataflow.push_back(u);
        }
    }
    if (const toml::table* model = get_table(root, "model", "")) {
        t.model_plugin = get_string(*model, "plugin", "model").value_or("");
        t.model_table = std::make_shared<const toml::table>(*model);
    }
    return t;
}

namespace {

std::int64_t core_id_at(const toml::node& n, const std::string& ctx, const Accelerator& acc) {
    auto id = n.value<std::int64_t>();
    if (!n.is_integer() || !id) fail_input(location_of(n), fmt::format("key '{}': expected a core id, got {}", ctx, node_type_name(n)));
    if (*id < 0 || *id >= static_cast<std::int64_t>(acc.cores.size()))
        fail_input(location_of(n), fmt::format("key '{}': no core {} (cores are 0..{})", ctx, *id, acc.cores.size() - 1));
    return *id;
}

std::vector<std::int64_t> core_list(const toml::table& t, std::string_view key, const std::string& ctx, const Accelerator& acc,
                                    std::size_t minimum) {
    const toml::array* a = get_array(t, key, ctx);
    std::string kctx = qualified(ctx, key);
    if (!a || a->size() < minimum)
        fail_input(location_of(t, key), fmt::format("key '{}': needs at least {} core id{}", kctx, minimum, minimum == 1 ? "" : "s"));
    std::vector<std::int64_t> ids;
    for (const toml::node& n : *a) {
        std::int64_t id = core_id_at(n, kctx, acc);
        if (std::find(ids.begin(), ids.end(), id) != ids.end())
            fail_input(location_of(n), fmt::format("key '{}': core {} is listed twice", kctx, id));
        ids.push_back(id);
    }
    return ids;
}

Link link_costs(const toml::table& l, const std::string& ctx) {
    Link link;
    link.where = location_of(l);
    link.bandwidth_bits_per_cycle = positive(l, "bandwidth_bits_per_cycle", ctx);
    link.energy_pj_per_bit = non_negative(l, "energy_pj_per_bit", ctx);
    link.latency_cycles = non_negative(l, "latency_cycles", ctx);
    return link;
}

} // namespace

Accelerator load_accelerator(const fs::path& system_file, const MemoryModelResolver* resolver, const toml::table* overrides) {
    auto ext = system_file.extension().string();
    if (ext == ".yaml" || ext == ".yml") {
        ImportedHardware hw = is_stream_system_yaml(system_file) ? import_stream_system(system_file)
                                                                 : import_zigzag_core(system_file);
        // The importer validated the YAML with its own locations; what the loader checks next is
        // the converted TOML, kept in a folder named after the source so messages stay traceable.
        fs::path dir = fs::temp_directory_path() /
                       fmt::format("stream-dse-import-{}-{}", system_file.stem().string(), std::hash<std::string>{}(fs::absolute(system_file).string()));
        write_imported(hw, dir);
        Accelerator acc = load_accelerator(dir / (hw.system_name + ".toml"), resolver, overrides);
        acc.where = {system_file.string()};
        return acc;
    }
    toml::table root = parse_toml_file(system_file);
    if (!root.get("cores") && root.get("memories")) {
        // A core-type file on its own: a one-core system, so `hardware show` and single-core studies take it as is.
        bool offchip = false;
        auto type = std::make_shared<const CoreType>(load_core_type(system_file, &offchip, resolver, overrides));
        if (overrides) check_core_type_overrides(*overrides, {type->name}, type->name);
        if (offchip)
            fail_input(location_of(root, "offchip"), "key 'offchip': an off-chip core alone is not an accelerator: name it "
                                                     "under [offchip] of a system file");
        Accelerator acc;
        acc.where = {system_file.string()};
        acc.name = type->name;
        acc.cores.push_back(Core{0, type, false, 0, type->where});
        return acc;
    }
    if (overrides) override_system_table(root, *overrides);
    reject_unknown_keys(root, {"name", "cores", "offchip", "links", "meshes", "shared_memories"}, "");
    Accelerator acc;
    acc.where = {system_file.string()};
    acc.name = get_string(root, "name", "").value_or(system_file.stem().string());

    std::map<fs::path, std::shared_ptr<const CoreType>> types; // one CoreType per file: reused, not copied
    std::set<fs::path> offchip_files;
    auto type_of = [&](const toml::table& t, std::string_view ctx, bool want_offchip) {
        std::string rel = require(get_string(t, "type", ctx), t, "type", ctx);
        fs::path file = resolve_path(*t.get("type"), rel);
        auto it = types.find(file);
        if (it == types.end()) {
            bool offchip = false;
            try {
                auto ct = std::make_shared<const CoreType>(load_core_type(file, &offchip, resolver, overrides));
                it = types.emplace(file, ct).first;
            } catch (const Error& e) {
                // Nothing inside the file to point at (missing, a directory, unreadable): point at the key naming it.
                if (e.where().file == file.string() && e.where().line == 0) {
                    if (e.message() == "no such file")
                        fail_input(location_of(t, "type"), fmt::format("key '{}': core-type file '{}' does not exist",
                                                                       qualified(ctx, "type"), file.string()));
                    fail_input(location_of(t, "type"), fmt::format("key '{}': core-type file '{}': {}", qualified(ctx, "type"),
                                                                   file.string(), e.message()));
                }
                throw;
            }
            if (offchip) offchip_files.insert(file);
        }
        // Checked on every use, not only the first: a file already read for [[cores]] may be named again under [offchip].
        if ((offchip_files.count(file) != 0) != want_offchip)
            fail_input(location_of(t, "type"),
                       want_offchip ? fmt::format("key '{}': '{}' is not an off-chip core (its file needs offchip = true)",
                                                  qualified(ctx, "type"), rel)
                                    : fmt::format("key '{}': '{}' is an off-chip core; name it under [offchip]",
                                                  qualified(ctx, "type"), rel));
        return it->second;
    };

    const toml::array* cores = get_array(root, "cores", "");
    if (!cores || cores->empty())
        fail_input(location_of(root, "cores"), "key 'cores': an accelerator needs at least one [[cores]] entry");
    std::map<std::int64_t, Core> by_id;
    for (const toml::node& n : *cores) {
        const toml::table& c = table_at(n, "cores");
        reject_unknown_keys(c, {"id", "type"}, "cores");
        Core core;
        core.where = location_of(c);
        core.id = require(get_int(c, "id", "cores"), c, "id", "cores");
        core.type = type_of(c, "cores", false);
        if (!by_id.emplace(core.id, core).second)
            fail_input(location_of(c, "id"), fmt::format("key 'cores.id': core id {} is used twice", core.id));
    }
    std::int64_t expected = 0;
    for (auto& [id, core] : by_id) {
        if (id != expected)
            fail_input(core.where, fmt::format("core ids must be dense from 0: expected id {}, found {}", expected, id));
        core.top_memory_owner = id;
        acc.cores.push_back(core);
        ++expected;
    }
    const auto n_compute = static_cast<std::int64_t>(acc.cores.size());

    const toml::table* off = get_table(root, "offchip", "");
    if (off) {
        reject_unknown_keys(*off, {"type", "bandwidth_bits_per_cycle", "energy_pj_per_bit", "ports"}, "offchip");
        Core dram;
        dram.where = location_of(*off);
        dram.id = n_compute;
        dram.top_memory_owner = dram.id;
        dram.is_offchip = true;
        dram.type = type_of(*off, "offchip", true);
        acc.offchip_core = dram.id;
        acc.cores.push_back(dram);
    }

    if (const toml::array* links = get_array(root, "links", "")) {
        for (const toml::node& n : *links) {
            const toml::table& l = table_at(n, "links");
            reject_unknown_keys(l, {"from", "to", "cores", "bandwidth_bits_per_cycle", "energy_pj_per_bit", "latency_cycles",
                                    "bidirectional"},
                                "links");
            Link link = link_costs(l, "links");
            link.id = static_cast<std::int64_t>(acc.links.size());
            if (l.get("cores")) {
                if (l.get("from") || l.get("to") || l.get("bidirectional"))
                    fail_input(location_of(l, "cores"), "key 'links.cores': a bus lists its cores; from, to and "
                                                        "bidirectional belong to point-to-point links");
                link.bus_cores = core_list(l, "cores", "links", acc, 2);
                link.from_core = link.to_core = -1;
            } else {
                if (!l.get("from") || !l.get("to"))
                    fail_input(location_of(l), "a [[links]] entry needs from and to (point to point) or cores (a bus)");
                link.from_core = core_id_at(*l.get("from"), "links.from", acc);
                link.to_core = core_id_at(*l.get("to"), "links.to", acc);
                if (link.from_core == link.to_core)
                    fail_input(location_of(l, "to"), fmt::format("key 'links.to': a link from core {} to itself", link.from_core));
                link.bidirectional = get_bool(l, "bidirectional", "links").value_or(true);
            }
            acc.links.push_back(link);
        }
    }
    if (const toml::array* meshes = get_array(root, "meshes", "")) {
        for (const toml::node& n : *meshes) {
            const toml::table& m = table_at(n, "meshes");
            reject_unknown_keys(m, {"rows", "cols", "cores", "bandwidth_bits_per_cycle", "energy_pj_per_bit", "latency_cycles"},
                                "meshes");
            std::int64_t rows = require(get_int(m, "rows", "meshes"), m, "rows", "meshes");
            std::int64_t cols = require(get_int(m, "cols", "meshes"), m, "cols", "meshes");
            for (auto [key, v] : {std::pair{"rows", rows}, std::pair{"cols", cols}})
                if (v < 1) fail_input(location_of(m, key), fmt::format("key 'meshes.{}': must be >= 1, got {}", key, v));
            auto ids = core_list(m, "cores", "meshes", acc, 1);
            std::int64_t cells = 0;
            if (__builtin_mul_overflow(rows, cols, &cells) || static_cast<std::int64_t>(ids.size()) != cells)
                // The count is printed from a double: the int64 product may have overflowed.
                fail_input(location_of(m, "cores"), fmt::format("key 'meshes.cores': a {}x{} mesh needs {:.0f} cores, got {}", rows,
                                                                cols, static_cast<double>(rows) * static_cast<double>(cols), ids.size()));
            Link proto = link_costs(m, "meshes");
            auto add = [&](std::int64_t a, std::int64_t b) {
                Link link = proto;
                link.id = static_cast<std::int64_t>(acc.links.size());
                link.from_core = ids[static_cast<std::size_t>(a)];
                link.to_core = ids[static_cast<std::size_t>(b)];
                acc.links.push_back(link);
            };
            for (std::int64_t r = 0; r < rows; ++r)
                for (std::int64_t c = 0; c < cols; ++c) {
                    if (c + 1 < cols) add(r * cols + c, r * cols + c + 1);
                    if (r + 1 < rows) add(r * cols + c, (r + 1) * cols + c);
                }
        }
    }
    for (const Link& l : acc.links)
        // A bus has from_core = to_core = -1, the same as offchip_core without [offchip]: compare only when there is one.
        if (acc.offchip_core >= 0 && (l.from_core == acc.offchip_core || l.to_core == acc.offchip_core ||
                                      std::find(l.bus_cores.begin(), l.bus_cores.end(), acc.offchip_core) != l.bus_cores.end()))
            fail_input(l.where, fmt::format("core {} is the off-chip core: its links come from [offchip] (ports, "
                                            "bandwidth_bits_per_cycle), not from [[links]] or [[meshes]]",
                                            acc.offchip_core));

    // The off-chip core's links: a port per core, one shared port, or a shared read and a shared write port.
    // Each arrangement links every compute core with DRAM both ways, and [[links]] and [[meshes]] may not
    // touch DRAM, so "every compute core reaches off-chip" holds by construction and needs no search.
    if (off) {
        const MemoryLevel& dram_mem = acc.cores.back().type->memories.back();
        double bw = get_float(*off, "bandwidth_bits_per_cycle", "offchip").value_or(0);
        if (off->get("bandwidth_bits_per_cycle")) bw = positive(*off, "bandwidth_bits_per_cycle", "offchip");
        Link proto;
        proto.where = location_of(*off);
        proto.bandwidth_bits_per_cycle = bw > 0 ? bw : dram_mem.read_bw_bits_per_cycle;
        proto.energy_pj_per_bit = non_negative(*off, "energy_pj_per_bit", "offchip");
        std::string ports = get_string(*off, "ports", "offchip").value_or("per_core");
        std::vector<std::int64_t> everyone;
        for (const Core& c : acc.cores) everyone.push_back(c.id);
        auto push = [&](Link link) {
            link.id = static_cast<std::int64_t>(acc.links.size());
            acc.links.push_back(std::move(link));
        };
        if (ports == "per_core") {
            for (std::int64_t c = 0; c < n_compute; ++c) {
                Link link = proto;
                link.from_core = acc.offchip_core;
                link.to_core = c;
                push(link);
            }
        } else if (ports == "shared") {
            Link link = proto;
            link.bus_cores = everyone;
            link.from_core = link.to_core = -1;
            push(link);
        } else if (ports == "separate") {
            Link read = proto, write = proto;
            read.bus_cores = write.bus_cores = everyone;
            read.from_core = acc.offchip_core; // DRAM -> any core
            read.to_core = -1;
            write.from_core = -1;              // any core -> DRAM
            write.to_core = acc.offchip_core;
            write.bandwidth_bits_per_cycle = bw > 0 ? bw : dram_mem.write_bw_bits_per_cycle;
            push(read);
            push(write);
        } else {
            fail_input(location_of(*off, "ports"), fmt::format("key 'offchip.ports': expected \"per_core\", \"shared\" or "
                                                               "\"separate\", got \"{}\"",
                                                               ports));
        }
    }

    if (const toml::array* groups = get_array(root, "shared_memories", "")) {
        std::set<std::int64_t> grouped;
        for (const toml::node& n : *groups) {
            const toml::table& g = table_at(n, "shared_memories");
            reject_unknown_keys(g, {"cores"}, "shared_memories");
            auto ids = core_list(g, "cores", "shared_memories", acc, 2);
            const Core& first = acc.cores[static_cast<std::size_t>(ids.front())];
            for (std::int64_t id : ids) {
                Core& c = acc.cores[static_cast<std::size_t>(id)];
                if (c.is_offchip)
                    fail_input(location_of(g, "cores"),
                               fmt::format("key 'shared_memories.cores': core {} is the off-chip core; it shares no memory", id));
                // A group's first core keeps itself as owner, so membership is tracked apart from top_memory_owner.
                if (!grouped.insert(id).second)
                    fail_input(location_of(g, "cores"), fmt::format("key 'shared_memories.cores': core {} is in two groups", id));
                if (!c.type->memories.back().same_instance_as(first.type->memories.back()))
                    fail_input(location_of(g, "cores"),
                               fmt::format("key 'shared_memories.cores': cores {} and {} cannot share their outermost memory: "
                                           "'{}' and '{}' differ",
                                           first.id, id, first.type->memories.back().name, c.type->memories.back().name));
            }
            for (std::int64_t id : ids) acc.cores[static_cast<std::size_t>(id)].top_memory_owner = ids.front();
        }
    }
    if (overrides) {
        std::vector<std::string> type_names;
        for (const auto& [file, type] : types) type_names.push_back(type->name);
        check_core_type_overrides(*overrides, type_names, acc.name);
    }
    return acc;
}

} // namespace stream
