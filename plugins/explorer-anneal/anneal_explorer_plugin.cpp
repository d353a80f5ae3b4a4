// The library's one export: the annealing explorer's descriptor.
#include "anneal_explorer.hpp"

STREAM_DSE_PLUGIN(stream::plugins::explore::AnnealExplorer)
