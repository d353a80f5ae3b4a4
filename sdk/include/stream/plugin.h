/*
 * Stream-DSE plugin ABI, version 1.2.
 *   1.1 appended the evaluator's `retile` and the allocation result's
 *       `problem`, and stream_cost_v1's offchip_read_bw/offchip_write_bw.
 *   1.2 added a sixth kind, the explorer (STREAM_KIND_EXPLORER), which
 *       searches the mapping (layer stacks, tile counts, split counts);
 *       nothing was changed in the other kinds.
 *
 * A plugin is a shared library that exports exactly one C function,
 * `stream_plugin_entry`, which returns a descriptor: who the plugin is, which
 * of the six kinds it implements (frontend, core model, memory model,
 * allocator, scheduler, explorer), the configuration keys it accepts and a pointer to
 * the kind's table of functions. Everything else crosses the boundary through
 * tables of function pointers, so a plugin built by another compiler, in C or
 * in C++, loads into any host of the same ABI major version.
 *
 * Rules that hold for every declaration below:
 *  - Versioning. Every struct begins with `uint32_t struct_size`. A minor
 *    version only appends fields; a reader uses a field only if `struct_size`
 *    covers it (STREAM_HAS_FIELD). A different major is refused by the host.
 *  - Ownership. Inputs are const views owned by the caller and valid for the
 *    duration of the call. Results flow back through sinks: the receiver
 *    copies what it needs before the sink call returns. Neither side ever
 *    frees memory allocated by the other.
 *  - Strings are NUL-terminated UTF-8. Arrays are a pointer plus a count; a
 *    count of 0 allows a NULL pointer. All elements of an array of structs
 *    share the struct_size of its first element, which is also the stride:
 *    a writer built against an older minor writes smaller elements, so a
 *    reader indexes with STREAM_AT(type, array, i), never with array[i] alone.
 *  - Errors. Functions return a stream_status. On failure the plugin first
 *    describes the problem through `host->report_error` (naming the item it
 *    concerns); a failure without a message is reported by the host as a
 *    misbehaving plugin. A plugin never aborts, exits or lets an exception
 *    escape.
 *  - Threads. Each function pointer carries a tag:
 *      [main-thread]  called only from the host's main thread;
 *      [instance]     never called concurrently on the same instance, unless
 *                     the descriptor sets STREAM_PLUGIN_THREAD_SAFE, in which
 *                     case the host may call it from several threads at once;
 *      [any-thread]   may be called from any thread, concurrently.
 *    Host services are [any-thread] unless stated otherwise.
 *
 * Minimal plugin, in C:
 *
 *   static const stream_core_model_v1 vtable = { sizeof vtable, my_create, my_destroy, my_evaluate };
 *   static const stream_plugin_descriptor desc = {
 *       sizeof desc, STREAM_ABI_MAJOR, STREAM_ABI_MINOR, STREAM_KIND_CORE_MODEL,
 *       "mymodel", "My model", "1.0.0", "What it models, in one line.",
 *       keys, 2, 0, &vtable, NULL };
 *   STREAM_PLUGIN_EXPORT const stream_plugin_descriptor *
 *   stream_plugin_entry(const stream_host_info *host) { (void)host; return &desc; }
 */
#ifndef STREAM_PLUGIN_H
#define STREAM_PLUGIN_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define STREAM_ABI_MAJOR 1
#define STREAM_ABI_MINOR 2

/* Name of the one exported symbol. */
#define STREAM_PLUGIN_ENTRY_SYMBOL "stream_plugin_entry"

#if defined(_WIN32)
#define STREAM_PLUGIN_EXPORT __declspec(dllexport)
#else
#define STREAM_PLUGIN_EXPORT __attribute__((visibility("default")))
#endif

/* True when a struct of type `type` whose leading struct_size is
 * `size` is large enough to contain `field`. */
#define STREAM_HAS_FIELD(type, size, field) \
    ((size) >= offsetof(type, field) + sizeof(((type *)0)->field))

/* Element `index` of a non-empty array of size-prefixed structs of `type`
 * (see "Arrays" above): STREAM_AT(stream_layer_v1, problem->layers, i)->name. */
#define STREAM_AT(type, array, index) \
    ((const type *)((const char *)(array) + (size_t)(index) * (array)->struct_size))

/* ---------------------------------------------------------------------------
 * Status codes, kinds, flags
 * ------------------------------------------------------------------------- */

typedef int32_t stream_status;
enum {
    STREAM_OK = 0,
    STREAM_ERROR_INVALID_INPUT = 1,  /* the file, layer or core given is wrong */
    STREAM_ERROR_INVALID_CONFIG = 2, /* a config value is out of range or inconsistent */
    STREAM_ERROR_UNSUPPORTED = 3,    /* valid, but outside what this plugin handles */
    STREAM_ERROR_INFEASIBLE = 4,     /* no allocation/schedule/mapping satisfies the constraints */
    STREAM_ERROR_CANCELLED = 5,      /* the host asked to stop (see is_cancelled) */
    STREAM_ERROR_NOT_FOUND = 6,      /* a looked-up key or item does not exist */
    STREAM_ERROR_TYPE_MISMATCH = 7,  /* a config value exists with another type */
    STREAM_ERROR_INTERNAL = 8        /* a bug: the plugin's own invariant failed */
};

typedef int32_t stream_plugin_kind;
enum {
    STREAM_KIND_FRONTEND = 1,     /* a workload file -> layers (stream_frontend_v1) */
    STREAM_KIND_CORE_MODEL = 2,   /* a computation node on a core -> cost (stream_core_model_v1) */
    STREAM_KIND_MEMORY_MODEL = 3, /* a memory spec -> energy, bandwidth, area (stream_memory_model_v1) */
    STREAM_KIND_ALLOCATOR = 4,    /* an allocation problem -> nodes to cores (stream_allocator_v1) */
    STREAM_KIND_SCHEDULER = 5,    /* an allocated node graph -> timed schedule (stream_scheduler_v1) */
    STREAM_KIND_EXPLORER = 6      /* since 1.2: a mapping space -> the best mapping found (stream_explorer_v1) */
};

/* Descriptor capability flags. */
#define STREAM_PLUGIN_THREAD_SAFE ((uint64_t)1) /* [instance] calls may run concurrently */

