#include "error/Error.hpp"

#include <fmt/format.h>

namespace stream {

std::string SourceLoc::str() const {
    if (file.empty()) return {};
    if (line == 0) return file;
    if (column == 0) return fmt::format("{}:{}", file, line);
    return fmt::format("{}:{}:{}", file, line, column);
}

int exit_code(ErrorKind kind) { return static_cast<int>(kind); }

static std::string with_location(const SourceLoc& where, const std::string& message) {
    return where.known() ? where.str() + ": " + message : message;
}

Error::Error(ErrorKind kind, const std::string& message, SourceLoc where)
    : std::runtime_error(with_location(where, message)), kind_(kind), where_(std::move(where)), message_(message) {}

void fail_input(const SourceLoc& where, const std::string& message) { throw Error(ErrorKind::BadInput, message, where); }

} // namespace stream
