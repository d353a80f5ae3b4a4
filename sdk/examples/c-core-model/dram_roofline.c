/*
 * An example core model in plain C99: a roofline against DRAM. Each
 * computation node (CN) takes the longer of
 *   compute time:   MACs / MAC units of the core's array, and
 *   bandwidth time: bits of all its operand tiles / the DRAM read bandwidth
 *                   times `dram_efficiency`,
 * as if no operand were reused on chip. The cost's mapping_text says which
 * bound the node hit; `stream-dse run` shows it in results.json.
 *
 * Build against the installed SDK (see CMakeLists.txt beside this file); the
 * only export is stream_plugin_entry, everything else is static.
 */
#include <stream/plugin.h>

#include <stdio.h>
#include <stdlib.h>

typedef struct {
    const stream_host_services_v1 *host; /* valid until destroy */
    double dram_efficiency;
} dram_roofline;

/* Errors go to the host with the item they concern; the host adds file:line:col. */
static stream_status fail(const stream_host_services_v1 *host, stream_status status, stream_item_kind kind,
                          int64_t index, const char *name, const char *message) {
    stream_item item = {0};
    item.struct_size = sizeof item;
    item.kind = kind;
    item.index = index;
    item.name = name;
    item.location.struct_size = sizeof item.location;
    host->report_error(host->ctx, &item, message);
    return status;
}

static stream_status create(const stream_host_services_v1 *host, void **instance) {
    const stream_config_v1 *config = host->config;
    dram_roofline *self;
    double efficiency = 1.0;
    /* The key is declared with a default, so the host always has a float for it. */
    stream_status status = config->get_float(config->ctx, "dram_efficiency", &efficiency);
    if (status != STREAM_OK) return status;
    if (!(efficiency > 0.0 && efficiency <= 1.0)) /* negated so that NaN is refused too */
        return fail(host, STREAM_ERROR_INVALID_CONFIG, STREAM_ITEM_CONFIG_KEY, -1, "dram_efficiency",
                    "dram_efficiency must be in (0, 1]");
    self = (dram_roofline *)malloc(sizeof *self);
    if (!self) return fail(host, STREAM_ERROR_INTERNAL, STREAM_ITEM_NONE, -1, NULL, "out of memory");
    self->host = host;
    self->dram_efficiency = efficiency;
    *instance = self;
    return STREAM_OK;
}

static void destroy(void *instance) { free(instance); }

/* Bits of one operand tile: the product of its axis extents (a CN's extents are the tile's). */
static double operand_bits(const stream_operand_v1 *operand) {
    double elements = 1.0;
    uint32_t a;
    for (a = 0; a < operand->axis_count; ++a)
        elements *= (double)STREAM_AT(stream_tensor_axis_v1, operand->axes, a)->extent;
    return elements * (double)operand->precision_bits;
}

static double ceil_div(double x, double y) {
    double q = x / y;
    double whole = (double)(int64_t)q;
    return whole < q ? whole + 1.0 : whole;
}

static stream_status evaluate(void *instance, const stream_core_v1 *core, const stream_cn_v1 *cn,
                              const stream_cost_sink_v1 *sink) {
    const dram_roofline *self = (const dram_roofline *)instance;
    const stream_layer_v1 *layer = &cn->layer;
    const stream_memory_level_v1 *dram = core->offchip_memory;
    double macs = 1.0, units = 1.0, bits = 0.0, bandwidth, compute_cycles, bandwidth_cycles;
    char explanation[160];
    stream_cost_v1 cost = {0};
    uint32_t i;

    if (!dram || dram->read_bw_bits_per_cycle <= 0.0)
        return fail(self->host, STREAM_ERROR_UNSUPPORTED, STREAM_ITEM_CORE, core->id, core->name,
                    "this model needs an off-chip DRAM with a read bandwidth ([offchip] in the system file)");
    if (layer->layer_class != STREAM_LAYER_COMPUTE || core->array_dim_count == 0)
        return fail(self->host, STREAM_ERROR_UNSUPPORTED, STREAM_ITEM_CORE, core->id, core->name,
                    "this model costs compute layers on cores with a MAC array only");
    for (i = 0; i < layer->loop_dim_count; ++i) macs *= (double)STREAM_AT(stream_loop_dim_v1, layer->loop_dims, i)->size;
    for (i = 0; i < core->array_dim_count; ++i) units *= (double)STREAM_AT(stream_array_dim_v1, core->array_dims, i)->size;
    for (i = 0; i < layer->operand_count; ++i) bits += operand_bits(STREAM_AT(stream_operand_v1, layer->operands, i));

    bandwidth = dram->read_bw_bits_per_cycle * self->dram_efficiency;
    compute_cycles = ceil_div(macs, units);
    bandwidth_cycles = ceil_div(bits, bandwidth);
    snprintf(explanation, sizeof explanation, "%s-bound: %.0f MACs / %.0f units = %.0f cycles, %.0f bits / %g bits per cycle = %.0f cycles",
             compute_cycles >= bandwidth_cycles ? "compute" : "bandwidth", macs, units, compute_cycles, bits, bandwidth,
             bandwidth_cycles);

    cost.struct_size = sizeof cost;
    cost.latency_cycles = compute_cycles >= bandwidth_cycles ? compute_cycles : bandwidth_cycles;
    cost.latency_no_offload_cycles = cost.latency_cycles;
    cost.ideal_cycles = compute_cycles;
    cost.mac_energy_pj = macs * core->mac_energy_pj;
    /* DRAM energies are per access of read_bw bits. */
    cost.energy_pj = cost.mac_energy_pj + bits / dram->read_bw_bits_per_cycle * dram->read_energy_pj;
    cost.utilization = macs / (units * cost.latency_cycles);
    cost.mapping_text = explanation;
    sink->submit(sink->ctx, &cost); /* the host copies the cost, explanation included */
    return STREAM_OK;
}

static const stream_config_key keys[] = {
    {sizeof(stream_config_key), "dram_efficiency", STREAM_VALUE_FLOAT, 0, "1.0", NULL,
     "Fraction of the DRAM read bandwidth a node sustains, in (0, 1]."},
};

static const stream_core_model_v1 vtable = {sizeof vtable, create, destroy, evaluate};

static const stream_plugin_descriptor descriptor = {
    sizeof descriptor, STREAM_ABI_MAJOR, STREAM_ABI_MINOR, STREAM_KIND_CORE_MODEL,
    "dram_roofline", "DRAM roofline (SDK example)", "1.0.0",
    "Latency = max(MACs over the array, operand bits over the DRAM bandwidth).",
    keys, sizeof keys / sizeof keys[0],
    STREAM_PLUGIN_THREAD_SAFE, /* instances are read-only after create */
    &vtable, NULL};

STREAM_PLUGIN_EXPORT const stream_plugin_descriptor *stream_plugin_entry(const stream_host_info *host) {
    (void)host;
    return &descriptor;
}
