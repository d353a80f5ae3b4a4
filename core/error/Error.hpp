// The one error type of the host. It carries where the problem is (a file
// position, or a plugin and the layer/core it concerns) and which exit code the
// CLI maps it to; it is thrown by library code and reported once, in main().
#pragma once

#include <cstdint>
#include <stdexcept>
#include <string>

namespace stream {

/// A position in an input file; line/column start at 1, 0 = unknown.
struct SourceLoc {
    std::string file;
    std::uint32_t line = 0;
    std::uint32_t column = 0;

    bool known() const { return !file.empty(); }
    /// "file:line:col", "file:line" or "file"; empty when unknown.
    std::string str() const;
    bool operator==(const SourceLoc&) const = default;
};

/// What went wrong, which decides the exit code (documented in `stream-dse --help`).
enum class ErrorKind {
    BadInput = 1,   ///< a file, a config value or a command-line argument is wrong
    Infeasible = 2, ///< the input is valid but nothing fits (no allocation, mapping, schedule)
    Plugin = 3,     ///< a plugin failed to load or misbehaved
    Internal = 3,   ///< a bug in the host
};

int exit_code(ErrorKind kind);

class Error : public std::runtime_error {
public:
    Error(ErrorKind kind, const std::string& message, SourceLoc where = {});

    ErrorKind kind() const noexcept { return kind_; }
    const SourceLoc& where() const noexcept { return where_; }
    /// The message without the location prefix.
    const std::string& message() const noexcept { return message_; }

private:
    ErrorKind kind_;
    SourceLoc where_;
    std::string message_;
};

/// Shorthand for the most common error: bad input at a location.
[[noreturn]] void fail_input(const SourceLoc& where, const std::string& message);

} // namespace stream