typedef int32_t stream_log_level;
enum {
    STREAM_LOG_DEBUG = 0,
    STREAM_LOG_INFO = 1,
    STREAM_LOG_WARNING = 2,
    STREAM_LOG_ERROR = 3,
    STREAM_LOG_PLUGIN_MISBEHAVING = 4 /* the plugin noticed it broke its own contract */
};

/* ---------------------------------------------------------------------------
 * Self-description
 * ------------------------------------------------------------------------- */

typedef int32_t stream_value_type;
enum {
    STREAM_VALUE_BOOL = 1,
    STREAM_VALUE_INT = 2,    /* int64; a float with no fractional part is accepted */
    STREAM_VALUE_FLOAT = 3,  /* double; an integer is accepted */
    STREAM_VALUE_STRING = 4,
    STREAM_VALUE_PATH = 5,   /* a string resolved against the directory of the file that set it */
    STREAM_VALUE_INT_ARRAY = 6,
    STREAM_VALUE_FLOAT_ARRAY = 7,
    STREAM_VALUE_STRING_ARRAY = 8,
    STREAM_VALUE_TABLE = 9   /* a sub-table, read with config_table */
};

#define STREAM_KEY_REQUIRED ((uint32_t)1)

/* One configuration key a plugin accepts. The host rejects keys a plugin
 * did not declare, checks types and required keys before `create`, and fills
 * in `default_value` where the user gave nothing. */
typedef struct stream_config_key {
    uint32_t struct_size;
    const char *key;           /* e.g. "time_limit_s"; no dots */
    stream_value_type type;
    uint32_t flags;            /* STREAM_KEY_REQUIRED */
    const char *default_value; /* a TOML value literal ("5", "\"latency\"", "[1, 2]") or NULL */
    const char *unit;          /* "s", "bits", "pJ", ... or NULL */
    const char *doc;           /* one sentence */
} stream_config_key;

/* ---------------------------------------------------------------------------
 * Locations, items, configuration
 * ------------------------------------------------------------------------- */

/* A place in an input file. line and column start at 1; 0 means unknown. */
typedef struct stream_source_location {
    uint32_t struct_size;
    const char *file; /* NULL when unknown */
    uint32_t line;
    uint32_t column;
} stream_source_location;

typedef int32_t stream_item_kind;
enum {
    STREAM_ITEM_NONE = 0,
    STREAM_ITEM_CONFIG_KEY = 1, /* name = the key in the plugin's own table */
    STREAM_ITEM_LAYER = 2,      /* index = layer id, name = layer name */
    STREAM_ITEM_CORE = 3,       /* index = core id, name = core name */
    STREAM_ITEM_NODE = 4,       /* index = computation-node id */
    STREAM_ITEM_LINK = 5,       /* index = link id */
    STREAM_ITEM_FILE = 6        /* location points into an input file the plugin read */
};

/* What an error, warning or log line is about. The host turns it into
 * "file:line:col: key 'x'" or "layer 3 'conv1'" in the message it shows. */
typedef struct stream_item {
    uint32_t struct_size;
    stream_item_kind kind;
    int64_t index;                   /* -1 when not applicable */
    const char *name;                /* may be NULL */
    stream_source_location location; /* where the item is in an input file, when known
                                      * (required for STREAM_ITEM_FILE); zeroed otherwise */
} stream_item;

/* Read access to one TOML table (the plugin's own stage table, or the
 * per-core table of a hardware file). All values live as long as the
 * instance that received the table; callers need not copy them.
 * Getters of a declared key with a default never return NOT_FOUND. */
typedef struct stream_config_v1 {
    uint32_t struct_size;
    void *ctx; /* host-owned; pass back as the first argument */

    /* [any-thread] 1 if the key is present (given or defaulted), else 0. */
    int32_t (*has)(void *ctx, const char *key);
    /* [any-thread] Typed getters. STREAM_ERROR_NOT_FOUND when absent,
     * STREAM_ERROR_TYPE_MISMATCH when present with another type (the host
     * has then already described the mismatch, with its location). */
    stream_status (*get_bool)(void *ctx, const char *key, int32_t *out);
    stream_status (*get_int)(void *ctx, const char *key, int64_t *out);
    stream_status (*get_float)(void *ctx, const char *key, double *out);
    /* *out points to host memory valid for the lifetime of the instance.
     * For STREAM_VALUE_PATH keys the string is already resolved. */
    stream_status (*get_string)(void *ctx, const char *key, const char **out);
    /* [any-thread] Arrays: *count receives the length; element getters take
     * an index < count. */
    stream_status (*get_array_size)(void *ctx, const char *key, uint64_t *count);
    stream_status (*get_int_at)(void *ctx, const char *key, uint64_t index, int64_t *out);
    stream_status (*get_float_at)(void *ctx, const char *key, uint64_t index, double *out);
    stream_status (*get_string_at)(void *ctx, const char *key, uint64_t index, const char **out);
    /* [any-thread] A sub-table as another config view, valid as long as this one. */
    stream_status (*get_table)(void *ctx, const char *key, const struct stream_config_v1 **out);
    /* [any-thread] Where the key's value was written (file:line:col, or the
     * command line, or "(default)"); key NULL gives the table itself. */
    stream_status (*location)(void *ctx, const char *key, stream_source_location *out);
    /* [any-thread] The keys present, in sorted order, so a plugin can check a
     * free-form table (e.g. layer names) for entries that match nothing.
     * Keys are literal: "conv1/Relu" is one key, not a path. */
    uint64_t (*key_count)(void *ctx);
    stream_status (*key_at)(void *ctx, uint64_t index, const char **out);
} stream_config_v1;

/* ---------------------------------------------------------------------------
 * Host services (passed to `create`, valid until `destroy` returns)
 * ------------------------------------------------------------------------- */

