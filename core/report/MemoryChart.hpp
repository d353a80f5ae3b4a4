// Memory use over time: one panel per memory that the schedule reports
// (each core's top memory), its held bits as a step line on a shared time
// axis, its capacity as a dashed line and its peak marked. Long timelines are
// reduced to at most a few points per pixel column, keeping each column's
// minimum and maximum so no peak disappears.
#pragma once

#include "report/ScheduleView.hpp"

#include <string>

namespace stream {

std::string memory_svg(const ScheduleView& v);

} // namespace stream
