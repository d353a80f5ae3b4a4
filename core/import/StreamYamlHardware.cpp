// Stream/ZigZag hardware YAML -> Stream-DSE hardware TOML. The mapping rules are in the header.
#include "import/StreamYamlHardware.hpp"
#include "import/YamlFile.hpp"

#include "error/Error.hpp"
#include "report/AtomicFile.hpp"

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <fstream>
#include <map>
#include <optional>
#include <regex>
#include <set>
#include <tuple>

namespace stream {
namespace {

namespace fs = std::filesystem;

// ---------------------------------------------------------------- YAML access

SourceLoc loc(const std::string& file, const YAML::Node& node) { return yaml_location(file, node); }

YamlDoc load_yaml(const fs::path& path) {
    YamlDoc doc = load_yaml_file(path);
    if (!doc.root.IsMap()) fail_input(loc(doc.file, doc.root), "expected a YAML mapping at the top level");
    return doc;
}

/// The value of `key` in map `m`, or an undefined node.
YAML::Node child(const YAML::Node& m, const std::string& key) {
    for (const auto& kv : m)
        if (kv.first.IsScalar() && kv.first.Scalar() == key) return kv.second;
    return YAML::Node(YAML::NodeType::Undefined);
}

/// The key node of `key` in map `m` (for locations), or the map itself.
YAML::Node key_node(const YAML::Node& m, const std::string& key) {
    for (const auto& kv : m)
        if (kv.first.IsScalar() && kv.first.Scalar() == key) return kv.first;
    return m;
}

bool present(const YAML::Node& n) { return n.IsDefined() && !n.IsNull(); }

/// Every key of map `m` must be in `allowed`; a known-but-unrepresentable key has its reason in `refused`.
void check_keys(const std::string& file, const YAML::Node& m, const std::string& context,
                const std::set<std::string>& allowed, const std::map<std::string, std::string>& refused = {}) {
    for (const auto& kv : m) {
        std::string key = kv.first.IsScalar() ? kv.first.Scalar() : std::string("?");
        std::string where = context.empty() ? key : context + "." + key;
        if (auto r = refused.find(key); r != refused.end())
            fail_input(loc(file, kv.first), fmt::format("'{}': {}", where, r->second));
        if (!allowed.count(key))
            fail_input(loc(file, kv.first), fmt::format("'{}': unknown field, cannot be represented in the hardware TOML", where));
    }
}

std::string strip_underscores(std::string s) {
    // YAML 1.1 (PyYAML) allows digit separators: 16_777_216.
    s.erase(std::remove(s.begin(), s.end(), '_'), s.end());
    return s;
}

std::optional<std::int64_t> parse_int_text(const std::string& text) {
    std::string s = strip_underscores(text);
    if (!s.empty() && s[0] == '+') s.erase(0, 1);
    std::int64_t v = 0;
    auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (ec != std::errc() || p != s.data() + s.size() || s.empty()) return std::nullopt;
    return v;
}

std::optional<double> parse_float_text(const std::string& text) {
    std::string s = strip_underscores(text);
    if (!s.empty() && s[0] == '+') s.erase(0, 1);
    double v = 0;
    auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (ec != std::errc() || p != s.data() + s.size() || s.empty() || !std::isfinite(v)) return std::nullopt;
    return v;
}

std::string scalar(const std::string& file, const YAML::Node& n, const std::string& what) {
    if (!n.IsScalar()) fail_input(loc(file, n), fmt::format("'{}': expected a single value", what));
    return n.Scalar();
}

std::int64_t as_int(const std::string& file, const YAML::Node& n, const std::string& what) {
    std::string s = scalar(file, n, what);
    if (auto v = parse_int_text(s)) return *v;
    // 1e10 or 64.0 are accepted when they are whole numbers that fit.
    if (auto d = parse_float_text(s); d && std::floor(*d) == *d && std::fabs(*d) < 9.2e18) return static_cast<std::int64_t>(*d);
    fail_input(loc(file, n), fmt::format("'{}': expected an integer, got '{}'", what, s));
}

double as_float(const std::string& file, const YAML::Node& n, const std::string& what) {
    std::string s = scalar(file, n, what);
    if (auto v = parse_float_text(s)) return *v;
    fail_input(loc(file, n), fmt::format("'{}': expected a number, got '{}'", what, s));
}

// The same ranges the TOML loader enforces, checked here so the message points into the YAML
// rather than into the converted TOML the user never wrote.
double as_positive(const std::string& file, const YAML::Node& n, const std::string& what) {
    double v = as_float(file, n, what);
    if (!(v > 0)) fail_input(loc(file, n), fmt::format("'{}': must be > 0, got {}", what, v));
    return v;
}

double as_non_negative(const std::string& file, const YAML::Node& n, const std::string& what) {
    double v = as_float(file, n, what);
    if (v < 0) fail_input(loc(file, n), fmt::format("'{}': must be >= 0, got {}", what, v));
    return v;
}

std::int64_t as_non_negative_int(const std::string& file, const YAML::Node& n, const std::string& what) {
    std::int64_t v = as_int(file, n, what);
    if (v < 0) fail_input(loc(file, n), fmt::format("'{}': must be >= 0, got {}", what, v));
    return v;
}

bool as_bool(const std::string& file, const YAML::Node& n, const std::string& what) {
    std::string s = scalar(file, n, what);
    // YAML 1.1 booleans as PyYAML reads them.
    static const std::set<std::string> yes{"true", "True", "TRUE", "yes", "Yes", "YES", "on", "On", "ON"};
    static const std::set<std::string> no{"false", "False", "FALSE", "no", "No", "NO", "off", "Off", "OFF"};
    if (yes.count(s)) return true;
    if (no.count(s)) return false;
    fail_input(loc(file, n), fmt::format("'{}': expected true or false, got '{}'", what, s));
}

std::vector<std::string> as_string_list(const std::string& file, const YAML::Node& n, const std::string& what) {
    if (!n.IsSequence()) fail_input(loc(file, n), fmt::format("'{}': expected a list", what));
    std::vector<std::string> out;
    for (const auto& e : n) out.push_back(scalar(file, e, what));
    return out;
}

YAML::Node require(const std::string& file, const YAML::Node& m, const std::string& key, const std::string& context) {
    YAML::Node v = child(m, key);
    if (!present(v))
        fail_input(loc(file, m), fmt::format("'{}': missing required field", context.empty() ? key : context + "." + key));
    return v;
}

std::string trim(const std::string& s) {
    auto b = s.find_first_not_of(" \t");
    if (b == std::string::npos) return {};
    auto e = s.find_last_not_of(" \t");
    return s.substr(b, e - b + 1);
}

std::vector<std::string> split_commas(const std::string& s) {
    std::vector<std::string> out;
    std::size_t start = 0;
    while (true) {
        auto c = s.find(',', start);
        out.push_back(trim(s.substr(start, c == std::string::npos ? std::string::npos : c - start)));
        if (c == std::string::npos) break;
        start = c + 1;
    }
    return out;
}

/// Writes a whole number as a TOML integer and anything else as a float, so that 32 stays 32.
void put_number(toml::table& t, std::string_view key, double v) {
    if (std::floor(v) == v && std::fabs(v) < 9.2e18)
        t.insert_or_assign(key, static_cast<std::int64_t>(v));
    else
        t.insert_or_assign(key, v);
}

// ---------------------------------------------------------------- cores

/// What the system import needs to know about a core besides its table.
struct CoreImport {
    std::string yaml_name; // `name` in the YAML
    toml::table table;
    bool offchip = false;
    // The off-chip link of Stream is derived from the first memory holding O.
    std::int64_t o_memory_ports = 0;
    double o_memory_read_bw = 0;
    double o_memory_write_bw = 0;
    std::string o_memory_name;
    YAML::Node o_memory_node;
    std::string file;
    std::vector<std::string> notes;
};

const std::map<std::string, std::string> kOperandNames = {{"I1", "I"}, {"I2", "W"}, {"O", "O"}};

toml::table import_ports(const std::string& file, const YAML::Node& ports, const std::vector<std::string>& operands,
                         const std::string& ctx) {
    if (!ports.IsSequence()) fail_input(loc(file, ports), fmt::format("'{}': expected a list of dicts, one per operand", ctx));
    if (ports.size() != operands.size())
        fail_input(loc(file, ports), fmt::format("'{}': {} entries for {} operands (one dict per operand, in the order of "
                                                 "'operands')",
                                                 ctx, ports.size(), operands.size()));
    static const std::regex port_name(R"((r|w|rw)_port_([0-9]+))");
    toml::table out;
    for (std::size_t i = 0; i < operands.size(); ++i) {
        const YAML::Node& entry = ports[i];
        std::string ectx = fmt::format("{}[{}]", ctx, i);
        if (!entry.IsMap()) fail_input(loc(file, entry), fmt::format("'{}': expected a dict of fh/tl/fl/th -> port", ectx));
        check_keys(file, entry, ectx, {"fh", "tl", "fl", "th"});
        toml::table flows;
        for (const auto& kv : entry) {
            std::string dir = kv.first.Scalar();
            if (kv.second.IsNull()) continue; // ZigZag's "no port for this direction"
            std::string port = scalar(file, kv.second, ectx + "." + dir);
            std::smatch m;
            if (!std::regex_match(port, m, port_name))
                fail_input(loc(file, kv.second), fmt::format("'{}.{}': '{}' is not a port name (r_port_N, w_port_N, rw_port_N)",
                                                             ectx, dir, port));
            std::string kind = m[1].str();
            bool write_dir = dir == "fh" || dir == "fl";
            if ((write_dir && kind == "r") || (!write_dir && kind == "w"))
                fail_input(loc(file, kv.second), fmt::format("'{}.{}': a {} direction cannot use '{}'", ectx, dir,
                                                             write_dir ? "write" : "read", port));
            // ZigZag does not check the index against the declared count (its eyeriss_like uses w_port_2
            // with w_port: 1), so neither do we.
            flows.insert_or_assign(dir, port);
        }
        flows.is_inline(true);
        out.insert_or_assign(kOperandNames.at(operands[i]), std::move(flows));
    }
    out.is_inline(true);
    return out;
}

toml::table import_memory(CoreImport& core, const std::string& mem_name, const YAML::Node& key, const YAML::Node& m) {
    const std::string& file = core.file;
    std::string ctx = "memories." + mem_name;
    if (!m.IsMap()) fail_input(loc(file, m.IsDefined() && !m.IsNull() ? m : key), fmt::format("'{}': expected a dict", ctx));
    check_keys(file, m, ctx,
               {"size", "r_bw", "w_bw", "r_cost", "w_cost", "area", "r_port", "w_port", "rw_port", "latency", "min_r_granularity",
                "min_w_granularity", "mem_type", "auto_cost_extraction", "operands", "ports", "served_dimensions"});
    auto f = [&](const char* k) { return ctx + "." + k; };

    // CACTI is not available: costs must be given.
    if (YAML::Node ace = child(m, "auto_cost_extraction"); present(ace) && as_bool(file, ace, f("auto_cost_extraction")))
        fail_input(loc(file, key_node(m, "auto_cost_extraction")),
                   fmt::format("'{}': True needs CACTI, which Stream-DSE does not have; give r_cost, w_cost and area instead "
                               "(or use a memory-model plugin in the TOML)",
                               f("auto_cost_extraction")));
    if (YAML::Node mt = child(m, "mem_type"); present(mt)) {
        std::string t = scalar(file, mt, f("mem_type"));
        if (t != "sram" && t != "dram")
            fail_input(loc(file, mt), fmt::format("'{}': '{}' cannot be represented (only sram and dram, which ZigZag reads only "
                                                  "for CACTI)",
                                                  f("mem_type"), t));
    }

    toml::table t;
    t.insert_or_assign("name", mem_name);
    std::int64_t size = as_int(file, require(file, m, "size", ctx), f("size"));
    if (size <= 0) fail_input(loc(file, child(m, "size")), fmt::format("'{}': must be > 0", f("size")));
    t.insert_or_assign("size_bits", size);
    double r_bw = as_positive(file, require(file, m, "r_bw", ctx), f("r_bw"));
    double w_bw = as_positive(file, require(file, m, "w_bw", ctx), f("w_bw"));
    put_number(t, "read_bw_bits_per_cycle", r_bw);
    put_number(t, "write_bw_bits_per_cycle", w_bw);
    t.insert_or_assign("read_energy_pj", as_non_negative(file, require(file, m, "r_cost", ctx), f("r_cost")));
    t.insert_or_assign("write_energy_pj", as_non_negative(file, require(file, m, "w_cost", ctx), f("w_cost")));
    t.insert_or_assign("area_mm2", as_non_negative(file, require(file, m, "area", ctx), f("area")));

    // ZigZag's defaults for absent port counts are 1 read, 1 write, 0 read/write; written out so
    // the TOML does not depend on our defaults agreeing.
    std::map<std::string, std::int64_t> ports{{"r", 1}, {"w", 1}, {"rw", 0}};
    for (auto [yaml_key, kind] : {std::pair{"r_port", "r"}, {"w_port", "w"}, {"rw_port", "rw"}}) {
        if (YAML::Node n = child(m, yaml_key); present(n)) {
            ports[kind] = as_int(file, n, f(yaml_key));
            if (ports[kind] < 0) fail_input(loc(file, n), fmt::format("'{}': must be >= 0", f(yaml_key)));
        }
    }
    t.insert_or_assign("read_ports", ports["r"]);
    t.insert_or_assign("write_ports", ports["w"]);
    t.insert_or_assign("read_write_ports", ports["rw"]);
    if (YAML::Node n = child(m, "latency"); present(n))
        t.insert_or_assign("latency_cycles", as_non_negative_int(file, n, f("latency")));
    for (auto [yaml_key, toml_key, bw_key, bw] : {std::tuple{"min_r_granularity", "min_read_bits", "r_bw", r_bw},
                                                  std::tuple{"min_w_granularity", "min_write_bits", "w_bw", w_bw}}) {
        YAML::Node n = child(m, yaml_key);
        if (!present(n)) continue;
        std::int64_t bits = as_non_negative_int(file, n, f(yaml_key));
        // A minimum access wider than a full access would charge more than a whole word for part of one.
        if (static_cast<double>(bits) > bw)
            fail_input(loc(file, n), fmt::format("'{}': {} bits is more than {} = {}; the minimum access cannot be wider than a "
                                                 "full one",
                                                 f(yaml_key), bits, bw_key, bw));
        t.insert_or_assign(toml_key, bits);
    }

    YAML::Node ops_node = require(file, m, "operands", ctx);
    std::vector<std::string> operands = as_string_list(file, ops_node, f("operands"));
    toml::array ops;
    std::set<std::string> seen;
    for (std::size_t i = 0; i < operands.size(); ++i) {
        auto it = kOperandNames.find(operands[i]);
        if (it == kOperandNames.end())
            fail_input(loc(file, ops_node[i]), fmt::format("'{}': unknown memory operand '{}' (I1, I2 or O)", f("operands"), operands[i]));
        if (!seen.insert(operands[i]).second)
            fail_input(loc(file, ops_node[i]), fmt::format("'{}': '{}' is listed twice", f("operands"), operands[i]));
        ops.push_back(it->second);
    }
    if (operands.empty()) fail_input(loc(file, ops_node), fmt::format("'{}': a memory must store at least one operand", f("operands")));
    t.insert_or_assign("operands", std::move(ops));

    toml::array served;
    if (YAML::Node sd = child(m, "served_dimensions"); present(sd))
        for (const auto& d : as_string_list(file, sd, f("served_dimensions"))) served.push_back(d);
    t.insert_or_assign("served_dims", std::move(served));

    if (YAML::Node p = child(m, "ports"); present(p)) t.insert_or_assign("ports", import_ports(file, p, operands, f("ports")));

    if (seen.count("O") && core.o_memory_name.empty()) {
        core.o_memory_name = mem_name;
        core.o_memory_node = key;
        core.o_memory_ports = ports["r"] + ports["w"] + ports["rw"];
        core.o_memory_read_bw = r_bw;
        core.o_memory_write_bw = w_bw;
    }
    return t;
}

void import_dataflows(CoreImport& core, const YAML::Node& df, const std::set<std::string>& dims) {
    const std::string& file = core.file;
    if (!df.IsMap()) fail_input(loc(file, df), "'dataflows': expected a dict of array dimension -> [\"LOOP, factor\", ...]");
    toml::array out;
    auto add = [&](const std::string& dim, const std::string& loop, const YAML::Node& where, std::int64_t factor) {
        if (loop.empty()) fail_input(loc(file, where), fmt::format("'dataflows.{}': empty loop dimension", dim));
        if (factor < 1) fail_input(loc(file, where), fmt::format("'dataflows.{}': factor must be >= 1, got {}", dim, factor));
        toml::table e;
        e.insert_or_assign("array_dim", dim);
        e.insert_or_assign("loop_dim", loop);
        e.insert_or_assign("factor", factor);
        out.push_back(std::move(e));
    };
    for (const auto& kv : df) {
        std::string dim = kv.first.Scalar();
        std::string ctx = "dataflows." + dim;
        if (!dims.count(dim))
            fail_input(loc(file, kv.first), fmt::format("'{}': '{}' is not a dimension of the operational array", ctx, dim));
        const YAML::Node& v = kv.second;
        if (!v.IsSequence()) fail_input(loc(file, v), fmt::format("'{}': expected a list such as [\"K, 32\"]", ctx));
        // [K, 32] (a flow list of the loop and its factor) vs ["K, 32", "C, 2"] (one string per unrolling).
        if (v.size() == 2 && v[0].IsScalar() && v[1].IsScalar() && v[0].Scalar().find(',') == std::string::npos &&
            v[1].Scalar().find(',') == std::string::npos && parse_int_text(v[1].Scalar()) && !parse_int_text(v[0].Scalar())) {
            add(dim, trim(v[0].Scalar()), v[0], as_int(file, v[1], ctx));
            continue;
        }
        for (const auto& e : v) {
            if (e.IsSequence() && e.size() == 2) {
                add(dim, trim(scalar(file, e[0], ctx)), e, as_int(file, e[1], ctx));
                continue;
            }
            std::vector<std::string> parts = split_commas(scalar(file, e, ctx));
            if (parts.size() != 2)
                fail_input(loc(file, e), fmt::format("'{}': expected \"LOOP, factor\", got '{}'", ctx, e.Scalar()));
            auto factor = parse_int_text(parts[1]);
            if (!factor) fail_input(loc(file, e), fmt::format("'{}': factor '{}' is not an integer", ctx, parts[1]));
            add(dim, parts[0], e, *factor);
        }
    }
    if (!out.empty()) core.table.insert_or_assign("dataflow", std::move(out));
}

CoreImport import_core(const fs::path& path) {
    YamlDoc doc = load_yaml(path);
    CoreImport core;
    core.file = doc.file;
    const YAML::Node& root = doc.root;
    check_keys(doc.file, root, "", {"name", "memories", "operational_array", "multipliers", "dataflows"});
    core.yaml_name = scalar(doc.file, require(doc.file, root, "name", ""), "name");

    // The operational array decides whether this is an off-chip core, which changes how memories are written.
    YAML::Node oa = child(root, "operational_array");
    std::string oa_ctx = "operational_array";
    if (YAML::Node mult = child(root, "multipliers"); mult.IsDefined()) {
        if (oa.IsDefined())
            fail_input(loc(doc.file, key_node(root, "multipliers")), "'multipliers': give either operational_array or multipliers");
        oa = mult;
        oa_ctx = "multipliers";
        core.notes.push_back(fmt::format("{}: 'multipliers' (the older ZigZag name) read as operational_array", doc.file));
    }
    if (!present(oa)) fail_input(loc(doc.file, root), "'operational_array': missing required field");
    if (!oa.IsMap()) fail_input(loc(doc.file, oa), fmt::format("'{}': expected a dict", oa_ctx));
    const std::map<std::string, std::string> imc_refused = {
        {"imc_type", "in-memory-compute arrays cannot be represented (no IMC model)"},
        {"bit_serial_precision", "in-memory-compute arrays cannot be represented (no IMC model)"},
        {"adc_resolution", "in-memory-compute arrays cannot be represented (no IMC model)"}};
    // is_imc first: it is the root cause when the other IMC fields are present too.
    if (YAML::Node imc = child(oa, "is_imc"); present(imc) && as_bool(doc.file, imc, oa_ctx + ".is_imc"))
        fail_input(loc(doc.file, key_node(oa, "is_imc")),
                   fmt::format("'{}.is_imc': in-memory-compute arrays cannot be represented (no IMC model)", oa_ctx));
    check_keys(doc.file, oa, oa_ctx, {"dimensions", "sizes", "unit_energy", "unit_area", "is_imc", "input_precision"}, imc_refused);
    YAML::Node dims_node = require(doc.file, oa, "dimensions", oa_ctx);
    YAML::Node sizes_node = require(doc.file, oa, "sizes", oa_ctx);
    std::vector<std::string> dims = as_string_list(doc.file, dims_node, oa_ctx + ".dimensions");
    if (!sizes_node.IsSequence()) fail_input(loc(doc.file, sizes_node), fmt::format("'{}.sizes': expected a list", oa_ctx));
    if (sizes_node.size() != dims.size())
        fail_input(loc(doc.file, sizes_node),
                   fmt::format("'{}.sizes': {} sizes for {} dimensions", oa_ctx, sizes_node.size(), dims.size()));
    std::vector<std::int64_t> sizes;
    for (const auto& s : sizes_node) sizes.push_back(as_int(doc.file, s, oa_ctx + ".sizes"));
    std::size_t zeros = static_cast<std::size_t>(std::count(sizes.begin(), sizes.end(), 0));
    core.offchip = !sizes.empty() && zeros == sizes.size();
    if (!core.offchip) {
        for (std::size_t i = 0; i < sizes.size(); ++i)
            if (sizes[i] < 1)
                fail_input(loc(doc.file, sizes_node[i]), fmt::format("'{}.sizes': size {} of dimension {} (only an all-zero array, "
                                                                     "Stream's off-chip core, may have zeros)",
                                                                     oa_ctx, sizes[i], dims[i]));
        std::set<std::string> unique(dims.begin(), dims.end());
        if (unique.size() != dims.size() || dims.empty())
            fail_input(loc(doc.file, dims_node), fmt::format("'{}.dimensions': names must be unique and non-empty", oa_ctx));
        if (YAML::Node ip = child(oa, "input_precision"); present(ip))
            core.notes.push_back(fmt::format("{}: '{}.input_precision' not written: ZigZag's MultiplierArray (non-IMC) ignores it",
                                             doc.file, oa_ctx));
        toml::table arr;
        toml::array dim_list;
        for (std::size_t i = 0; i < dims.size(); ++i) {
            toml::table d;
            d.insert_or_assign("name", dims[i]);
            d.insert_or_assign("size", sizes[i]);
            d.is_inline(true);
            dim_list.push_back(std::move(d));
        }
        arr.insert_or_assign("dimensions", std::move(dim_list));
        arr.insert_or_assign("mac_energy_pj",
                             as_non_negative(doc.file, require(doc.file, oa, "unit_energy", oa_ctx), oa_ctx + ".unit_energy"));
        arr.insert_or_assign("mac_area_mm2", as_non_negative(doc.file, require(doc.file, oa, "unit_area", oa_ctx), oa_ctx + ".unit_area"));
        core.table.insert_or_assign("operational_array", std::move(arr));
    } else {
        // An array without units computes nothing, so its unit costs and precision cannot matter.
        core.table.insert_or_assign("offchip", true);
    }
    core.table.insert_or_assign("name", core.yaml_name);

    YAML::Node mems = require(doc.file, root, "memories", "");
    if (!mems.IsMap()) fail_input(loc(doc.file, mems), "'memories': expected a dict of memory name -> fields");
    toml::array mem_list;
    for (const auto& kv : mems) {
        toml::table mt = import_memory(core, kv.first.Scalar(), kv.first, kv.second);
        if (core.offchip) {
            // served_dimensions refer to the array, which an off-chip core does not have.
            auto* sd = mt.get_as<toml::array>("served_dims");
            if (sd && !sd->empty())
                core.notes.push_back(fmt::format("{}: served_dimensions of off-chip memory '{}' not written (an off-chip core has no "
                                                 "array)",
                                                 doc.file, kv.first.Scalar()));
            mt.insert_or_assign("served_dims", toml::array{});
        } else if (auto* sd = mt.get_as<toml::array>("served_dims")) {
            YAML::Node sd_node = child(kv.second, "served_dimensions");
            for (std::size_t i = 0; i < sd->size(); ++i) {
                std::string d = *sd->get(i)->value<std::string>();
                std::string sctx = fmt::format("memories.{}.served_dimensions", kv.first.Scalar());
                if (std::find(dims.begin(), dims.end(), d) == dims.end())
                    fail_input(loc(doc.file, sd_node[i]), fmt::format("'{}': '{}' is not a dimension of the operational array", sctx, d));
                for (std::size_t j = 0; j < i; ++j)
                    if (*sd->get(j)->value<std::string>() == d)
                        fail_input(loc(doc.file, sd_node[i]), fmt::format("'{}': '{}' is listed twice", sctx, d));
            }
        }
        mem_list.push_back(std::move(mt));
    }
    if (mem_list.empty()) fail_input(loc(doc.file, mems), "'memories': a core needs at least one memory");
    core.table.insert_or_assign("memories", std::move(mem_list));

    if (YAML::Node df = child(root, "dataflows"); present(df)) {
        if (core.offchip)
            fail_input(loc(doc.file, key_node(root, "dataflows")), "'dataflows': an off-chip core (all array sizes 0) has no array to map on");
        import_dataflows(core, df, std::set<std::string>(dims.begin(), dims.end()));
    }
    return core;
}

// ---------------------------------------------------------------- systems

/// Finds a core file the way Stream does, without depending on the working directory.
fs::path resolve_core_file(const fs::path& system_file, const std::string& name, const SourceLoc& where, const std::string& ctx) {
    fs::path dir = system_file.parent_path();
    fs::path p(name);
    std::error_code ec;
    auto is_file = [&](const fs::path& c) { return fs::is_regular_file(c, ec); };
    auto not_a_folder = [&](const fs::path& c) {
        if (fs::is_directory(c, ec)) fail_input(where, fmt::format("'{}': core file '{}' is a directory, not a YAML file", ctx, c.string()));
    };
    if (p.is_absolute()) {
        if (is_file(p)) return p;
        not_a_folder(p);
        fail_input(where, fmt::format("'{}': core file '{}' does not exist", ctx, name));
    }
    if (name.find("./") != std::string::npos) {
        if (is_file(dir / p)) return (dir / p).lexically_normal();
        not_a_folder((dir / p).lexically_normal());
        fail_input(where, fmt::format("'{}': core file '{}' does not exist relative to {}", ctx, name, dir.string()));
    }
    for (const fs::path& c : {dir / p, dir / "cores" / p})
        if (is_file(c)) return c.lexically_normal();

    std::vector<fs::path> ancestors{dir};
    for (int i = 0; i < 2 && ancestors.back().has_parent_path() && ancestors.back().parent_path() != ancestors.back(); ++i)
        ancestors.push_back(ancestors.back().parent_path());

    std::vector<fs::path> parts(p.begin(), p.end());
    if (parts.size() > 1) {
        // "stream/inputs/examples/hardware/cores/x.yaml" is relative to Stream's checkout; try its
        // tails ("examples/hardware/cores/x.yaml", ...) below the folders around the system file.
        for (std::size_t drop = 0; drop + 1 < parts.size(); ++drop) {
            fs::path tail;
            for (std::size_t i = drop; i < parts.size(); ++i) tail /= parts[i];
            for (const auto& a : ancestors)
                if (is_file(a / tail)) return (a / tail).lexically_normal();
        }
        fail_input(where, fmt::format("'{}': core file '{}' not found near {}", ctx, name, dir.string()));
    }
    // A bare name: Stream searches its inputs' hardware* folders.
    for (const auto& a : ancestors) {
        std::vector<fs::path> hits;
        for (auto it = fs::recursive_directory_iterator(a, fs::directory_options::skip_permission_denied, ec);
             !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
            if (it.depth() > 4) {
                it.disable_recursion_pending();
                continue;
            }
            if (!it->is_regular_file(ec) || it->path().filename() != p) continue;
            fs::path rel = it->path().lexically_relative(a);
            bool in_hardware = false;
            for (const auto& part : rel) in_hardware |= part.string().rfind("hardware", 0) == 0;
            if (in_hardware || it->path().parent_path() == a) hits.push_back(it->path());
        }
        if (!hits.empty()) return std::min_element(hits.begin(), hits.end())->lexically_normal();
    }
    fail_input(where, fmt::format("'{}': core file '{}' not found near {} (searched hardware* folders)", ctx, name, dir.string()));
}

std::string safe_file_name(const std::string& name) {
    std::string s = name;
    for (char& ch : s)
        if (ch == '/' || ch == '\\' || ch == ':' || ch == '\0') ch = '_';
    if (s.empty() || s == "." || s == "..") s = "system";
    return s;
}

/// Builds the core-type files of a system, one per distinct core YAML.
class CoreTypes {
public:
    explicit CoreTypes(ImportedHardware& out) : out_(out) {}

