// The library's one export: the list scheduler's descriptor.
#include "list_scheduler.hpp"

STREAM_DSE_PLUGIN(stream::plugins::ListScheduler)
