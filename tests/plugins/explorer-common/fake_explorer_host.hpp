// A fake host for explorer tests: host services whose config holds a
// descriptor's defaults plus overrides, a mapping space built from a short
// description (or drawn at random from a seed), an evaluator with a synthetic
// but structured cost, the host's memory of evaluated points and its budget,
// and a call through an explorer's real descriptor and vtable.
//
// The synthetic cost, in cycles, is a sum over the stacks of a mapping:
//  - compute: macs / (256 * split) per layer, plus (split - 1) * output / 256
//    for sending the parts of a split layer's output between its cores;
//  - a layer alone in its stack reads its input and weights from DRAM and
//    writes its output: (input + weights + output) / 64;
//  - a fused stack reads the first layer's input and writes the last layer's
//    output once: the activations inside it never go to DRAM. Its weights are
//    read once when they fit in 600000 bits, else once per tile of its most
//    tiled layer. Every tile costs 200 cycles on each core the layer is split
//    over; neighbours tiled differently cost |log2 t_i - log2 t_i+1| *
//    output_i / 128 to re-cut the activation. An activation inside the stack
//    whose tile (output / tiles) exceeds 200000 bits does not fit on chip:
//    the mapping is INFEASIBLE.
// So fusion saves DRAM traffic but needs enough tiles, and tiles cost
// overhead and weight refetches: the best stacks and tile counts depend on
// the layers, as they do on a real accelerator.
#pragma once

// Only its FakeConfig and parse_literal: a config table with the ABI's typing rules.
#include <fake_allocator_host.hpp>

#include <stream/plugin.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <map>
#include <random>
#include <set>
#include <string>
#include <vector>

namespace explorertest {

using alloctest::FakeConfig;
using alloctest::Value;

/// Host services for one explorer: its declared defaults, then `overrides`.
struct ExplorerHost {
    FakeConfig config;
    std::vector<std::string> errors;
    std::vector<std::string> logs;
    std::size_t progress_calls = 0;
    stream_host_services_v1 services{};

    ExplorerHost(const stream_plugin_descriptor& d, const std::map<std::string, Value>& overrides = {}) {
        for (uint32_t i = 0; i < d.config_key_count; ++i)
            if (d.config_keys[i].default_value)
                config.values[d.config_keys[i].key] = alloctest::parse_literal(d.config_keys[i].default_value);
        for (const auto& [key, value] : overrides) config.values[key] = value;
        services.struct_size = sizeof services;
        services.ctx = this;
        services.log = [](void* ctx, stream_log_level, const char* message) { self(ctx).logs.emplace_back(message); };
        services.report_error = [](void* ctx, const stream_item*, const char* message) {
            self(ctx).errors.emplace_back(message ? message : "");
        };
        services.progress = [](void* ctx, double, double, const char*) -> int32_t {
            ++self(ctx).progress_calls;
            return 0;
        };
        services.is_cancelled = [](void*) -> int32_t { return 0; };
        services.config = &config.view;
        services.get_extension = [](void*, const char*) -> const void* { return nullptr; };
        services.compat = "";
    }
    ExplorerHost(const ExplorerHost&) = delete;
    ExplorerHost& operator=(const ExplorerHost&) = delete;

    std::string error_text() const {
        std::string text;
        for (const std::string& e : errors) text += e + "\n";
        return text;
    }

private:
    static ExplorerHost& self(void* ctx) { return *static_cast<ExplorerHost*>(ctx); }
};

/// One computation layer of a synthetic space.
struct LayerSpec {
    std::vector<int64_t> tiles{1}; ///< tile count of each option; option 0 must be 1 (the layer whole)
    uint32_t max_split = 1;
    int32_t stack_start_fixed = -1;
    double macs = 1e6;
    int64_t weight_bits = 100'000;
    int64_t output_bits = 100'000;
};

/// An owned point of the space, comparable and printable in CHECK messages.
struct Point {
    std::vector<uint8_t> stack_start;
    std::vector<uint32_t> tiling;
    std::vector<uint32_t> split;
    auto operator<=>(const Point&) const = default;
};

/// A mapping space described by LayerSpecs, with the layer-by-layer seed and an optional user seed.
class SyntheticSpace {
public:
    int64_t input_bits = 100'000; ///< the first layer's input