typedef struct stream_host_services_v1 {
    uint32_t struct_size;
    void *ctx; /* host-owned; pass back as the first argument */

    /* [any-thread] A line for the log. The host adds the plugin id. */
    void (*log)(void *ctx, stream_log_level level, const char *message);
    /* [any-thread] Describe the error that the current call is about to
     * return. `item` may be NULL. May be called several times; all messages
     * are kept, in order. */
    void (*report_error)(void *ctx, const stream_item *item, const char *message);
    /* [any-thread] Report progress of the current long call: `done` of
     * `total` units (total 0 when unknown), with a short label (may be NULL).
     * Returns 1 if the host wants the call to stop, else 0. Cheap enough to
     * call every millisecond. */
    int32_t (*progress)(void *ctx, double done, double total, const char *what);
    /* [any-thread] 1 if the host has asked the plugin to stop. A stopped call
     * returns STREAM_ERROR_CANCELLED or its best result so far (allocators). */
    int32_t (*is_cancelled)(void *ctx);
    /* The plugin's own configuration table, validated against its declared
     * keys and with defaults filled in. Valid until `destroy` returns. */
    const stream_config_v1 *config;
    /* [any-thread] A host extension table by id ("stream.host.<name>/<rev>"),
     * or NULL when this host has none. Valid until `destroy` returns. */
    const void *(*get_extension)(void *ctx, const char *id);
    /* "stream" when the run reproduces Stream's behaviour (--compat stream):
     * plugins then follow the original tools' conventions where they differ
     * from their own defaults. "" otherwise. Never NULL. */
    const char *compat;
} stream_host_services_v1;

/* What the host tells the entry function about itself. */
typedef struct stream_host_info {
    uint32_t struct_size;
    uint16_t abi_major;
    uint16_t abi_minor;
    const char *host_name;    /* "stream-dse" */
    const char *host_version; /* "0.1.0" */
    void *ctx;
    /* [main-thread] Why the plugin refuses to load (returns NULL from the
     * entry); the host shows the reason with the file name. */
    void (*refuse)(void *ctx, const char *reason);
} stream_host_info;

/* ---------------------------------------------------------------------------
 * Shared data views: layers, loop dimensions, operands
 *
 * A computation layer is a loop nest. Each tensor axis of an operand is an
 * affine function of the loop dimensions: for a convolution input,
 *   IX = stride * OX + dilation * FX - pad_begin,
 * written as terms {OX: stride, FX: dilation} and offset = -pad_begin; values
 * outside [0, extent) are padding.
 * ------------------------------------------------------------------------- */

typedef struct stream_loop_dim_v1 {
    uint32_t struct_size;
    const char *name; /* "B", "G", "K", "C", "OY", "OX", "FY", "FX", ... */
    int64_t size;
} stream_loop_dim_v1;

typedef struct stream_affine_term_v1 {
    uint32_t struct_size;
    uint32_t loop_dim;   /* index into the layer's loop_dims */
    int64_t coefficient; /* stride or dilation; 1 for a plain dimension */
} stream_affine_term_v1;

typedef struct stream_tensor_axis_v1 {
    uint32_t struct_size;
    const stream_affine_term_v1 *terms;
    uint32_t term_count;  /* 0: the axis does not follow the loops affinely; the layer
                           * touches the whole extent (extent 1: a broadcast axis) */
    int64_t offset;       /* -pad_begin */
    int64_t extent;       /* size of the tensor along this axis */
} stream_tensor_axis_v1;

typedef int32_t stream_operand_role;
enum {
    STREAM_OPERAND_INPUT = 1,    /* an activation produced by another layer or a graph input */
    STREAM_OPERAND_CONSTANT = 2, /* weights, biases, any initializer */
    STREAM_OPERAND_OUTPUT = 3
};

typedef struct stream_operand_v1 {
    uint32_t struct_size;
    const char *name;        /* "I", "W", "O", or "I1", "I2" for binary element-wise ops */
    stream_operand_role role;
    uint32_t precision_bits; /* final precision */
    uint32_t partial_precision_bits; /* partial sums (outputs only); 0 = same as final */
    int64_t producer_layer;  /* layer id for INPUT operands fed by a layer, else -1 */
    uint32_t producer_output; /* which output of the producer (0 for single-output layers) */
    const char *tensor_name; /* graph tensor name; may be NULL */
    const stream_tensor_axis_v1 *axes;
    uint32_t axis_count;
} stream_operand_v1;

/* An operator attribute, kept for propagation nodes and op-specific models
 * (e.g. "perm" of Transpose, "axis" of Concat). */
typedef struct stream_attribute_v1 {
    uint32_t struct_size;
    const char *name;
    const int64_t *ints; /* integer attributes, as an array (a scalar has count 1) */
    uint32_t int_count;
    const char *text;    /* string attributes; NULL otherwise */
    const double *floats; /* float attributes (alpha, epsilon, scales) */
    uint32_t float_count;
} stream_attribute_v1;

typedef int32_t stream_layer_class;
enum {
    STREAM_LAYER_COMPUTE = 1,    /* a loop nest that costs time and energy on a core */
    STREAM_LAYER_PROPAGATION = 2 /* layout only (Reshape, Transpose, Concat, ...): moves indices */
};

typedef struct stream_layer_v1 {
    uint32_t struct_size;
    int64_t id;              /* dense, in graph order; assigned by the host for frontends */
    const char *name;
    const char *op_type;     /* ONNX op type or the frontend's own ("Conv", "Gemm", "MaxPool") */
    stream_layer_class layer_class;
    const stream_loop_dim_v1 *loop_dims;
    uint32_t loop_dim_count;
    const stream_operand_v1 *operands;
    uint32_t operand_count;
    int64_t group_count;     /* convolution groups; 1 otherwise */
    const stream_attribute_v1 *attributes;
    uint32_t attribute_count;
    stream_source_location location; /* where the frontend read this layer; may be zeroed */
} stream_layer_v1;

/* ---------------------------------------------------------------------------
 * Kind: frontend (workload file -> layers)
 * ------------------------------------------------------------------------- */

/* Where a frontend puts the layers it reads. The host copies each layer
 * before add_layer returns and assigns ids in call order (the `id` field of
 * the view is ignored); producers refer to ids already added. */
typedef struct stream_workload_builder_v1 {
    uint32_t struct_size;
    void *ctx;
    /* [instance] Returns STREAM_OK and the layer's id in *id, or an error
     * (already described by the host through report_error). */
    stream_status (*add_layer)(void *ctx, const stream_layer_v1 *layer, int64_t *id);
    /* [instance] Network name, for reports. */
    void (*set_name)(void *ctx, const char *name);
} stream_workload_builder_v1;

