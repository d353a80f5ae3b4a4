#include "WorkloadLoader.hpp"

#include "LayerView.hpp"
#include "YamlWorkloadReader.hpp"

#include <filesystem>

namespace stream::yaml_frontend {

void add_workload(const std::vector<YamlLayer>& layers, const std::string& file, const LoadOptions& options,
                  const stream_workload_builder_v1& builder) {
    LayerIds ids;
    for (const YamlLayer& layer : layers) {
        if (!ids.all.insert(layer.id).second) {
            const YamlLayer* first = nullptr;
            for (const YamlLayer& l : layers)
                if (l.id == layer.id) {
                    first = &l;
                    break;
                }
            throw layer_error(file, layer, "id " + std::to_string(layer.id) + " is already used by the layer at line " + std::to_string(first->line));
        }
    }
    for (std::size_t i = 0; i < layers.size(); ++i) {
        const YamlLayer& layer = layers[i];
        const LayerSpec spec = translate_layer(layer, file, options.translate, ids);
        const LayerView view(spec, file.c_str());
        std::int64_t id = -1;
        const stream_status status = builder.add_layer(builder.ctx, &view.layer(), &id);
        if (status != STREAM_OK) throw layer_error(file, layer, "the host did not accept the layer", status);
        ids.added[layer.id] = id;
        if (options.progress && options.progress(i + 1, layers.size()))
            throw sdk::Error(STREAM_ERROR_CANCELLED, "loading the workload was cancelled", sdk::Item::file_at(file, 0));
    }
}

void load_workload(const std::string& path, const LoadOptions& options, const stream_workload_builder_v1& builder) {
    const std::vector<YamlLayer> layers = read_workload_file(path);
    if (builder.set_name) builder.set_name(builder.ctx, std::filesystem::path(path).stem().string().c_str());
    add_workload(layers, path, options, builder);
}

} // namespace stream::yaml_frontend
