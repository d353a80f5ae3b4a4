#include "dram_standards.hpp"

#include <cctype>

namespace stream::plugins::dram {

const Standard* find_standard(std::string_view name) {
    for (const Standard& standard : standards) {
        if (standard.name.size() != name.size()) continue;
        bool same = true;
        for (std::size_t i = 0; i < name.size() && same; ++i)
            same = std::toupper(static_cast<unsigned char>(name[i])) == static_cast<unsigned char>(standard.name[i]);
        if (same) return &standard;
    }
    return nullptr;
}

std::string_view supported_list() { return "DDR4, LPDDR4, LPDDR5, HBM2, HBM3"; }

} // namespace stream::plugins::dram
