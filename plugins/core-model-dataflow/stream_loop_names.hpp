// Stream's names for the loops of element-wise layers (stream.md §2.4): its parser names them by
// output position, B, H, D, K for rank 4 (K = the last axis, the columns), whatever the layer
// computes. A core's dataflow names loops ("K, 32"), so under --compat stream the spatial
// unrolling of an element-wise layer runs along its columns, as in Stream, not its channels.
#pragma once

#include "dataflow_model.hpp"

namespace stream::dataflow {

// True when every loop indexes one axis of the output one to one (Add, Relu, ...).
bool is_elementwise(const LoopNest& nest);

// The nest with its loops renamed K / D,K / B,D,K / B,H,D,K by output position when it is
// element-wise of rank 1 to 4; otherwise the nest unchanged.
LoopNest with_stream_loop_names(const LoopNest& nest);

} // namespace stream::dataflow
