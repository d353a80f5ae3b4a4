// The library's one export: the exhaustive explorer's descriptor.
#include "exhaustive_explorer.hpp"

STREAM_DSE_PLUGIN(stream::plugins::explore::ExhaustiveExplorer)