typedef struct stream_frontend_v1 {
    uint32_t struct_size;
    /* [main-thread] Create an instance; `host` stays valid until destroy. */
    stream_status (*create)(const stream_host_services_v1 *host, void **instance);
    /* [main-thread] Destroy an instance created by create; NULL is a no-op. */
    void (*destroy)(void *instance);
    /* [instance] 1 if this frontend reads `path` (by extension or a peek at
     * the content), else 0. Must not report errors. */
    int32_t (*accepts)(void *instance, const char *path);
    /* [instance] Read `path` and add its layers through `builder`. Errors
     * in the file are reported with STREAM_ITEM_FILE (location) or
     * STREAM_ITEM_LAYER items. */
    stream_status (*load)(void *instance, const char *path, const stream_workload_builder_v1 *builder);
} stream_frontend_v1;

/* ---------------------------------------------------------------------------
 * Cores and memories (as the host parsed them from the hardware file)
 * ------------------------------------------------------------------------- */

typedef struct stream_array_dim_v1 {
    uint32_t struct_size;
    const char *name; /* "D1", "D2", ... */
    int64_t size;
} stream_array_dim_v1;

/* Which port one data flow of one operand uses at a memory level (ZigZag's
 * port allocation): flow "fh" = written from the higher level, "tl" = read
 * towards the lower level, "fl" = written from the lower level (partial
 * sums), "th" = read towards the higher level; port e.g. "r_port_1". */
typedef struct stream_port_use_v1 {
    uint32_t struct_size;
    const char *operand;
    const char *flow;
    const char *port;
} stream_port_use_v1;

/* One level of a core's memory hierarchy (innermost first). */
typedef struct stream_memory_level_v1 {
    uint32_t struct_size;
    const char *name;
    int64_t size_bits;
    double read_bw_bits_per_cycle;
    double write_bw_bits_per_cycle;
    double read_energy_pj;   /* per access of read_bw bits */
    double write_energy_pj;  /* per access of write_bw bits */
    double area_mm2;
    double leakage_mw;
    double latency_cycles;
    int64_t min_read_bits;   /* access granularity; 0 = read_bw */
    int64_t min_write_bits;  /* 0 = write_bw */
    const char *const *operands; /* operand names this level serves, as layers name them:
                                  * "I", "W", "O" ("I1", "I2" for two-input element-wise ops) */
    uint32_t operand_count;
    const char *const *served_dims; /* array dims this level is shared over */
    uint32_t served_dim_count;
    uint32_t read_ports;
    uint32_t write_ports;
    uint32_t read_write_ports;
    const stream_port_use_v1 *port_uses;
    uint32_t port_use_count;
    const char *cost_source; /* where the costs come from ("given", or a memory model's source) */
} stream_memory_level_v1;

/* One spatial unrolling: `factor` iterations of loop `loop_dim` spread over
 * array dimension `array_dim`. Several entries may share an array dim. */
typedef struct stream_spatial_unrolling_v1 {
    uint32_t struct_size;
    const char *array_dim;
    const char *loop_dim;
    int64_t factor;
} stream_spatial_unrolling_v1;

typedef struct stream_core_v1 {
    uint32_t struct_size;
    int64_t id;
    const char *name;      /* the core type name */
    int32_t is_offchip;    /* 1 for the DRAM core: it stores, it does not compute */
    const stream_array_dim_v1 *array_dims;
    uint32_t array_dim_count;
    double mac_energy_pj;
    double mac_area_mm2;
    const stream_memory_level_v1 *memories;
    uint32_t memory_count;
    /* Spatial unrolling hints of the core's dataflow, e.g. D1: K 32, D2: C 32. */
    const struct stream_spatial_unrolling_v1 *dataflow;
    uint32_t dataflow_count;
    /* The core-model plugin's own keys from the core's table in the hardware
     * file (e.g. a vendor model's calibration file). Never NULL. */
    const stream_config_v1 *model_config;
    /* The core whose outermost memory this core uses: its own id, or the
     * first core of a group sharing one physical top memory. */
    int64_t top_memory_owner;
    /* The off-chip DRAM's memory, which a core model adds above the core's
     * own hierarchy for operands too large to keep on the core (they are
     * then streamed while the node runs). NULL when the system has none. */
    const stream_memory_level_v1 *offchip_memory;
} stream_core_v1;

/* ---------------------------------------------------------------------------
 * Kind: core model (computation node x core -> cost)
 * ------------------------------------------------------------------------- */

/* A computation node: its layer, with loop sizes restricted to the tile.
 * `layer.loop_dims` carry the tile sizes; operand extents are the tile's. */
/* Bits a node receives from producer nodes for one of its layer's input
 * operands: the whole producer tensors, which can exceed the tile's own slice
 * (a row tile of a layer cut into column tiles receives every column tile).
 * A model deciding what fits on the core counts the larger of the two (Stream
 * sizes inputs this way, stream.md §3.6). */
typedef struct stream_received_bits_v1 {
    uint32_t struct_size;
    const char *operand;   /* layer operand name, as in layer.operands */
    int64_t size_bits;
} stream_received_bits_v1;

typedef struct stream_cn_v1 {
    uint32_t struct_size;
    int64_t id;            /* -1 when costing a shape rather than a specific node */
    stream_layer_v1 layer;
    /* Input operands fed by producer nodes; operands absent here (weights,
     * graph inputs) arrive as exactly the tile's slice. Count 0 when none. */
    const stream_received_bits_v1 *received;
    uint32_t received_count;
} stream_cn_v1;

/* Energy of one operand at one memory level. */
typedef struct stream_access_energy_v1 {
    uint32_t struct_size;
    uint32_t memory_level; /* index into core->memories */
    const char *operand;
    double reads;          /* accesses, in units of the level's read bandwidth */
    double writes;
    double energy_pj;
} stream_access_energy_v1;

/* Bits of an operand held in the core's top memory for this node. */
typedef struct stream_footprint_v1 {
    uint32_t struct_size;
    const char *operand;
    int64_t size_bits;
    int32_t streamed_from_offchip; /* 1: too large for the core, read from DRAM while running */
} stream_footprint_v1;

