// The half of the allocation sink that sdk::AllocationResult cannot express:
// the other members of a Pareto front, each with its metrics, for the report.
#pragma once

#include <stream/plugin.h>

#include <cstdint>
#include <span>

namespace stream::plugins::alloc {

class AlternativeSink {
public:
    explicit AlternativeSink(const stream_allocation_sink_v1* sink = nullptr) noexcept : sink_(sink) {}

    /// False when the host keeps no alternatives (an older or minimal sink).
    bool available() const noexcept {
        return sink_ && STREAM_HAS_FIELD(stream_allocation_sink_v1, sink_->struct_size, add_alternative) &&
               sink_->add_alternative;
    }

    void add(std::span<const std::int64_t> unit_core, const stream_metrics_v1& metrics) const {
        if (!available()) return;
        stream_allocation_v1 allocation{sizeof(stream_allocation_v1), unit_core.data(),
                                        static_cast<std::uint32_t>(unit_core.size()), nullptr, 0};
        sink_->add_alternative(sink_->ctx, &allocation, &metrics);
    }

private:
    const stream_allocation_sink_v1* sink_;
};

} // namespace stream::plugins::alloc
