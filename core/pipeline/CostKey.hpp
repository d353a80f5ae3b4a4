// The text of one core-model question: the model (id, version, its
// configuration and compatibility mode), the core as the model sees it
// (without its id, which the cost table already treats as irrelevant) and the
// tile's layer (without its source location). Two questions with equal text
// have equal answers, which is what makes a shared cost cache sound.
#pragma once

#include "config/PluginConfig.hpp"
#include "ir/Accelerator.hpp"
#include "ir/Workload.hpp"

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace stream {

/// A plugin configuration as text: every key, given or defaulted, with its value.
std::string plugin_config_text(const PluginConfig& config);

/// `model` identifies the model and its own configuration (see cost_model_identity),
/// `core_config` the core type's model table (plugin_config_text), `received` the bits the
/// tile receives from producer tiles per operand (stream_cn_v1::received). Whatever
/// stream_cn_v1 or stream_core_v1 gains must be added here too.
std::string cost_key(const std::string& model, const std::string& core_config, const Core& core, const MemoryLevel* offchip,
                     const Layer& tile, const std::vector<std::pair<std::string, std::int64_t>>& received);

/// Plugin id, version, configuration and compatibility mode of a core-model instance.
std::string cost_model_identity(const std::string& id, const std::string& version, const PluginConfig& config);

} // namespace stream