typedef struct stream_cost_v1 {
    uint32_t struct_size;
    double latency_cycles;          /* with on- and off-loading */
    double latency_no_offload_cycles; /* without off-loading (Stream's latency_total1) */
    double ideal_cycles;            /* MACs / MAC units */
    double onloading_cycles;
    double offloading_cycles;
    double energy_pj;               /* total */
    double mac_energy_pj;
    double offchip_energy_pj;       /* part of energy_pj spent on streamed operands */
    double utilization;             /* 0..1 of the array over latency_cycles */
    double offchip_bw_bits_per_cycle; /* bandwidth streamed operands need from DRAM */
    const stream_access_energy_v1 *accesses;
    uint32_t access_count;
    const stream_footprint_v1 *footprints;
    uint32_t footprint_count;
    const char *mapping_text;       /* the chosen mapping as a readable loop nest; may be NULL */
    /* Appended after 1.0: offchip_bw_bits_per_cycle split by direction, so a node streaming inputs
     * and its output reserves each direction's need, not the sum twice. Read with STREAM_HAS_FIELD;
     * a model without them leaves the host on offchip_bw_bits_per_cycle. */
    double offchip_read_bw_bits_per_cycle;  /* DRAM -> core: streamed inputs (ZigZag's rd_out_to_low) */
    double offchip_write_bw_bits_per_cycle; /* core -> DRAM: a streamed output (ZigZag's wr_in_by_low) */
} stream_cost_v1;

/* Where a core model puts its result. The host copies everything before
 * `submit` returns. */
typedef struct stream_cost_sink_v1 {
    uint32_t struct_size;
    void *ctx;
    /* [instance] Call exactly once on success. */
    void (*submit)(void *ctx, const stream_cost_v1 *cost);
} stream_cost_sink_v1;

typedef struct stream_core_model_v1 {
    uint32_t struct_size;
    /* [main-thread] */
    stream_status (*create)(const stream_host_services_v1 *host, void **instance);
    /* [main-thread] NULL is a no-op. */
    void (*destroy)(void *instance);
    /* [instance] Cost `cn` on `core`. STREAM_ERROR_UNSUPPORTED when the core
     * cannot run this node (say which with a STREAM_ITEM_CORE item),
     * STREAM_ERROR_INFEASIBLE when no mapping fits. */
    stream_status (*evaluate)(void *instance, const stream_core_v1 *core, const stream_cn_v1 *cn,
                              const stream_cost_sink_v1 *sink);
} stream_core_model_v1;

/* ---------------------------------------------------------------------------
 * Kind: memory model (memory spec -> costs)
 * ------------------------------------------------------------------------- */

typedef struct stream_memory_spec_v1 {
    uint32_t struct_size;
    const char *name;
    int64_t size_bits;
    int64_t word_bits;          /* bits per access */
    uint32_t read_ports;
    uint32_t write_ports;
    uint32_t read_write_ports;
    double technology_nm;       /* 0 when not given */
    /* The memory entry's own keys for this model ("standard = \"LPDDR4\""). Never NULL. */
    const stream_config_v1 *model_config;
} stream_memory_spec_v1;

typedef struct stream_memory_costs_v1 {
    uint32_t struct_size;
    double read_energy_pj;   /* per access of word_bits */
    double write_energy_pj;
    double read_bw_bits_per_cycle;
    double write_bw_bits_per_cycle;
    double area_mm2;
    double leakage_mw;
    double latency_cycles;
    const char *source;      /* where the numbers come from (paper, datasheet); may be NULL */
} stream_memory_costs_v1;

typedef struct stream_memory_costs_sink_v1 {
    uint32_t struct_size;
    void *ctx;
    /* [instance] Call exactly once on success. */
    void (*submit)(void *ctx, const stream_memory_costs_v1 *costs);
} stream_memory_costs_sink_v1;

typedef struct stream_memory_model_v1 {
    uint32_t struct_size;
    stream_status (*create)(const stream_host_services_v1 *host, void **instance); /* [main-thread] */
    void (*destroy)(void *instance);                                               /* [main-thread] */
    /* [instance] */
    stream_status (*describe)(void *instance, const stream_memory_spec_v1 *spec,
                              const stream_memory_costs_sink_v1 *sink);
} stream_memory_model_v1;

/* ---------------------------------------------------------------------------
 * The allocation problem, shared by allocators and schedulers
 *
 * Nodes (CNs) are grouped into allocation units: all nodes of a unit run on
 * one core. For each unit and each candidate core the host gives the cost
 * of the unit's nodes on that core.
 * ------------------------------------------------------------------------- */

typedef struct stream_link_v1 {
    uint32_t struct_size;
    int64_t id;
    int64_t from_core;
    int64_t to_core;
    double bandwidth_bits_per_cycle;
    double energy_pj_per_bit;
    double latency_cycles;
    int32_t bidirectional; /* 1: one link carries both directions (shared bandwidth) */
    /* A bus: every listed core reaches every other over this one link, and all
     * transfers on it share its bandwidth. For a bus, from_core and to_core
     * restrict its use when >= 0: only transfers sent by from_core (a read
     * bus from DRAM) or only transfers to to_core (a write bus to DRAM). */
    const int64_t *bus_cores;
    uint32_t bus_core_count;
} stream_link_v1;

typedef struct stream_accelerator_v1 {
    uint32_t struct_size;
    const char *name;
    const stream_core_v1 *cores;   /* indexed by core id */
    uint32_t core_count;
    int64_t offchip_core;          /* id of the DRAM core, -1 if none */
    const stream_link_v1 *links;
    uint32_t link_count;
} stream_accelerator_v1;

/* The cost of a node, or of all nodes of a unit (summed), on one core. */
typedef struct stream_core_cost_v1 {
    uint32_t struct_size;
    int64_t core;
    double latency_cycles;
    double energy_pj;          /* on-chip and streamed, as the core model gave it */
    double offchip_energy_pj;  /* part of energy_pj spent streaming operands from DRAM */
    int64_t constant_bits;     /* weights kept on the core */
    double latency_no_offload_cycles; /* without the final off-loading (Stream's latency_total1) */
    /* Operands too large for the core's top memory: streamed from/to DRAM
     * while the node runs, holding the DRAM links at the bandwidths below. */
    const char *const *streamed_operands;
    uint32_t streamed_operand_count;
    double offchip_read_bw_bits_per_cycle;  /* DRAM -> core while running */
    double offchip_write_bw_bits_per_cycle; /* core -> DRAM while running */
} stream_core_cost_v1;

