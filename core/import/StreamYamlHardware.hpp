// Importer from the hardware YAML of Stream (system files and their core files)
// and ZigZag (single-core files) to Stream-DSE's hardware TOML (docs/hardware.md).
// Pure library: it never prints; every problem is a stream::Error at the YAML
// file:line:col naming the field. A field our schema cannot represent is an
// error, never a silent drop; the few fields that are accepted without being
// written out (they cannot change any result) are listed in `notes` and in the
// header comment of the written files.
//
// Mapping rules (YAML -> TOML)
//
// Core file (Stream core YAML = ZigZag 3.8 core YAML) -> core-type file:
//   name                         -> name (made unique per import: a second, different core file
//                                   with the same name gets its file stem, then a _2, _3 suffix)
//   memories.<m> (in YAML order, innermost first) -> [[memories]] name = <m>
//     size                       -> size_bits
//     r_bw / w_bw                -> read_bw_bits_per_cycle / write_bw_bits_per_cycle
//     r_cost / w_cost            -> read_energy_pj / write_energy_pj (per access of one r_bw/w_bw word)
//     area                       -> area_mm2
//     r_port / w_port / rw_port  -> read_ports / write_ports / read_write_ports (ZigZag's defaults
//                                   1 / 1 / 0 are written out when absent)
//     latency                    -> latency_cycles
//     min_r_granularity / min_w_granularity -> min_read_bits / min_write_bits (absent = 0 = full
//                                   bandwidth, which is ZigZag's default too)
//     served_dimensions          -> served_dims ([] for an off-chip core, which has no array)
//     operands I1 / I2 / O       -> "I" / "W" / "O" (Stream links layer operands I->I1, W->I2, O->O)
//     ports (a list of dicts aligned with operands) -> ports = { I = { fh = "w_port_1", ... }, ... }
//     auto_cost_extraction: false -> accepted; true is an error (CACTI is not available)
//     mem_type: sram | dram      -> accepted and not written (ZigZag reads it only for CACTI);
//                                   any other value is an error
//   operational_array (or the older ZigZag name `multipliers`):
//     dimensions + sizes         -> dimensions = [{ name, size }]
//     unit_energy / unit_area    -> mac_energy_pj / mac_area_mm2
//     all sizes 0 (Stream's off-chip core) -> offchip = true and no operational_array
//     is_imc: false              -> accepted; is_imc: true, imc_type, bit_serial_precision,
//                                   adc_resolution are errors (no IMC model)
//     input_precision on a non-IMC array -> accepted and noted (ZigZag's MultiplierArray ignores it)
//   dataflows: D1: ["K, 32"] or D1: [K, 32] -> [[dataflow]] array_dim = "D1", loop_dim = "K", factor = 32
//
// Stream system YAML -> system file:
//   name                         -> name (and the file name <name>.toml)
//   cores: id -> core file       -> [[cores]] id, type = "cores/<core name>.toml"; one core-type file
//                                   per distinct core YAML, reused by every core naming it. Core files
//                                   resolve like Stream: "./x" against the system file's folder, a bare
//                                   name or a "stream/inputs/..." path by searching the folders around
//                                   the system file (its folder, cores/, then hardware* folders of up to
//                                   two parent folders).
//   offchip_core                 -> [offchip] type = "cores/<name>.toml";
//                                   ports = "shared" when the DRAM (the off-chip core's outermost memory
//                                   holding O) has exactly one port (r_port + w_port + rw_port == 1; Stream
//                                   then makes one bidirectional link), else "separate" (Stream's read
//                                   link and write link, each shared by all cores);
//                                   bandwidth_bits_per_cycle is left to its default (the DRAM's read
//                                   bandwidth) unless Stream would use a different one (w_bw for a single
//                                   port); a separate-port DRAM with r_bw != w_bw is an error.
//                                   energy_pj_per_bit = unit_energy_cost / link bandwidth.
//   bandwidth, unit_energy_cost  -> every core-to-core link's bandwidth_bits_per_cycle and
//                                   energy_pj_per_bit = unit_energy_cost / bandwidth: Stream charges
//                                   unit_energy_cost per active cycle of a link, a transfer of n bits is
//                                   active ceil(n / bandwidth) cycles, so per bit that is the quotient
//                                   (exact when n is a multiple of the bandwidth).
//   core_connectivity "a, b"     -> two [[links]] a->b and b->a with bidirectional = false (Stream makes
//                                   two independent directed links for a pair)
//   core_connectivity "a, b, c, ..." -> [[links]] cores = [a, b, c, ...] (a bus; note Stream gives each
//                                   pair of a group its own link object, so its bus has no contention
//                                   between pairs, ours does)
//   core_memory_sharing "a, b"   -> [[shared_memories]] cores = [a, b]
//
// Older Stream system YAML (cores as a list, graph: { type: 2d_mesh, nb_rows, nb_cols, bandwidth,
// unit_energy_cost, offchip_core_id, pooling_core_id }) -> the same system file: the mesh cores
// (all but the special ones) are placed column-major like Stream's get_2d_mesh and each pair of
// neighbours gets two directed links; a pooling core gets two directed links with every mesh core;
// offchip_core_id must be the last core. simd_core_id is an error: Stream links the SIMD core with
// infinite bandwidth, which a link cannot say.
//
// ZigZag single-core YAML -> a one-core system file with that core and no [offchip]; the core's
// DRAM (its outermost memory) stays a memory of the core.
#pragma once

#include <toml++/toml.h>

#include <filesystem>
#include <string>
#include <utility>
#include <vector>

namespace stream {

struct ImportedHardware {
    std::string system_name;
    toml::table system;
    /// File name relative to the output folder (e.g. "cores/tpu_like.toml") -> core-type table.
    std::vector<std::pair<std::string, toml::table>> core_types;
    /// The YAML each entry of core_types came from (same order).
    std::vector<std::filesystem::path> core_type_sources;
    /// The YAML the system came from.
    std::filesystem::path source;
    /// What the TOML does not show: fields accepted but not written and why, renamed core types
    /// ("<yaml path>: ..."; written as comments in the headers).
    std::vector<std::string> notes;
};

/// A Stream system YAML plus every core YAML it names.
ImportedHardware import_stream_system(const std::filesystem::path& system_yaml);
/// A single ZigZag core YAML, as a one-core system without an off-chip core.
ImportedHardware import_zigzag_core(const std::filesystem::path& core_yaml);

/// True when the file parses as YAML and has the top-level keys of a Stream system (`cores`, and
/// `core_connectivity` or `graph`).
bool is_stream_system_yaml(const std::filesystem::path& path);
/// True when the file parses as YAML and has the top-level keys of a ZigZag core (`memories`).
bool is_core_yaml(const std::filesystem::path& path);

/// Writes <out_dir>/<system_name>.toml and <out_dir>/cores/<core>.toml, each with a header comment
/// naming the YAML it was imported from. Throws stream::Error when a file cannot be written.
void write_imported(const ImportedHardware& imported, const std::filesystem::path& out_dir);

} // namespace stream
