// The layout of every v1 struct, as compiled against a header given by the
// build: against the frozen v1.0 header the sizes must be exactly those of
// v1_layout.inc (so the numbers are that header's), and against the current
// header every field must keep its offset while a struct may only grow (a
// minor version appends). A violation fails the build, not a test run.
#include <stream/plugin.h>

#include <cstddef>
#include <cstdint>

// The recorded numbers are the LP64 layout (Linux and macOS on 64-bit targets).
#if UINTPTR_MAX == 0xFFFFFFFFFFFFFFFFu && !defined(_WIN32)

#ifdef STREAM_V1_LAYOUT_EXACT
#define STREAM_V1_STRUCT(type, size) static_assert(sizeof(type) == (size), #type " differs from the frozen v1.0 size");
#else
#define STREAM_V1_STRUCT(type, size) static_assert(sizeof(type) >= (size), #type " shrank below its v1.0 size");
#endif
// Status codes, kinds and flags are part of the ABI as much as the layout.
#define STREAM_V1_CONSTANT(name, value) static_assert((name) == (value), #name " changed its v1.0 value");
#define STREAM_V1_FIELD(type, field, offset) \
    static_assert(offsetof(type, field) == (offset), #type "." #field " moved from its v1.0 offset");

#include "v1_layout.inc"

#endif