/* A tensor slice that schedulers move and store: a tile of weights, of a
 * network input, or of a node's output. Identity is by id: nodes that read
 * the same weight tile name the same tensor. */
typedef int32_t stream_tensor_kind;
enum {
    STREAM_TENSOR_CONSTANT = 1,    /* weights: in DRAM from the start */
    STREAM_TENSOR_GRAPH_INPUT = 2, /* a slice of a network input: in DRAM from the start */
    STREAM_TENSOR_ACTIVATION = 3   /* a node's output */
};

typedef struct stream_tensor_v1 {
    uint32_t struct_size;
    int64_t id;                 /* index into problem->tensors */
    stream_tensor_kind kind;
    int64_t layer;              /* the layer whose operand it is (the producer's, for activations) */
    const char *operand;        /* that layer's operand name ("W", "I", "O", ...) */
    int64_t size_bits;
    int64_t producer_node;      /* activations: the node that writes it; -1 otherwise */
} stream_tensor_v1;

/* A tensor a node needs on its core before it starts. */
typedef struct stream_node_input_v1 {
    uint32_t struct_size;
    int64_t tensor;             /* index into problem->tensors */
    const char *operand;        /* the operand of the node's layer it is read as: picks the memory */
} stream_node_input_v1;

typedef struct stream_alloc_unit_v1 {
    uint32_t struct_size;
    int64_t layer;
    int64_t group;              /* tile group within the layer; 0 when the layer is one group */
    const int64_t *nodes;       /* node ids */
    uint32_t node_count;
    const stream_core_cost_v1 *costs; /* one per candidate core */
    uint32_t cost_count;
    int64_t fixed_core;         /* -1 unless the mapping pins the unit to one core */
} stream_alloc_unit_v1;

/* A computation node in the graph handed to schedulers. */
typedef struct stream_node_v1 {
    uint32_t struct_size;
    int64_t id;
    int64_t layer;
    int64_t unit;               /* index into the problem's units */
    int64_t stack;              /* fusion stack */
    int64_t priority;           /* lower runs first among ready nodes */
    int32_t produces_final_output; /* 1: its output must be written to DRAM */
    int64_t output_bits;
    int64_t dram_input_bits;    /* graph inputs it reads from DRAM (not produced by a node) */
    const stream_core_cost_v1 *costs; /* one per candidate core of its unit */
    uint32_t cost_count;
    int64_t group;              /* tile group within its layer (the nodes of a group share a core) */
    int64_t sub_id;             /* index of the tile within its layer */
    /* Every tensor it reads: its weight and network-input tiles and the
     * outputs of the nodes of other layers it depends on. */
    const stream_node_input_v1 *inputs;
    uint32_t input_count;
    int64_t output_tensor;      /* index into problem->tensors */
} stream_node_v1;

typedef struct stream_edge_v1 {
    uint32_t struct_size;
    int64_t from_node;
    int64_t to_node;
    int64_t bits;               /* size of the tensor slice the edge carries */
    int64_t tensor;             /* the producer's output tensor; -1 for an ordering-only edge */
} stream_edge_v1;

typedef struct stream_problem_v1 {
    uint32_t struct_size;
    const stream_accelerator_v1 *accelerator;
    const stream_layer_v1 *layers;
    uint32_t layer_count;
    const stream_alloc_unit_v1 *units;
    uint32_t unit_count;
    const stream_node_v1 *nodes;   /* indexed by node id */
    uint32_t node_count;
    const stream_edge_v1 *edges;
    uint32_t edge_count;
    const stream_tensor_v1 *tensors; /* indexed by tensor id */
    uint32_t tensor_count;
    /* "stream" when the run reproduces Stream's behaviour (--compat stream),
     * "" for Stream-DSE's corrected defaults. Never NULL. */
    const char *compat;
} stream_problem_v1;

/* An allocation: the core of each unit, in the order of problem->units. */
typedef struct stream_allocation_v1 {
    uint32_t struct_size;
    const int64_t *unit_core;
    uint32_t unit_count;
    /* An allocator's own scheduling order (lower first), one per node;
     * NULL to keep each node's `priority`. */
    const int64_t *node_priority;
    uint32_t node_priority_count;
} stream_allocation_v1;

/* The numbers an evaluation or a schedule produces. */
typedef struct stream_metrics_v1 {
    uint32_t struct_size;
    double latency_cycles;
    double energy_pj;
    double edp;                 /* latency_cycles * energy_pj */
    double peak_memory_bits;    /* largest over the cores' top memories */
} stream_metrics_v1;

/* ---------------------------------------------------------------------------
 * Kind: allocator
 * ------------------------------------------------------------------------- */

/* "Evaluate this allocation" — the host runs the pipeline's scheduler. */
typedef struct stream_evaluator_v1 {
    uint32_t struct_size;
    void *ctx;
    /* [any-thread] Schedule `allocation` and return its metrics. Fails with
     * STREAM_ERROR_INVALID_INPUT when a unit is given a core that is not
     * among its candidates, STREAM_ERROR_INFEASIBLE when it cannot be
     * scheduled. */
    stream_status (*evaluate)(void *ctx, const stream_allocation_v1 *allocation, stream_metrics_v1 *out);
    /* Since 1.1 (STREAM_HAS_FIELD; NULL when the host cannot re-tile).
     * [main-thread] The problem again with the inter-core "*" tiling of
     * layer l split over layer_split[l] cores (at most its candidate cores;
     * 0: as in this evaluator's problem; a layer whose mapping has no "*"
     * keeps its tiling), tiled and
     * costed as the run's own problem, and an evaluator for it: Stream's
     * split counts. Equal requests return the same problem. Both stay valid
     * until `allocate` returns; an allocation for that problem is submitted
     * with stream_allocation_result_v1.problem pointing at it. Fails with
     * STREAM_ERROR_INVALID_INPUT when layer_count is not the problem's layer
     * count or a count is negative. */
    stream_status (*retile)(void *ctx, const int64_t *layer_split, uint32_t layer_count,
                            const stream_problem_v1 **problem, const struct stream_evaluator_v1 **evaluator);
} stream_evaluator_v1;

