// libFuzzer target: arbitrary bytes as a binary .onnx file or as ONNX text,
// through the ONNX frontend's C entry point (as the host would call it).
#include "fuzz_frontend.hpp"

extern "C" const stream_plugin_descriptor* stream_plugin_entry(const stream_host_info* host);

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    // The first byte chooses the reader, so one corpus covers both formats.
    if (size == 0) return 0;
    const char* extension = (data[0] & 1) ? ".onnx" : ".onnxtxt";
    stream::fuzz::load_through_plugin(stream_plugin_entry, data + 1, size - 1, extension);
    return 0;
}
