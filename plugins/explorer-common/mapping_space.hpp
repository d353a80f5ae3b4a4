// The explorer's mapping space in C++ terms: the choices of every computation
// layer, the normal form of a point, the stacks a point cuts the layers into,
// the space-wide rules that tile a whole stack at once, and the number of
// distinct points. Every explorer works on normalised points only, so two
// mappings the host would run identically are never evaluated twice.
#pragma once

#include <stream/plugin.hpp>

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace stream::plugins::explore {

/// Entries [begin, end) of one layer stack.
struct Stack {
    std::uint32_t begin = 0;
    std::uint32_t end = 0;
    std::uint32_t size() const { return end - begin; }
    /// A layer alone in its stack is never tiled, so only longer stacks have a tiling choice.
    bool tiled() const { return size() >= 2; }
};

/// One way to tile every layer of a stack alike: the same option index for all
/// layers (clamped to each layer's options), or for each layer the option whose
/// tile count is closest to `tiles`. Defined over the whole space so that one
/// rule applies to any stack, before and after its boundaries move.
struct StackRule {
    bool by_index = true;
    std::uint32_t index = 0;
    std::int64_t tiles = 1;
};

class MappingSpace {
public:
    explicit MappingSpace(const stream_mapping_space_v1& space) : space_(space) {
        for (std::uint32_t i = 0; i < space.choice_count; ++i) {
            const stream_layer_choices_v1& c = choice(i);
            if (c.tiling_count < 1 || !c.tilings || c.max_split < 1)
                throw sdk::Error(STREAM_ERROR_INVALID_INPUT,
                                 "mapping space entry " + std::to_string(i) +
                                     " has no tiling option or a max_split below 1",
                                 sdk::Item::layer(c.layer));
        }
        build_rules();
    }

    const stream_mapping_space_v1& raw() const { return space_; }
    std::uint32_t size() const { return space_.choice_count; }
    const stream_layer_choices_v1& choice(std::uint32_t i) const {
        return *STREAM_AT(stream_layer_choices_v1, space_.choices, i);
    }
    std::uint32_t tiling_count(std::uint32_t i) const { return choice(i).tiling_count; }
    std::uint32_t max_split(std::uint32_t i) const { return choice(i).max_split; }
    std::int64_t tiles(std::uint32_t i, std::uint32_t option) const {
        return STREAM_AT(stream_tiling_option_v1, choice(i).tilings, option)->tiles;
    }
    /// Whether the search decides if a stack starts at entry i (entry 0 always starts one).
    bool boundary_free(std::uint32_t i) const { return i > 0 && i < size() && choice(i).stack_start_fixed < 0; }
    const std::vector<StackRule>& rules() const { return rules_; }

    /// The canonical form of `m`: entry 0 and fixed entries start stacks as the
    /// pipeline says, choices are clamped into range, and the tiling of a layer
    /// alone in its stack is 0 (the host ignores it, so it would only make
    /// duplicates).
    void normalise(sdk::Mapping& m) const {
        const std::uint32_t n = size();
        m.stack_start.resize(n, 1);
        m.tiling.resize(n, 0);
        m.split.resize(n, 1);
        for (std::uint32_t i = 0; i < n; ++i) {
            const std::int32_t fixed = choice(i).stack_start_fixed;
            if (i == 0) m.stack_start[i] = 1;
            else if (fixed >= 0) m.stack_start[i] = fixed ? 1 : 0;
            else m.stack_start[i] = m.stack_start[i] ? 1 : 0;
            m.tiling[i] = std::min(m.tiling[i], tiling_count(i) - 1);
            m.split[i] = std::clamp(m.split[i], 1u, max_split(i));
        }
        for (const Stack& s : stacks(m))
            if (!s.tiled()) m.tiling[s.begin] = 0;
    }

    sdk::Mapping normalised(sdk::Mapping m) const {
        normalise(m);
        return m;
    }

    /// Every entry in its own stack, whole and unsplit, as far as the fixed boundaries allow.
    sdk::Mapping layer_by_layer() const {
        sdk::Mapping m(size());
        std::fill(m.stack_start.begin(), m.stack_start.end(), std::uint8_t{1});
        return normalised(std::move(m));
    }

    std::vector<Stack> stacks(const sdk::Mapping& m) const {
        std::vector<Stack> out;
        for (std::uint32_t i = 0; i < size(); ++i) {
            if (i == 0 || m.stack_start[i]) out.push_back({i, i + 1});
            else out.back().end = i + 1;
        }
        return out;
    }

    Stack stack_of(const sdk::Mapping& m, std::uint32_t entry) const {
        Stack s{entry, entry + 1};
        while (s.begin > 0 && !m.stack_start[s.begin]) --s.begin;
        while (s.end < size() && !m.stack_start[s.end]) ++s.end;
        return s;
    }

    /// The option of entry i that `rule` picks.
    std::uint32_t rule_option(std::uint32_t i, const StackRule& rule) const {
        if (rule.by_index) return std::min(rule.index, tiling_count(i) - 1);
        return closest_option(i, rule.tiles);
    }

    /// The option of entry i whose tile count is closest to `target` on a log
    /// scale (4 is as far from 2 as from 8); the lower index on a tie.
    std::uint32_t closest_option(std::uint32_t i, std::int64_t target) const {
        std::uint32_t best = 0;
        double best_distance = INFINITY;
        for (std::uint32_t o = 0; o < tiling_count(i); ++o) {
            const double d = std::abs(std::log(static_cast<double>(std::max<std::int64_t>(tiles(i, o), 1))) -
                                      std::log(static_cast<double>(std::max<std::int64_t>(target, 1))));
            if (d < best_distance) {
                best = o;
                best_distance = d;
            }
        }
        return best;
    }

    /// Applies `rule` to every layer of stack `s` of `m` (no-op on a singleton).
    void apply_rule(sdk::Mapping& m, const Stack& s, const StackRule& rule) const {
        if (!s.tiled()) return;
        for (std::uint32_t i = s.begin; i < s.end; ++i) m.tiling[i] = rule_option(i, rule);
    }

    /// How many distinct normalised points the space has (a double: exact below
    /// 2^53, and large spaces only need to be known as large). Counted over the
    /// stack partitions: a stack [i, j) contributes its layers' split counts,
    /// and their tiling counts when it holds two layers or more.
    double point_count() const {
        const std::uint32_t n = size();
        if (n == 0) return 1;
        std::vector<double> from(n + 1, 0.0); // from[i]: points of entries i.. given a stack starts at i
        from[n] = 1;
        for (std::uint32_t i = n; i-- > 0;) {
            if (!can_start(i)) continue;
            double splits = 1, tilings = 1;
            for (std::uint32_t j = i + 1; j <= n; ++j) {
                splits *= max_split(j - 1);
                tilings *= tiling_count(j - 1);
                if (j == n || can_start(j)) from[i] += splits * (j - i >= 2 ? tilings : 1.0) * from[j];
                if (j < n && !can_continue(j)) break;
            }
        }
        return from[0];
    }

    /// "6 layers, 3 free stack boundaries, tiling options 4^2 x 2^4, split counts up to 2^6":
    /// the factors of the space's size, for a message that says what to shrink.
    std::string shape_text() const {
        std::uint32_t free = 0;
        std::map<std::uint32_t, std::uint32_t> tilings, splits;
        for (std::uint32_t i = 0; i < size(); ++i) {
            free += boundary_free(i) ? 1 : 0;
            ++tilings[tiling_count(i)];
            ++splits[max_split(i)];
        }
        return std::to_string(size()) + " layers, " + std::to_string(free) + " free stack boundaries, tiling options " +
               powers_text(tilings) + ", split counts up to " + powers_text(splits);
    }

private:
    bool can_start(std::uint32_t i) const { return i == 0 || choice(i).stack_start_fixed != 0; }
    bool can_continue(std::uint32_t i) const { return i > 0 && choice(i).stack_start_fixed != 1; }

    static std::string powers_text(const std::map<std::uint32_t, std::uint32_t>& counts) {
        std::string text;
        for (const auto& [base, count] : counts) {
            if (!text.empty()) text += " x ";
            text += std::to_string(base);
            if (count > 1) text.append("^").append(std::to_string(count));
        }
        return text;
    }

    // One index rule per option position, then one tile-count rule per distinct
    // tile count: layers whose options differ still get tiled alike.
    void build_rules() {
        std::uint32_t most = 0;
        std::vector<std::int64_t> counts;
        for (std::uint32_t i = 0; i < size(); ++i) {
            most = std::max(most, tiling_count(i));
            for (std::uint32_t o = 0; o < tiling_count(i); ++o) counts.push_back(tiles(i, o));
        }
        for (std::uint32_t o = 0; o < most; ++o) rules_.push_back({true, o, 1});
        std::sort(counts.begin(), counts.end());
        counts.erase(std::unique(counts.begin(), counts.end()), counts.end());
        for (std::int64_t t : counts) rules_.push_back({false, 0, t});
    }

    const stream_mapping_space_v1& space_;
    std::vector<StackRule> rules_;
};

} // namespace stream::plugins::explore
