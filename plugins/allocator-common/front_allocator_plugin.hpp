// STREAM_DSE_FRONT_ALLOCATOR_PLUGIN(Class): like STREAM_DSE_PLUGIN for an
// allocator, but Class::allocate also receives an AlternativeSink, so an
// allocator that keeps a Pareto front can hand the host its other members.
// sdk/plugin.hpp's allocator adapter gives the plugin no access to the sink;
// this is the same adapter with that one addition (descriptor, instance and
// exception guard as in the SDK).
//
//   sdk::AllocationResult allocate(const stream_problem_v1&, const stream_evaluator_v1&, const AlternativeSink&);
#pragma once

#include "alternative_sink.hpp"

#include <stream/plugin.hpp>

#include <cstdint>
#include <iterator>

namespace stream::plugins::alloc::detail {

template <class P>
struct FrontInstance {
    sdk::Host host;
    P plugin;
    explicit FrontInstance(const stream_host_services_v1* h) : host(h), plugin(sdk::Host{h}) {}
};

template <class P>
struct FrontAllocatorAdapter {
    static stream_status create(const stream_host_services_v1* h, void** out) {
        return sdk::guard(h, [&] {
            *out = new FrontInstance<P>(h);
            return STREAM_OK;
        });
    }
    static void destroy(void* i) { delete static_cast<FrontInstance<P>*>(i); }
    static stream_status allocate(void* i, const stream_problem_v1* p, const stream_evaluator_v1* e,
                                  const stream_allocation_sink_v1* sink) {
        auto& s = *static_cast<FrontInstance<P>*>(i);
        return sdk::guard(s.host.raw(), [&] {
            sdk::AllocationResult r = s.plugin.allocate(*p, *e, AlternativeSink{sink});
            stream_allocation_result_v1 c{};
            c.struct_size = sizeof c;
            c.allocation = {sizeof(stream_allocation_v1), r.unit_core.data(), static_cast<std::uint32_t>(r.unit_core.size()),
                            r.node_priority.empty() ? nullptr : r.node_priority.data(),
                            static_cast<std::uint32_t>(r.node_priority.size())};
            c.proven_optimal = r.proven_optimal ? 1 : 0;
            c.objective = r.objective;
            c.best_bound = r.best_bound;
            c.summary = r.summary.empty() ? nullptr : r.summary.c_str();
            sink->submit(sink->ctx, &c);
            return STREAM_OK;
        });
    }
    static constexpr stream_allocator_v1 vtable{sizeof(stream_allocator_v1), &create, &destroy, &allocate};
    static constexpr stream_plugin_descriptor descriptor{
        sizeof(stream_plugin_descriptor), STREAM_ABI_MAJOR, STREAM_ABI_MINOR, STREAM_KIND_ALLOCATOR,
        P::info.id, P::info.name, P::info.version, P::info.summary,
        P::keys, static_cast<std::uint32_t>(std::size(P::keys)), P::info.flags, &vtable, nullptr};
};

} // namespace stream::plugins::alloc::detail

/// Exports allocator `Class` as this library's plugin. Use once per library, at namespace scope.
#define STREAM_DSE_FRONT_ALLOCATOR_PLUGIN(Class)                                                  \
    extern "C" STREAM_PLUGIN_EXPORT const stream_plugin_descriptor* stream_plugin_entry(          \
        const stream_host_info*) {                                                                \
        return &::stream::plugins::alloc::detail::FrontAllocatorAdapter<Class>::descriptor;       \
    }
