// Core-model answers kept beyond one run, so that the points of a sweep share
// the costs of identical (tile, core) questions. A key is the whole question
// as text (cost_key in CostKey.hpp): equal keys are equal questions.
#pragma once

#include "ir/CnGraph.hpp"

#include <optional>
#include <string>

namespace stream {

class CostCache {
public:
    virtual ~CostCache() = default;
    /// Called from several threads at once.
    virtual std::optional<CoreCost> find(const std::string& key) const = 0;
    /// Called from several threads at once; a store that fails loses only a later hit.
    virtual void store(const std::string& key, const CoreCost& cost) const = 0;
};

} // namespace stream
