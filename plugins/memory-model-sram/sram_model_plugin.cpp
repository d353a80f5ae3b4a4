// The library's one export: the SRAM memory model's descriptor.
#include "sram_model.hpp"

STREAM_DSE_PLUGIN(stream::plugins::SramMemoryModel)
