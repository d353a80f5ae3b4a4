#include "report/AtomicFile.hpp"

#include "error/Error.hpp"

#include <fmt/format.h>

#include <fstream>
#include <functional>
#include <system_error>
#include <thread>
#include <unistd.h>

namespace stream {

namespace fs = std::filesystem;

void write_file_atomically(const fs::path& path, std::string_view content) {
    // Unique per process and thread: concurrent writers of the same file (processes importing one
    // YAML into the same folder) must not share a temporary file; one thread writes one at a time.
    fs::path tmp = path;
    tmp += fmt::format(".{}.{}.tmp", ::getpid(), std::hash<std::thread::id>{}(std::this_thread::get_id()));
    auto fail = [&](const std::string& what) {
        std::error_code ignored;
        fs::remove(tmp, ignored);
        throw Error(ErrorKind::BadInput, what);
    };
    {
        std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
        if (!out) fail(fmt::format("cannot write '{}'", tmp.string()));
        out.write(content.data(), static_cast<std::streamsize>(content.size()));
        if (!out.flush()) fail(fmt::format("cannot write '{}'", tmp.string()));
    }
    std::error_code ec;
    fs::rename(tmp, path, ec);
    if (ec) fail(fmt::format("cannot write '{}': {}", path.string(), ec.message()));
}

void create_output_dir(const fs::path& dir) {
    std::error_code ec;
    fs::create_directories(dir, ec);
    if (ec)
        throw Error(ErrorKind::BadInput,
                    fmt::format("cannot create output folder '{}': {}", dir.string(), ec.message()));
}

} // namespace stream
