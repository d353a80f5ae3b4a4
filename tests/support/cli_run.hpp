// Runs the built stream-dse binary as a user would and captures its exit
// code, standard output and standard error (for end-to-end tests).
#pragma once

#include "temp_dir.hpp"

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <sys/wait.h>

namespace stream::test {

struct Run {
    int exit_code = -1;
    std::string out;
    std::string err;
};

inline const std::filesystem::path kBinary = std::filesystem::path(STREAM_DSE_BINARY_DIR) / "bin" / "stream-dse";
inline const std::filesystem::path kSource = std::filesystem::path(STREAM_DSE_SOURCE_DIR);
inline const std::filesystem::path kData = kSource / "tests" / "e2e" / "data";

inline std::string slurp(const std::filesystem::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

/// Runs `command` through the shell: quote what needs quoting.
inline Run run_command(const std::string& command) {
    TempDir tmp;
    std::filesystem::path err = tmp.path() / "stderr";
    std::string cmd = command + " 2>" + err.string();
    Run r;
    FILE* pipe = popen(cmd.c_str(), "r");
    REQUIRE(pipe);
    std::array<char, 4096> buf{};
    while (std::size_t n = std::fread(buf.data(), 1, buf.size(), pipe)) r.out.append(buf.data(), n);
    int status = pclose(pipe);
    r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    r.err = slurp(err);
    return r;
}

/// Runs stream-dse with `args`.
inline Run run(const std::string& args) { return run_command(kBinary.string() + " " + args); }

inline nlohmann::json results_of(const std::filesystem::path& dir) { return nlohmann::json::parse(slurp(dir / "results.json")); }

} // namespace stream::test
