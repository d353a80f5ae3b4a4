// The shipped hardware library (configs/hardware): every system and core loads, and the
// totals of the main systems match counts made by hand from their files.
#include "temp_dir.hpp"

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include <array>
#include <cstdio>
#include <filesystem>
#include <string>
#include <sys/wait.h>

namespace fs = std::filesystem;

namespace {

const fs::path kBinary = fs::path(STREAM_DSE_BINARY_DIR) / "bin" / "stream-dse";
const fs::path kHardware = fs::path(STREAM_DSE_SOURCE_DIR) / "configs" / "hardware";

// `hardware show FILE --json`, or a failed check with stderr.
nlohmann::json show(const fs::path& file) {
    stream::test::TempDir tmp;
    std::string cmd = kBinary.string() + " hardware show " + file.string() + " --json 2>" + (tmp.path() / "err").string();
    FILE* pipe = popen(cmd.c_str(), "r");
    REQUIRE(pipe);
    std::string out;
    std::array<char, 4096> buf{};
    while (std::size_t n = std::fread(buf.data(), 1, buf.size(), pipe)) out.append(buf.data(), n);
    int status = pclose(pipe);
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        std::FILE* e = std::fopen((tmp.path() / "err").c_str(), "r");
        std::string err;
        while (e && std::fgets(buf.data(), static_cast<int>(buf.size()), e)) err += buf.data();
        if (e) std::fclose(e);
        FAIL_CHECK(file.string() << ": " << err);
        return {};
    }
    return nlohmann::json::parse(out);
}

struct Totals {
    const char* file;
    int cores;
    int links;
    std::int64_t onchip_bits;
};

} // namespace

TEST_SUITE("e2e") {

TEST_CASE("every shipped system and core type loads") {
    int files = 0;
    for (const auto& dir : {kHardware, kHardware / "cores", kHardware / "zigzag", kHardware / "zigzag" / "cores"})
        for (const auto& e : fs::directory_iterator(dir)) {
            if (e.path().extension() != ".toml") continue;
            // Off-chip core types are not accelerators on their own (they are named under [offchip]).
            bool core_type = e.path().parent_path().filename() == "cores";
            if (core_type && (e.path().stem().string().find("offchip") != std::string::npos || e.path().stem() == "dram"))
                continue;
            CAPTURE(e.path().string());
            auto j = show(e.path());
            if (!j.is_null()) CHECK(j["totals"]["cores"].get<int>() >= 1);
            ++files;
        }
    CHECK(files == 30); // 10 systems, 10 core types, 5 ZigZag single-core systems and their 5 cores
}

TEST_CASE("the main systems, counted by hand") {
    // tpu_like = rf_128B 1,024 + rf_2B 16 + sram_2MB 16,777,216 = 16,778,256 bits; pooling and simd
    // 1,048,576 each; eyeriss_like = 512 + 512 + 128 + 65,536 + 524,288 + 8,388,608 = 8,979,584.
    const Totals cases[] = {
        // 4 tpu_like + pooling + simd + DRAM; 12 connected pairs as two directed links each + 1 shared DRAM port.
        {"tpu_like_quad_core.toml", 7, 25, 4 * 16778256 + 2 * 1048576},
        // eyeriss_like + pooling + simd + DRAM; 2 pairs (0-1, 0-2) both ways + the DRAM port.
        {"eyeriss_like_single_core.toml", 4, 5, 8979584 + 2 * 1048576},
        // 2 tpu_like + 2 eyeriss_like + simd + pooling + DRAM; 2x2 mesh (4 links) + bus + DRAM port.
        {"hetero_tpu_eyeriss_mesh.toml", 7, 6, 2 * 16778256 + 2 * 8979584 + 2 * 1048576},
        // 36 chiplets on a 6x6 mesh: 2 * 6 * 5 = 60 neighbour pairs, both ways = 120 links, + the DRAM port.
        {"simba.toml", 37, 121, -1},
        // 2 array16 (512 + 1,048,576) + vector16 (262,144) + DRAM; a ring of 3 + one DRAM port per core.
        {"edge_dual_array_vector.toml", 4, 6, 2 * (512 + 1048576) + 262144},
    };
    for (const Totals& t : cases) {
        CAPTURE(t.file);
        auto j = show(kHardware / t.file);
        REQUIRE(!j.is_null());
        CHECK(j["totals"]["cores"] == t.cores);
        CHECK(j["totals"]["links"] == t.links);
        if (t.onchip_bits >= 0) CHECK(j["totals"]["onchip_bits"] == t.onchip_bits);
    }
}

TEST_CASE("a core-type file alone is a one-core system") {
    auto j = show(kHardware / "cores" / "tpu_like.toml");
    REQUIRE(!j.is_null());
    CHECK(j["totals"]["cores"] == 1);
    CHECK(j["cores"][0]["mac_units"] == 1024); // 32 x 32
}

} // TEST_SUITE
