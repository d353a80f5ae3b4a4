// The library's one export: the DRAM memory model's descriptor.
#include "dram_model.hpp"

STREAM_DSE_PLUGIN(stream::plugins::DramMemoryModel)
