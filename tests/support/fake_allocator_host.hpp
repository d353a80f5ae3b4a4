// A fake host for allocator tests and benchmarks: the plugin's config table
// with the descriptor's defaults filled in (as the real host does), host
// services that record errors, logs and progress, a small allocation problem,
// an evaluator with an analytic cost anyone can derive by hand, and a call
// through the plugin's real descriptor and vtable.
//
// The analytic cost of an allocation: every core runs its units back to
// back, so latency = max over cores of the summed latencies of its units;
// energy = the sum of every unit's energy on its core; peak memory = max over
// cores of the summed constant bits of its units.
#pragma once

#include <stream/plugin.h>

#include <algorithm>
#include <cstdint>
#include <functional>
#include <iterator>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <stdexcept>
#include <string>
#include <utility>
#include <variant>
#include <vector>

extern "C" const stream_plugin_descriptor* stream_plugin_entry(const stream_host_info* host);

namespace alloctest {

using Strings = std::vector<std::string>;
using Value = std::variant<bool, int64_t, double, std::string, Strings>;

/// Parses the TOML literals plugins declare as defaults: true/false, integers,
/// floats, "strings" and ["string", "arrays"].
inline Value parse_literal(std::string text) {
    auto trim = [](std::string s) {
        const auto b = s.find_first_not_of(" \t");
        const auto e = s.find_last_not_of(" \t");
        return b == std::string::npos ? std::string{} : s.substr(b, e - b + 1);
    };
    text = trim(text);
    if (text == "true") return true;
    if (text == "false") return false;
    if (text.size() >= 2 && text.front() == '"' && text.back() == '"') return text.substr(1, text.size() - 2);
    if (text.size() >= 2 && text.front() == '[' && text.back() == ']') {
        Strings items;
        std::string body = text.substr(1, text.size() - 2);
        std::size_t start = 0;
        while (start < body.size()) {
            std::size_t comma = body.find(',', start);
            if (comma == std::string::npos) comma = body.size();
            std::string item = trim(body.substr(start, comma - start));
            if (!item.empty()) {
                Value v = parse_literal(item);
                if (!std::holds_alternative<std::string>(v)) throw std::invalid_argument("only string arrays: " + text);
                items.push_back(std::get<std::string>(v));
            }
            start = comma + 1;
        }
        return items;
    }
    if (text.find_first_of(".eE") != std::string::npos) return std::stod(text);
    return static_cast<int64_t>(std::stoll(text));
}

/// One TOML table with the ABI's typing rules (an int is a valid float, a
/// float without a fraction a valid int).
struct FakeConfig {
    std::map<std::string, Value> values;
    std::set<std::string> defaulted; ///< keys whose location is "(default)", as the host reports them
    stream_config_v1 view{};