    explicit SyntheticSpace(std::vector<LayerSpec> layers, uint64_t seed = 1) : layers_(std::move(layers)) {
        for (std::size_t i = 0; i < layers_.size(); ++i) {
            const LayerSpec& l = layers_[i];
            std::vector<stream_tiling_option_v1> options;
            for (std::size_t o = 0; o < l.tiles.size(); ++o)
                options.push_back({sizeof(stream_tiling_option_v1), o == 0 ? nullptr : "OY", l.tiles[o]});
            options_.push_back(std::move(options));
        }
        for (std::size_t i = 0; i < layers_.size(); ++i) {
            const LayerSpec& l = layers_[i];
            choices_.push_back({sizeof(stream_layer_choices_v1), static_cast<int64_t>(i), options_[i].data(),
                                static_cast<uint32_t>(options_[i].size()), l.max_split,
                                i == 0 ? 1 : l.stack_start_fixed, l.weight_bits, l.output_bits, l.macs});
        }
        Point lbl;
        for (std::size_t i = 0; i < layers_.size(); ++i) {
            lbl.stack_start.push_back(i == 0 || layers_[i].stack_start_fixed != 0 ? 1 : 0);
            lbl.tiling.push_back(0);
            lbl.split.push_back(1);
        }
        seeds_.push_back(lbl);
        space_.struct_size = sizeof space_;
        space_.objective = "latency";
        space_.seed = seed;
        refresh();
    }
    SyntheticSpace(const SyntheticSpace&) = delete;
    SyntheticSpace& operator=(const SyntheticSpace&) = delete;

    void add_seed(Point p) {
        seeds_.push_back(std::move(p));
        refresh();
    }
    void set_seed(uint64_t seed) { space_.seed = seed; }
    const std::vector<LayerSpec>& layers() const { return layers_; }
    const std::vector<Point>& seeds() const { return seeds_; }
    const stream_mapping_space_v1& space() const { return space_; }
    std::size_t size() const { return layers_.size(); }

private:
    void refresh() {
        seed_views_.clear();
        for (const Point& p : seeds_)
            seed_views_.push_back({sizeof(stream_mapping_v1), p.stack_start.data(), p.tiling.data(), p.split.data(),
                                   static_cast<uint32_t>(p.stack_start.size())});
        space_.choices = choices_.empty() ? nullptr : choices_.data();
        space_.choice_count = static_cast<uint32_t>(choices_.size());
        space_.seeds = seed_views_.data();
        space_.seed_count = static_cast<uint32_t>(seed_views_.size());
    }

    std::vector<LayerSpec> layers_;
    std::vector<std::vector<stream_tiling_option_v1>> options_;
    std::vector<stream_layer_choices_v1> choices_;
    std::vector<Point> seeds_;
    std::vector<stream_mapping_v1> seed_views_;
    stream_mapping_space_v1 space_{};
};

/// A random space of 1..max_layers layers, each with 1..max_options tiling
/// options (1 and distinct counts from {2, 4, 8, 16}), max_split 1..max_split, a
/// boundary fixed now and then, and sizes spread over two orders of magnitude.
inline std::vector<LayerSpec> random_layers(uint64_t seed, uint32_t max_layers, uint32_t max_options, uint32_t max_split) {
    std::mt19937_64 rng(seed);
    auto below = [&](uint64_t n) { return static_cast<uint32_t>(rng() % n); };
    auto log_uniform = [&](double lo, double hi) {
        return lo * std::pow(hi / lo, static_cast<double>(rng() >> 11) * 0x1.0p-53);
    };
    std::vector<LayerSpec> layers(1 + below(max_layers));
    for (LayerSpec& l : layers) {
        std::vector<int64_t> counts{2, 4, 8, 16};
        std::shuffle(counts.begin(), counts.end(), rng);
        counts.resize(below(max_options));
        std::sort(counts.begin(), counts.end());
        l.tiles = {1};
        l.tiles.insert(l.tiles.end(), counts.begin(), counts.end());
        l.max_split = 1 + below(max_split);
        const uint32_t fixed = below(10);
        l.stack_start_fixed = fixed == 0 ? 0 : fixed == 1 ? 1 : -1;
        l.macs = log_uniform(1e5, 1e8);
        l.weight_bits = static_cast<int64_t>(log_uniform(1e4, 1e6));
        l.output_bits = static_cast<int64_t>(log_uniform(5e4, 2e6));
    }
    return layers;
}

/// The evaluator: the synthetic cost, the host's memory (an equal mapping is
/// answered again without counting), a budget in evaluations, and a log of
/// every call for the tests.
class SyntheticEvaluator {
public:
    /// After this many new evaluations every call returns CANCELLED (0: no budget).
    int64_t max_evaluations = 0;
    /// Every call returns CANCELLED, from the first (an interrupt before the search).
    bool cancel_at_once = false;
    /// Every mapping is INFEASIBLE.
    bool infeasible_everywhere = false;

