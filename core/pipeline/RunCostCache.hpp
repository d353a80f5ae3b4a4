// Core-model answers kept for the length of one run, in front of an optional
// longer-lived cache (a sweep's folder). A run asks the same question more than
// once only when an allocator re-tiles its problem (Stream's split counts):
// layers it leaves alone come back with the tiles they had.
#pragma once

#include "pipeline/CostCache.hpp"

#include <mutex>
#include <string>
#include <unordered_map>

namespace stream {

class RunCostCache final : public CostCache {
public:
    /// `outer` may be null; it must outlive this cache.
    explicit RunCostCache(const CostCache* outer) : outer_(outer) {}

    std::optional<CoreCost> find(const std::string& key) const override;
    void store(const std::string& key, const CoreCost& cost) const override;

private:
    const CostCache* outer_;
    mutable std::mutex mutex_;
    mutable std::unordered_map<std::string, CoreCost> answers_;
};

} // namespace stream
