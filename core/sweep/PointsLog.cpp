#include "sweep/PointsLog.hpp"

#include "error/Error.hpp"
#include "report/AtomicFile.hpp"

#include <fmt/format.h>

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <fstream>
#include <sstream>
#include <mutex>
#include <unistd.h>

namespace stream::sweep {

namespace fs = std::filesystem;

namespace {

std::string read_all(const fs::path& file) {
    std::ifstream in(file, std::ios::binary);
    if (!in) {
        if (!fs::exists(file)) return {};
        throw Error(ErrorKind::BadInput, "cannot read the file", {file.string()});
    }
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

/// Complete lines only: text after the last newline is a write cut short by a kill.
std::vector<nlohmann::json> parse_lines(const fs::path& file, const std::string& text) {
    std::vector<nlohmann::json> out;
    std::size_t begin = 0;
    std::uint32_t line = 0;
    for (std::size_t nl = text.find('\n'); nl != std::string::npos; begin = nl + 1, nl = text.find('\n', begin)) {
        ++line;
        if (nl == begin) continue;
        nlohmann::json j = nlohmann::json::parse(text.begin() + static_cast<std::ptrdiff_t>(begin),
                                                 text.begin() + static_cast<std::ptrdiff_t>(nl), nullptr, false);
        if (j.is_discarded() || !j.is_object() || !j.contains("key") || !j["key"].is_string())
            throw Error(ErrorKind::BadInput, "not a point record (a JSON object with a \"key\")", {file.string(), line, 1});
        out.push_back(std::move(j));
    }
    return out;
}

[[noreturn]] void fail_io(const std::string& what, const fs::path& path) {
    throw Error(ErrorKind::BadInput, fmt::format("{}: {}", what, std::strerror(errno)), {path.string()});
}

std::mutex& held_mutex() {
    static std::mutex m;
    return m;
}

std::set<std::string>& held_dirs() {
    static std::set<std::string> dirs;
    return dirs;
}

} // namespace

std::vector<nlohmann::json> read_points(const fs::path& file) { return parse_lines(file, read_all(file)); }

PointsLog::PointsLog(const fs::path& dir) : file_(dir / "points.jsonl") {
    create_output_dir(dir);
    const fs::path lock = dir / "points.lock";
    lock_fd_ = ::open(lock.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (lock_fd_ < 0) fail_io("cannot create the lock file", lock);
    // A POSIX record lock, not flock: children a plugin forks would inherit an flock and hold the
    // folder after a kill of the sweep; a record lock dies with the process that took it. It does not
    // exclude a second writer in the same process, which the set of folders held here does.
    struct flock whole{};
    whole.l_type = F_WRLCK;
    whole.l_whence = SEEK_SET;
    const std::string held = fs::weakly_canonical(dir).string();
    bool ours = false;
    {
        std::lock_guard guard(held_mutex());
        ours = held_dirs().insert(held).second;
    }
    if (!ours || ::fcntl(lock_fd_, F_SETLK, &whole) != 0) {
        ::close(lock_fd_);
        lock_fd_ = -1;
        if (ours) {
            std::lock_guard guard(held_mutex());
            held_dirs().erase(held);
        }
        throw Error(ErrorKind::BadInput, "another sweep is writing to this folder (give each shard its own --output)", {dir.string()});
    }
    held_ = held;
    const std::string text = read_all(file_);
    for (const nlohmann::json& record : parse_lines(file_, text)) finished_.insert(record["key"].get<std::string>());
    fd_ = ::open(file_.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
    if (fd_ < 0) fail_io("cannot open for appending", file_);
    const std::size_t complete = text.rfind('\n') == std::string::npos ? 0 : text.rfind('\n') + 1;
    if (complete != text.size() && ::ftruncate(fd_, static_cast<off_t>(complete)) != 0) fail_io("cannot cut the torn last line", file_);
}

PointsLog::~PointsLog() {
    if (fd_ >= 0) ::close(fd_);
    if (lock_fd_ >= 0) {
        ::close(lock_fd_);
        std::lock_guard guard(held_mutex());
        held_dirs().erase(held_);
    }
}

void PointsLog::append(const nlohmann::json& record) {
    const std::string line = record.dump() + "\n";
    ssize_t n = 0;
    do n = ::write(fd_, line.data(), line.size());
    while (n < 0 && errno == EINTR);
    if (n != static_cast<ssize_t>(line.size())) fail_io("cannot append a point", file_);
}

} // namespace stream::sweep
