// The library's one export: the Gecode allocator's descriptor.
#include "GecodeAllocator.hpp"

STREAM_DSE_PLUGIN(stream::plugins::gecode_alloc::GecodeAllocator)
