/*
 * The roofline core model as a plugin: descriptor, configuration and the
 * glue between the ABI's create/evaluate and the pure model. Written in C99
 * against plugin.h alone, as a template for vendors who ship C.
 */
#include "roofline_model.h"

#include <stdlib.h>

/* Per instance: read once at create, only read afterwards, which is what
 * makes the plugin safe to call from several threads at once. */
typedef struct RooflineInstance {
    const stream_host_services_v1 *host;
    double peak_fraction;
} RooflineInstance;

static void report(const stream_host_services_v1 *host, const RooflineError *error) {
    stream_item item = {0};
    item.struct_size = sizeof item;
    item.kind = error->item_kind;
    item.index = error->item_index;
    item.name = error->item_name;
    item.location.struct_size = sizeof item.location;
    host->report_error(host->ctx, error->item_kind == STREAM_ITEM_NONE ? NULL : &item, error->message);
}

static void report_plain(const stream_host_services_v1 *host, const char *message) {
    host->report_error(host->ctx, NULL, message);
}

static stream_status read_peak_fraction(const stream_host_services_v1 *host, double *peak_fraction) {
    const stream_config_v1 *config = host->config;
    stream_status status;
    *peak_fraction = 1.0;
    if (!config || !config->has(config->ctx, "peak_fraction")) return STREAM_OK;
    status = config->get_float(config->ctx, "peak_fraction", peak_fraction);
    if (status != STREAM_OK) {
        stream_item item = {0};
        item.struct_size = sizeof item;
        item.kind = STREAM_ITEM_CONFIG_KEY;
        item.index = -1;
        item.name = "peak_fraction";
        item.location.struct_size = sizeof item.location;
        host->report_error(host->ctx, &item, "peak_fraction must be a number");
        return status == STREAM_ERROR_NOT_FOUND ? STREAM_ERROR_INVALID_CONFIG : status;
    }
    return STREAM_OK;
}

static stream_status roofline_create(const stream_host_services_v1 *host, void **instance) {
    RooflineInstance *self;
    RooflineError error = {0};
    double peak_fraction;
    stream_status status;

    *instance = NULL;
    if ((status = read_peak_fraction(host, &peak_fraction)) != STREAM_OK) return status;
    if ((status = roofline_check_peak_fraction(peak_fraction, &error)) != STREAM_OK) {
        report(host, &error);
        return status;
    }
    self = (RooflineInstance *)malloc(sizeof *self);
    if (!self) {
        report_plain(host, "out of memory");
        return STREAM_ERROR_INTERNAL;
    }
    self->host = host;
    self->peak_fraction = peak_fraction;
    *instance = self;
    return STREAM_OK;
}

static void roofline_destroy(void *instance) { free(instance); }

static stream_status roofline_evaluate_node(void *instance, const stream_core_v1 *core, const stream_cn_v1 *cn,
                                            const stream_cost_sink_v1 *sink) {
    const RooflineInstance *self = (const RooflineInstance *)instance;
    uint32_t operand_count = cn->layer.operand_count;
    /* One entry per operand; at least one so that malloc(0) never returns NULL as "success". */
    size_t slots = operand_count ? operand_count : 1;
    stream_access_energy_v1 *accesses = (stream_access_energy_v1 *)malloc(slots * sizeof *accesses);
    stream_footprint_v1 *footprints = (stream_footprint_v1 *)malloc(slots * sizeof *footprints);
    RooflineError error = {0};
    stream_cost_v1 cost;
    stream_status status;

    if (!accesses || !footprints) {
        free(accesses);
        free(footprints);
        report_plain(self->host, "out of memory");
        return STREAM_ERROR_INTERNAL;
    }
    status = roofline_evaluate(core, cn, self->peak_fraction, accesses, footprints, &cost, NULL, &error);
    if (status == STREAM_OK) sink->submit(sink->ctx, &cost);
    else report(self->host, &error);
    free(accesses);
    free(footprints);
    return status;
}

static const stream_config_key roofline_keys[] = {
    {sizeof(stream_config_key), "peak_fraction", STREAM_VALUE_FLOAT, 0, "1.0", NULL,
     "Fraction of the MAC array's peak throughput a node sustains, in (0, 1]."},
};

static const stream_core_model_v1 roofline_vtable = {
    sizeof(stream_core_model_v1), roofline_create, roofline_destroy, roofline_evaluate_node};

static const stream_plugin_descriptor roofline_descriptor = {
    sizeof(stream_plugin_descriptor),
    STREAM_ABI_MAJOR,
    STREAM_ABI_MINOR,
    STREAM_KIND_CORE_MODEL,
    "roofline",
    "Roofline core model",
    "1.0.0",
    "Latency = max(MACs over the array at peak_fraction, operand bits over memory bandwidth).",
    roofline_keys,
    sizeof roofline_keys / sizeof roofline_keys[0],
    STREAM_PLUGIN_THREAD_SAFE,
    &roofline_vtable,
    NULL};

STREAM_PLUGIN_EXPORT const stream_plugin_descriptor *stream_plugin_entry(const stream_host_info *host) {
    (void)host;
    return &roofline_descriptor;
}
