#include "roofline_model.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

/* Cycles are whole: round up, but forgive the last few ulps so that a
 * fraction that is exact on paper (100 MACs at 0.1 of 10 units) does not
 * cost one extra cycle because 0.1 has no exact binary form. */
static double ceil_cycles(double x) {
    double whole = floor(x);
    double slack = 1e-9 * (x > 1.0 ? x : 1.0);
    return (x - whole <= slack) ? whole : whole + 1.0;
}

static void set_error(RooflineError *error, stream_status status, stream_item_kind kind, int64_t index,
                      const char *name) {
    error->status = status;
    error->item_kind = kind;
    error->item_index = index;
    error->item_name = name;
}

static const char *or_unnamed(const char *s) { return s ? s : "(unnamed)"; }

stream_status roofline_check_peak_fraction(double peak_fraction, RooflineError *error) {
    /* Written as a negated range test so that NaN fails it too. */
    if (!(peak_fraction > 0.0 && peak_fraction <= 1.0)) {
        set_error(error, STREAM_ERROR_INVALID_CONFIG, STREAM_ITEM_CONFIG_KEY, -1, "peak_fraction");
        snprintf(error->message, sizeof error->message,
                 "peak_fraction must be in (0, 1], got %g", peak_fraction);
        return STREAM_ERROR_INVALID_CONFIG;
    }
    return STREAM_OK;
}

/* Distinct values of sum(c_i * x_i), x_i in [0, n_i), along one axis. The
 * span sum(|c_i| (n_i - 1)) + 1 counts them when the terms leave no gaps
 * (a convolution whose filter covers its stride); the product of the n_i
 * counts them when no two combinations collide (a stride larger than the
 * filter). The smaller of the two is exact whenever one coefficient is 1,
 * i.e. every undilated convolution and every plain axis, and an upper bound
 * otherwise. */
static double axis_values(const stream_layer_v1 *layer, const stream_tensor_axis_v1 *axis) {
    double span = 1.0;
    double combinations = 1.0;
    uint32_t t;
    for (t = 0; t < axis->term_count; ++t) {
        const stream_affine_term_v1 *term = &axis->terms[t];
        double size = (double)layer->loop_dims[term->loop_dim].size;
        double coefficient = fabs((double)term->coefficient);
        if (coefficient == 0.0 || size <= 1.0) continue;
        span += coefficient * (size - 1.0);
        combinations *= size;
    }
    {
        double values = span < combinations ? span : combinations;
        if (axis->extent > 0 && values > (double)axis->extent) values = (double)axis->extent;
        return values;
    }
}

double roofline_operand_elements(const stream_layer_v1 *layer, const stream_operand_v1 *operand) {
    double elements = 1.0;
    uint32_t a;
    for (a = 0; a < operand->axis_count; ++a) elements *= axis_values(layer, &operand->axes[a]);
    return elements;
}

int32_t roofline_serving_level(const stream_core_v1 *core, const char *operand_name) {
    uint32_t level;
    if (core->memory_count == 0) return -1;
    /* Memories are listed innermost first: scan from the outside in. */
    for (level = core->memory_count; level-- > 0;) {
        const stream_memory_level_v1 *memory = &core->memories[level];
        uint32_t o;
        for (o = 0; o < memory->operand_count; ++o) {
            if (operand_name && memory->operands[o] && strcmp(memory->operands[o], operand_name) == 0)
                return (int32_t)level;
        }
    }
    return (int32_t)(core->memory_count - 1);
}

/* Rejects what the formulas cannot give a meaning to: negative loop sizes
 * and affine terms that name a loop dimension the layer does not have. */
static stream_status check_layer(const stream_layer_v1 *layer, RooflineError *error) {
    uint32_t d, o, a, t;
    for (d = 0; d < layer->loop_dim_count; ++d) {
        if (layer->loop_dims[d].size < 0) {
            set_error(error, STREAM_ERROR_INVALID_INPUT, STREAM_ITEM_LAYER, layer->id, layer->name);
            snprintf(error->message, sizeof error->message, "loop dimension '%s' has negative size %lld",
                     or_unnamed(layer->loop_dims[d].name), (long long)layer->loop_dims[d].size);
            return STREAM_ERROR_INVALID_INPUT;
        }
    }
    for (o = 0; o < layer->operand_count; ++o) {
        const stream_operand_v1 *operand = &layer->operands[o];
        for (a = 0; a < operand->axis_count; ++a) {
            for (t = 0; t < operand->axes[a].term_count; ++t) {
                if (operand->axes[a].terms[t].loop_dim >= layer->loop_dim_count) {
                    set_error(error, STREAM_ERROR_INVALID_INPUT, STREAM_ITEM_LAYER, layer->id, layer->name);
                    snprintf(error->message, sizeof error->message,
                             "operand '%s' axis %u refers to loop dimension %u of %u",
                             or_unnamed(operand->name), (unsigned)a,
                             (unsigned)operand->axes[a].terms[t].loop_dim, (unsigned)layer->loop_dim_count);
                    return STREAM_ERROR_INVALID_INPUT;
                }
            }
        }
    }
    return STREAM_OK;
}

static double count_macs(const stream_layer_v1 *layer) {
    double macs = 1.0;
    uint32_t d;
    /* Propagation layers only move indices; a layer without loops has nothing to compute. */
    if (layer->layer_class == STREAM_LAYER_PROPAGATION || layer->loop_dim_count == 0) return 0.0;
    for (d = 0; d < layer->loop_dim_count; ++d) macs *= (double)layer->loop_dims[d].size;
    return macs;
}

static double count_mac_units(const stream_core_v1 *core) {
    double units = 1.0;
    uint32_t d;
    if (core->array_dim_count == 0) return 0.0;
    for (d = 0; d < core->array_dim_count; ++d) units *= (double)(core->array_dims[d].size > 0 ? core->array_dims[d].size : 0);
    return units;
}

