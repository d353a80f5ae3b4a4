// The "onnx" frontend plugin: ONNX files (binary or text format) -> layers.
#include "ConversionOptions.hpp"
#include "OnnxModelReader.hpp"
#include "WorkloadConverter.hpp"

#include <stream/plugin.hpp>

namespace stream::onnx_frontend {

class OnnxFrontend {
public:
    static constexpr stream_plugin_kind kind = STREAM_KIND_FRONTEND;
    static constexpr sdk::Info info{"onnx", "ONNX frontend", "1.0.0",
                                    "Reads ONNX models (binary or text format) into layers: loop nests for compute operators, "
                                    "propagation layers for layout operators."};
    static constexpr stream_config_key keys[] = {
        sdk::key("unknown_ops", STREAM_VALUE_STRING, "\"error\"", nullptr,
                 "What to do with an operator outside the supported set: \"error\", or \"passthrough\" (a zero-cost propagation layer, with a warning per op type)."),
        sdk::key("input_shapes", STREAM_VALUE_STRING, nullptr, nullptr,
                 "Shapes for graph inputs with symbolic or unknown dimensions, as \"input=1x3x224x224;other=1x10\"."),
        sdk::key("weight_bits", STREAM_VALUE_INT, "0", "bits",
                 "Precision of constant operands (weights, biases); 0 takes it from the model (8 under --compat stream)."),
        sdk::key("activation_bits", STREAM_VALUE_INT, "0", "bits",
                 "Precision of activations (inputs and final outputs); 0 takes it from the model (8 under --compat stream)."),
        sdk::key("partial_sum_bits", STREAM_VALUE_INT, "0", "bits",
                 "Precision of partial sums of reducing layers; 0 = twice the output precision (integers) or the float's width, at least 32 (16 under --compat stream)."),
    };

    explicit OnnxFrontend(sdk::Host host) : host_(host), options_(read_options(host.config(), host.compat_stream())) {}

    bool accepts(const char* path) const { return path && looks_like_onnx(path); }

    void load(const char* path, const stream_workload_builder_v1& builder) {
        if (!path) throw sdk::Error(STREAM_ERROR_INVALID_INPUT, "no workload file given");
        const ::onnx::ModelProto model = read_onnx_model(path, options_);
        convert_model(model, options_, path, builder, [this](const std::string& m) { host_.warn(m); });
    }

private:
    static std::uint32_t read_bits(const sdk::Config& config, const char* key) {
        if (!config.has(key)) return 0;
        const std::int64_t bits = config.get_int(key);
        if (bits < 0 || bits > 1024)
            throw sdk::Error(STREAM_ERROR_INVALID_CONFIG, std::string(key) + " = " + std::to_string(bits) + " is not a precision in bits (0 to 1024)",
                             sdk::Item::config_key(key));
        return static_cast<std::uint32_t>(bits);
    }

    static ConversionOptions read_options(const sdk::Config& config, bool compat_stream) {
        ConversionOptions options;
        if (config.has("unknown_ops")) options.unknown_ops = parse_unknown_op_policy(config.get_string("unknown_ops"));
        if (config.has("input_shapes")) options.input_shapes = parse_input_shapes(config.get_string("input_shapes"));
        options.weight_bits = read_bits(config, "weight_bits");
        options.activation_bits = read_bits(config, "activation_bits");
        options.partial_sum_bits = read_bits(config, "partial_sum_bits");
        // Stream's parser fixes 8-bit weights and activations and 16-bit partial sums whatever the model
        // says; under --compat stream, keys left at 0 follow it.
        if (compat_stream) {
            if (!options.weight_bits) options.weight_bits = 8;
            if (!options.activation_bits) options.activation_bits = 8;
            if (!options.partial_sum_bits) options.partial_sum_bits = 16;
            options.pooling_channel_loop = true;
            options.zigzag_loop_order = true;
        }
        return options;
    }

    sdk::Host host_;
    ConversionOptions options_;
};

} // namespace stream::onnx_frontend

STREAM_DSE_PLUGIN(stream::onnx_frontend::OnnxFrontend)
