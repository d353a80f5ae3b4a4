// libFuzzer target: arbitrary bytes as a Stream/ZigZag YAML workload, through
// the stream-yaml frontend's C entry point.
#include "fuzz_frontend.hpp"

extern "C" const stream_plugin_descriptor* stream_plugin_entry(const stream_host_info* host);

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    stream::fuzz::load_through_plugin(stream_plugin_entry, data, size, ".yaml");
    return 0;
}