    explicit SyntheticEvaluator(const SyntheticSpace& space) : space_(space) {
        view_.struct_size = sizeof view_;
        view_.ctx = this;
        view_.evaluate = [](void* ctx, const stream_mapping_v1* m, stream_metrics_v1* metrics, double* objective) {
            return self(ctx).evaluate(*m, *metrics, *objective);
        };
        view_.budget_left = [](void* ctx) {
            const SyntheticEvaluator& e = self(ctx);
            if (e.max_evaluations <= 0) return 1.0;
            return std::max(0.0, 1.0 - static_cast<double>(e.new_evaluations_) / static_cast<double>(e.max_evaluations));
        };
        // The host evaluated the seeds before the search.
        for (const Point& p : space.seeds()) remember(p);
    }
    SyntheticEvaluator(const SyntheticEvaluator&) = delete;
    SyntheticEvaluator& operator=(const SyntheticEvaluator&) = delete;

    const stream_mapping_evaluator_v1& view() const { return view_; }
    /// Every call, in order, with the point as the explorer sent it.
    const std::vector<Point>& calls() const { return calls_; }
    /// Calls made after the first CANCELLED was returned.
    std::size_t calls_after_cancel() const { return calls_after_cancel_; }
    /// Points evaluated for the first time during the search (the seeds excluded).
    int64_t new_evaluations() const { return new_evaluations_; }
    std::size_t invalid_calls() const { return invalid_calls_; }
    /// The best objective over every point evaluated (the host's pick), infinity if none was feasible.
    double best_objective() const {
        double best = INFINITY;
        if (infeasible_everywhere) return best;
        for (const auto& [p, v] : memo_) best = std::min(best, v);
        return best;
    }
    /// The distinct points evaluated, seeds included.
    std::size_t distinct_points() const { return memo_.size(); }

