// The library's one export: the fixed allocator's descriptor.
#include "fixed_allocator.hpp"

STREAM_DSE_PLUGIN(stream::plugins::FixedAllocator)
