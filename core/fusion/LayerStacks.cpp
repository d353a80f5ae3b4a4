#include "fusion/LayerStacks.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>

namespace stream {

namespace {

std::optional<std::int64_t> parse_id(std::string_view s) {
    std::int64_t v = 0;
    auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (ec != std::errc{} || p != s.data() + s.size()) return std::nullopt;
    return v;
}

std::string_view trim(std::string_view s) {
    while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
    while (!s.empty() && s.back() == ' ') s.remove_suffix(1);
    return s;
}

std::int64_t weight_bits(const Layer& l) {
    std::int64_t bits = 0;
    for (const Operand& o : l.operands)
        if (o.role == OperandRole::Constant) bits += o.size_bits();
    return bits;
}

std::vector<std::int64_t> explicit_stacks(const Workload& w, const std::string& stacks, const SourceLoc& where) {
    const std::int64_t n = static_cast<std::int64_t>(w.layers.size());
    std::vector<std::int64_t> stack(static_cast<std::size_t>(n), -1);
    std::int64_t next = 0;
    std::string_view rest{stacks};
    while (!rest.empty()) {
        auto comma = rest.find(',');
        std::string_view item = trim(rest.substr(0, comma));
        rest = comma == std::string_view::npos ? std::string_view{} : rest.substr(comma + 1);
        if (item.empty()) fail_input(where, fmt::format("layer stacks '{}': empty stack", stacks));
        std::int64_t first = -1, last = -1;
        auto dash = item.find('-');
        auto a = parse_id(trim(item.substr(0, dash)));
        auto b = dash == std::string_view::npos ? a : parse_id(trim(item.substr(dash + 1)));
        if (a && b) {
            first = *a;
            last = *b;
        } else {
            auto it = std::find_if(w.layers.begin(), w.layers.end(), [&](const Layer& l) { return l.name == item; });
            if (it == w.layers.end())
                fail_input(where, fmt::format("layer stacks: '{}' is neither a layer id range (\"0-10\") nor a layer name "
                                              "(or one of \"pack\", \"weights\", \"all\")",
                                              item));
            first = last = it->id;
        }
        if (first > last) fail_input(where, fmt::format("layer stacks: range '{}' runs backwards", item));
        if (first < 0 || last >= n)
            fail_input(where, fmt::format("layer stacks: '{}' is outside the workload's layer ids 0..{}", item, n - 1));
        for (std::int64_t i = first; i <= last; ++i) {
            if (stack[static_cast<std::size_t>(i)] >= 0) fail_input(where, fmt::format("layer stacks: layer {} is in two stacks", i));
            stack[static_cast<std::size_t>(i)] = next;
        }
        ++next;
    }
    for (auto& s : stack)
        if (s < 0) s = next++;
    return stack;
}

} // namespace

std::int64_t weight_capacity_bits(const Accelerator& acc) {
    std::int64_t cap = 0;
    for (const Core& c : acc.cores) {
        if (c.is_offchip) continue;
        const auto& mems = c.type->memories;
        for (auto it = mems.rbegin(); it != mems.rend(); ++it)
            if (std::find(it->operands.begin(), it->operands.end(), "W") != it->operands.end()) {
                cap += it->size_bits;
                break;
            }
    }
    return cap;
}

std::vector<std::int64_t> assign_stacks(const Workload& w, const Accelerator& acc, const std::string& mode,
                                        const std::string& spec, bool compat_stream, const SourceLoc& where) {
    const std::size_t n = w.layers.size();
    std::vector<std::int64_t> stack(n, 0);
    if (mode == "layer_by_layer") {
        // A pipeline written for fused mode stays usable when a flag or a sweep axis switches the
        // mode: its stacks are ignored (build_cn_graph warns).
        for (std::size_t i = 0; i < n; ++i) stack[i] = static_cast<std::int64_t>(i);
        return stack;
    }
    std::string how = spec.empty() ? (compat_stream ? "weights" : "pack") : spec;
    // "search": the mapping search replaces the stacks before the graph it runs is built; what
    // check and tiles show without it is the default packing.
    if (how == "search") how = "pack";
    if (how == "all") return stack;
    if (how != "pack" && how != "weights") return explicit_stacks(w, how, where);

    const std::int64_t cap = weight_capacity_bits(acc);
    std::int64_t current = 0, used = 0, compute_in_current = 0;
    bool first_closed = false;
    for (std::size_t i = 0; i < n; ++i) {
        const Layer& l = w.layers[i];
        const std::int64_t bits = weight_bits(l);
        if (how == "weights" && first_closed) {
            stack[i] = ++current; // after the first stack, every layer alone
            continue;
        }
        if (l.layer_class == LayerClass::Compute && compute_in_current > 0 && used + bits > cap) {
            first_closed = true;
            ++current;
            used = 0;
            compute_in_current = 0;
        }
        stack[i] = current;
        used += bits;
        if (l.layer_class == LayerClass::Compute) ++compute_in_current;
    }
    return stack;
}

} // namespace stream