    /// The synthetic cost of `p` (see the top of this file); infinity when infeasible.
    double cost(const Point& p) const {
        const std::vector<LayerSpec>& layers = space_.layers();
        const std::size_t n = layers.size();
        double cycles = 0;
        for (std::size_t b = 0; b < n;) {
            std::size_t e = b + 1;
            while (e < n && !p.stack_start[e]) ++e;
            auto input = [&](std::size_t i) {
                return static_cast<double>(i == 0 ? space_.input_bits : layers[i - 1].output_bits);
            };
            for (std::size_t i = b; i < e; ++i) {
                const double s = p.split[i];
                cycles += layers[i].macs / (256 * s) + (s - 1) * static_cast<double>(layers[i].output_bits) / 256;
            }
            if (e - b == 1) {
                cycles += (input(b) + static_cast<double>(layers[b].weight_bits + layers[b].output_bits)) / 64;
            } else {
                double weights = 0, most_tiles = 1;
                for (std::size_t i = b; i < e; ++i) {
                    const double t = static_cast<double>(layers[i].tiles[p.tiling[i]]);
                    weights += static_cast<double>(layers[i].weight_bits);
                    most_tiles = std::max(most_tiles, t);
                    cycles += 200 * t * p.split[i];
                    if (i + 1 < e) {
                        if (static_cast<double>(layers[i].output_bits) / t > 200'000) return INFINITY;
                        const double next = static_cast<double>(layers[i + 1].tiles[p.tiling[i + 1]]);
                        cycles += std::abs(std::log2(t) - std::log2(next)) * static_cast<double>(layers[i].output_bits) / 128;
                    }
                }
                const double refetch = weights > 600'000 ? most_tiles : 1;
                cycles += (input(b) + weights * refetch + static_cast<double>(layers[e - 1].output_bits)) / 64;
            }
            b = e;
        }
        return cycles;
    }

private:
    static SyntheticEvaluator& self(void* ctx) { return *static_cast<SyntheticEvaluator*>(ctx); }

    // A point outside the space: the wrong count, a fixed boundary moved, a choice out of range.
    bool valid(const Point& p) const {
        const std::vector<LayerSpec>& layers = space_.layers();
        if (p.stack_start.size() != layers.size()) return false;
        for (std::size_t i = 0; i < layers.size(); ++i) {
            const int32_t fixed = i == 0 ? 1 : layers[i].stack_start_fixed;
            if (p.stack_start[i] > 1 || (fixed >= 0 && p.stack_start[i] != fixed)) return false;
            if (p.tiling[i] >= layers[i].tiles.size() || p.split[i] < 1 || p.split[i] > layers[i].max_split) return false;
        }
        return true;
    }

    double remember(const Point& p) { return memo_.emplace(p, cost(p)).first->second; }

    stream_status evaluate(const stream_mapping_v1& m, stream_metrics_v1& metrics, double& objective) {
        Point p;
        p.stack_start.assign(m.stack_start, m.stack_start + m.count);
        p.tiling.assign(m.tiling, m.tiling + m.count);
        p.split.assign(m.split, m.split + m.count);
        calls_.push_back(p);
        if (cancelled_) {
            ++calls_after_cancel_;
            return STREAM_ERROR_CANCELLED;
        }
        if (!valid(p)) {
            ++invalid_calls_;
            return STREAM_ERROR_INVALID_INPUT;
        }
        double value;
        if (auto it = memo_.find(p); it != memo_.end() && !cancel_at_once) {
            value = it->second;
        } else {
            if (cancel_at_once || (max_evaluations > 0 && new_evaluations_ >= max_evaluations)) {
                cancelled_ = true;
                return STREAM_ERROR_CANCELLED;
            }
            ++new_evaluations_;
            value = remember(p);
        }
        if (infeasible_everywhere || !std::isfinite(value)) return STREAM_ERROR_INFEASIBLE;
        metrics = {sizeof metrics, value, value, value * value, 0};
        objective = value;
        return STREAM_OK;
    }

    const SyntheticSpace& space_;
    stream_mapping_evaluator_v1 view_{};
    std::map<Point, double> memo_;
    std::vector<Point> calls_;
    std::size_t calls_after_cancel_ = 0;
    std::size_t invalid_calls_ = 0;
    int64_t new_evaluations_ = 0;
    bool cancelled_ = false;
};

/// What an explore call returned and submitted.
struct Run {
    stream_status create_status = STREAM_OK;
    stream_status status = STREAM_ERROR_INTERNAL;
    int submits = 0;
    std::string summary;
};

/// Creates an instance of the explorer `d` with `host`, explores `space` through `evaluator`, destroys it.
inline Run explore(const stream_plugin_descriptor& d, ExplorerHost& host, const SyntheticSpace& space,
                   SyntheticEvaluator& evaluator) {
    const auto& vtable = *static_cast<const stream_explorer_v1*>(d.vtable);
    Run run;
    void* instance = nullptr;
    run.create_status = vtable.create(&host.services, &instance);
    if (run.create_status != STREAM_OK) return run;
    stream_exploration_sink_v1 sink{sizeof sink, &run, [](void* ctx, const char* summary) {
                                        Run& r = *static_cast<Run*>(ctx);
                                        ++r.submits;
                                        r.summary = summary ? summary : "";
                                    }};
    run.status = vtable.explore(instance, &space.space(), &evaluator.view(), &sink);
    vtable.destroy(instance);
    return run;
}

/// The distinct points of the space after normalisation, counted by brute
/// force over every raw mapping: a check of the explorers' own count that
/// shares none of their code. Only for tiny spaces.
inline std::size_t brute_force_point_count(const SyntheticSpace& space) {
    const std::vector<LayerSpec>& layers = space.layers();
    const std::size_t n = layers.size();
    std::vector<uint32_t> radix;
    for (std::size_t i = 0; i < n; ++i) {
        radix.push_back(2);
        radix.push_back(static_cast<uint32_t>(layers[i].tiles.size()));
        radix.push_back(layers[i].max_split);
    }
    std::set<Point> points;
    std::vector<uint32_t> digit(radix.size(), 0);
    while (true) {
        Point p;
        for (std::size_t i = 0; i < n; ++i) {
            const int32_t fixed = i == 0 ? 1 : layers[i].stack_start_fixed;
            p.stack_start.push_back(fixed >= 0 ? static_cast<uint8_t>(fixed) : static_cast<uint8_t>(digit[3 * i]));
            p.tiling.push_back(digit[3 * i + 1]);
            p.split.push_back(digit[3 * i + 2] + 1);
        }
        for (std::size_t i = 0; i < n; ++i) {
            const bool alone = p.stack_start[i] && (i + 1 == n || p.stack_start[i + 1]);
            if (alone) p.tiling[i] = 0;
        }
        points.insert(p);
        std::size_t k = radix.size();
        while (k > 0 && ++digit[k - 1] == radix[k - 1]) digit[--k] = 0;
        if (k == 0) break;
    }
    return points.size();
}

} // namespace explorertest
