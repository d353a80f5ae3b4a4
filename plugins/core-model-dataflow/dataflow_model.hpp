// ZigZag's analytical single-core cost model (ZigZag 3.8.0) for ONE given mapping:
// data reuse per memory level, word accesses, energy, and the DATE-2022 "uniform latency
// model" (ideal cycles, stalls/slack per physical port, on-loading, off-loading).
// See shared/docs/algorithms/zigzag.md (sections referenced as §x.y below).
//
// Pure C++ (no plugin glue yet). Value types mirror the ABI shapes of
// sdk/include/stream/plugin.h (stream_layer_v1, stream_core_v1) and can be built from them
// with LoopNest::from_abi / CoreDescription::from_abi.
//
// Errors in the inputs (unknown dims, mappings that do not match the core) throw
// std::invalid_argument.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

struct stream_layer_v1;
struct stream_core_v1;
struct stream_memory_level_v1;

namespace stream::dataflow {

// ---------------------------------------------------------------------------------------
// Layer (loop nest)
// ---------------------------------------------------------------------------------------

struct LoopDim {
    std::string name; // "K", "C", "OX", ...
    int64_t size = 1;
};

struct AxisTerm {
    std::size_t dim = 0;     // index into LoopNest::dims()
    int64_t coefficient = 1; // stride / dilation
};

// One tensor axis: an affine function of loop dims (as stream_tensor_axis_v1).
// One term: the dim is relevant (r) to the operand. Two terms (ix = s*ox + d*fx): both dims
// are partially relevant (pr). No term: ignored.
struct TensorAxis {
    std::vector<AxisTerm> terms;
    int64_t extent = 0; // size of the tensor along the axis; clips pr sizes (padding). 0 = no clip
};

enum class OperandRole { Input, Constant, Output };

struct Operand {
    std::string name; // "I", "W", "O" (or "I1", "I2")
    OperandRole role = OperandRole::Input;
    unsigned precision_bits = 8;         // final precision
    unsigned partial_precision_bits = 0; // outputs: partial-sum precision, 0 = same as final
    std::vector<TensorAxis> axes;
};

enum class Relevancy : uint8_t { Irrelevant, Relevant, Partial };

// A partially relevant tensor axis: size = number of distinct ca*a + cb*b (§1.2).
struct PrAxis {
    std::size_t dim_a = 0, dim_b = 0;
    int64_t coef_a = 1, coef_b = 1;
    int64_t extent = 0; // 0 = unclipped
};

class LoopNest {
public:
    LoopNest(std::vector<LoopDim> dims, std::vector<Operand> operands);
    static LoopNest from_abi(const stream_layer_v1& layer);

    const std::vector<LoopDim>& dims() const { return dims_; }
    const std::vector<Operand>& operands() const { return operands_; }
    /// Names an operand as the core's memories do (see the plugin's operand fallback).
    void rename_operand(std::size_t index, std::string name) { operands_.at(index).name = std::move(name); }
    std::size_t dim_index(std::string_view name) const;         // throws if unknown
    std::size_t operand_index(std::string_view name) const;     // throws if unknown
    bool has_operand(std::string_view name) const;
    Relevancy relevancy(std::size_t op, std::size_t dim) const { return relevancy_[op][dim]; }
    const std::vector<PrAxis>& pr_axes(std::size_t op) const { return pr_axes_[op]; }
    // index into pr_axes(op) of the axis `dim` is partially relevant through, or -1
    int pr_axis_of(std::size_t op, std::size_t dim) const;
    std::size_t output_operand() const { return output_; }
    // ZigZag's layer_operands order: output first, then constants (W), then inputs (I),
    // i.e. O, W, I for a convolution (its equation order). Matters for §5.5(b).
    const std::vector<std::size_t>& operand_order() const { return order_; }
    const std::vector<std::size_t>& input_operands() const { return inputs_; }
    int64_t mac_count() const;
    // Elements of the whole operand (r dims x pr sizes, pr sizes clipped to the extent).
    double operand_size_elements(std::size_t op) const;
    unsigned partial_precision(std::size_t op) const;
    // pr_size(A,B) of §1.2, clipped to `extent` when > 0.
    static int64_t pr_size(int64_t a, int64_t ca, int64_t b, int64_t cb, int64_t extent);

private:
    std::vector<LoopDim> dims_;
    std::vector<Operand> operands_;
    std::vector<std::vector<Relevancy>> relevancy_;
    std::vector<std::vector<PrAxis>> pr_axes_;
    std::size_t output_ = 0;
    std::vector<std::size_t> order_;
    std::vector<std::size_t> inputs_;
};

// ---------------------------------------------------------------------------------------
// Core (operational array + memory hierarchy), shaped like stream_core_v1
// ---------------------------------------------------------------------------------------

struct ArrayDim {
    std::string name; // "D1"
    int64_t size = 1;
};

struct PortUse {
    std::string operand; // layer operand name: "I", "W", "O"
    std::string flow;    // "fh", "tl", "fl", "th"
    std::string port;    // "r_port_1", "w_port_1", "rw_port_1"
};

struct MemoryLevel {
    std::string name;
    int64_t size_bits = 0;
    double read_bw = 0;  // bits/cycle
    double write_bw = 0; // bits/cycle
    double read_energy_pj = 0;  // per access of read_bw bits
    double write_energy_pj = 0; // per access of write_bw bits
    int64_t min_read_bits = 0;  // 0 = read_bw
    int64_t min_write_bits = 0; // 0 = write_bw
    std::vector<std::string> operands;    // layer operand names stored here
    std::vector<std::string> served_dims; // array dims one instance is shared over
    unsigned read_ports = 0, write_ports = 0, read_write_ports = 0;
    std::vector<PortUse> port_uses; // order matters for tie-breaks (ZigZag's port served list)
    static MemoryLevel from_abi(const stream_memory_level_v1& level);
};

struct CoreDescription {
    std::string name;
    std::vector<ArrayDim> array_dims;
    double mac_energy_pj = 0;
    std::vector<MemoryLevel> memories; // innermost first; per operand, the levels in this order
    static CoreDescription from_abi(const stream_core_v1& core);
    int64_t total_units() const;
};

// ---------------------------------------------------------------------------------------
// Mappings
// ---------------------------------------------------------------------------------------

struct SpatialLoop {
    std::string dim;
    double factor = 1; // may be fractional after normalisation (e.g. K 1000 on 32 -> 31.25)
};

struct ArrayDimUnrolling {
    std::string array_dim;
    std::vector<SpatialLoop> loops; // several = mixed unrolling
};

struct SpatialMapping {
    std::vector<ArrayDimUnrolling> dims;