    explicit FakeConfig(std::map<std::string, Value> v = {}) : values(std::move(v)) {
        view.struct_size = sizeof view;
        view.ctx = this;
        view.has = [](void* ctx, const char* key) -> int32_t { return self(ctx).values.count(key) != 0; };
        view.get_bool = [](void* ctx, const char* key, int32_t* out) -> stream_status {
            return self(ctx).get<bool>(key, [&](bool b) { *out = b ? 1 : 0; });
        };
        view.get_int = [](void* ctx, const char* key, int64_t* out) -> stream_status {
            const Value* v = self(ctx).find(key);
            if (!v) return STREAM_ERROR_NOT_FOUND;
            if (auto* i = std::get_if<int64_t>(v)) { *out = *i; return STREAM_OK; }
            if (auto* d = std::get_if<double>(v); d && *d == static_cast<double>(static_cast<int64_t>(*d))) {
                *out = static_cast<int64_t>(*d);
                return STREAM_OK;
            }
            return STREAM_ERROR_TYPE_MISMATCH;
        };
        view.get_float = [](void* ctx, const char* key, double* out) -> stream_status {
            const Value* v = self(ctx).find(key);
            if (!v) return STREAM_ERROR_NOT_FOUND;
            if (auto* d = std::get_if<double>(v)) { *out = *d; return STREAM_OK; }
            if (auto* i = std::get_if<int64_t>(v)) { *out = static_cast<double>(*i); return STREAM_OK; }
            return STREAM_ERROR_TYPE_MISMATCH;
        };
        view.get_string = [](void* ctx, const char* key, const char** out) -> stream_status {
            return self(ctx).get<std::string>(key, [&](const std::string& s) { *out = s.c_str(); });
        };
        view.get_array_size = [](void* ctx, const char* key, uint64_t* count) -> stream_status {
            return self(ctx).get<Strings>(key, [&](const Strings& s) { *count = s.size(); });
        };
        view.get_int_at = [](void*, const char*, uint64_t, int64_t*) -> stream_status { return STREAM_ERROR_TYPE_MISMATCH; };
        view.get_float_at = [](void*, const char*, uint64_t, double*) -> stream_status { return STREAM_ERROR_TYPE_MISMATCH; };
        view.get_string_at = [](void* ctx, const char* key, uint64_t index, const char** out) -> stream_status {
            stream_status status = STREAM_OK;
            stream_status found = self(ctx).get<Strings>(key, [&](const Strings& s) {
                if (index < s.size()) *out = s[index].c_str();
                else status = STREAM_ERROR_NOT_FOUND;
            });
            return found != STREAM_OK ? found : status;
        };
        view.get_table = [](void*, const char*, const stream_config_v1**) -> stream_status { return STREAM_ERROR_NOT_FOUND; };
        view.location = [](void* ctx, const char* key, stream_source_location* out) -> stream_status {
            const bool is_default = key && self(ctx).defaulted.count(key) != 0;
            *out = {sizeof(stream_source_location), is_default ? "(default)" : "fake.toml", 0, 0};
            return STREAM_OK;
        };
        view.key_count = [](void* ctx) -> uint64_t { return self(ctx).values.size(); };
        view.key_at = [](void* ctx, uint64_t index, const char** out) -> stream_status {
            auto& m = self(ctx).values;
            if (index >= m.size()) return STREAM_ERROR_NOT_FOUND;
            auto it = m.begin();
            std::advance(it, static_cast<long>(index));
            *out = it->first.c_str();
            return STREAM_OK;
        };
    }
    FakeConfig(const FakeConfig&) = delete;
    FakeConfig& operator=(const FakeConfig&) = delete;

private:
    static FakeConfig& self(void* ctx) { return *static_cast<FakeConfig*>(ctx); }
    const Value* find(const char* key) const {
        auto it = values.find(key);
        return it == values.end() ? nullptr : &it->second;
    }
    template <class T, class F>
    stream_status get(const char* key, F&& use) const {
        const Value* v = find(key);
        if (!v) return STREAM_ERROR_NOT_FOUND;
        const T* t = std::get_if<T>(v);
        if (!t) return STREAM_ERROR_TYPE_MISMATCH;
        use(*t);
        return STREAM_OK;
    }
};

struct Reported {
    stream_item_kind kind = STREAM_ITEM_NONE;
    int64_t index = -1;
    std::string name;
    std::string message;
};

struct Progress {
    double done = 0;
    double total = 0;
    std::string text;
};

/// Host services for the plugin in this binary: its declared defaults, then
/// `overrides` (an undeclared override key throws, as the host would refuse it).
struct FakeHost {
    FakeConfig config;
    std::vector<Reported> errors;
    std::vector<std::string> logs;
    std::vector<Progress> progress;
    /// Ask the plugin to stop once this many progress reports arrived.
    std::optional<std::size_t> cancel_after_progress;
    /// Called on every progress report, before it is recorded (e.g. to mark the evaluator's log).
    std::function<void(const Progress&)> on_progress;
    stream_host_services_v1 services{};

