// Header-only C++20 helpers over the Stream-DSE C ABI (plugin.h).
//
// A C++ plugin is a class plus one macro. The class names its kind and its
// self-description, takes the host in its constructor, and implements the
// kind's call; the macro generates the C vtable, the descriptor and the one
// exported entry function. Exceptions never cross the boundary: an
// sdk::Error becomes its status and message, any other exception becomes
// STREAM_ERROR_INTERNAL with its what().
//
//   class Roofline {
//   public:
//       static constexpr stream_plugin_kind kind = STREAM_KIND_CORE_MODEL;
//       static constexpr stream::sdk::Info info{"roofline", "Roofline", "1.0.0", "Peak compute vs bandwidth."};
//       static constexpr stream_config_key keys[] = {stream::sdk::key("peak_fraction", STREAM_VALUE_FLOAT, "1.0", "", "...")};
//       explicit Roofline(stream::sdk::Host host);
//       stream::sdk::CostResult evaluate(const stream_core_v1& core, const stream_cn_v1& cn);
//   };
//   STREAM_DSE_PLUGIN(Roofline)
#ifndef STREAM_PLUGIN_HPP
#define STREAM_PLUGIN_HPP

#include "plugin.h"

#include <cstddef>
#include <cstdint>
#include <exception>
#include <limits>
#include <new>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace stream::sdk {

/// A view of `count` elements at `data` (the ABI's pointer + count pairs).
template <class T, class Count>
std::span<const T> view(const T* data, Count count) {
    return count == 0 ? std::span<const T>{} : std::span<const T>{data, static_cast<std::size_t>(count)};
}

inline std::string_view str(const char* s) { return s ? std::string_view{s} : std::string_view{}; }

/// What an error is about, in C++ terms.
struct Item {
    stream_item_kind kind = STREAM_ITEM_NONE;
    std::int64_t index = -1;
    std::string name;
    std::string file;
    std::uint32_t line = 0;
    std::uint32_t column = 0;

    static Item config_key(std::string key) { return {STREAM_ITEM_CONFIG_KEY, -1, std::move(key), {}, 0, 0}; }
    static Item layer(std::int64_t id, std::string name = {}) { return {STREAM_ITEM_LAYER, id, std::move(name), {}, 0, 0}; }
    static Item core(std::int64_t id, std::string name = {}) { return {STREAM_ITEM_CORE, id, std::move(name), {}, 0, 0}; }
    static Item node(std::int64_t id) { return {STREAM_ITEM_NODE, id, {}, {}, 0, 0}; }
    static Item link(std::int64_t id) { return {STREAM_ITEM_LINK, id, {}, {}, 0, 0}; }
    static Item file_at(std::string file, std::uint32_t line, std::uint32_t column = 0) {
        return {STREAM_ITEM_FILE, -1, {}, std::move(file), line, column};
    }

    stream_item to_c() const {
        stream_item c{};
        c.struct_size = sizeof c;
        c.kind = kind;
        c.index = index;
        c.name = name.empty() ? nullptr : name.c_str();
        c.location.struct_size = sizeof c.location;
        c.location.file = file.empty() ? nullptr : file.c_str();
        c.location.line = line;
        c.location.column = column;
        return c;
    }
};

/// The exception a plugin throws to fail a call with a status and a message.
class Error : public std::runtime_error {
public:
    Error(stream_status status, const std::string& message, std::optional<Item> item = std::nullopt)
        : std::runtime_error(message), status_(status), item_(std::move(item)) {}
    stream_status status() const noexcept { return status_; }
    const std::optional<Item>& item() const noexcept { return item_; }

private:
    stream_status status_;
    std::optional<Item> item_;
};

/// Typed access to a configuration table; throws Error on a missing key or a wrong type.
class Config {
public:
    explicit Config(const stream_config_v1* c) : c_(c) {}

