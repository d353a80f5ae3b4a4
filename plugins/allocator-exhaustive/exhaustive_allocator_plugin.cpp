// The library's one export: the exhaustive allocator's descriptor.
#include "exhaustive_allocator.hpp"

STREAM_DSE_PLUGIN(stream::plugins::exhaustive::ExhaustiveAllocator)
