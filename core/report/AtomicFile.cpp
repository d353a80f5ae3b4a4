#include "report/AtomicFile.hpp"

#include "error/Error.hpp"

#include <fmt/format.h>

#include <fstream>
#include <system_error>

namespace stream {

namespace fs = std::filesystem;

void write_file_atomically(const fs::path& path, std::string_view content) {
    fs::path tmp = path;
    tmp += ".tmp";
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