    bool has(const char* key) const { return c_ && c_->has(c_->ctx, key) != 0; }
    bool get_bool(const char* key) const { std::int32_t v = 0; check(c_->get_bool(c_->ctx, key, &v), key); return v != 0; }
    std::int64_t get_int(const char* key) const { std::int64_t v = 0; check(c_->get_int(c_->ctx, key, &v), key); return v; }
    double get_float(const char* key) const { double v = 0; check(c_->get_float(c_->ctx, key, &v), key); return v; }
    std::string get_string(const char* key) const { const char* v = nullptr; check(c_->get_string(c_->ctx, key, &v), key); return v ? std::string{v} : std::string{}; }
    std::vector<std::int64_t> get_ints(const char* key) const {
        std::vector<std::int64_t> out(size(key));
        for (std::size_t i = 0; i < out.size(); ++i) check(c_->get_int_at(c_->ctx, key, i, &out[i]), key);
        return out;
    }
    std::vector<double> get_floats(const char* key) const {
        std::vector<double> out(size(key));
        for (std::size_t i = 0; i < out.size(); ++i) check(c_->get_float_at(c_->ctx, key, i, &out[i]), key);
        return out;
    }
    std::vector<std::string> get_strings(const char* key) const {
        std::vector<std::string> out(size(key));
        for (std::size_t i = 0; i < out.size(); ++i) {
            const char* v = nullptr;
            check(c_->get_string_at(c_->ctx, key, i, &v), key);
            out[i] = v ? v : "";
        }
        return out;
    }
    /// The keys present in this table (sorted), e.g. to reject entries of a free-form table that match nothing.
    std::vector<std::string> keys() const {
        std::vector<std::string> out;
        if (!c_ || c_->struct_size < offsetof(stream_config_v1, key_at) + sizeof(c_->key_at)) return out;
        for (std::uint64_t i = 0, n = c_->key_count(c_->ctx); i < n; ++i) {
            const char* k = nullptr;
            if (c_->key_at(c_->ctx, i, &k) == STREAM_OK && k) out.emplace_back(k);
        }
        return out;
    }
    Config get_table(const char* key) const { const stream_config_v1* t = nullptr; check(c_->get_table(c_->ctx, key, &t), key); return Config{t}; }

private:
    std::size_t size(const char* key) const { std::uint64_t n = 0; check(c_->get_array_size(c_->ctx, key, &n), key); return static_cast<std::size_t>(n); }
    void check(stream_status s, const char* key) const {
        if (s == STREAM_OK) return;
        if (s == STREAM_ERROR_NOT_FOUND) throw Error(STREAM_ERROR_INVALID_CONFIG, std::string{"missing key '"} + key + "'", Item::config_key(key));
        throw Error(s, std::string{"cannot read key '"} + key + "'", Item::config_key(key));
    }
    const stream_config_v1* c_;
};

/// The host services of one instance.
class Host {
public:
    explicit Host(const stream_host_services_v1* s) : s_(s) {}
    void log(stream_log_level level, const std::string& message) const { s_->log(s_->ctx, level, message.c_str()); }
    void info(const std::string& m) const { log(STREAM_LOG_INFO, m); }
    /// True under --compat stream (hosts older than the field say no).
    bool compat_stream() const {
        return s_->struct_size >= offsetof(stream_host_services_v1, compat) + sizeof(const char*) && s_->compat &&
               std::string_view(s_->compat) == "stream";
    }
    void warn(const std::string& m) const { log(STREAM_LOG_WARNING, m); }
    void report_error(const std::optional<Item>& item, const std::string& message) const {
        if (item) {
            stream_item c = item->to_c();
            s_->report_error(s_->ctx, &c, message.c_str());
        } else {
            s_->report_error(s_->ctx, nullptr, message.c_str());
        }
    }
    /// Returns true when the host wants the work to stop.
    bool progress(double done, double total, const char* what = nullptr) const { return s_->progress(s_->ctx, done, total, what) != 0; }
    bool cancelled() const { return s_->is_cancelled(s_->ctx) != 0; }
    Config config() const { return Config{s_->config}; }
    const void* extension(const char* id) const { return s_->get_extension ? s_->get_extension(s_->ctx, id) : nullptr; }
    const stream_host_services_v1* raw() const { return s_; }

private:
    const stream_host_services_v1* s_;
};