    explicit FakeHost(const std::map<std::string, Value>& overrides = {}) {
        const stream_plugin_descriptor* d = stream_plugin_entry(nullptr);
        for (uint32_t i = 0; i < d->config_key_count; ++i)
            if (d->config_keys[i].default_value) {
                config.values[d->config_keys[i].key] = parse_literal(d->config_keys[i].default_value);
                config.defaulted.insert(d->config_keys[i].key);
            }
        for (const auto& [key, value] : overrides) {
            bool declared = false;
            for (uint32_t i = 0; i < d->config_key_count; ++i) declared = declared || key == d->config_keys[i].key;
            if (!declared) throw std::invalid_argument("the plugin declares no key '" + key + "'");
            config.values[key] = value;
            config.defaulted.erase(key);
        }
        services.struct_size = sizeof services;
        services.ctx = this;
        services.log = [](void* ctx, stream_log_level, const char* message) { self(ctx).logs.emplace_back(message); };
        services.report_error = [](void* ctx, const stream_item* item, const char* message) {
            Reported r;
            if (item) {
                r.kind = item->kind;
                r.index = item->index;
                r.name = item->name ? item->name : "";
            }
            r.message = message ? message : "";
            self(ctx).errors.push_back(std::move(r));
        };
        services.progress = [](void* ctx, double done, double total, const char* what) -> int32_t {
            FakeHost& h = self(ctx);
            Progress p{done, total, what ? what : ""};
            if (h.on_progress) h.on_progress(p);
            h.progress.push_back(std::move(p));
            return h.cancelled() ? 1 : 0;
        };
        services.is_cancelled = [](void* ctx) -> int32_t { return self(ctx).cancelled() ? 1 : 0; };
        services.config = &config.view;
        services.get_extension = [](void*, const char*) -> const void* { return nullptr; };
    }
    FakeHost(const FakeHost&) = delete;
    FakeHost& operator=(const FakeHost&) = delete;

    bool cancelled() const { return cancel_after_progress && progress.size() >= *cancel_after_progress; }
    /// Every error message, joined, for CHECKs that look for a phrase.
    std::string error_text() const {
        std::string text;
        for (const Reported& r : errors) text += r.message + "\n";
        return text;
    }

private:
    static FakeHost& self(void* ctx) { return *static_cast<FakeHost*>(ctx); }
};

/// One candidate core of a unit.
struct Candidate {
    int64_t core = 0;
    double latency = 0;
    double energy = 0;
    int64_t constant_bits = 0;
};

/// An allocation problem of units with candidate cores; cores and layers are
/// only named. Build with add_unit, then use problem() (views stay valid while
/// the FakeProblem lives and no unit is added).
class FakeProblem {
public:
    explicit FakeProblem(int64_t core_count) : core_count_(core_count) {
        for (int64_t c = 0; c < core_count; ++c) core_names_.push_back("core" + std::to_string(c));
    }
    FakeProblem(const FakeProblem&) = delete;
    FakeProblem& operator=(const FakeProblem&) = delete;

    /// A unit (its own layer) with these candidates, pinned to `fixed_core` when >= 0.
    std::size_t add_unit(std::vector<Candidate> candidates, int64_t fixed_core = -1) {
        candidates_.push_back(std::move(candidates));
        fixed_.push_back(fixed_core);
        layer_names_.push_back("layer" + std::to_string(fixed_.size() - 1));
        dirty_ = true;
        return fixed_.size() - 1;
    }

    const stream_problem_v1& problem() {
        if (dirty_) build();
        return problem_;
    }
    /// The problem's compat switch: "stream" makes plugins follow Stream's conventions.
    void set_compat(std::string compat) {
        compat_ = std::move(compat);
        dirty_ = true;
    }
    std::size_t unit_count() const { return candidates_.size(); }
    int64_t core_count() const { return core_count_; }
    const std::vector<Candidate>& candidates(std::size_t unit) const { return candidates_[unit]; }
    int64_t fixed_core(std::size_t unit) const { return fixed_[unit]; }

    /// The analytic metrics of `unit_core`, or nullopt when a unit is on a core it cannot use.
    std::optional<stream_metrics_v1> metrics(const std::vector<int64_t>& unit_core) const {
        if (unit_core.size() != candidates_.size()) return std::nullopt;
        std::vector<double> busy(static_cast<std::size_t>(core_count_), 0.0);
        std::vector<double> bits(static_cast<std::size_t>(core_count_), 0.0);
        double energy = 0;
        for (std::size_t u = 0; u < candidates_.size(); ++u) {
            const Candidate* chosen = nullptr;
            for (const Candidate& c : candidates_[u])
                if (c.core == unit_core[u]) chosen = &c;
            if (!chosen || (fixed_[u] >= 0 && fixed_[u] != unit_core[u])) return std::nullopt;
            busy[static_cast<std::size_t>(chosen->core)] += chosen->latency;
            bits[static_cast<std::size_t>(chosen->core)] += static_cast<double>(chosen->constant_bits);
            energy += chosen->energy;
        }
        const double latency = *std::max_element(busy.begin(), busy.end());
        const double peak = *std::max_element(bits.begin(), bits.end());
        return stream_metrics_v1{sizeof(stream_metrics_v1), latency, energy, latency * energy, peak};
    }

