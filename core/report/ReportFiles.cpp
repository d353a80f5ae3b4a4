#include "report/ReportFiles.hpp"

#include "report/AllocatorFrontChart.hpp"
#include "report/AtomicFile.hpp"
#include "report/ExplorationChart.hpp"
#include "report/EnergyChart.hpp"
#include "report/MemoryChart.hpp"
#include "report/ScheduleChart.hpp"
#include "report/TraceJson.hpp"

namespace stream {

std::vector<std::pair<std::string, std::string>> render_report_files(const ScheduleView& v) {
    std::vector<std::pair<std::string, std::string>> files = {{"trace.json", trace_json(v)},
                                                              {"schedule.svg", schedule_svg(v)},
                                                              {"schedule.html", schedule_html(v)},
                                                              {"memory.svg", memory_svg(v)},
                                                              {"energy.svg", energy_svg(v)}};
    if (v.allocator_front.is_array() && !v.allocator_front.empty())
        files.emplace_back("pareto.svg", allocator_front_svg(v.title, v.allocator_front));
    if (v.exploration.is_object()) files.emplace_back("exploration.svg", exploration_front_svg(v.title, v.exploration));
    return files;
}

std::vector<std::filesystem::path> write_report_files(const ScheduleView& v, const std::filesystem::path& dir) {
    // Render everything before writing anything: a rendering failure leaves the folder as it was.
    auto files = render_report_files(v);
    create_output_dir(dir);
    std::vector<std::filesystem::path> written;
    for (const auto& [name, content] : files) {
        write_file_atomically(dir / name, content);
        written.push_back(dir / name);
    }
    return written;
}

} // namespace stream
