// What the error tests share: catching the one Error type, and a minimal valid
// compute core, DRAM and two-core system whose lines the tests count from.
#pragma once

#include "error_of.hpp"

#include "error/Error.hpp"
#include "temp_dir.hpp"

#include <doctest/doctest.h>

#include <filesystem>
#include <functional>
#include <string>
#include <vector>

namespace stream::test {

/// One bad file and the error it must raise.
struct ErrorRow {
    const char* what;
    std::string text;     ///< the whole file
    std::string expected; ///< "line:col: message"
};

/// For each row, writes its text as `file_name` in a fresh folder (after `prepare` has written what
/// the file refers to) and checks that `load` of it throws exactly "<path>:<expected>".
inline void check_error_rows(const std::vector<ErrorRow>& rows, const std::string& file_name,
                             const std::function<void(const std::filesystem::path&)>& load,
                             const std::function<void(const TempDir&)>& prepare = {}) {
    for (const ErrorRow& row : rows) {
        TempDir d;
        if (prepare) prepare(d);
        auto file = d.write(file_name, row.text);
        INFO(row.what);
        CHECK(error_of([&] { load(file); }) == file.string() + ":" + row.expected);
    }
}

/// `base` with its single occurrence of `from` replaced by `to`.
inline std::string edited(const std::string& base, const std::string& from, const std::string& to) {
    auto at = base.find(from);
    REQUIRE(at != std::string::npos);
    REQUIRE(base.find(from, at + 1) == std::string::npos);
    return base.substr(0, at) + to + base.substr(at + from.size());
}

// 11 lines; the [[memories]] header is line 4 and its keys are lines 5 to 11.
inline const std::string kCore = R"(name = "c"
[operational_array]
dimensions = [{ name = "D1", size = 4 }]
[[memories]]
name = "m"
size_bits = 1024
read_bw_bits_per_cycle = 64
write_bw_bits_per_cycle = 64
read_energy_pj = 1.0
write_energy_pj = 1.0
operands = ["I", "W", "O"]
)";

inline const std::string kDram = R"(name = "dram"
offchip = true
[[memories]]
name = "d"
size_bits = 1048576
read_bw_bits_per_cycle = 64
write_bw_bits_per_cycle = 64
read_energy_pj = 100.0
write_energy_pj = 100.0
operands = ["I", "W", "O"]
)";

// Lines 1-7: the name and compute cores 0 and 1; what a test appends starts on line 8.
inline const std::string kTwoCores = "name = \"two\"\n"
                                     "[[cores]]\nid = 0\ntype = \"cores/c.toml\"\n"
                                     "[[cores]]\nid = 1\ntype = \"cores/c.toml\"\n";
// Lines 8-10 after kTwoCores: DRAM becomes core 2.
inline const std::string kOffchip = "[offchip]\ntype = \"cores/dram.toml\"\nbandwidth_bits_per_cycle = 64\n";

/// Writes cores/c.toml, cores/dram.toml and hw.toml = kTwoCores + `tail`; returns hw.toml.
inline std::filesystem::path two_core_system_with(const TempDir& dir, const std::string& tail) {
    dir.write("cores/c.toml", kCore);
    dir.write("cores/dram.toml", kDram);
    return dir.write("hw.toml", kTwoCores + tail);
}

/// Two compute cores (0, 1) and DRAM (2); `links` starts on line 11.
inline std::filesystem::path two_core_system(const TempDir& dir, const std::string& links = "") {
    return two_core_system_with(dir, kOffchip + links);
}

} // namespace stream::test
