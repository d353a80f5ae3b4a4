// A content-addressed cost cache in a folder that several processes (shards,
// MPI ranks, threads) share: an entry's file name is a hash of its key, its
// content the key itself and the answer. Entries are written to a private
// temporary file and renamed into place, so a reader sees a whole entry or
// none; a hash collision or a damaged entry reads as a miss.
#pragma once

#include "pipeline/CostCache.hpp"

#include <filesystem>

namespace stream::sweep {

class CostCacheFolder : public CostCache {
public:
    /// Creates `dir` if needed.
    explicit CostCacheFolder(std::filesystem::path dir);
    std::optional<CoreCost> find(const std::string& key) const override;
    void store(const std::string& key, const CoreCost& cost) const override;
    const std::filesystem::path& dir() const { return dir_; }

private:
    std::filesystem::path entry(const std::string& key) const;
    std::filesystem::path dir_;
};

} // namespace stream::sweep