    // ZigZag's normalisation of a user spatial mapping (§3.1): drop dims the layer lacks,
    // clamp each unrolling to min(layer size, array size), then turn the first/largest
    // unrolling of each dim into L / ceil(L / u) (a float: the "spatial_mapping" used for
    // energy; its int() truncation is used for latency).
    static SpatialMapping normalized(const LoopNest& nest, const CoreDescription& core,
                                     const SpatialMapping& user);
};

struct TemporalLoop {
    std::string dim;
    int64_t size = 1;
};

// Per layer operand: per memory level of that operand (innermost first), the loops
// assigned to it, innermost first -- exactly as ZigZag prints `temporal_mapping`.
struct TemporalMapping {
    std::map<std::string, std::vector<std::vector<TemporalLoop>>> levels;

    // Parses ZigZag's printed form "{O: [[(FX, 7), (FY, 7)], [(OY, 112)]], W: [...], ...}".
    static TemporalMapping parse_zigzag(std::string_view text);
};

// ---------------------------------------------------------------------------------------
// Evaluation
// ---------------------------------------------------------------------------------------

struct CostModelOptions {
    // Reproduce ZigZag 3.8.0's arithmetic quirks (zigzag.md §5.7) for exact parity.
    // Each quirk is documented where it is implemented (dataflow_model.cpp).
    bool compat_zigzag = true;
    // ZigZag's access_same_data_considered_as_no_access (API default True): an input datum
    // read from the innermost memory stays at the MAC input for the innermost ir loops.
    bool access_same_data_considered_as_no_access = true;
};

// Four transfer directions of one memory level for one operand.
struct FourWay {
    double rd_out_to_low = 0;  // tl
    double wr_in_by_low = 0;   // fl
    double rd_out_to_high = 0; // th
    double wr_in_by_high = 0;  // fh
};

struct OperandLevelCost {
    std::size_t memory = 0; // index into CoreDescription::memories
    FourWay word_accesses;  // in words of the level's read/write bandwidth
    FourWay energy_pj;
    // ZigZag's req_mem_bw_inst (bits/cycle): the average bandwidth of each direction times the
    // outermost irrelevant loop run, i.e. the rate while a transfer window is open (§5.3).
    FourWay inst_bw_bits_per_cycle;
    double energy_total_pj = 0;
    int64_t tile_elements = 0; // data held by one instance (elements, arch level m+1)
    int64_t tile_bits = 0;
};

struct CostResult {
    double mac_energy = 0;
    double mem_energy = 0;
    double energy_total = 0;
    // per layer operand name: its memory levels innermost first
    std::map<std::string, std::vector<OperandLevelCost>> levels;

    double ideal_cycle = 0;
    double ideal_temporal_cycle = 0;
    double mac_spatial_utilization = 0;
    double stall_slack_comb = 0;
    double data_onloading_cycle = 0;
    double data_offloading_cycle = 0;
    double latency_total0 = 0; // compute incl. stalls
    double latency_total1 = 0; // + on-loading
    double latency_total2 = 0; // + off-loading (ZigZag's reported latency)
    double loading_cycles_borrowed_from_computation = 0;
    // Per memory (index into CoreDescription::memories): bandwidth its ports lend to one-shot
    // loading during computation, summed over its ports (ZigZag's
    // total_loading_bw_during_computation, bits/cycle).
    std::vector<double> loading_bw_borrowed_bits_per_cycle;
};

// ZigZag 3.8.0's CostModelEvaluation.get_total_inst_bandwidth(memory) summed over its four
// directions: the instantaneous bandwidth (bits/cycle) memory `memory` must sustain for
// `operands` (layer operand names it holds as their top level) plus what its ports lend to
// loading during computation. Stream uses it for the DRAM level of streamed operands.
double total_inst_bandwidth(const CostResult& cost, std::size_t memory, const std::vector<std::string>& operands);

CostResult evaluate(const LoopNest& nest, const CoreDescription& core, const SpatialMapping& spatial,
                    const TemporalMapping& temporal, const CostModelOptions& options = {});

} // namespace stream::dataflow