stream_status roofline_evaluate(const stream_core_v1 *core, const stream_cn_v1 *cn, double peak_fraction,
                                stream_access_energy_v1 *accesses, stream_footprint_v1 *footprints,
                                stream_cost_v1 *cost, RooflineBreakdown *breakdown, RooflineError *error) {
    const stream_layer_v1 *layer = &cn->layer;
    double macs, mac_units, compute_cycles, ideal_cycles, memory_cycles = 0.0, memory_energy_pj = 0.0;
    double latency_cycles;
    stream_status status;
    uint32_t o;

    if ((status = roofline_check_peak_fraction(peak_fraction, error)) != STREAM_OK) return status;
    if (core->is_offchip) {
        set_error(error, STREAM_ERROR_UNSUPPORTED, STREAM_ITEM_CORE, core->id, core->name);
        snprintf(error->message, sizeof error->message, "core '%s' is off-chip: it stores, it does not compute",
                 or_unnamed(core->name));
        return STREAM_ERROR_UNSUPPORTED;
    }
    mac_units = count_mac_units(core);
    if (mac_units <= 0.0) {
        set_error(error, STREAM_ERROR_UNSUPPORTED, STREAM_ITEM_CORE, core->id, core->name);
        snprintf(error->message, sizeof error->message, "core '%s' has no MAC units", or_unnamed(core->name));
        return STREAM_ERROR_UNSUPPORTED;
    }
    if (core->memory_count == 0) {
        set_error(error, STREAM_ERROR_UNSUPPORTED, STREAM_ITEM_CORE, core->id, core->name);
        snprintf(error->message, sizeof error->message, "core '%s' has no memory level to feed its array",
                 or_unnamed(core->name));
        return STREAM_ERROR_UNSUPPORTED;
    }
    if ((status = check_layer(layer, error)) != STREAM_OK) return status;

    macs = count_macs(layer);
    compute_cycles = ceil_cycles(macs / (mac_units * peak_fraction));
    ideal_cycles = ceil_cycles(macs / mac_units);

    for (o = 0; o < layer->operand_count; ++o) {
        const stream_operand_v1 *operand = &layer->operands[o];
        int is_output = operand->role == STREAM_OPERAND_OUTPUT;
        int32_t level = roofline_serving_level(core, operand->name);
        const stream_memory_level_v1 *memory = &core->memories[level];
        double bits = roofline_operand_elements(layer, operand) * (double)operand->precision_bits;
        double bw_bits_per_cycle = is_output ? memory->write_bw_bits_per_cycle : memory->read_bw_bits_per_cycle;
        double access_count, energy_pj;

        if (bits > 0.0 && !(bw_bits_per_cycle > 0.0)) {
            set_error(error, STREAM_ERROR_INVALID_INPUT, STREAM_ITEM_CORE, core->id, core->name);
            snprintf(error->message, sizeof error->message,
                     "memory '%s' of core '%s' has no %s bandwidth for operand '%s'", or_unnamed(memory->name),
                     or_unnamed(core->name), is_output ? "write" : "read", or_unnamed(operand->name));
            return STREAM_ERROR_INVALID_INPUT;
        }
        access_count = bits > 0.0 ? ceil_cycles(bits / bw_bits_per_cycle) : 0.0;
        energy_pj = access_count * (is_output ? memory->write_energy_pj : memory->read_energy_pj);
        if (bits > 0.0) memory_cycles += bits / bw_bits_per_cycle;
        memory_energy_pj += energy_pj;

        memset(&accesses[o], 0, sizeof accesses[o]);
        accesses[o].struct_size = sizeof accesses[o];
        accesses[o].memory_level = (uint32_t)level;
        accesses[o].operand = operand->name;
        accesses[o].reads = is_output ? 0.0 : access_count;
        accesses[o].writes = is_output ? access_count : 0.0;
        accesses[o].energy_pj = energy_pj;

        memset(&footprints[o], 0, sizeof footprints[o]);
        footprints[o].struct_size = sizeof footprints[o];
        footprints[o].operand = operand->name;
        footprints[o].size_bits = (int64_t)bits;
        footprints[o].streamed_from_offchip = 0;
    }
    /* The operands share the core's memory time, so their cycles add before rounding. */
    memory_cycles = ceil_cycles(memory_cycles);
    latency_cycles = compute_cycles > memory_cycles ? compute_cycles : memory_cycles;

    memset(cost, 0, sizeof *cost);
    cost->struct_size = sizeof *cost;
    cost->latency_cycles = latency_cycles;
    cost->latency_no_offload_cycles = latency_cycles;
    cost->ideal_cycles = ideal_cycles;
    cost->onloading_cycles = 0.0;
    cost->offloading_cycles = 0.0;
    cost->mac_energy_pj = macs * core->mac_energy_pj;
    cost->energy_pj = cost->mac_energy_pj + memory_energy_pj;
    cost->offchip_energy_pj = 0.0;
    cost->utilization = latency_cycles > 0.0 ? ideal_cycles / latency_cycles : 0.0;
    cost->offchip_bw_bits_per_cycle = 0.0;
    cost->accesses = layer->operand_count ? accesses : NULL;
    cost->access_count = layer->operand_count;
    cost->footprints = layer->operand_count ? footprints : NULL;
    cost->footprint_count = layer->operand_count;
    cost->mapping_text = NULL;

    if (breakdown) {
        breakdown->macs = macs;
        breakdown->mac_units = mac_units;
        breakdown->compute_cycles = compute_cycles;
        breakdown->memory_cycles = memory_cycles;
    }
    return STREAM_OK;
}
