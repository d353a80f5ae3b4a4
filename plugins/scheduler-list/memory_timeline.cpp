#include "memory_timeline.hpp"

#include <algorithm>

namespace stream::plugins {

void MemoryTimeline::hold(int64_t core, double from_cycle, double until_cycle, int64_t bits) {
    if (bits == 0 || !(until_cycle > from_cycle)) return;
    auto& changes = changes_by_core_[core];
    changes.push_back({from_cycle, bits});
    changes.push_back({until_cycle, -bits});
}

// Calls visit(core, cycle, total_bits) once per cycle at which a core's total
// changes. All changes at one cycle are applied together, so an interval that
// ends where another begins never shows as a spike.
template <class Visit>
void MemoryTimeline::walk(Visit&& visit) const {
    for (const auto& [core, unsorted] : changes_by_core_) {
        std::vector<Change> changes = unsorted;
        std::stable_sort(changes.begin(), changes.end(),
                         [](const Change& a, const Change& b) { return a.cycle < b.cycle; });
        int64_t total_bits = 0;
        int64_t last_reported = 0;
        for (std::size_t i = 0; i < changes.size();) {
            double cycle = changes[i].cycle;
            for (; i < changes.size() && changes[i].cycle == cycle; ++i) total_bits += changes[i].delta_bits;
            if (total_bits != last_reported) {
                visit(core, cycle, total_bits);
                last_reported = total_bits;
            }
        }
    }
}

std::vector<stream_memory_sample_v1> MemoryTimeline::samples(const std::vector<uint32_t>& top_level) const {
    std::vector<stream_memory_sample_v1> out;
    walk([&](int64_t core, double cycle, int64_t bits) {
        uint32_t level = core >= 0 && static_cast<std::size_t>(core) < top_level.size() ? top_level[core] : 0;
        out.push_back({sizeof(stream_memory_sample_v1), core, level, cycle, bits});
    });
    return out;
}

int64_t MemoryTimeline::peak_bits() const {
    int64_t peak = 0;
    walk([&](int64_t, double, int64_t bits) { peak = std::max(peak, bits); });
    return peak;
}

} // namespace stream::plugins
