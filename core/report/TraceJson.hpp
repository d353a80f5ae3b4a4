// The schedule as a Chrome/Perfetto trace (JSON trace event format), to open
// in ui.perfetto.dev or chrome://tracing: a track per core with one complete
// ("X") event per CN, a track per link with its transfers, and a counter
// track per memory with the bits it holds. Trace time is microseconds; one
// cycle is drawn as one microsecond, which the process names and the
// top-level "metadata" say. Unlike the SVG charts nothing is merged.
#pragma once

#include "report/ScheduleView.hpp"

#include <string>

namespace stream {

/// Process ids of the trace: cores (CNs and memory counters) and links (transfers).
inline constexpr int kTraceCoresPid = 1;
inline constexpr int kTraceLinksPid = 2;

std::string trace_json(const ScheduleView& v);

} // namespace stream
