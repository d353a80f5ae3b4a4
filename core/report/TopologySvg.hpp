// A self-contained SVG drawing of an accelerator's topology: cores on a circle
// (DRAM in the middle), point-to-point links as lines, buses as a hub.
#pragma once

#include "ir/Accelerator.hpp"

#include <string>

namespace stream {

std::string topology_svg(const Accelerator& acc);

} // namespace stream
