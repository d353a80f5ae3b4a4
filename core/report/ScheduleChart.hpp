// The schedule as a Gantt chart: a row per core with its CNs and a row per
// used link with its transfers, coloured by layer, with a layer legend and a
// tooltip (<title>) on every bar. Big schedules stay small: bars narrower than
// a pixel merge into one bar that says how many it holds (data-n and its
// tooltip): bars of one layer while the gaps between them stay under a pixel,
// bars of different layers while the whole group does (coloured by the layer
// with most bars). The trace keeps every CN. schedule_html wraps the same SVG
// into a self-contained page (inline CSS and JS, nothing fetched) with hover
// details, transfer filters by purpose and layer highlighting, followed by the
// memory and energy charts.
#pragma once

#include "report/ScheduleView.hpp"

#include <string>

namespace stream {

std::string schedule_svg(const ScheduleView& v);
std::string schedule_html(const ScheduleView& v);

} // namespace stream
