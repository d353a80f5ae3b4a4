// DIR/points.jsonl: one finished point per line, appended with a single
// write() on an O_APPEND descriptor, so a killed sweep leaves at most a torn
// last line, which readers ignore and the next writer cuts off. One process
// writes a folder at a time (a lock file enforces it); resuming reads the keys
// already there and skips them.
#pragma once

#include <nlohmann/json.hpp>

#include <filesystem>
#include <set>
#include <string>
#include <vector>

namespace stream::sweep {

/// The complete records of a points.jsonl (none if it does not exist), in file order.
std::vector<nlohmann::json> read_points(const std::filesystem::path& file);

class PointsLog {
public:
    /// Creates `dir` if needed, locks it, drops a torn last line and reads the keys present.
    explicit PointsLog(const std::filesystem::path& dir);
    ~PointsLog();
    PointsLog(const PointsLog&) = delete;
    PointsLog& operator=(const PointsLog&) = delete;

    const std::set<std::string>& finished() const { return finished_; }
    /// Appends one record (it must have a "key"); [any-thread].
    void append(const nlohmann::json& record);
    const std::filesystem::path& file() const { return file_; }

private:
    std::filesystem::path file_;
    int lock_fd_ = -1;
    std::string held_; ///< the folder, as registered against a second writer in this process
    int fd_ = -1;
    std::set<std::string> finished_;
};

} // namespace stream::sweep
