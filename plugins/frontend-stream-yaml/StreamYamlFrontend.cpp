// The "stream-yaml" frontend plugin: ZigZag/Stream workload YAML files -> layers.
#include "WorkloadLoader.hpp"
#include "YamlWorkloadReader.hpp"

#include <stream/plugin.hpp>

namespace stream::yaml_frontend {

class StreamYamlFrontend {
public:
    static constexpr stream_plugin_kind kind = STREAM_KIND_FRONTEND;
    static constexpr sdk::Info info{"stream-yaml", "Stream/ZigZag YAML frontend", "1.0.0",
                                    "Reads ZigZag/Stream workload YAML files (a list of layers with equation, loop dims and sizes) into layers."};
    static constexpr stream_config_key keys[] = {
        sdk::key("default_precision_bits", STREAM_VALUE_INT, "8", "bits",
                 "Precision of an operand that operand_precision does not list (O_final for outputs)."),
        sdk::key("rename_elementwise_inputs", STREAM_VALUE_BOOL, "true", nullptr,
                 "Name the two inputs of an element-wise sum (O=W+I) I1 and I2, as the ONNX frontend does; false keeps the equation's names."),
    };

    explicit StreamYamlFrontend(sdk::Host host) : host_(host), options_(read_options(host.config())) {
        options_.progress = [this](std::size_t done, std::size_t total) {
            return host_.progress(static_cast<double>(done), static_cast<double>(total), "layers");
        };
    }

    bool accepts(const char* path) const { return path && looks_like_workload(path); }

    void load(const char* path, const stream_workload_builder_v1& builder) {
        if (!path) throw sdk::Error(STREAM_ERROR_INVALID_INPUT, "no workload file given");
        load_workload(path, options_, builder);
    }

private:
    static LoadOptions read_options(const sdk::Config& config) {
        LoadOptions options;
        if (config.has("default_precision_bits")) {
            const std::int64_t bits = config.get_int("default_precision_bits");
            if (bits < 0 || bits > 1024)
                throw sdk::Error(STREAM_ERROR_INVALID_CONFIG,
                                 "default_precision_bits = " + std::to_string(bits) + " is not a precision in bits (0 to 1024)",
                                 sdk::Item::config_key("default_precision_bits"));
            options.translate.default_precision_bits = static_cast<std::uint32_t>(bits);
        }
        if (config.has("rename_elementwise_inputs")) options.translate.rename_elementwise_inputs = config.get_bool("rename_elementwise_inputs");
        return options;
    }

    sdk::Host host_;
    LoadOptions options_;
};

} // namespace stream::yaml_frontend

STREAM_DSE_PLUGIN(stream::yaml_frontend::StreamYamlFrontend)
