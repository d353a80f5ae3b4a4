// A scatter plot of a merged sweep, first metric across and second up (a
// single metric is drawn against the point's rank), with the Pareto front
// highlighted and joined; every dot's tooltip lists its parameters.
#pragma once

#include "sweep/SweepMerge.hpp"

#include <string>

namespace stream::sweep {

std::string pareto_svg(const MergedSweep& merged);
/// The SVG in a self-contained page, with a table of the front's points.
std::string pareto_html(const MergedSweep& merged);

} // namespace stream::sweep