    /// Calls `visit(unit_core)` for every allocation the problem allows (fixed units stay put).
    void for_each_allocation(const std::function<void(const std::vector<int64_t>&)>& visit) const {
        std::vector<std::vector<int64_t>> choices;
        for (std::size_t u = 0; u < candidates_.size(); ++u) {
            std::vector<int64_t> cores;
            if (fixed_[u] >= 0) cores.push_back(fixed_[u]);
            else
                for (const Candidate& c : candidates_[u]) cores.push_back(c.core);
            choices.push_back(std::move(cores));
        }
        std::vector<std::size_t> digit(choices.size(), 0);
        std::vector<int64_t> alloc(choices.size());
        for (;;) {
            for (std::size_t u = 0; u < choices.size(); ++u) alloc[u] = choices[u][digit[u]];
            visit(alloc);
            std::size_t u = 0;
            while (u < choices.size() && ++digit[u] == choices[u].size()) digit[u++] = 0;
            if (u == choices.size()) return;
        }
    }

private:
    void build() {
        cores_.clear();
        for (int64_t c = 0; c < core_count_; ++c) {
            stream_core_v1 core{};
            core.struct_size = sizeof core;
            core.id = c;
            core.name = core_names_[static_cast<std::size_t>(c)].c_str();
            core.top_memory_owner = c;
            cores_.push_back(core);
        }
        accelerator_ = {sizeof accelerator_, "fake", cores_.data(), static_cast<uint32_t>(cores_.size()), -1, nullptr, 0};
        layers_.clear();
        costs_.clear();
        units_.clear();
        for (std::size_t u = 0; u < candidates_.size(); ++u) {
            stream_layer_v1 layer{};
            layer.struct_size = sizeof layer;
            layer.id = static_cast<int64_t>(u);
            layer.name = layer_names_[u].c_str();
            layer.layer_class = STREAM_LAYER_COMPUTE;
            layers_.push_back(layer);
            std::vector<stream_core_cost_v1> costs;
            for (const Candidate& c : candidates_[u]) {
                stream_core_cost_v1 cost{};
                cost.struct_size = sizeof cost;
                cost.core = c.core;
                cost.latency_cycles = c.latency;
                cost.latency_no_offload_cycles = c.latency;
                cost.energy_pj = c.energy;
                cost.constant_bits = c.constant_bits;
                costs.push_back(cost);
            }
            costs_.push_back(std::move(costs));
        }
        for (std::size_t u = 0; u < candidates_.size(); ++u) {
            stream_alloc_unit_v1 unit{};
            unit.struct_size = sizeof unit;
            unit.layer = static_cast<int64_t>(u);
            unit.costs = costs_[u].empty() ? nullptr : costs_[u].data();
            unit.cost_count = static_cast<uint32_t>(costs_[u].size());
            unit.fixed_core = fixed_[u];
            units_.push_back(unit);
        }
        problem_ = {};
        problem_.struct_size = sizeof problem_;
        problem_.accelerator = &accelerator_;
        problem_.layers = layers_.data();
        problem_.layer_count = static_cast<uint32_t>(layers_.size());
        problem_.units = units_.data();
        problem_.unit_count = static_cast<uint32_t>(units_.size());
        problem_.compat = compat_.c_str();
        dirty_ = false;
    }

    int64_t core_count_;
    std::string compat_;
    std::vector<std::string> core_names_;
    std::vector<std::string> layer_names_;
    std::vector<std::vector<Candidate>> candidates_;
    std::vector<int64_t> fixed_;
    bool dirty_ = true;
    std::vector<stream_core_v1> cores_;
    stream_accelerator_v1 accelerator_{};
    std::vector<stream_layer_v1> layers_;
    std::vector<std::vector<stream_core_cost_v1>> costs_;
    std::vector<stream_alloc_unit_v1> units_;
    stream_problem_v1 problem_{};
};

/// "Evaluate this allocation" with the analytic cost of a FakeProblem. Safe to
/// call from several threads; records every call in arrival order.
class FakeEvaluator {
public:
    explicit FakeEvaluator(const FakeProblem& problem) : problem_(problem) {
        view_ = {sizeof(stream_evaluator_v1), this, &FakeEvaluator::call, nullptr};
    }
    FakeEvaluator(const FakeEvaluator&) = delete;
    FakeEvaluator& operator=(const FakeEvaluator&) = delete;

