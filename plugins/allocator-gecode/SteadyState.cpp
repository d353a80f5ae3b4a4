#include "SteadyState.hpp"

#include <algorithm>
#include <map>

namespace stream::plugins::gecode_alloc {

namespace {

const std::vector<std::size_t> kNoNodes;

} // namespace

const std::vector<std::size_t>& SteadyState::nodes() const {
    if (!chosen) return kNoNodes;
    return tuples[signatures[*chosen].first_tuple].todo;
}

std::int64_t SteadyState::iterations() const { return chosen ? signatures[*chosen].occurrences : 0; }

std::string describe(const Signature& signature) {
    std::string text = "{";
    for (const auto& [layer, count] : signature.counts) {
        if (text.size() > 1) text += ", ";
        text += std::to_string(layer) + ":" + std::to_string(count);
    }
    return text + "}";
}

SteadyState find_steady_state(const std::vector<NodeInfo>& nodes, const std::vector<std::size_t>& stack_nodes) {
    std::vector<char> in_stack(nodes.size(), 0);
    for (std::size_t n : stack_nodes)
        in_stack.at(n) = 1;

    // Sinks per layer and row. A row gathers the tiles of all the layer's tile groups that
    // cover the same rows: Stream analyses the layer before it is split over cores, where
    // that is one tile, so its waves walk rows, not one group's rows after another's.
    std::map<std::int64_t, std::map<std::int64_t, std::vector<std::size_t>>> sinks;
    for (std::size_t n : stack_nodes) {
        bool feeds_other_layer = false;
        for (std::size_t s : nodes[n].succs)
            if (in_stack[s] && nodes[s].layer != nodes[n].layer) feeds_other_layer = true;
        if (!feeds_other_layer) sinks[nodes[n].layer][nodes[n].row].push_back(n);
    }
    // Per sink layer, its rows in order: wave w takes row w of every sink layer.
    std::vector<std::vector<const std::vector<std::size_t>*>> sink_rows;
    std::size_t waves = 0;
    for (const auto& [layer, rows] : sinks) {
        auto& list = sink_rows.emplace_back();
        for (const auto& [row, tiles] : rows)
            list.push_back(&tiles);
        waves = std::max(waves, list.size());
    }

    SteadyState ss;
    std::map<std::vector<std::pair<std::int64_t, std::int64_t>>, std::size_t> signature_index;
    // Every wave computes the full ancestor closure of its sinks, so "computed" stays
    // closed under ancestors and a walk can stop at the first computed node.
    std::vector<char> computed(nodes.size(), 0);
    std::vector<std::size_t> walk;
    for (std::size_t w = 0; w < waves; ++w) {
        SinkTuple tuple;
        for (const auto& rows : sink_rows) {
            if (w >= rows.size()) continue;
            for (std::size_t n : *rows[w])
                if (!computed[n]) {
                    computed[n] = 1;
                    walk.push_back(n);
                }
        }
        while (!walk.empty()) {
            const std::size_t n = walk.back();
            walk.pop_back();
            tuple.todo.push_back(n);
            for (std::size_t p : nodes[n].preds)
                if (in_stack[p] && !computed[p]) {
                    computed[p] = 1;
                    walk.push_back(p);
                }
        }
        std::sort(tuple.todo.begin(), tuple.todo.end(), [&](std::size_t a, std::size_t b) {
            if (nodes[a].layer != nodes[b].layer) return nodes[a].layer < nodes[b].layer;
            return nodes[a].sub_id != nodes[b].sub_id ? nodes[a].sub_id < nodes[b].sub_id : nodes[a].id < nodes[b].id;
        });
        std::vector<std::pair<std::int64_t, std::int64_t>> counts;
        double macs = 0;
        for (std::size_t n : tuple.todo) {
            macs += nodes[n].macs;
            if (counts.empty() || counts.back().first != nodes[n].layer) counts.emplace_back(nodes[n].layer, 0);
            ++counts.back().second;
        }
        auto [it, fresh] = signature_index.try_emplace(counts, ss.signatures.size());
        if (fresh) ss.signatures.push_back({std::move(counts), 0, ss.tuples.size(), macs});
        ++ss.signatures[it->second].occurrences;
        tuple.signature = it->second;
        ss.tuples.push_back(std::move(tuple));
    }

    for (std::size_t s = 0; s < ss.signatures.size(); ++s) {
        // An empty wave (its sinks were all computed earlier) is no steady state.
        if (ss.signatures[s].counts.empty()) continue;
        if (!ss.chosen || ss.signatures[s].score() > ss.signatures[*ss.chosen].score()) ss.chosen = s;
    }
    return ss;
}

std::vector<std::size_t> scheduling_order(const std::vector<NodeInfo>& nodes,
                                          const std::vector<std::size_t>& stack_nodes, const SteadyState& steady,
                                          const std::vector<std::size_t>& steady_units) {
    auto deepest_first = [&](std::size_t a, std::size_t b) {
        if (nodes[a].layer != nodes[b].layer) return nodes[a].layer > nodes[b].layer;
        return nodes[a].sub_id != nodes[b].sub_id ? nodes[a].sub_id > nodes[b].sub_id : nodes[a].id > nodes[b].id;
    };
    std::vector<std::size_t> order;
    order.reserve(stack_nodes.size());
    std::vector<char> placed(nodes.size(), 0);
    for (const SinkTuple& tuple : steady.tuples) {
        std::vector<std::size_t> rest = tuple.todo; // ascending (layer, sub_id)
        if (steady.chosen && tuple.signature == *steady.chosen) {
            for (std::size_t unit : steady_units) {
                auto it = std::find_if(rest.begin(), rest.end(), [&](std::size_t n) { return nodes[n].unit == unit; });
                if (it == rest.end()) continue;
                order.push_back(*it);
                placed[*it] = 1;
                rest.erase(it);
            }
        }
        std::sort(rest.begin(), rest.end(), deepest_first);
        for (std::size_t n : rest) {
            order.push_back(n);
            placed[n] = 1;
        }
    }
    std::vector<std::size_t> left;
    for (std::size_t n : stack_nodes)
        if (!placed[n]) left.push_back(n);
    std::sort(left.begin(), left.end(), [&](std::size_t a, std::size_t b) {
        return nodes[a].priority != nodes[b].priority ? nodes[a].priority < nodes[b].priority : a < b;
    });
    order.insert(order.end(), left.begin(), left.end());
    return order;
}

} // namespace stream::plugins::gecode_alloc
