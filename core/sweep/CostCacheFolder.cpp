#include "sweep/CostCacheFolder.hpp"

#include "report/AtomicFile.hpp"
#include "sweep/SweepPoint.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <atomic>
#include <fstream>
#include <sstream>
#include <system_error>
#include <thread>
#include <unistd.h>

namespace stream::sweep {

namespace fs = std::filesystem;

CostCacheFolder::CostCacheFolder(fs::path dir) : dir_(std::move(dir)) { create_output_dir(dir_); }

fs::path CostCacheFolder::entry(const std::string& key) const {
    const std::string name = fmt::format("{:016x}", stable_hash(key));
    // 256 subfolders keep directories small in sweeps of many tile shapes.
    return dir_ / name.substr(0, 2) / (name + ".json");
}

std::optional<CoreCost> CostCacheFolder::find(const std::string& key) const {
    std::ifstream in(entry(key), std::ios::binary);
    if (!in) return std::nullopt;
    std::ostringstream text;
    text << in.rdbuf();
    const nlohmann::json j = nlohmann::json::parse(text.str(), nullptr, false);
    if (j.is_discarded() || !j.is_object() || j.value("key", std::string{}) != key) return std::nullopt;
    try {
        const nlohmann::json& c = j.at("cost");
        CoreCost cost;
        cost.latency_cycles = c.at("latency_cycles").get<double>();
        cost.energy_pj = c.at("energy_pj").get<double>();
        cost.offchip_energy_pj = c.at("offchip_energy_pj").get<double>();
        cost.latency_no_offload_cycles = c.at("latency_no_offload_cycles").get<double>();
        cost.streamed_operands = c.at("streamed_operands").get<std::vector<std::string>>();
        cost.offchip_read_bw_bits_per_cycle = c.at("offchip_read_bw_bits_per_cycle").get<double>();
        cost.offchip_write_bw_bits_per_cycle = c.at("offchip_write_bw_bits_per_cycle").get<double>();
        return cost;
    } catch (const nlohmann::json::exception&) {
        return std::nullopt;
    }
}

void CostCacheFolder::store(const std::string& key, const CoreCost& cost) const {
    const nlohmann::json j = {{"key", key},
                              {"cost",
                               {{"latency_cycles", cost.latency_cycles},
                                {"energy_pj", cost.energy_pj},
                                {"offchip_energy_pj", cost.offchip_energy_pj},
                                {"latency_no_offload_cycles", cost.latency_no_offload_cycles},
                                {"streamed_operands", cost.streamed_operands},
                                {"offchip_read_bw_bits_per_cycle", cost.offchip_read_bw_bits_per_cycle},
                                {"offchip_write_bw_bits_per_cycle", cost.offchip_write_bw_bits_per_cycle}}}};
    const fs::path target = entry(key);
    static std::atomic<std::uint64_t> counter{0};
    // Unique per process and thread: two writers of one entry must not share a temporary file.
    fs::path tmp = target;
    tmp += fmt::format(".{}.{}.{}.tmp", ::getpid(), std::hash<std::thread::id>{}(std::this_thread::get_id()), counter++);
    std::error_code ec;
    fs::create_directories(target.parent_path(), ec);
    {
        std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
        const std::string text = j.dump();
        if (!out || !out.write(text.data(), static_cast<std::streamsize>(text.size())) || !out.flush()) {
            fs::remove(tmp, ec);
            return; // a cache that cannot be written only costs a later hit
        }
    }
    fs::rename(tmp, target, ec);
    if (ec) fs::remove(tmp, ec);
}

} // namespace stream::sweep