/// Runs `f`, turning every exception into a status and a message for the host.
template <class F>
stream_status guard(const stream_host_services_v1* host, F&& f) noexcept {
    try {
        return std::forward<F>(f)();
    } catch (const Error& e) {
        // Reporting may itself allocate; a second failure must not escape a noexcept function.
        try {
            if (host) Host{host}.report_error(e.item(), e.what());
        } catch (...) {
            if (host) host->report_error(host->ctx, nullptr, e.what());
        }
        return e.status();
    } catch (const std::bad_alloc&) {
        if (host) host->report_error(host->ctx, nullptr, "out of memory");
        return STREAM_ERROR_INTERNAL;
    } catch (const std::exception& e) {
        if (host) host->report_error(host->ctx, nullptr, e.what());
        return STREAM_ERROR_INTERNAL;
    } catch (...) {
        if (host) host->report_error(host->ctx, nullptr, "unknown exception");
        return STREAM_ERROR_INTERNAL;
    }
}

/// A plugin's identity; strings must be string literals (static lifetime).
struct Info {
    const char* id;
    const char* name;
    const char* version;
    const char* summary;
    std::uint64_t flags = 0;
};

constexpr stream_config_key key(const char* name, stream_value_type type, const char* default_value,
                                const char* unit, const char* doc, std::uint32_t flags = 0) {
    return stream_config_key{sizeof(stream_config_key), name, type, flags, default_value, unit, doc};
}

// ---- results that own their arrays, converted to views at the boundary ----

struct CostResult {
    stream_cost_v1 cost{};
    std::vector<stream_access_energy_v1> accesses;
    std::vector<stream_footprint_v1> footprints;
    std::vector<std::string> strings; ///< owns operand names referenced by accesses/footprints
    std::string mapping_text;

    CostResult() { cost.struct_size = sizeof cost; }
    const stream_cost_v1& view() {
        cost.accesses = accesses.data();
        cost.access_count = static_cast<std::uint32_t>(accesses.size());
        cost.footprints = footprints.data();
        cost.footprint_count = static_cast<std::uint32_t>(footprints.size());
        cost.mapping_text = mapping_text.empty() ? nullptr : mapping_text.c_str();
        return cost;
    }
};

struct AllocationResult {
    std::vector<std::int64_t> unit_core;
    std::vector<std::int64_t> node_priority; ///< empty: keep the nodes' priorities
    bool proven_optimal = false;
    double objective = std::numeric_limits<double>::quiet_NaN();  ///< NaN: the allocator has no objective
    double best_bound = std::numeric_limits<double>::quiet_NaN(); ///< NaN: no bound known
    std::string summary;
    /// The problem the allocation is for: null for the one `allocate` was given, else one the
    /// evaluator's `retile` returned (ABI 1.1).
    const stream_problem_v1* problem = nullptr;
};

struct ScheduleResult {
    stream_metrics_v1 metrics{sizeof(stream_metrics_v1), 0, 0, 0, 0};
    std::vector<stream_scheduled_node_v1> nodes;
    std::vector<stream_transfer_v1> transfers;
    std::vector<std::vector<std::int64_t>> transfer_links; ///< owns each transfer's route
    std::vector<stream_memory_sample_v1> memory_samples;
    std::vector<std::pair<std::string, double>> energy;
};

/// A point of an explorer's mapping space that owns its arrays (stream_mapping_v1 is a view).
struct Mapping {
    std::vector<std::uint8_t> stack_start;
    std::vector<std::uint32_t> tiling;
    std::vector<std::uint32_t> split;

    Mapping() = default;
    explicit Mapping(std::size_t count) : stack_start(count, 0), tiling(count, 0), split(count, 1) {
        if (count) stack_start[0] = 1;
    }
    explicit Mapping(const stream_mapping_v1& m)
        : stack_start(m.stack_start, m.stack_start + m.count), tiling(m.tiling, m.tiling + m.count),
          split(m.split, m.split + m.count) {}
    stream_mapping_v1 view() const {
        return {sizeof(stream_mapping_v1), stack_start.data(), tiling.data(), split.data(),
                static_cast<std::uint32_t>(stack_start.size())};
    }
    bool operator==(const Mapping&) const = default;
};

