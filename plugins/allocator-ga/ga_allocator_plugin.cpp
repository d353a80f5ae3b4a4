// The library's one export: the GA allocator's descriptor. The front-aware
// macro hands allocate() the sink, so the other Pareto members reach the host.
#include "ga_allocator.hpp"

#include <front_allocator_plugin.hpp>

STREAM_DSE_FRONT_ALLOCATOR_PLUGIN(stream::plugins::ga::GaAllocator)
