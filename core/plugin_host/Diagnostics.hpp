// Where plugins' log lines and progress go. Library code never prints: the CLI
// passes a terminal implementation, tests a recording one.
#pragma once

#include <stream/plugin.h>

#include <atomic>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

namespace stream {

class Diagnostics {
public:
    virtual ~Diagnostics() = default;
    /// [any-thread] `source` is the plugin id (or "host").
    virtual void log(stream_log_level level, std::string_view source, std::string_view message) = 0;
    /// [any-thread] Progress of long work; `total` 0 when unknown.
    virtual void progress(std::string_view source, double done, double total, std::string_view what) = 0;
    /// [any-thread] Asks running plugins to stop (Ctrl-C).
    void request_cancel() { cancel_.store(true, std::memory_order_relaxed); }
    bool cancelled() const { return cancel_.load(std::memory_order_relaxed); }
    /// A stop that was honoured (a search kept its best so far) lets the rest of the run finish.
    void reset_cancel() { cancel_.store(false, std::memory_order_relaxed); }

private:
    std::atomic<bool> cancel_{false};
};

/// Keeps log lines in memory (tests, and runs that write them to summary.txt).
class RecordingDiagnostics : public Diagnostics {
public:
    struct Line {
        stream_log_level level;
        std::string source;
        std::string message;
    };
    void log(stream_log_level level, std::string_view source, std::string_view message) override {
        std::lock_guard lock(mutex_);
        lines_.push_back({level, std::string{source}, std::string{message}});
    }
    void progress(std::string_view, double, double, std::string_view) override {}
    std::vector<Line> lines() const {
        std::lock_guard lock(mutex_);
        return lines_;
    }

private:
    mutable std::mutex mutex_;
    std::vector<Line> lines_;
};

/// Counts warnings and errors and keeps the first, drops everything else: for plugin instances that
/// run thousands of times (a mapping search's candidates), whose repeated lines would bury the run's.
class CountingDiagnostics : public Diagnostics {
public:
    void log(stream_log_level level, std::string_view source, std::string_view message) override {
        if (level < STREAM_LOG_WARNING) return;
        std::lock_guard lock(mutex_);
        if (count_++ == 0) first_ = "[" + std::string{source} + "] " + std::string{message};
    }
    void progress(std::string_view, double, double, std::string_view) override {}
    std::size_t count() const {
        std::lock_guard lock(mutex_);
        return count_;
    }
    std::string first() const {
        std::lock_guard lock(mutex_);
        return first_;
    }

private:
    mutable std::mutex mutex_;
    std::size_t count_ = 0;
    std::string first_;
};

} // namespace stream
