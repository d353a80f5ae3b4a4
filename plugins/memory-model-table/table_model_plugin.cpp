// The library's one export: the table memory model's descriptor.
#include "table_model.hpp"

STREAM_DSE_PLUGIN(stream::plugins::TableMemoryModel)
