#include "explore/MappingSpace.hpp"

#include "fusion/LayerStacks.hpp"
#include "fusion/LayerTiling.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <set>

namespace stream {

namespace {

std::int64_t constant_bits(const Layer& l) {
    std::int64_t bits = 0;
    for (const Operand& o : l.operands)
        if (o.role == OperandRole::Constant) bits += o.size_bits();
    return bits;
}

bool indexes_a_constant(const Layer& l, std::uint32_t dim) {
    for (const Operand& o : l.operands)
        if (o.role == OperandRole::Constant)
            for (const TensorAxis& ax : o.axes)
                for (const AffineTerm& t : ax.terms)
                    if (t.loop_dim == dim) return true;
    return false;
}

/// Loops a search may cut when the pipeline names none: the output's rows (what fusion cuts by
/// default) and the axes outside them (batch, heads) that no weight depends on, so a tile never
/// needs only part of a weight tensor another tile needs too.
std::vector<std::uint32_t> automatic_dims(const Layer& l) {
    std::vector<std::uint32_t> dims;
    auto rows = default_fusion_dim(l, false);
    if (rows) dims.push_back(*rows);
    const Operand* out = l.output();
    if (!out || out->axes.size() < 3) return dims;
    for (std::size_t a = 0; a + 2 < out->axes.size(); ++a) {
        const TensorAxis& ax = out->axes[a];
        if (ax.terms.size() != 1) continue;
        const std::uint32_t d = ax.terms[0].loop_dim;
        if (l.loop_dims[d].size > 1 && !indexes_a_constant(l, d) && std::find(dims.begin(), dims.end(), d) == dims.end())
            dims.push_back(d);
    }
    return dims;
}

/// Up to `options` tile counts for a loop of `size` iterations, spread evenly in log scale,
/// divisors first (equal tiles), always including the most tiles allowed.
std::vector<std::int64_t> tile_counts(std::int64_t size, std::int64_t max_tiles, std::int64_t options) {
    const std::int64_t top = std::min(size, max_tiles);
    std::vector<std::int64_t> candidates;
    for (std::int64_t t = 2; t <= top; ++t)
        if (size % t == 0) candidates.push_back(t);
    // Balanced tiles of unequal size only when no count divides the loop (a prime size).
    if (candidates.empty() && top >= 2) candidates.push_back(top);
    if (options <= 0 || candidates.empty()) return {};
    if (static_cast<std::int64_t>(candidates.size()) <= options) return candidates;
    std::vector<std::int64_t> picked;
    const double lo = std::log(static_cast<double>(candidates.front()));
    const double hi = std::log(static_cast<double>(candidates.back()));
    for (std::int64_t i = 0; i < options; ++i) {
        const double target = options == 1 ? hi : lo + (hi - lo) * static_cast<double>(i) / static_cast<double>(options - 1);
        auto best = std::min_element(candidates.begin(), candidates.end(), [&](std::int64_t a, std::int64_t b) {
            return std::abs(std::log(static_cast<double>(a)) - target) < std::abs(std::log(static_cast<double>(b)) - target);
        });
        if (std::find(picked.begin(), picked.end(), *best) == picked.end()) picked.push_back(*best);
    }
    std::sort(picked.begin(), picked.end());
    return picked;
}

std::uint32_t add_option(LayerChoices& c, TilingOption o) {
    auto it = std::find(c.tilings.begin(), c.tilings.end(), o);
    if (it != c.tilings.end()) return static_cast<std::uint32_t>(it - c.tilings.begin());
    c.tilings.push_back(std::move(o));
    return static_cast<std::uint32_t>(c.tilings.size() - 1);
}

} // namespace

MappingSpace build_mapping_space(const Workload& w, const Mapping& m, const Accelerator& acc, const SearchSettings& s,
                                 const std::vector<std::int64_t>& fixed_stacks, bool compat_stream) {
    MappingSpace space;
    space.choice_of_layer.assign(w.layers.size(), -1);
    MappingPoint user;
    std::int64_t previous_stack = -1;
    for (const Layer& l : w.layers) {
        if (l.layer_class != LayerClass::Compute) continue;
        LayerChoices c;
        c.layer = l.id;
        c.weight_bits = constant_bits(l);
        c.output_bits = l.output() ? l.output()->size_bits() : 0;
        c.macs = static_cast<double>(l.loop_iterations());
        c.tilings.push_back({});
        const auto resolved = m.resolve(l);
        const std::vector<TilingFactor> intra = resolved ? resolved->intra_core_tiling : std::vector<TilingFactor>{};

        // Tile options: the loops the mapping marks "search", else the layer's own tiling as written
        // (that one option), else the loops of [search] loops or the automatic ones.
        std::vector<std::uint32_t> dims;
        bool searched_factor = false;
        for (const TilingFactor& f : intra)
            if (f.kind == TilingFactor::Kind::Search) {
                searched_factor = true;
                if (auto d = find_tiling_dim(l, f.dim, compat_stream)) dims.push_back(*d);
            }
        std::uint32_t user_tiling = 0;
        const bool user_wrote_tiling = !intra.empty() && !searched_factor;
        if (user_wrote_tiling) {
            const TilingFactor& f = intra.front();
            if (auto d = find_tiling_dim(l, f.dim, compat_stream)) {
                const std::int64_t size = l.loop_dims[*d].size;
                const std::int64_t tiles = f.kind == TilingFactor::Kind::All ? size : std::min(f.factor, size);
                if (tiles > 1) user_tiling = add_option(c, {l.loop_dims[*d].name, tiles});
            }
        } else {
            if (!searched_factor) {
                if (s.loops.empty()) {
                    dims = automatic_dims(l);
                } else {
                    for (const std::string& name : s.loops)
                        if (auto d = find_tiling_dim(l, name, compat_stream))
                            if (std::find(dims.begin(), dims.end(), *d) == dims.end()) dims.push_back(*d);
                }
            }
            for (std::uint32_t d : dims)
                for (std::int64_t tiles : tile_counts(l.loop_dims[d].size, s.max_tiles, s.tile_options))
                    add_option(c, {l.loop_dims[d].name, tiles});
            // The mapping as written cuts fused layers into their output rows: that option is the user's.
            if (auto rows = default_fusion_dim(l, compat_stream); rows && l.loop_dims[*rows].size > 1)
                user_tiling = add_option(c, {l.loop_dims[*rows].name, l.loop_dims[*rows].size});
        }

        // Split counts: a layer whose inter-core tiling may spread it (not pinned to its cores).
        std::uint32_t user_split = 1;
        if (resolved && !resolved->fixed && resolved->cores.size() > 1) {
            const std::vector<TilingFactor>& inter = resolved->inter_core_tiling;
            bool inter_searched = false;
            // (Built from a view, not assigned from literals: GCC 12 warns a false -Wrestrict on those.)
            std::string_view dim_name;
            if (!inter.empty()) {
                dim_name = inter.front().dim;
                inter_searched = inter.front().kind == TilingFactor::Kind::Search;
            } else if (l.group_count > 1 && find_tiling_dim(l, "G", compat_stream)) {
                dim_name = "G";
            } else if (find_tiling_dim(l, "K", compat_stream)) {
                dim_name = "K";
            }
            const std::string dim{dim_name};
            const std::int64_t cores = static_cast<std::int64_t>(resolved->cores.size());
            const std::int64_t limit = inter_searched ? cores : std::min(cores, s.max_split);
            if (!dim.empty() && limit > 1 && inter.size() <= 1 && find_tiling_dim(l, dim, compat_stream)) {
                c.split_dim = dim;
                c.max_split = static_cast<std::uint32_t>(limit);
                // What the mapping as written does: "*" and no tiling spread the layer over every
                // candidate core, a count over that many.
                std::int64_t as_written = cores;
                if (!inter.empty() && inter.front().kind == TilingFactor::Kind::Count) as_written = inter.front().factor;
                if (!inter.empty() && inter.front().kind == TilingFactor::Kind::All) as_written = cores;
                user_split = static_cast<std::uint32_t>(std::clamp<std::int64_t>(as_written, 1, limit));
            }
        }

        const std::int64_t stack = fixed_stacks[static_cast<std::size_t>(l.id)];
        const bool starts = space.choices.empty() || stack != previous_stack;
        previous_stack = stack;
        if (space.choices.empty()) c.stack_start_fixed = 1;
        else if (!s.stacks_searched) c.stack_start_fixed = starts ? 1 : 0;
        user.stack_start.push_back(starts ? 1 : 0);
        user.tiling.push_back(user_tiling);
        user.split.push_back(user_split);
        space.choice_of_layer[static_cast<std::size_t>(l.id)] = static_cast<std::int64_t>(space.choices.size());
        space.choices.push_back(std::move(c));
    }
    if (space.choices.empty()) fail_input(w.where, "the mapping search needs at least one computation layer");

    MappingPoint lbl = user;
    for (std::size_t i = 0; i < space.choices.size(); ++i) {
        const LayerChoices& c = space.choices[i];
        lbl.stack_start[i] = c.stack_start_fixed >= 0 ? static_cast<std::uint8_t>(c.stack_start_fixed) : 1;
        lbl.tiling[i] = 0;
    }
    space.layer_by_layer = space.normalised(lbl);
    space.seeds.push_back(space.layer_by_layer);
    MappingPoint u = space.normalised(user);
    space.as_written = u;
    if (!(u == space.layer_by_layer)) space.seeds.push_back(u);
    // Stream's own heuristic (one stack until the weights fill the chip, then layer by layer) is a
    // good start on CNNs whose early layers have small weights and large activations.
    if (s.stacks_searched) {
        const std::vector<std::int64_t> stream_stacks = assign_stacks(w, acc, "fused", "weights", compat_stream, {});
        MappingPoint h = user;
        std::int64_t prev = -1;
        for (std::size_t i = 0; i < space.choices.size(); ++i) {
            const std::int64_t st = stream_stacks[static_cast<std::size_t>(space.choices[i].layer)];
            h.stack_start[i] = i == 0 || st != prev ? 1 : 0;
            prev = st;
        }
        h = space.normalised(h);
        if (std::find(space.seeds.begin(), space.seeds.end(), h) == space.seeds.end()) space.seeds.push_back(h);
    }
    return space;
}

std::vector<std::int64_t> stacks_as_written(const SearchSettings& s, const Workload& w, const Accelerator& acc,
                                            const std::vector<std::int64_t>& pipeline_stacks, bool compat_stream) {
    if (!s.stacks_searched || s.start_stacks.empty()) return pipeline_stacks;
    return assign_stacks(w, acc, "fused", s.start_stacks, compat_stream, s.start_stacks_where);
}

std::string MappingSpace::problem_with(const MappingPoint& p) const {
    const std::size_t n = choices.size();
    if (p.stack_start.size() != n || p.tiling.size() != n || p.split.size() != n)
        return fmt::format("a mapping has {} entries, the space {}", p.stack_start.size(), n);
    for (std::size_t i = 0; i < n; ++i) {
        const LayerChoices& c = choices[i];
        if (p.stack_start[i] > 1) return fmt::format("entry {}: stack_start must be 0 or 1", i);
        if (c.stack_start_fixed >= 0 && p.stack_start[i] != c.stack_start_fixed)
            return fmt::format("entry {} (layer {}): a stack {} here (fixed by the pipeline)", i, c.layer,
                               c.stack_start_fixed ? "must start" : "cannot start");
        if (p.tiling[i] >= c.tilings.size())
            return fmt::format("entry {} (layer {}): tiling option {} of {}", i, c.layer, p.tiling[i], c.tilings.size());
        if (p.split[i] < 1 || p.split[i] > c.max_split)
            return fmt::format("entry {} (layer {}): split {} outside 1..{}", i, c.layer, p.split[i], c.max_split);
    }
    return {};
}

MappingPoint MappingSpace::normalised(MappingPoint p) const {
    const std::size_t n = choices.size();
    for (std::size_t i = 0; i < n; ++i) {
        const bool alone = p.stack_start[i] && (i + 1 == n || p.stack_start[i + 1]);
        if (alone) p.tiling[i] = 0;
    }
    return p;
}

std::vector<std::int64_t> MappingSpace::stack_of_layer(const MappingPoint& p, std::size_t layer_count) const {
    std::vector<std::int64_t> stack(layer_count, 0);
    std::int64_t current = 0;
    bool first = true;
    for (std::size_t l = 0; l < layer_count; ++l) {
        const std::int64_t c = l < choice_of_layer.size() ? choice_of_layer[l] : -1;
        if (c >= 0) {
            if (!first && p.stack_start[static_cast<std::size_t>(c)]) ++current;
            first = false;
        }
        stack[l] = current;
    }
    return stack;
}

std::string MappingSpace::stacks_text(const MappingPoint& p, std::size_t layer_count) const {
    const std::vector<std::int64_t> stack = stack_of_layer(p, layer_count);
    std::string text;
    std::size_t begin = 0;
    for (std::size_t l = 1; l <= layer_count; ++l)
        if (l == layer_count || stack[l] != stack[begin]) {
            if (!text.empty()) text += ',';
            text += fmt::format("{}-{}", begin, l - 1);
            begin = l;
        }
    return text;
}

PointMapping apply_point(const MappingSpace& space, const MappingPoint& p, const Workload& w, const Mapping& base,
                         const FusionOptions& base_fusion) {
    PointMapping out{base, base_fusion};
    out.fusion.mode = "fused";
    out.fusion.layer_stacks = space.stacks_text(p, w.layers.size());
    out.fusion.star_split_of_layer.assign(w.layers.size(), 0);
    for (std::size_t i = 0; i < space.choices.size(); ++i) {
        const LayerChoices& c = space.choices[i];
        const Layer& l = w.layers[static_cast<std::size_t>(c.layer)];
        auto resolved = base.resolve(l);
        if (!resolved) continue; // the fusion engine reports a layer without a mapping entry
        MappingEntry e;
        e.cores = resolved->cores;
        e.fixed = resolved->fixed;
        e.where = resolved->where;
        const TilingOption& o = c.tilings[p.tiling[i]];
        // [[loop, 1]] keeps the layer whole (LayerTiling.cpp); any loop of the layer will do.
        if (o.dim.empty()) e.intra_core_tiling = std::vector<TilingFactor>{{l.loop_dims.front().name, TilingFactor::Kind::Count, 1, {}}};
        else e.intra_core_tiling = std::vector<TilingFactor>{{o.dim, TilingFactor::Kind::Count, o.tiles, {}}};
        if (!c.split_dim.empty()) {
            e.inter_core_tiling = std::vector<TilingFactor>{{c.split_dim, TilingFactor::Kind::Star, 1, {}}};
            out.fusion.star_split_of_layer[static_cast<std::size_t>(c.layer)] = p.split[i];
        } else {
            e.inter_core_tiling = resolved->inter_core_tiling;
        }
        out.mapping.by_layer_name[l.name] = std::move(e);
    }
    return out;
}

std::string describe_layer_choice(const MappingSpace& space, const MappingPoint& p, std::size_t choice) {
    const LayerChoices& c = space.choices[choice];
    const TilingOption& o = c.tilings[p.tiling[choice]];
    std::string text = o.dim.empty() ? "whole" : fmt::format("{}/{}", o.dim, o.tiles);
    if (!c.split_dim.empty()) text += fmt::format(" x{}", p.split[choice]);
    return text;
}

} // namespace stream