/// An explorer's evaluation: the host's status, and on success the metrics and objective value.
struct Evaluation {
    stream_status status = STREAM_ERROR_INTERNAL;
    stream_metrics_v1 metrics{sizeof(stream_metrics_v1), 0, 0, 0, 0};
    double objective = std::numeric_limits<double>::infinity();
    bool ok() const { return status == STREAM_OK; }
    /// The budget is spent or the user interrupted: stop searching.
    bool stop() const { return status == STREAM_ERROR_CANCELLED; }
};

/// Evaluates `m` through the host; infeasible and out-of-budget are statuses, not exceptions.
inline Evaluation evaluate(const stream_mapping_evaluator_v1& e, const Mapping& m) {
    Evaluation r;
    stream_mapping_v1 v = m.view();
    r.status = e.evaluate(e.ctx, &v, &r.metrics, &r.objective);
    if (!r.ok()) r.objective = std::numeric_limits<double>::infinity();
    return r;
}

// ---- one adapter per kind: C vtable functions that forward to the class ----

namespace detail {

template <class P>
struct Instance {
    Host host;
    P plugin;
    explicit Instance(const stream_host_services_v1* h) : host(h), plugin(Host{h}) {}
};

template <class P>
stream_status create(const stream_host_services_v1* h, void** out) {
    return guard(h, [&] {
        *out = new Instance<P>(h);
        return STREAM_OK;
    });
}

template <class P>
void destroy(void* i) { delete static_cast<Instance<P>*>(i); }

template <class P>
Instance<P>& self(void* i) { return *static_cast<Instance<P>*>(i); }

template <class P, stream_plugin_kind K>
struct Adapter;

template <class P>
struct Adapter<P, STREAM_KIND_FRONTEND> {
    static int32_t accepts(void* i, const char* path) {
        try {
            return self<P>(i).plugin.accepts(path) ? 1 : 0;
        } catch (...) {
            return 0;
        }
    }
    static stream_status load(void* i, const char* path, const stream_workload_builder_v1* b) {
        auto& s = self<P>(i);
        return guard(s.host.raw(), [&] { s.plugin.load(path, *b); return STREAM_OK; });
    }
    static constexpr stream_frontend_v1 vtable{sizeof(stream_frontend_v1), &create<P>, &destroy<P>, &accepts, &load};
};

template <class P>
struct Adapter<P, STREAM_KIND_CORE_MODEL> {
    static stream_status evaluate(void* i, const stream_core_v1* core, const stream_cn_v1* cn, const stream_cost_sink_v1* sink) {
        auto& s = self<P>(i);
        return guard(s.host.raw(), [&] {
            CostResult r = s.plugin.evaluate(*core, *cn);
            sink->submit(sink->ctx, &r.view());
            return STREAM_OK;
        });
    }
    static constexpr stream_core_model_v1 vtable{sizeof(stream_core_model_v1), &create<P>, &destroy<P>, &evaluate};
};

template <class P>
struct Adapter<P, STREAM_KIND_MEMORY_MODEL> {
    static stream_status describe(void* i, const stream_memory_spec_v1* spec, const stream_memory_costs_sink_v1* sink) {
        auto& s = self<P>(i);
        return guard(s.host.raw(), [&] {
            stream_memory_costs_v1 c = s.plugin.describe(*spec);
            c.struct_size = sizeof c;
            sink->submit(sink->ctx, &c);
            return STREAM_OK;
        });
    }
    static constexpr stream_memory_model_v1 vtable{sizeof(stream_memory_model_v1), &create<P>, &destroy<P>, &describe};
};

template <class P>
struct Adapter<P, STREAM_KIND_ALLOCATOR> {
    static stream_status allocate(void* i, const stream_problem_v1* p, const stream_evaluator_v1* e, const stream_allocation_sink_v1* sink) {
        auto& s = self<P>(i);
        return guard(s.host.raw(), [&] {
            AllocationResult r = s.plugin.allocate(*p, *e);
            stream_allocation_result_v1 c{};
            c.struct_size = sizeof c;
            c.allocation = {sizeof(stream_allocation_v1), r.unit_core.data(), static_cast<std::uint32_t>(r.unit_core.size()),
                            r.node_priority.empty() ? nullptr : r.node_priority.data(),
                            static_cast<std::uint32_t>(r.node_priority.size())};
            c.proven_optimal = r.proven_optimal ? 1 : 0;
            c.objective = r.objective;
            c.best_bound = r.best_bound;
            c.summary = r.summary.empty() ? nullptr : r.summary.c_str();
            c.problem = r.problem;
            sink->submit(sink->ctx, &c);
            return STREAM_OK;
        });
    }
    static constexpr stream_allocator_v1 vtable{sizeof(stream_allocator_v1), &create<P>, &destroy<P>, &allocate};
};

template <class P>
struct Adapter<P, STREAM_KIND_SCHEDULER> {
    static stream_status schedule(void* i, const stream_problem_v1* p, const stream_allocation_v1* a, const stream_schedule_sink_v1* sink) {
        auto& s = self<P>(i);
        return guard(s.host.raw(), [&] {
            ScheduleResult r = s.plugin.schedule(*p, *a, sink->metrics_only != 0);
            for (std::size_t t = 0; t < r.transfers.size() && t < r.transfer_links.size(); ++t) {
                r.transfers[t].links = r.transfer_links[t].data();
                r.transfers[t].link_count = static_cast<std::uint32_t>(r.transfer_links[t].size());
            }
            std::vector<stream_energy_component_v1> energy;
            for (auto& [name, pj] : r.energy) energy.push_back({sizeof(stream_energy_component_v1), name.c_str(), pj});
            stream_schedule_v1 c{};
            c.struct_size = sizeof c;
            c.metrics = r.metrics;
            c.nodes = r.nodes.data();
            c.node_count = static_cast<std::uint32_t>(r.nodes.size());
            c.transfers = r.transfers.data();
            c.transfer_count = static_cast<std::uint32_t>(r.transfers.size());
            c.memory_samples = r.memory_samples.data();
            c.memory_sample_count = static_cast<std::uint32_t>(r.memory_samples.size());
            c.energy = energy.data();
            c.energy_count = static_cast<std::uint32_t>(energy.size());
            sink->submit(sink->ctx, &c);
            return STREAM_OK;
        });
    }
    static constexpr stream_scheduler_v1 vtable{sizeof(stream_scheduler_v1), &create<P>, &destroy<P>, &schedule};
};

template <class P>
struct Adapter<P, STREAM_KIND_EXPLORER> {
    static stream_status explore(void* i, const stream_mapping_space_v1* space, const stream_mapping_evaluator_v1* e,
                                 const stream_exploration_sink_v1* sink) {
        auto& s = self<P>(i);
        return guard(s.host.raw(), [&] {
            std::string summary = s.plugin.explore(*space, *e);
            sink->submit(sink->ctx, summary.c_str());
            return STREAM_OK;
        });
    }
    static constexpr stream_explorer_v1 vtable{sizeof(stream_explorer_v1), &create<P>, &destroy<P>, &explore};
};

template <class P>
constexpr std::uint32_t key_count() {
    if constexpr (requires { P::keys; }) return static_cast<std::uint32_t>(std::size(P::keys));
    else return 0;
}

template <class P>
constexpr const stream_config_key* keys() {
    if constexpr (requires { P::keys; }) return P::keys;
    else return nullptr;
}

template <class P>
constexpr stream_plugin_descriptor descriptor{
    sizeof(stream_plugin_descriptor), STREAM_ABI_MAJOR, STREAM_ABI_MINOR, P::kind,
    P::info.id, P::info.name, P::info.version, P::info.summary,
    keys<P>(), key_count<P>(), P::info.flags, &Adapter<P, P::kind>::vtable, nullptr};

} // namespace detail
} // namespace stream::sdk

/// Exports `Class` as this library's plugin. Use once per library, at namespace scope.
#define STREAM_DSE_PLUGIN(Class)                                                                \
    extern "C" STREAM_PLUGIN_EXPORT const stream_plugin_descriptor* stream_plugin_entry(        \
        const stream_host_info*) {                                                              \
        return &::stream::sdk::detail::descriptor<Class>;                                       \
    }

#endif // STREAM_PLUGIN_HPP
