// Memory entries that name a model are costed by memory-model plugins: one
// instance per model, each entry's own keys validated against the model's.
#pragma once

#include "config/AcceleratorFile.hpp"
#include "plugin_host/Diagnostics.hpp"
#include "plugin_host/PluginInstance.hpp"
#include "plugin_host/PluginRegistry.hpp"

#include <map>
#include <memory>
#include <mutex>
#include <string>

namespace stream {

class PluginMemoryModels : public MemoryModelResolver {
public:
    PluginMemoryModels(const PluginRegistry& registry, Diagnostics& diag) : registry_(registry), diag_(diag) {}
    std::vector<ConfigKey> keys_of(const std::string& model, const SourceLoc& where) const override;
    MemoryCosts describe(const std::string& model, const MemorySpec& spec, const toml::table& entry,
                         const std::vector<std::string>& host_keys, const std::string& context) const override;

private:
    std::shared_ptr<const PluginLibrary> library(const std::string& model, const SourceLoc& where) const;
    const PluginRegistry& registry_;
    Diagnostics& diag_;
    mutable std::mutex mutex_;
    mutable std::map<std::string, std::unique_ptr<PluginInstance<stream_memory_model_v1>>> instances_;
};

} // namespace stream
