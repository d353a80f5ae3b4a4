#include "sweep/SweepFile.hpp"

#include "config/TomlFile.hpp"
#include "sweep/PointMetrics.hpp"
#include "sweep/SweepPoint.hpp"

#include <fmt/format.h>

#include <cmath>
#include <random>

namespace stream::sweep {

namespace fs = std::filesystem;

namespace {

// A generous bound: a typo in a range should fail here, not fill the disk.
constexpr std::size_t kMaxPoints = 1'000'000;

nlohmann::json json_of(const toml::node& n, const std::string& ctx) {
    if (auto s = n.value_exact<std::string>()) return *s;
    if (auto i = n.value_exact<std::int64_t>()) return *i;
    if (auto d = n.value_exact<double>()) return *d;
    if (auto b = n.value_exact<bool>()) return *b;
    if (const toml::array* a = n.as_array()) {
        nlohmann::json out = nlohmann::json::array();
        for (const toml::node& e : *a) out.push_back(json_of(e, ctx));
        return out;
    }
    fail_input(location_of(n), fmt::format("key '{}': a sweep value must be a string, number, boolean or array, got {}", ctx,
                                           node_type_name(n)));
}

AxisValue value_of(const toml::node& n, const std::string& ctx) { return {toml_literal(n), json_of(n, ctx), location_of(n)}; }

AxisValue generated(double v, bool integer, const SourceLoc& where) {
    if (integer) {
        auto i = static_cast<std::int64_t>(std::llround(v));
        return {std::to_string(i), i, where};
    }
    std::string literal = fmt::format("{}", v);
    // TOML reads "1" as an integer; a float axis must stay float.
    if (literal.find_first_of(".eEn") == std::string::npos) literal += ".0";
    return {literal, v, where};
}

double number(const toml::table& t, std::string_view key, const std::string& ctx) {
    auto v = get_float(t, key, ctx);
    if (!v) fail_input(location_of(t), fmt::format("missing required key '{}'", qualified(ctx, key)));
    return *v;
}

bool is_integer(const toml::table& t, std::string_view key) { return t.get(key) && t.get(key)->is_integer(); }

std::vector<AxisValue> range_values(const toml::table& r, const std::string& ctx) {
    reject_unknown_keys(r, {"from", "to", "step"}, ctx);
    const double from = number(r, "from", ctx), to = number(r, "to", ctx), step = number(r, "step", ctx);
    if (!(step > 0)) fail_input(location_of(r, "step"), fmt::format("key '{}.step': must be > 0, got {}", ctx, step));
    if (to < from) fail_input(location_of(r, "to"), fmt::format("key '{}.to': {} is below from = {}", ctx, to, from));
    const bool integer = is_integer(r, "from") && is_integer(r, "to") && is_integer(r, "step");
    // Counting steps (not accumulating) keeps 0.1-sized steps from drifting past `to`.
    const double n = std::floor((to - from) / step * (1 + 1e-12)) + 1;
    if (n > static_cast<double>(kMaxPoints))
        fail_input(location_of(r), fmt::format("key '{}': {:.0f} values, more than {}", ctx, n, kMaxPoints));
    std::vector<AxisValue> out;
    for (std::int64_t i = 0; i < static_cast<std::int64_t>(n); ++i)
        out.push_back(generated(from + static_cast<double>(i) * step, integer, location_of(r)));
    return out;
}

std::vector<AxisValue> random_values(const toml::table& r, const std::string& ctx, const std::string& key, std::uint64_t seed) {
    reject_unknown_keys(r, {"min", "max", "count", "log"}, ctx);
    const double lo = number(r, "min", ctx), hi = number(r, "max", ctx);
    const std::int64_t count = get_int(r, "count", ctx).value_or(0);
    const bool log = get_bool(r, "log", ctx).value_or(false);
    const bool integer = is_integer(r, "min") && is_integer(r, "max");
    if (hi < lo) fail_input(location_of(r, "max"), fmt::format("key '{}.max': {} is below min = {}", ctx, hi, lo));
    if (count < 1 || static_cast<std::size_t>(count) > kMaxPoints)
        fail_input(location_of(r, "count"), fmt::format("key '{}.count': expected 1..{}, got {}", ctx, kMaxPoints, count));
    if (log && !(lo > 0)) fail_input(location_of(r, "min"), fmt::format("key '{}.min': log sampling needs min > 0", ctx));
    // mt19937_64's sequence is fixed by the standard; the std distributions are not, so the
    // mapping to [0, 1) is done here. Each key has its own stream, so adding an axis keeps the others.
    std::mt19937_64 gen(seed ^ stable_hash(key));
    std::vector<AxisValue> out;
    for (std::int64_t i = 0; i < count; ++i) {
        const double u = static_cast<double>(gen() >> 11) * 0x1.0p-53;
        double v = 0;
        if (log) v = std::exp(std::log(lo) + u * (std::log(hi) - std::log(lo)));
        else if (integer) v = lo + std::floor(u * (hi - lo + 1));
        else v = lo + u * (hi - lo);
        out.push_back(generated(std::clamp(v, lo, hi), integer, location_of(r)));
    }
    return out;
}

Axis parse_axis(const toml::table& t, std::size_t index, std::uint64_t seed) {
    const std::string ctx = fmt::format("axes[{}]", index);
    reject_unknown_keys(t, {"key", "keys", "values", "range", "random"}, ctx);
    Axis axis;
    axis.where = location_of(t);
    const bool several = t.get("keys") != nullptr;
    if (several == (t.get("key") != nullptr))
        fail_input(axis.where, fmt::format("{}: give either key = \"a.b\" or keys = [\"a.b\", \"c.d\"]", ctx));
    if (several) {
        const toml::array* keys = get_array(t, "keys", ctx);
        for (const toml::node& k : *keys) {
            if (!k.is_string() || k.value<std::string>()->empty())
                fail_input(location_of(k), fmt::format("key '{}.keys': expected non-empty strings", ctx));
            axis.keys.push_back(*k.value<std::string>());
        }
        if (axis.keys.empty()) fail_input(location_of(t, "keys"), fmt::format("key '{}.keys': lists no key", ctx));
    } else {
        axis.keys.push_back(*get_string(t, "key", ctx));
        if (axis.keys.front().empty()) fail_input(location_of(t, "key"), fmt::format("key '{}.key': is empty", ctx));
    }
    const int given = (t.get("values") ? 1 : 0) + (t.get("range") ? 1 : 0) + (t.get("random") ? 1 : 0);
    if (given != 1) fail_input(axis.where, fmt::format("{}: give exactly one of values, range or random", ctx));
    if (const toml::array* values = get_array(t, "values", ctx)) {
        for (const toml::node& v : *values) {
            std::vector<AxisValue> step;
            if (several) {
                const toml::array* tuple = v.as_array();
                if (!tuple || tuple->size() != axis.keys.size())
                    fail_input(location_of(v), fmt::format("key '{}.values': each entry must be an array of {} values, one per key",
                                                           ctx, axis.keys.size()));
                for (const toml::node& e : *tuple) step.push_back(value_of(e, ctx + ".values"));
            } else {
                step.push_back(value_of(v, ctx + ".values"));
            }
            axis.steps.push_back(std::move(step));
        }
    } else {
        if (several) fail_input(axis.where, fmt::format("{}: range and random set one key; several keys take values", ctx));
        std::vector<AxisValue> generated_values = t.get("range") ? range_values(*get_table(t, "range", ctx), ctx + ".range")
                                                                 : random_values(*get_table(t, "random", ctx), ctx + ".random",
                                                                                 axis.keys.front(), seed);
        for (AxisValue& v : generated_values) axis.steps.push_back({std::move(v)});
    }
    if (axis.steps.empty()) fail_input(axis.where, fmt::format("{}: no values", ctx));
    return axis;
}

} // namespace

SweepSpec load_sweep(const fs::path& file) {
    toml::table root = parse_toml_file(file);
    reject_unknown_keys(root, {"name", "description", "pipeline", "metrics", "seed", "axes"}, "");
    SweepSpec s;
    s.file = file;
    s.name = get_string(root, "name", "").value_or(file.stem().string());
    get_string(root, "description", "");
    if (!get_string(root, "pipeline", "")) fail_input(location_of(root), "missing required key 'pipeline': the base pipeline file");
    s.pipeline = resolve_path(*root.get("pipeline"), *get_string(root, "pipeline", ""));
    const std::int64_t seed = get_int(root, "seed", "").value_or(0);
    s.seed = static_cast<std::uint64_t>(seed);
    if (const toml::array* metrics = get_array(root, "metrics", "")) {
        for (const toml::node& m : *metrics) {
            if (!m.is_string()) fail_input(location_of(m), "key 'metrics': expected metric names (strings)");
            s.metrics.push_back(*m.value<std::string>());
            if (!is_metric_name(s.metrics.back()))
                fail_input(location_of(m), fmt::format("key 'metrics': unknown metric '{}' (metrics: {})", s.metrics.back(), metric_names()));
        }
    }
    if (s.metrics.empty()) fail_input(location_of(root, "metrics"), "key 'metrics': name at least one metric, e.g. [\"latency_cycles\", \"energy_pj\"]");
    const toml::array* axes = get_array(root, "axes", "");
    if (!axes || axes->empty()) fail_input(location_of(root), "a sweep needs at least one [[axes]] entry");
    std::vector<std::string> seen;
    double points = 1;
    for (std::size_t i = 0; i < axes->size(); ++i) {
        const toml::node& n = *axes->get(i);
        if (!n.is_table()) fail_input(location_of(n), "key 'axes': expected tables ([[axes]])");
        Axis axis = parse_axis(*n.as_table(), i, s.seed);
        for (const std::string& k : axis.keys) {
            if (std::find(seen.begin(), seen.end(), k) != seen.end())
                fail_input(axis.where, fmt::format("axes[{}]: key '{}' is already set by another axis", i, k));
            seen.push_back(k);
        }
        points *= static_cast<double>(axis.steps.size());
        if (points > static_cast<double>(kMaxPoints))
            fail_input(axis.where, fmt::format("the axes give more than {} points", kMaxPoints));
        s.axes.push_back(std::move(axis));
    }
    return s;
}

} // namespace stream::sweep
