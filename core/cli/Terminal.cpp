#include "cli/Terminal.hpp"

#include <fmt/format.h>
#include <unistd.h>

#include <cstdio>

namespace stream::cli {

Terminal::Terminal(bool verbose, bool quiet) : verbose_(verbose), quiet_(quiet), tty_(isatty(fileno(stderr)) != 0) {}

void Terminal::finish_progress() {
    std::lock_guard lock(mutex_);
    if (line_open_) {
        fmt::print(stderr, "\r\033[K");
        line_open_ = false;
    }
}

void Terminal::log(stream_log_level level, std::string_view source, std::string_view message) {
    if (level == STREAM_LOG_DEBUG && !verbose_) return;
    if (level == STREAM_LOG_INFO && quiet_) return;
    const char* tag = level == STREAM_LOG_WARNING                 ? "warning: "
                      : level == STREAM_LOG_ERROR                 ? "error: "
                      : level == STREAM_LOG_PLUGIN_MISBEHAVING ? "plugin misbehaving: "
                                                                  : "";
    std::lock_guard lock(mutex_);
    if (line_open_) fmt::print(stderr, "\r\033[K");
    line_open_ = false;
    fmt::print(stderr, "[{}] {}{}\n", source, tag, message);
}

void Terminal::progress(std::string_view source, double done, double total, std::string_view what) {
    if (!tty_ || quiet_) return;
    auto now = std::chrono::steady_clock::now();
    std::lock_guard lock(mutex_);
    bool last = total > 0 && done >= total;
    if (!last && now - last_draw_ < std::chrono::milliseconds(100)) return;
    last_draw_ = now;
    if (total > 0)
        fmt::print(stderr, "\r\033[K[{}] {} {:.0f}/{:.0f} ({:.0f}%)", source, what, done, total, 100.0 * done / total);
    else
        fmt::print(stderr, "\r\033[K[{}] {} {:.0f}", source, what, done);
    line_open_ = true;
}

} // namespace stream::cli