typedef struct stream_allocation_result_v1 {
    uint32_t struct_size;
    stream_allocation_v1 allocation;
    int32_t proven_optimal;     /* 1 when the search proved optimality of its own objective */
    double objective;           /* the allocator's objective value (NaN when none) */
    double best_bound;          /* lower bound on the objective (NaN when none) */
    const char *summary;        /* one line for the report; may be NULL */
    /* Since 1.1: the problem `allocation` is for: NULL for the one `allocate`
     * was given, else one its evaluator's `retile` returned. Alternatives
     * (add_alternative) are always for the problem `allocate` was given, so
     * an allocator that submits a re-tiled problem adds none. */
    const stream_problem_v1 *problem;
} stream_allocation_result_v1;

typedef struct stream_allocation_sink_v1 {
    uint32_t struct_size;
    void *ctx;
    /* [instance] Call once with the chosen allocation. Allocators that keep a
     * front (NSGA-II) may call `add_alternative` for each other member. */
    void (*submit)(void *ctx, const stream_allocation_result_v1 *result);
    void (*add_alternative)(void *ctx, const stream_allocation_v1 *allocation, const stream_metrics_v1 *metrics);
} stream_allocation_sink_v1;

typedef struct stream_allocator_v1 {
    uint32_t struct_size;
    stream_status (*create)(const stream_host_services_v1 *host, void **instance); /* [main-thread] */
    void (*destroy)(void *instance);                                               /* [main-thread] */
    /* [main-thread] Choose a core for each unit. `evaluator` is valid for the call. */
    stream_status (*allocate)(void *instance, const stream_problem_v1 *problem,
                              const stream_evaluator_v1 *evaluator, const stream_allocation_sink_v1 *sink);
} stream_allocator_v1;

/* ---------------------------------------------------------------------------
 * Kind: scheduler
 * ------------------------------------------------------------------------- */

typedef struct stream_scheduled_node_v1 {
    uint32_t struct_size;
    int64_t node;
    int64_t core;
    double start_cycle;
    double end_cycle;
} stream_scheduled_node_v1;

typedef int32_t stream_transfer_purpose;
enum {
    STREAM_TRANSFER_INPUT_FETCH = 1,  /* DRAM -> core: graph inputs, weights */
    STREAM_TRANSFER_CORE_TO_CORE = 2,
    STREAM_TRANSFER_EVICTION = 3,     /* core -> DRAM, to make room */
    STREAM_TRANSFER_FINAL_OUTPUT = 4, /* core -> DRAM: stack and network outputs */
    STREAM_TRANSFER_STREAMING = 5     /* DRAM link held while an operand streams */
};

typedef struct stream_transfer_v1 {
    uint32_t struct_size;
    const int64_t *links;       /* link ids along the route */
    uint32_t link_count;
    double start_cycle;
    double end_cycle;
    int64_t bits;
    stream_transfer_purpose purpose;
    int64_t node;               /* the node the transfer serves, -1 if none */
    double energy_pj;
} stream_transfer_v1;

/* A change of memory use: from `cycle` on, `memory` of `core` holds `bits`. */
typedef struct stream_memory_sample_v1 {
    uint32_t struct_size;
    int64_t core;
    uint32_t memory_level;
    double cycle;
    int64_t bits;
} stream_memory_sample_v1;

/* An energy component by name ("compute", "offchip_link", ...). */
typedef struct stream_energy_component_v1 {
    uint32_t struct_size;
    const char *name;
    double energy_pj;
} stream_energy_component_v1;

typedef struct stream_schedule_v1 {
    uint32_t struct_size;
    stream_metrics_v1 metrics;
    const stream_scheduled_node_v1 *nodes;
    uint32_t node_count;
    const stream_transfer_v1 *transfers;
    uint32_t transfer_count;
    const stream_memory_sample_v1 *memory_samples;
    uint32_t memory_sample_count;
    const stream_energy_component_v1 *energy;  /* components sum to metrics.energy_pj */
    uint32_t energy_count;
} stream_schedule_v1;

typedef struct stream_schedule_sink_v1 {
    uint32_t struct_size;
    void *ctx;
    /* [instance] Call exactly once on success. A caller that only needs the
     * metrics (an allocator's evaluation) sets `metrics_only` to 1; the
     * scheduler may then leave the arrays empty. */
    void (*submit)(void *ctx, const stream_schedule_v1 *schedule);
    int32_t metrics_only;
} stream_schedule_sink_v1;

typedef struct stream_scheduler_v1 {
    uint32_t struct_size;
    stream_status (*create)(const stream_host_services_v1 *host, void **instance); /* [main-thread] */
    void (*destroy)(void *instance);                                               /* [main-thread] */
    /* [instance] Schedule every node of `problem` on the cores of `allocation`. */
    stream_status (*schedule)(void *instance, const stream_problem_v1 *problem,
                              const stream_allocation_v1 *allocation, const stream_schedule_sink_v1 *sink);
} stream_scheduler_v1;

/* ---------------------------------------------------------------------------
 * Kind: explorer (since 1.2)
 *
 * An explorer searches the mapping a user would otherwise write by hand:
 * where the layer stacks are cut, how each fused layer is cut into tiles,
 * and over how many of its candidate cores each layer is split. The host
 * describes the space (stream_mapping_space_v1) and evaluates any point of
 * it completely (stream_mapping_evaluator_v1): it tiles the workload, costs
 * the tiles (every distinct tile shape once per run), allocates with the
 * search's inner allocator, schedules, and returns the metrics and the value
 * of the search's objective. The host keeps every evaluated mapping; the
 * result of the search is the best of them under the objective, so an
 * explorer never has to remember its best point, and the host's own seeds
 * (layer by layer, the user's mapping) are evaluated before `explore` is
 * called: a search is never worse than them.
 * ------------------------------------------------------------------------- */

/* One way to cut a layer into intra-core tiles: `tiles` tiles along loop
 * `dim`. Option 0 of every layer is the layer whole: dim NULL, tiles 1. */
typedef struct stream_tiling_option_v1 {
    uint32_t struct_size;
    const char *dim;            /* a name of the layer's loop_dims; NULL for the layer whole */
    int64_t tiles;              /* >= 1 */
} stream_tiling_option_v1;

