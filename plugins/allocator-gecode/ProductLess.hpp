// x * y < bound for non-negative integer variables, with a 64-bit bound.
//
// The EDP objective is latency x energy. Gecode's mult() needs the product as
// an int variable, which does not fit once latency and energy are both large,
// and scaling both down to ~46k values would blur the objective. Branch and
// bound only ever needs "better than the best so far", which this small
// bounds-consistent propagator states exactly: x <= (bound - 1) / min(y) and
// y <= (bound - 1) / min(x).
#pragma once

#include <gecode/int.hh>

namespace stream::plugins::gecode_alloc {

/// Posts x * y < bound. Both variables must have non-negative domains.
void product_less(Gecode::Home home, Gecode::IntVar x, Gecode::IntVar y, long long bound);

} // namespace stream::plugins::gecode_alloc