    /// Imports (once) the core YAML at `path` and returns its type file name and import.
    std::pair<std::string, const CoreImport*> add(const fs::path& path) {
        fs::path key = fs::weakly_canonical(path);
        if (auto it = by_path_.find(key); it != by_path_.end()) return {it->second, &imports_.at(it->second)};
        CoreImport core = import_core(path);
        // Names must be unique per import: simd.yaml says name: pooling, like pooling.yaml.
        std::string name = safe_file_name(core.yaml_name);
        if (name != core.yaml_name) core.table.insert_or_assign("name", name);
        if (used_.count(name)) {
            std::string renamed = path.stem().string();
            for (int i = 2; used_.count(renamed); ++i) renamed = fmt::format("{}_{}", path.stem().string(), i);
            out_.notes.push_back(fmt::format("{}: core name '{}' is taken by another core file; this one is named '{}'",
                                             path.string(), name, renamed));
            name = renamed;
            core.table.insert_or_assign("name", name);
        }
        used_.insert(name);
        std::string file = "cores/" + name + ".toml";
        for (auto& n : core.notes) out_.notes.push_back(n);
        out_.core_types.emplace_back(file, core.table);
        out_.core_type_sources.push_back(path);
        by_path_[key] = file;
        auto [it, _] = imports_.emplace(file, std::move(core));
        return {file, &it->second};
    }

private:
    ImportedHardware& out_;
    std::map<fs::path, std::string> by_path_;
    std::map<std::string, CoreImport> imports_;
    std::set<std::string> used_;
};

/// "a, b" or [a, b] -> ids, each a known core.
std::vector<std::int64_t> core_group(const std::string& file, const YAML::Node& n, const std::string& ctx, std::int64_t n_cores) {
    std::vector<std::int64_t> ids;
    if (n.IsScalar()) {
        for (const auto& part : split_commas(n.Scalar())) {
            auto id = parse_int_text(part);
            if (!id) fail_input(loc(file, n), fmt::format("'{}': '{}' is not a core id (expected \"a, b\")", ctx, n.Scalar()));
            ids.push_back(*id);
        }
    } else if (n.IsSequence()) {
        for (const auto& e : n) ids.push_back(as_int(file, e, ctx));
    } else {
        fail_input(loc(file, n), fmt::format("'{}': expected a group of core ids such as \"0, 1\"", ctx));
    }
    if (ids.size() < 2) fail_input(loc(file, n), fmt::format("'{}': a group needs at least two cores", ctx));
    std::set<std::int64_t> seen;
    for (auto id : ids) {
        if (id < 0 || id >= n_cores)
            fail_input(loc(file, n), fmt::format("'{}': no compute core {} (cores are 0..{})", ctx, id, n_cores - 1));
        if (!seen.insert(id).second) fail_input(loc(file, n), fmt::format("'{}': core {} is listed twice", ctx, id));
    }
    return ids;
}

void add_directed_pair(toml::array& links, std::int64_t a, std::int64_t b, double bw, double energy_per_bit) {
    for (auto [from, to] : {std::pair{a, b}, std::pair{b, a}}) {
        toml::table l;
        l.insert_or_assign("from", from);
        l.insert_or_assign("to", to);
        put_number(l, "bandwidth_bits_per_cycle", bw);
        l.insert_or_assign("energy_pj_per_bit", energy_per_bit);
        l.insert_or_assign("bidirectional", false);
        links.push_back(std::move(l));
    }
}

/// The [offchip] table from Stream's rules for the off-chip links.
toml::table offchip_table(const std::string& file, const YAML::Node& where, const std::string& type_file, const CoreImport& dram,
                          double unit_energy_cost) {
    if (dram.o_memory_name.empty())
        fail_input(loc(file, where), fmt::format("off-chip core '{}' has no memory holding O (Stream takes the off-chip link from it)",
                                                 dram.yaml_name));
    toml::table off;
    off.insert_or_assign("type", type_file);
    bool shared = dram.o_memory_ports == 1;
    off.insert_or_assign("ports", shared ? "shared" : "separate");
    double bw = dram.o_memory_read_bw; // our default
    if (shared && dram.o_memory_write_bw != dram.o_memory_read_bw) {
        // Stream's single bidirectional DRAM link takes the write bandwidth.
        bw = dram.o_memory_write_bw;
        put_number(off, "bandwidth_bits_per_cycle", bw);
    } else if (!shared && dram.o_memory_write_bw != dram.o_memory_read_bw) {
        fail_input(loc(dram.file, dram.o_memory_node),
                   fmt::format("'memories.{}.w_bw': the DRAM's read and write links would differ in bandwidth ({} vs {}); the "
                               "off-chip links have one bandwidth",
                               dram.o_memory_name, dram.o_memory_read_bw, dram.o_memory_write_bw));
    }
    off.insert_or_assign("energy_pj_per_bit", unit_energy_cost / bw);
    return off;
}

toml::table core_entry(std::int64_t id, const std::string& type_file) {
    toml::table c;
    c.insert_or_assign("id", id);
    c.insert_or_assign("type", type_file);
    return c;
}

/// Stream's current format: cores is a dict id -> file, links in core_connectivity.
void import_connectivity_system(const YamlDoc& doc, ImportedHardware& out) {
    const std::string& file = doc.file;
    const YAML::Node& root = doc.root;
    check_keys(file, root, "",
               {"name", "cores", "offchip_core", "core_connectivity", "bandwidth", "unit_energy_cost", "core_memory_sharing"});
    CoreTypes types(out);

    YAML::Node cores = require(file, root, "cores", "");
    if (!cores.IsMap()) fail_input(loc(file, cores), "'cores': expected a dict of core id -> core YAML file");
    std::map<std::int64_t, std::pair<YAML::Node, std::string>> by_id;
    for (const auto& kv : cores) {
        std::int64_t id = as_int(file, kv.first, "cores");
        if (!by_id.emplace(id, std::pair{kv.first, scalar(file, kv.second, fmt::format("cores.{}", id))}).second)
            fail_input(loc(file, kv.first), fmt::format("'cores': core id {} is used twice", id));
    }
    std::int64_t n_cores = static_cast<std::int64_t>(by_id.size());
    if (n_cores == 0) fail_input(loc(file, cores), "'cores': no cores");
    toml::array core_list;
    std::int64_t expect = 0;
    for (const auto& [id, entry] : by_id) {
        if (id != expect)
            fail_input(loc(file, entry.first), fmt::format("'cores': ids must be 0..{} without gaps; {} is missing", n_cores - 1, expect));
        ++expect;
        fs::path path = resolve_core_file(doc.file, entry.second, loc(file, entry.first), fmt::format("cores.{}", id));
        auto [type_file, core] = types.add(path);
        if (core->offchip)
            fail_input(loc(file, entry.first), fmt::format("'cores.{}': '{}' has an array of size 0 (an off-chip core); name it under "
                                                           "offchip_core",
                                                           id, entry.second));
        core_list.push_back(core_entry(id, type_file));
    }
    out.system.insert_or_assign("cores", std::move(core_list));

    double uec = 0;
    if (YAML::Node u = child(root, "unit_energy_cost"); present(u)) {
        uec = as_non_negative(file, u, "unit_energy_cost");
    }
    YAML::Node bw_node = require(file, root, "bandwidth", "");
    double bw = as_positive(file, bw_node, "bandwidth");

    if (YAML::Node off = child(root, "offchip_core"); present(off)) {
        std::string name = scalar(file, off, "offchip_core");
        fs::path path = resolve_core_file(doc.file, name, loc(file, off), "offchip_core");
        auto [type_file, core] = types.add(path);
        if (!core->offchip)
            fail_input(loc(file, off), fmt::format("'offchip_core': '{}' has a compute array; Stream's off-chip core has all sizes 0",
                                                   name));
        out.system.insert_or_assign("offchip", offchip_table(file, off, type_file, *core, uec));
    }

    toml::array links;
    YAML::Node conn = require(file, root, "core_connectivity", "");
    if (!conn.IsSequence()) fail_input(loc(file, conn), "'core_connectivity': expected a list of \"a, b\" groups");
    for (std::size_t i = 0; i < conn.size(); ++i) {
        std::string ctx = fmt::format("core_connectivity[{}]", i);
        std::vector<std::int64_t> ids = core_group(file, conn[i], ctx, n_cores);
        if (ids.size() == 2) {
            add_directed_pair(links, ids[0], ids[1], bw, uec / bw);
        } else {
            toml::table bus;
            toml::array members;
            for (auto id : ids) members.push_back(id);
            bus.insert_or_assign("cores", std::move(members));
            put_number(bus, "bandwidth_bits_per_cycle", bw);
            bus.insert_or_assign("energy_pj_per_bit", uec / bw);
            links.push_back(std::move(bus));
        }
    }
    if (!links.empty()) out.system.insert_or_assign("links", std::move(links));

    if (YAML::Node sharing = child(root, "core_memory_sharing"); present(sharing)) {
        if (!sharing.IsSequence()) fail_input(loc(file, sharing), "'core_memory_sharing': expected a list of \"a, b\" groups");
        toml::array shared;
        for (std::size_t i = 0; i < sharing.size(); ++i) {
            toml::table s;
            toml::array members;
            for (auto id : core_group(file, sharing[i], fmt::format("core_memory_sharing[{}]", i), n_cores)) members.push_back(id);
            s.insert_or_assign("cores", std::move(members));
            shared.push_back(std::move(s));
        }
        if (!shared.empty()) out.system.insert_or_assign("shared_memories", std::move(shared));
    }
}

/// Stream's older format: cores is a list, the topology a generated graph.
void import_graph_system(const YamlDoc& doc, ImportedHardware& out) {
    const std::string& file = doc.file;
    const YAML::Node& root = doc.root;
    check_keys(file, root, "", {"name", "cores", "graph"});
    YAML::Node graph = require(file, root, "graph", "");
    if (!graph.IsMap()) fail_input(loc(file, graph), "'graph': expected a dict");
    check_keys(file, graph, "graph",
               {"type", "nb_rows", "nb_cols", "bandwidth", "unit_energy_cost", "offchip_core_id", "pooling_core_id", "simd_core_id"});
    std::string type = scalar(file, require(file, graph, "type", "graph"), "graph.type");
    if (type != "2d_mesh")
        fail_input(loc(file, child(graph, "type")), fmt::format("'graph.type': '{}' is not imported (only 2d_mesh)", type));
    if (YAML::Node simd = child(graph, "simd_core_id"); present(simd))
        fail_input(loc(file, key_node(graph, "simd_core_id")),
                   "'graph.simd_core_id': Stream links the SIMD core to every core with infinite bandwidth and no energy, which "
                   "a link cannot represent");

    YAML::Node cores = require(file, root, "cores", "");
    if (!cores.IsSequence()) fail_input(loc(file, cores), "'cores': expected a list of core YAML files");
    std::int64_t n_all = static_cast<std::int64_t>(cores.size());
    auto optional_id = [&](const char* key) -> std::optional<std::int64_t> {
        YAML::Node n = child(graph, key);
        if (!present(n)) return std::nullopt;
        std::int64_t id = as_int(file, n, std::string("graph.") + key);
        if (id < 0 || id >= n_all) fail_input(loc(file, n), fmt::format("'graph.{}': no core {} (cores are 0..{})", key, id, n_all - 1));
        return id;
    };
    std::optional<std::int64_t> offchip_id = optional_id("offchip_core_id");
    std::optional<std::int64_t> pooling_id = optional_id("pooling_core_id");
    if (offchip_id && *offchip_id != n_all - 1)
        fail_input(loc(file, child(graph, "offchip_core_id")),
                   "'graph.offchip_core_id': the off-chip core must be the last one (our off-chip core takes the id after the last core)");
    if (pooling_id && offchip_id && *pooling_id == *offchip_id)
        fail_input(loc(file, child(graph, "pooling_core_id")), "'graph.pooling_core_id': is the off-chip core");

    double uec = 0;
    if (YAML::Node u = child(graph, "unit_energy_cost"); present(u)) uec = as_non_negative(file, u, "graph.unit_energy_cost");
    double bw = as_positive(file, require(file, graph, "bandwidth", "graph"), "graph.bandwidth");
    std::int64_t rows = as_int(file, require(file, graph, "nb_rows", "graph"), "graph.nb_rows");
    std::int64_t cols = as_int(file, require(file, graph, "nb_cols", "graph"), "graph.nb_cols");

    CoreTypes types(out);
    toml::array core_list;
    std::vector<std::int64_t> mesh;
    for (std::int64_t id = 0; id < n_all; ++id) {
        std::string ctx = fmt::format("cores[{}]", id);
        const YAML::Node entry = cores[static_cast<std::size_t>(id)];
        std::string name = scalar(file, entry, ctx);
        fs::path path = resolve_core_file(doc.file, name, loc(file, entry), ctx);
        auto [type_file, core] = types.add(path);
        if (offchip_id && id == *offchip_id) {
            if (!core->offchip)
                fail_input(loc(file, entry), fmt::format("'{}': graph.offchip_core_id names '{}', which has a compute array", ctx, name));
            out.system.insert_or_assign("offchip", offchip_table(file, entry, type_file, *core, uec));
            continue;
        }
        if (core->offchip)
            fail_input(loc(file, entry), fmt::format("'{}': '{}' has an array of size 0 but is not graph.offchip_core_id", ctx, name));
        core_list.push_back(core_entry(id, type_file));
        if (!pooling_id || id != *pooling_id) mesh.push_back(id);
    }
    out.system.insert_or_assign("cores", std::move(core_list));
    std::int64_t cells = 0;
    if (rows < 1 || cols < 1 || __builtin_mul_overflow(rows, cols, &cells) || cells != static_cast<std::int64_t>(mesh.size()))
        fail_input(loc(file, graph), fmt::format("'graph': a {}x{} mesh for {} mesh cores", rows, cols, mesh.size()));

    // Stream's get_2d_mesh reshapes the core list column-major (numpy order="F").
    auto at = [&](std::int64_t r, std::int64_t c) { return mesh[static_cast<std::size_t>(c * rows + r)]; };
    toml::array links;
    for (std::int64_t r = 0; r < rows; ++r)
        for (std::int64_t c = 0; c + 1 < cols; ++c) add_directed_pair(links, at(r, c), at(r, c + 1), bw, uec / bw);
    for (std::int64_t c = 0; c < cols; ++c)
        for (std::int64_t r = 0; r + 1 < rows; ++r) add_directed_pair(links, at(r, c), at(r + 1, c), bw, uec / bw);
    if (pooling_id)
        for (auto m : mesh) add_directed_pair(links, m, *pooling_id, bw, uec / bw);
    if (!links.empty()) out.system.insert_or_assign("links", std::move(links));
}

// ---------------------------------------------------------------- TOML output

// toml++ prints keys alphabetically and doubles with 17 digits (0.040000000000000001); imported
// files are read by people, so they are printed here: keys in the schema's order, shortest
// round-trip numbers.
const std::vector<std::string> kKeyOrder = {
    "name", "id", "type", "from", "to", "cores", "offchip", "size_bits", "operands", "served_dims",
    "read_bw_bits_per_cycle", "write_bw_bits_per_cycle", "read_energy_pj", "write_energy_pj", "area_mm2", "latency_cycles",
    "min_read_bits", "min_write_bits", "read_ports", "write_ports", "read_write_ports", "ports", "dimensions", "mac_energy_pj",
    "mac_area_mm2", "array_dim", "loop_dim", "factor", "bandwidth_bits_per_cycle", "energy_pj_per_bit", "bidirectional", "fh", "tl", "fl", "th", "I", "W", "O",
    // sections
    "operational_array", "memories", "dataflow", "links", "shared_memories"};

std::vector<std::string> ordered_keys(const toml::table& t) {
    std::vector<std::string> keys;
    for (const auto& [k, v] : t) keys.emplace_back(k.str());
    auto rank = [](const std::string& k) {
        auto it = std::find(kKeyOrder.begin(), kKeyOrder.end(), k);
        return it == kKeyOrder.end() ? kKeyOrder.size() : static_cast<std::size_t>(it - kKeyOrder.begin());
    };
    std::stable_sort(keys.begin(), keys.end(), [&](const std::string& a, const std::string& b) { return rank(a) < rank(b); });
    return keys;
}

std::string toml_key(const std::string& k) {
    bool bare = !k.empty() && std::all_of(k.begin(), k.end(), [](char c) {
        return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-';
    });
    if (bare) return k;
    std::string out = "\"";
    for (char c : k) {
        if (c == '"' || c == '\\') out += '\\';
        out += c;
    }
    return out + "\"";
}

std::string toml_string(const std::string& s) {
    std::string out = "\"";
    for (char c : s) {
        switch (c) {
        case '"': out += "\\\""; break;
        case '\\': out += "\\\\"; break;
        case '\n': out += "\\n"; break;
        case '\t': out += "\\t"; break;
        case '\r': out += "\\r"; break;
        default:
            if (static_cast<unsigned char>(c) < 0x20) out += fmt::format("\\u{:04x}", static_cast<unsigned>(c));
            else out += c;
        }
    }
    return out + "\"";
}

std::string toml_double(double v) {
    char buf[64];
    auto [p, ec] = std::to_chars(buf, buf + sizeof buf, v); // shortest form that reads back exactly
    std::string s(buf, p);
    if (s.find_first_of(".en") == std::string::npos) s += ".0";
    return s;
}

/// An array printed as [[section]] entries rather than inline.
bool is_table_array(const toml::node& n) {
    const toml::array* a = n.as_array();
    if (!a || a->empty()) return false;
    for (const auto& e : *a)
        if (!e.is_table() || e.as_table()->is_inline()) return false;
    return true;
}

bool is_section(const toml::node& n) { return (n.is_table() && !n.as_table()->is_inline()) || is_table_array(n); }

std::string inline_value(const toml::node& n);

std::string inline_table(const toml::table& t) {
    std::string out = "{ ";
    bool first = true;
    for (const auto& k : ordered_keys(t)) {
        out += (first ? "" : ", ") + toml_key(k) + " = " + inline_value(*t.get(k));
        first = false;
    }
    return first ? "{}" : out + " }";
}

std::string inline_value(const toml::node& n) {
    if (auto* s = n.as_string()) return toml_string(s->get());
    if (auto* i = n.as_integer()) return std::to_string(i->get());
    if (auto* d = n.as_floating_point()) return toml_double(d->get());
    if (auto* b = n.as_boolean()) return b->get() ? "true" : "false";
    if (auto* t = n.as_table()) return inline_table(*t);
    if (auto* a = n.as_array()) {
        std::string out = "[";
        for (std::size_t i = 0; i < a->size(); ++i) out += (i ? ", " : "") + inline_value(*a->get(i));
        return out + "]";
    }
    // Dates and times never occur in hardware files.
    throw Error(ErrorKind::Internal, "hardware importer: unexpected TOML value type");
}

void print_table(std::string& out, const toml::table& t, const std::string& path) {
    std::vector<std::string> keys = ordered_keys(t);
    for (const auto& k : keys)
        if (!is_section(*t.get(k))) out += toml_key(k) + " = " + inline_value(*t.get(k)) + "\n";
    for (const auto& k : keys) {
        const toml::node& n = *t.get(k);
        std::string sub = path.empty() ? toml_key(k) : path + "." + toml_key(k);
        if (n.is_table() && !n.as_table()->is_inline()) {
            out += "\n[" + sub + "]\n";
            print_table(out, *n.as_table(), sub);
        } else if (is_table_array(n)) {
            for (const auto& e : *n.as_array()) {
                out += "\n[[" + sub + "]]\n";
                print_table(out, *e.as_table(), sub);
            }
        }
    }
}

std::string toml_text(const toml::table& t) {
    std::string out;
    print_table(out, t, "");
    return out;
}

// Atomically: processes that import the same YAML at once share its folder, and one must not
// read the file while another rewrites it.
void write_file(const fs::path& path, const std::string& header, const toml::table& table) {
    std::error_code ec;
    fs::create_directories(path.parent_path(), ec);
    write_file_atomically(path, header + toml_text(table));
}

std::string comment_lines(const std::vector<std::string>& lines) {
    std::string s;
    for (const auto& l : lines) s += "# " + l + "\n";
    return s;
}

} // namespace

ImportedHardware import_stream_system(const fs::path& system_yaml) {
    YamlDoc doc = load_yaml(system_yaml);
    ImportedHardware out;
    out.source = system_yaml;
    out.system_name = scalar(doc.file, require(doc.file, doc.root, "name", ""), "name");
    out.system.insert_or_assign("name", out.system_name);
    if (child(doc.root, "graph").IsDefined())
        import_graph_system(doc, out);
    else
        import_connectivity_system(doc, out);
    return out;
}

ImportedHardware import_zigzag_core(const fs::path& core_yaml) {
    ImportedHardware out;
    out.source = core_yaml;
    CoreTypes types(out);
    auto [type_file, core] = types.add(core_yaml);
    if (core->offchip)
        fail_input(SourceLoc{core->file}, "'operational_array.sizes': all sizes are 0; a ZigZag core needs a compute array");
    out.system_name = core->yaml_name;
    out.system.insert_or_assign("name", out.system_name);
    toml::array cores;
    cores.push_back(core_entry(0, type_file));
    out.system.insert_or_assign("cores", std::move(cores));
    return out;
}

bool is_stream_system_yaml(const fs::path& path) {
    // yaml-cpp leaks its read buffer when handed a folder; load_yaml_file names a non-file properly later.
    if (std::error_code ec; !fs::is_regular_file(path, ec)) return false;
    try {
        YAML::Node root = YAML::LoadFile(path.string());
        return root.IsMap() && child(root, "cores").IsDefined() &&
               (child(root, "core_connectivity").IsDefined() || child(root, "graph").IsDefined());
    } catch (const std::exception&) {
        return false;
    }
}

bool is_core_yaml(const fs::path& path) {
    // Not a folder: see is_stream_system_yaml.
    if (std::error_code ec; !fs::is_regular_file(path, ec)) return false;
    try {
        YAML::Node root = YAML::LoadFile(path.string());
        return root.IsMap() && child(root, "memories").IsDefined();
    } catch (const std::exception&) {
        return false;
    }
}

void write_imported(const ImportedHardware& imported, const fs::path& out_dir) {
    auto header = [](const fs::path& source, const std::vector<std::string>& notes) {
        std::string h = "# Imported from " + source.string() + " by stream-dse's Stream/ZigZag hardware importer\n"
                        "# (core/import/StreamYamlHardware.hpp lists the mapping rules).\n";
        if (!notes.empty()) h += "#\n# Notes:\n" + comment_lines(notes);
        return h + "\n";
    };
    write_file(out_dir / (safe_file_name(imported.system_name) + ".toml"), header(imported.source, imported.notes), imported.system);
    for (std::size_t i = 0; i < imported.core_types.size(); ++i) {
        fs::path src = i < imported.core_type_sources.size() ? imported.core_type_sources[i] : imported.source;
        // A core file repeats the notes about itself (they start with its YAML's path).
        std::vector<std::string> own;
        for (const auto& n : imported.notes)
            if (n.rfind(src.string() + ":", 0) == 0) own.push_back(n);
        write_file(out_dir / imported.core_types[i].first, header(src, own), imported.core_types[i].second);
    }
}

} // namespace stream
