// One layer entry of a ZigZag/Stream workload YAML, as written in the file
// (names not yet upper-cased, references not yet resolved), with its position.
#pragma once

#include <stream/plugin.hpp>

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace stream::yaml_frontend {

struct YamlLayer {
    std::int64_t id = 0;
    std::string name;          ///< the entry's `name`, else "Layer<id>" as ZigZag names it
    std::string operator_type;
    std::string equation;
    std::vector<std::string> dimension_relations;
    std::vector<std::string> loop_dims;
    std::vector<std::int64_t> loop_sizes;
    std::vector<std::pair<std::string, std::int64_t>> operand_precision; ///< in file order
    std::vector<std::pair<std::string, std::int64_t>> operand_source;    ///< in file order
    std::vector<std::string> constant_operands;
    std::vector<std::string> pr_loop_dims;
    std::optional<std::vector<std::int64_t>> pr_loop_sizes;
    std::optional<std::vector<std::array<std::int64_t, 2>>> padding; ///< [begin, end] per pr_loop_dims entry
    std::uint32_t line = 0;   ///< 1-based position of the entry in the file
    std::uint32_t column = 0;

    std::optional<std::int64_t> precision(const std::string& operand) const {
        for (const auto& [k, v] : operand_precision)
            if (k == operand) return v;
        return std::nullopt;
    }
    std::optional<std::int64_t> source(const std::string& operand) const {
        for (const auto& [k, v] : operand_source)
            if (k == operand) return v;
        return std::nullopt;
    }
};

/// An error about `layer`, located at its entry in `file`; the message names the layer too.
inline sdk::Error layer_error(const std::string& file, const YamlLayer& layer, const std::string& message,
                              stream_status status = STREAM_ERROR_INVALID_INPUT) {
    sdk::Item item = sdk::Item::file_at(file, layer.line, layer.column);
    item.name = layer.name;
    return sdk::Error(status, "layer '" + layer.name + "' (id " + std::to_string(layer.id) + "): " + message, std::move(item));
}

} // namespace stream::yaml_frontend
