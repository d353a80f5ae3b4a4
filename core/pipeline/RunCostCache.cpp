#include "pipeline/RunCostCache.hpp"

namespace stream {

std::optional<CoreCost> RunCostCache::find(const std::string& key) const {
    {
        std::lock_guard lock(mutex_);
        if (auto it = answers_.find(key); it != answers_.end()) return it->second;
    }
    if (!outer_) return std::nullopt;
    std::optional<CoreCost> cost = outer_->find(key);
    if (cost) {
        std::lock_guard lock(mutex_);
        answers_.emplace(key, *cost);
    }
    return cost;
}

void RunCostCache::store(const std::string& key, const CoreCost& cost) const {
    {
        std::lock_guard lock(mutex_);
        answers_.insert_or_assign(key, cost);
    }
    if (outer_) outer_->store(key, cost);
}

} // namespace stream
