// Conversions between the host's IR value types and the C ABI's flat views.
// A *View object owns the arrays its C struct points into; keep it alive for
// as long as a plugin may read the view (the duration of the call).
#pragma once

#include "ir/Accelerator.hpp"
#include "ir/CnGraph.hpp"
#include "ir/Workload.hpp"

#include <stream/plugin.h>

#include <deque>
#include <memory>
#include <string>
#include <vector>

namespace stream {

class LayerView {
public:
    explicit LayerView(const Layer& layer);
    LayerView(const LayerView&) = delete;
    LayerView& operator=(const LayerView&) = delete;
    const stream_layer_v1& c() const { return view_; }

private:
    std::vector<stream_loop_dim_v1> dims_;
    std::vector<std::vector<stream_affine_term_v1>> terms_;
    std::vector<std::vector<stream_tensor_axis_v1>> axes_;
    std::vector<stream_operand_v1> operands_;
    std::vector<stream_attribute_v1> attributes_;
    stream_layer_v1 view_{};
};

/// Copies a layer a frontend handed over, checking it against the ABI's rules
/// (sizes, indices, producers that exist). `next_id` is the id it receives.
Layer layer_from_c(const stream_layer_v1& c, std::int64_t next_id);

class CoreView {
public:
    /// `model_config` is the core-model plugin's table for this core (never null);
    /// `offchip` the DRAM's memory level, if the system has one.
    CoreView(const Core& core, const stream_config_v1* model_config, const MemoryLevel* offchip = nullptr);
    CoreView(const CoreView&) = delete;
    CoreView& operator=(const CoreView&) = delete;
    const stream_core_v1& c() const { return view_; }

private:
    std::vector<stream_array_dim_v1> dims_;
    std::vector<std::vector<const char*>> operand_names_;
    std::vector<std::vector<const char*>> served_dims_;
    std::vector<std::vector<stream_port_use_v1>> port_uses_;
    std::vector<stream_memory_level_v1> memories_;
    std::vector<stream_spatial_unrolling_v1> dataflow_;
    stream_memory_level_v1 offchip_{};
    stream_core_v1 view_{};
};

/// The DRAM's memory level of `acc`, or null.
const MemoryLevel* offchip_memory(const Accelerator& acc);

/// The whole allocation/scheduling problem as one C view.
class ProblemView {
public:
    ProblemView(const Accelerator& acc, const std::vector<const stream_config_v1*>& core_model_configs,
                const Workload& workload, const CnGraph& graph, std::string compat = "");
    ProblemView(const ProblemView&) = delete;
    ProblemView& operator=(const ProblemView&) = delete;
    const stream_problem_v1& c() const { return problem_; }

private:
    std::deque<CoreView> cores_;
    std::vector<stream_core_v1> core_structs_;
    std::vector<stream_link_v1> links_;
    stream_accelerator_v1 accelerator_{};
    std::deque<LayerView> layer_views_;
    std::vector<stream_layer_v1> layers_;
    std::vector<std::vector<stream_core_cost_v1>> unit_costs_;
    std::vector<stream_alloc_unit_v1> units_;
    std::vector<std::vector<stream_core_cost_v1>> node_costs_;
    std::vector<stream_node_v1> nodes_;
    std::vector<stream_edge_v1> edges_;
    std::vector<std::vector<const char*>> streamed_names_;
    std::vector<std::vector<stream_node_input_v1>> node_inputs_;
    std::vector<stream_tensor_v1> tensors_;
    std::string compat_;
    stream_problem_v1 problem_{};
};

/// `names` keeps the streamed-operand name array the view points into.
stream_core_cost_v1 to_c(const CoreCost& c, std::vector<const char*>& names);
Metrics metrics_from_c(const stream_metrics_v1& m);
Schedule schedule_from_c(const stream_schedule_v1& s);

} // namespace stream