/* The choices of one computation layer. Entries are in the workload's layer
 * order (a topological order); a stack is a run of consecutive entries (the
 * layout-only layers between them follow the computation layer before them).
 * A layer alone in its stack is never tiled: its tiling choice is ignored. */
typedef struct stream_layer_choices_v1 {
    uint32_t struct_size;
    int64_t layer;              /* the layer's id, an index into space->layers */
    const stream_tiling_option_v1 *tilings;
    uint32_t tiling_count;      /* >= 1 */
    uint32_t max_split;         /* the layer may run split over 1..max_split cores (>= 1) */
    /* -1: the search chooses whether a stack starts at this layer; 0 or 1:
     * fixed by the pipeline (entry 0 is always 1). */
    int32_t stack_start_fixed;
    int64_t weight_bits;        /* constant operands, whole layer */
    int64_t output_bits;        /* the output, whole layer */
    double macs;                /* loop iterations of the whole layer */
} stream_layer_choices_v1;

/* A point of the space: three arrays of space->choice_count entries each. */
typedef struct stream_mapping_v1 {
    uint32_t struct_size;
    const uint8_t *stack_start; /* 1: a stack starts at this entry (entry 0: always) */
    const uint32_t *tiling;     /* index into the entry's tilings */
    const uint32_t *split;      /* 1..max_split */
    uint32_t count;             /* == space->choice_count */
} stream_mapping_v1;

typedef struct stream_mapping_space_v1 {
    uint32_t struct_size;
    const stream_accelerator_v1 *accelerator;
    const stream_layer_v1 *layers;      /* every layer of the workload, indexed by id */
    uint32_t layer_count;
    const stream_layer_choices_v1 *choices;
    uint32_t choice_count;
    /* Points the host evaluated before `explore`: [0] layer by layer (with
     * the pipeline's stacks when those are fixed), then the mapping as
     * written, then Stream's "weights" stacks; equal points once. */
    const stream_mapping_v1 *seeds;
    uint32_t seed_count;
    const char *objective;      /* "latency", "energy", "edp" or "peak_memory"; lower is better */
    uint64_t seed;              /* for the explorer's random numbers: same seed, same search */
    int64_t max_evaluations;    /* the budget in evaluations (the host refuses more); 0: none */
    double time_budget_s;       /* the budget in seconds (the host refuses past it); 0: none */
} stream_mapping_space_v1;

/* "Evaluate this mapping": tiling, costs, inner allocation, schedule. */
typedef struct stream_mapping_evaluator_v1 {
    uint32_t struct_size;
    void *ctx;
    /* [main-thread] Evaluate `mapping`; `metrics` and `objective` (lower is
     * better) are written on success. An equal mapping is answered from the
     * host's memory without a new evaluation (and not counted again).
     * Returns STREAM_ERROR_INFEASIBLE when no allocation or schedule exists
     * for it (a memory capacity, a core that cannot run a tile): the search
     * goes on; STREAM_ERROR_CANCELLED once the budget is spent or the user
     * interrupted, for every call from then on (also for an equal mapping
     * evaluated before): the explorer then stops, submits and returns
     * STREAM_OK. A mapping outside the space (sizes, indices, a fixed stack
     * start changed) is the explorer's error: it is answered
     * STREAM_ERROR_CANCELLED too, and the host fails the run naming the
     * explorer and the entry. */
    stream_status (*evaluate)(void *ctx, const stream_mapping_v1 *mapping, stream_metrics_v1 *metrics,
                              double *objective);
    /* [main-thread] The part of the budget still left, in [0, 1] (1 when no
     * budget is set); for cooling schedules and the like. */
    double (*budget_left)(void *ctx);
} stream_mapping_evaluator_v1;

typedef struct stream_exploration_sink_v1 {
    uint32_t struct_size;
    void *ctx;
    /* [main-thread] Call once, before `explore` returns STREAM_OK, with one
     * line for the report (what the strategy did). The host copies it. */
    void (*submit)(void *ctx, const char *summary);
} stream_exploration_sink_v1;

typedef struct stream_explorer_v1 {
    uint32_t struct_size;
    stream_status (*create)(const stream_host_services_v1 *host, void **instance); /* [main-thread] */
    void (*destroy)(void *instance);                                               /* [main-thread] */
    /* [main-thread] Search `space` through `evaluator`; all three pointers are
     * valid for the call. */
    stream_status (*explore)(void *instance, const stream_mapping_space_v1 *space,
                             const stream_mapping_evaluator_v1 *evaluator, const stream_exploration_sink_v1 *sink);
} stream_explorer_v1;

/* ---------------------------------------------------------------------------
 * The descriptor and the entry point
 * ------------------------------------------------------------------------- */

typedef struct stream_plugin_descriptor {
    uint32_t struct_size;
    uint16_t abi_major;        /* STREAM_ABI_MAJOR the plugin was built against */
    uint16_t abi_minor;        /* STREAM_ABI_MINOR the plugin was built against */
    stream_plugin_kind kind;
    const char *id;            /* short, unique within the kind: "onnx", "gecode"; [a-z0-9_-] */
    const char *name;          /* human-readable */
    const char *version;       /* the plugin's own version, "MAJOR.MINOR.PATCH" */
    const char *summary;       /* one line */
    const stream_config_key *config_keys;
    uint32_t config_key_count;
    uint64_t flags;            /* STREAM_PLUGIN_THREAD_SAFE */
    /* The kind's table: stream_frontend_v1, stream_core_model_v1, ... It
     * begins with its own struct_size. Valid while the library is loaded. */
    const void *vtable;
    /* [any-thread] An optional extension table by id ("stream.<kind>.<name>/<rev>"),
     * or NULL. The table stays valid while the library is loaded. May be NULL. */
    const void *(*get_extension)(const char *id);
} stream_plugin_descriptor;

/* The one exported symbol. [main-thread] Fast and free of side effects: the
 * host calls it to list plugins. Returns a descriptor that stays valid while
 * the library is loaded, or NULL to refuse (after host->refuse(reason)). */
typedef const stream_plugin_descriptor *(*stream_plugin_entry_fn)(const stream_host_info *host);

#ifdef __cplusplus
}
#endif

#endif /* STREAM_PLUGIN_H */
