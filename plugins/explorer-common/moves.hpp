// The neighbourhood of a point: the moves that change one decision of the
// mapping. A boundary move may also re-tile the stacks it changes with one of
// the space's stack rules, because a merge whose new stack keeps its old
// tilings is often infeasible (the fused activations no longer fit) while the
// same merge with finer tiles is the best point: without the compound move a
// descent could never cross that valley.
#pragma once

#include <mapping_space.hpp>
#include <search_random.hpp>

#include <algorithm>
#include <cstdint>
#include <optional>
#include <random>
#include <vector>

namespace stream::plugins::explore {

enum class MoveKind : std::uint8_t {
    toggle_boundary, ///< entry: a free boundary; starts or ends a stack there
    shift_boundary,  ///< entry: a stack start; value: a free entry of its stack or the one before, the start instead
    stack_tiling,    ///< entry: a stack's first entry; rule: the rule applied to the whole stack
    pair_tiling,     ///< entry: a layer whose next layer shares its stack; rule: the rule applied to the two
    every_stack,     ///< rule: the rule applied to every stack at once (out of a start where several stacks overflow)
    layer_tiling,    ///< entry: a layer in a stack of two or more; value: its new option
    split,           ///< entry: a layer; value: its new split count
};
inline constexpr std::size_t move_kind_count = 7;

/// Which stacks next to a moved boundary a boundary move re-tiles.
enum class Side : std::uint8_t { both, before, after };

struct Move {
    MoveKind kind = MoveKind::toggle_boundary;
    std::uint32_t entry = 0;
    std::uint32_t value = 0;
    /// Boundary moves: 0 keeps the layers' tilings, r > 0 applies rules()[r - 1] to
    /// the stacks on `side` of the boundary where it now is. Stack, pair and every
    /// stack tiling: the rule's index.
    std::uint32_t rule = 0;
    Side side = Side::both;
};

/// Every move from `m` (normalised), in a fixed order: boundaries first (the
/// decisions that matter most), then whole-stack tilings, layer tilings and
/// splits (whole-stack tilings of every stack at once come only with two
/// tiled stacks or more, else they are a stack tiling). Some moves may lead to the same point; the tracker's memory makes
/// the second one free.
inline std::vector<Move> all_moves(const MappingSpace& space, const sdk::Mapping& m) {
    std::vector<Move> out;
    const auto rule_count = static_cast<std::uint32_t>(space.rules().size());
    // A new boundary leaves two stacks that may each want other tiles, so its
    // rule goes to either or both; a merge has one stack to re-tile.
    auto boundary_moves = [&](MoveKind kind, std::uint32_t entry, std::uint32_t value, bool two_stacks) {
        out.push_back({kind, entry, value, 0, Side::both});
        for (std::uint32_t r = 1; r <= rule_count; ++r)
            for (Side side : {Side::both, Side::before, Side::after})
                if (side == Side::both || two_stacks) out.push_back({kind, entry, value, r, side});
    };
    for (std::uint32_t i = 1; i < space.size(); ++i)
        if (space.boundary_free(i)) boundary_moves(MoveKind::toggle_boundary, i, 0, !m.stack_start[i]);
    // A boundary moves anywhere between its neighbours: moving it by several
    // entries at once may cross a valley that two single toggles cannot.
    for (std::uint32_t i = 1; i < space.size(); ++i) {
        if (!space.boundary_free(i) || !m.stack_start[i]) continue;
        const Stack before = space.stack_of(m, i - 1), after = space.stack_of(m, i);
        for (std::uint32_t j = before.begin + 1; j < after.end; ++j)
            if (j != i && space.boundary_free(j)) boundary_moves(MoveKind::shift_boundary, i, j, true);
    }
    const std::vector<Stack> stacks = space.stacks(m);
    for (const Stack& s : stacks)
        if (s.tiled())
            for (std::uint32_t r = 0; r < rule_count; ++r) out.push_back({MoveKind::stack_tiling, s.begin, 0, r});
    // Two neighbours re-tiled alike: a stack's best tiling may change tile
    // counts part-way, and one layer moved alone pays for the mismatch twice.
    for (const Stack& s : stacks)
        if (s.size() >= 3)
            for (std::uint32_t i = s.begin; i + 1 < s.end; ++i)
                for (std::uint32_t r = 0; r < rule_count; ++r) out.push_back({MoveKind::pair_tiling, i, 0, r});
    if (std::count_if(stacks.begin(), stacks.end(), [](const Stack& s) { return s.tiled(); }) >= 2)
        for (std::uint32_t r = 0; r < rule_count; ++r) out.push_back({MoveKind::every_stack, 0, 0, r});
    for (const Stack& s : stacks)
        if (s.tiled())
            for (std::uint32_t i = s.begin; i < s.end; ++i)
                for (std::uint32_t o = 0; o < space.tiling_count(i); ++o)
                    if (o != m.tiling[i]) out.push_back({MoveKind::layer_tiling, i, o, 0});
    for (std::uint32_t i = 0; i < space.size(); ++i)
        for (std::uint32_t s = 1; s <= space.max_split(i); ++s)
            if (s != m.split[i]) out.push_back({MoveKind::split, i, s, 0});
    return out;
}

/// The moves of all_moves(space, m) of one kind at one entry (a stack's first entry for stack tilings).
inline std::vector<Move> moves_at(const MappingSpace& space, const sdk::Mapping& m, MoveKind kind, std::uint32_t entry) {
    std::vector<Move> out;
    for (const Move& move : all_moves(space, m))
        if (move.kind == kind && move.entry == entry) out.push_back(move);
    return out;
}

/// `m` with `move` applied, normalised; nullopt when the move no longer applies
/// to `m` (a move listed for an earlier point whose boundaries have changed since).
inline std::optional<sdk::Mapping> apply(const MappingSpace& space, sdk::Mapping m, const Move& move) {
    // The rule of a boundary move, on the stacks before and after the boundary at `entry`.
    auto retile_at = [&](std::uint32_t entry) {
        if (move.rule == 0) return;
        const StackRule& rule = space.rules()[move.rule - 1];
        if (move.side != Side::after) space.apply_rule(m, space.stack_of(m, entry - 1), rule);
        if (move.side != Side::before) space.apply_rule(m, space.stack_of(m, entry), rule);
    };
    switch (move.kind) {
    case MoveKind::toggle_boundary:
        if (!space.boundary_free(move.entry)) return std::nullopt;
        m.stack_start[move.entry] ^= 1;
        retile_at(move.entry);
        break;
    case MoveKind::shift_boundary:
        if (!space.boundary_free(move.entry) || !space.boundary_free(move.value) || !m.stack_start[move.entry] ||
            move.value == move.entry)
            return std::nullopt;
        // The target must lie in one of the two stacks the boundary separates.
        for (std::uint32_t k = std::min(move.entry, move.value) + 1; k < std::max(move.entry, move.value); ++k)
            if (m.stack_start[k]) return std::nullopt;
        if (m.stack_start[move.value]) return std::nullopt;
        m.stack_start[move.entry] = 0;
        m.stack_start[move.value] = 1;
        retile_at(move.value);
        break;
    case MoveKind::stack_tiling: {
        const Stack s = space.stack_of(m, move.entry);
        if (s.begin != move.entry || !s.tiled()) return std::nullopt;
        space.apply_rule(m, s, space.rules()[move.rule]);
        break;
    }
    case MoveKind::pair_tiling: {
        const Stack s = space.stack_of(m, move.entry);
        if (move.entry + 1 >= s.end || !s.tiled()) return std::nullopt;
        space.apply_rule(m, Stack{move.entry, move.entry + 2}, space.rules()[move.rule]);
        break;
    }
    case MoveKind::every_stack:
        for (const Stack& s : space.stacks(m)) space.apply_rule(m, s, space.rules()[move.rule]);
        break;
    case MoveKind::layer_tiling:
        if (!space.stack_of(m, move.entry).tiled()) return std::nullopt;
        m.tiling[move.entry] = move.value;
        break;
    case MoveKind::split:
        m.split[move.entry] = move.value;
        break;
    }
    space.normalise(m);
    return m;
}

/// A random move from `m`: first a kind among those that have a move (so a
/// space with many boundaries does not drown the splits), then one move of that
/// kind. nullopt when `m` has no neighbour at all (a space of one point).
inline std::optional<Move> random_move(const MappingSpace& space, const sdk::Mapping& m, std::mt19937_64& rng) {
    std::vector<std::vector<Move>> by_kind(move_kind_count);
    for (const Move& move : all_moves(space, m)) by_kind[static_cast<std::size_t>(move.kind)].push_back(move);
    std::vector<std::size_t> kinds;
    for (std::size_t k = 0; k < by_kind.size(); ++k)
        if (!by_kind[k].empty()) kinds.push_back(k);
    if (kinds.empty()) return std::nullopt;
    const std::vector<Move>& pool = by_kind[kinds[pick(rng, kinds.size())]];
    return pool[pick(rng, pool.size())];
}

} // namespace stream::plugins::explore
