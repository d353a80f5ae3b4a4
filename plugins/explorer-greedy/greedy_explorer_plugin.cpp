// The library's one export: the greedy explorer's descriptor.
#include "greedy_explorer.hpp"

STREAM_DSE_PLUGIN(stream::plugins::explore::GreedyExplorer)