    /// Allocations for which this returns true are reported infeasible.
    std::function<bool(const std::vector<int64_t>&)> infeasible;
    /// Spin this many rounds of arithmetic per call, to stand in for a real scheduler's cost.
    uint64_t work = 0;
    /// When set, every call returns this status (after recording the call).
    std::optional<stream_status> status;

    const stream_evaluator_v1& view() const { return view_; }

    std::vector<std::vector<int64_t>> calls() const {
        std::lock_guard lock(mutex_);
        return calls_;
    }
    std::size_t call_count() const {
        std::lock_guard lock(mutex_);
        return calls_.size();
    }
    /// Calls that gave a unit a core outside its candidates (or moved a pinned unit).
    std::size_t invalid_calls() const {
        std::lock_guard lock(mutex_);
        return invalid_;
    }
    /// Forget the calls so far (benchmarks reuse one evaluator).
    void clear() {
        std::lock_guard lock(mutex_);
        calls_.clear();
        invalid_ = 0;
    }

private:
    static stream_status call(void* ctx, const stream_allocation_v1* a, stream_metrics_v1* out) {
        auto& self = *static_cast<FakeEvaluator*>(ctx);
        std::vector<int64_t> unit_core(a->unit_core, a->unit_core + a->unit_count);
        const std::optional<stream_metrics_v1> m = self.problem_.metrics(unit_core);
        volatile double sink = 0; // volatile: the spin is the point, the optimiser must keep it
        for (uint64_t i = 0; i < self.work; ++i) sink = sink + static_cast<double>(i % 7);
        {
            std::lock_guard lock(self.mutex_);
            if (!m) ++self.invalid_;
            self.calls_.push_back(unit_core);
        }
        if (self.status) return *self.status;
        if (!m) return STREAM_ERROR_INVALID_INPUT;
        if (self.infeasible && self.infeasible(unit_core)) return STREAM_ERROR_INFEASIBLE;
        *out = *m;
        return STREAM_OK;
    }

    const FakeProblem& problem_;
    stream_evaluator_v1 view_{};
    mutable std::mutex mutex_;
    std::vector<std::vector<int64_t>> calls_;
    std::size_t invalid_ = 0;
};

/// What the plugin handed the sink.
struct Submitted {
    int count = 0;
    std::vector<int64_t> unit_core;
    int32_t proven_optimal = 0;
    double objective = 0;
    double best_bound = 0;
    std::string summary;
    std::vector<std::pair<std::vector<int64_t>, stream_metrics_v1>> alternatives;

    stream_allocation_sink_v1 sink{
        sizeof(stream_allocation_sink_v1), this,
        [](void* ctx, const stream_allocation_result_v1* r) {
            auto* self = static_cast<Submitted*>(ctx);
            ++self->count;
            self->unit_core.assign(r->allocation.unit_core, r->allocation.unit_core + r->allocation.unit_count);
            self->proven_optimal = r->proven_optimal;
            self->objective = r->objective;
            self->best_bound = r->best_bound;
            self->summary = r->summary ? r->summary : "";
        },
        [](void* ctx, const stream_allocation_v1* a, const stream_metrics_v1* m) {
            static_cast<Submitted*>(ctx)->alternatives.emplace_back(
                std::vector<int64_t>(a->unit_core, a->unit_core + a->unit_count), *m);
        }};

    Submitted() = default;
    Submitted(const Submitted&) = delete;
    Submitted& operator=(const Submitted&) = delete;
};

struct Run {
    stream_status create_status = STREAM_OK;
    stream_status status = STREAM_OK;
    Submitted submitted;
};

inline const stream_allocator_v1& allocator_vtable() {
    return *static_cast<const stream_allocator_v1*>(stream_plugin_entry(nullptr)->vtable);
}

/// create, allocate, destroy — as the host does. `out.status` stays OK when create fails.
inline void run_allocator(FakeHost& host, FakeProblem& problem, const FakeEvaluator& evaluator, Run& out) {
    const stream_allocator_v1& vt = allocator_vtable();
    void* instance = nullptr;
    out.create_status = vt.create(&host.services, &instance);
    if (out.create_status != STREAM_OK) return;
    out.status = vt.allocate(instance, &problem.problem(), &evaluator.view(), &out.submitted.sink);
    vt.destroy(instance);
}

} // namespace alloctest
