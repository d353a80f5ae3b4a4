// Where the energy goes, as horizontal bar charts: the schedule's energy
// components (they sum to the total), then the CNs' energy per layer and per
// core, and the transfers' energy per purpose and per link. Each bar carries
// its value and share; each panel is sorted largest first.
#pragma once

#include "report/ScheduleView.hpp"

#include <string>

namespace stream {

std::string energy_svg(const ScheduleView& v);

} // namespace stream
