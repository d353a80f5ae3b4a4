// The second half of a treap insertion, shared by the scheduler's treaps (StepFunction,
// IntervalSet): after a descent that found no node with the new key, the new node hangs
// where the descent ended and rotates up past the ancestors of lower priority.
#pragma once

#include <cstddef>
#include <cstdint>

namespace stream::plugins::stream_scheduler {

/// Hangs node `x` below path[depth - 1] (path[0] is the root), rotating it up while its
/// priority beats its parent's. `goes_left(p)`: x's key is below node p's. `pull(p)`
/// refreshes p's subtree summary from its children; every node on the path gets it.
/// Returns the root afterwards.
template <class Node, class GoesLeft, class Pull>
std::int32_t hang_leaf(Node* n, const std::int32_t* path, std::size_t depth, std::int32_t x, std::int32_t root,
                       GoesLeft&& goes_left, Pull&& pull) {
    while (depth > 0 && n[path[depth - 1]].priority < n[x].priority) {
        const std::int32_t parent = path[--depth];
        if (goes_left(parent)) { // x hangs left of parent: rotate right
            n[parent].left = n[x].right;
            n[x].right = parent;
        } else {
            n[parent].right = n[x].left;
            n[x].left = parent;
        }
        pull(parent);
    }
    pull(x);
    if (depth == 0) {
        root = x;
    } else {
        const std::int32_t parent = path[depth - 1];
        (goes_left(parent) ? n[parent].left : n[parent].right) = x;
    }
    while (depth > 0) pull(path[--depth]);
    return root;
}

} // namespace stream::plugins::stream_scheduler
