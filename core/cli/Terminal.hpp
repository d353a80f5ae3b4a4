// Diagnostics for a terminal: log lines on stderr, and a progress line that
// redraws in place only when stderr is a terminal (quiet in a pipe).
#pragma once

#include "plugin_host/Diagnostics.hpp"

#include <chrono>
#include <mutex>

namespace stream::cli {

class Terminal : public Diagnostics {
public:
    explicit Terminal(bool verbose, bool quiet);
    void log(stream_log_level level, std::string_view source, std::string_view message) override;
    void progress(std::string_view source, double done, double total, std::string_view what) override;
    /// Clears a pending progress line before normal output.
    void finish_progress();

private:
    bool verbose_;
    bool quiet_;
    bool tty_;
    bool line_open_ = false;
    std::chrono::steady_clock::time_point last_draw_{};
    std::mutex mutex_;
};

} // namespace stream::cli
