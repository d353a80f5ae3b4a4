/*
 * Roofline core model: a computation node costs the larger of its compute time
 * (MACs over the MAC array at a fraction of peak) and its memory time (the
 * bits of every operand tile over the bandwidth of the memory level that
 * serves it). No mapping search, no reuse analysis: each operand tile crosses
 * its outermost serving level exactly once. A pure function over the ABI
 * views, so it is testable without a host.
 */
#ifndef STREAM_ROOFLINE_MODEL_H
#define STREAM_ROOFLINE_MODEL_H

#include <stream/plugin.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Why an evaluation failed, in the terms host->report_error wants. */
typedef struct RooflineError {
    stream_status status;
    stream_item_kind item_kind;
    int64_t item_index;
    const char *item_name; /* borrowed from the views or a literal; may be NULL */
    char message[256];
} RooflineError;

/* The intermediate numbers of one evaluation, for tests and logs. */
typedef struct RooflineBreakdown {
    double macs;
    double mac_units;
    double compute_cycles;
    double memory_cycles;
} RooflineBreakdown;

/* STREAM_OK when 0 < peak_fraction <= 1, else STREAM_ERROR_INVALID_CONFIG
 * with a STREAM_ITEM_CONFIG_KEY error naming "peak_fraction". */
stream_status roofline_check_peak_fraction(double peak_fraction, RooflineError *error);

/* Elements of `operand` the tile of `layer` touches: per axis, the number of
 * index values its affine expression takes, clipped to the axis extent. */
double roofline_operand_elements(const stream_layer_v1 *layer, const stream_operand_v1 *operand);

/* Index of the outermost memory level of `core` that lists `operand_name`,
 * or the outermost level when none does. -1 when the core has no memory. */
int32_t roofline_serving_level(const stream_core_v1 *core, const char *operand_name);

/* Cost `cn` on `core`. `accesses` and `footprints` must have room for
 * cn->layer.operand_count entries each; on success `cost` points into them
 * (and into the views, for operand names). `breakdown` may be NULL. */
stream_status roofline_evaluate(const stream_core_v1 *core, const stream_cn_v1 *cn, double peak_fraction,
                                stream_access_energy_v1 *accesses, stream_footprint_v1 *footprints,
                                stream_cost_v1 *cost, RooflineBreakdown *breakdown, RooflineError *error);

#ifdef __cplusplus
}
#endif

#endif /* STREAM_ROOFLINE_MODEL_H */
