// What the user can change about a conversion: the plugin's config keys, parsed.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace stream::onnx_frontend {

enum class UnknownOpPolicy { error, passthrough };

struct ConversionOptions {
    UnknownOpPolicy unknown_ops = UnknownOpPolicy::error;
    /// Graph input name -> full shape, replacing symbolic or unknown dimensions.
    std::map<std::string, std::vector<std::int64_t>> input_shapes;
    /// 0 = take the precision from the model (element types, act_size/weight_size attributes).
    std::uint32_t weight_bits = 0;
    std::uint32_t activation_bits = 0;
    std::uint32_t partial_sum_bits = 0;
    /// Stream's pooling parser (stream.md §2.4) adds an input-channel loop C that no operand
    /// indexes, so a pooling layer does C times its work; only --compat stream sets this.
    bool pooling_channel_loop = false;
    /// ZigZag's ONNX parser lists a 2-D convolution's loops as B, K, G, OX, OY, C, FX, FY; the
    /// order is where its temporal search breaks ties (which loop's prime factors merge first),
    /// so its numbers depend on it. Ours is B, G, K, C, OY, OX, FY, FX; only --compat stream
    /// (which includes ZigZag's conventions) sets this.
    bool zigzag_loop_order = false;
};

/// Parses "input=1x3x224x224;other=1x10"; throws sdk::Error (INVALID_CONFIG, key input_shapes).
std::map<std::string, std::vector<std::int64_t>> parse_input_shapes(std::string_view text);

/// Parses "error" or "passthrough"; throws sdk::Error (INVALID_CONFIG, key unknown_ops).
UnknownOpPolicy parse_unknown_op_policy(std::string_view text);

} // namespace stream::onnx_frontend
