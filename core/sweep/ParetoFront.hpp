// The Pareto front of points under metrics that are all minimised.
#pragma once

#include <cstddef>
#include <vector>

namespace stream::sweep {

/// Indices (ascending) of the rows of `values` (one value per metric, all rows the same
/// length) that no other row dominates: another row dominates when it is no worse in every
/// metric and better in one. Equal rows on the front are all kept.
std::vector<std::size_t> pareto_front(const std::vector<std::vector<double>>& values);

} // namespace stream::sweep
