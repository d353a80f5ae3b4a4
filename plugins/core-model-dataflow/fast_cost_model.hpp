// The cost model of dataflow_model.cpp (zigzag.md §5) specialised for a search: everything that
// does not depend on the loop ordering (spatial unit counts, ports and who uses them, memory
// sharing) is derived once, and one ordering's latency and energy are computed in reused
// buffers, without allocating. Only the two numbers a search compares are produced; the best
// mapping is then costed in full by evaluate(). Every quantity is formed with the same
// floating-point operations in the same order as evaluate() forms it, so both give identical
// numbers (tests compare them ordering by ordering).
#pragma once

#include "fast_allocator.hpp"
#include "mapping_search.hpp"
#include "search_layout.hpp"

#include <array>
#include <cstddef>
#include <cstdint>
#include <vector>

namespace stream::dataflow {

struct CostScalars {
    double latency_total2 = 0; // cycles, with on- and off-loading
    double energy_total = 0;   // pJ
};

// Busy cycles in [0, periods.back()) of activities where activity j is busy in the first
// windows[j] cycles of every period periods[j]; `periods` ascending, each dividing the next.
// (The memory-updating-window union of zigzag.md §5.5 d, counted without a timeline.)
int64_t nested_busy_cycles(const std::vector<int64_t>& periods, const std::vector<int64_t>& windows);

class FastCostModel {
public:
    FastCostModel(const SearchLayout& layout, const CostModelOptions& options);

    // Costs `ordering` cut as `allocation`. When `incumbent` is given and the first number the
    // objective looks at is already worse than the incumbent's, stops there and returns false
    // (the ordering cannot win); otherwise fills both numbers and returns true.
    bool evaluate(const std::vector<LoopFactor>& ordering, const Allocation& allocation, Objective objective,
                  const CostScalars* incumbent, CostScalars& out);

private:
    enum Dir { TL = 0, FL = 1, TH = 2, FH = 3 };
    struct Dtl {
        double period = 0, count = 0, amount = 0, precision = 0, avg_bw = 0, window = 0;
    };
    // Spatial quantities of one operand under one spatial-mapping variant (§3.2).
    struct Spatial {
        std::vector<double> unit_count, unit_unique, boost; // arch levels 0..n
    };
    // One operand's data-movement model for one ordering and variant (dataflow_model.cpp's
    // OperandMapping), in buffers sized once.
    struct Work {
        std::vector<std::size_t> start;      // stationary level m = ordering [start[m], start[m+1])
        double mac_stationary = 1;
        std::vector<double> r2, ir1, pd, cyc, ca, top_r, top_ir;
        std::vector<char> ir_flag, psum;
        std::vector<int64_t> data, data_bits, eff_bits;
        std::vector<std::array<Dtl, 4>> dtl;
        std::vector<double> cum_a, cum_b, prev_s, prev_r; // pr decoupling state, per axis
    };
    struct PortAct {
        std::size_t op, lvl;
        Dir dir;
    };
    struct Port {
        double bw = 0;
        std::vector<PortAct> acts;
        bool shared_inputs = false;
    };
    struct Active { // one active transfer of a port (§5.5 d)
        double real, allowed, period, count, ss, muw;
    };
    struct Load {
        double cycles = 0;
        bool shared = false;
    };

    void stationary_levels(const std::vector<LoopFactor>& ordering, const Allocation& allocation, std::size_t op,
                           Work& w) const;
    void build(const std::vector<LoopFactor>& ordering, std::size_t op, int variant, Work& w);
    double latency(const std::vector<LoopFactor>& ordering);
    double energy() const;
    double union_busy_cycles();

    const SearchLayout& layout_;
    CostModelOptions options_;
    std::array<std::vector<Spatial>, 2> spatial_; // [variant][operand]
    std::vector<Port> ports_;                      // every port of every memory, in memory order
    double mac_energy_ = 0, ideal_cycle_ = 0, size_o_elements_ = 0;
    std::vector<double> size_bits_;                // per memory

    // per-ordering buffers
    std::array<std::vector<Work>, 2> work_; // [variant][operand]; variant 1 unused when integral
    std::vector<double> prefix_;            // prefix products of the ordering's loop sizes
    std::vector<std::vector<double>> ue_, ues_;
    std::vector<std::vector<char>> db_;
    std::vector<std::vector<std::array<double, 4>>> allowed_, real_;
    std::vector<std::vector<std::array<Load, 4>>> load_;
    std::vector<Active> active_;
    std::vector<double> total_, minimal_, reduced_;
    std::vector<std::size_t> order_;
    std::vector<PortAct> one_, periodic_;
    std::vector<int64_t> periods_, windows_; // MUW union: distinct periods and their windows
};

} // namespace stream::dataflow
