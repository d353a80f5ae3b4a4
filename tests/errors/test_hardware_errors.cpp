// Every error a bad hardware TOML can raise in core/config/AcceleratorFile.cpp, each
// asserting the exact file:line:col and message. Rows edit the small valid files of
// error_test_support.hpp; each row's comment derives its line and column by hand
// (both count from 1; a value's column is where the value starts, a [[table]]'s is
// its header's first character, a [table] key's is the character after '[').
#include "config/AcceleratorFile.hpp"
#include "error_test_support.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <vector>

using namespace stream;
using namespace stream::test;

namespace {

const std::string kDims = "dimensions = [{ name = \"D1\", size = 4 }]";

} // namespace

TEST_SUITE("errors") {

TEST_CASE("hardware: each mistake in a core-type file names its line, column and key") {
    const std::vector<ErrorRow> rows = {
        {"unknown top-level key, nothing close", "version = 2\n" + kCore,
         // Prepended: line 1, the key at column 1.
         "1:1: unknown key 'version'; valid keys: name, offchip, operational_array, memories, dataflow, model"},
        {"missing name", edited(kCore, "name = \"c\"\n[", "["),
         // Nothing to point at but the file's root table, which starts at 1:1.
         "1:1: missing required key 'name'"},
        {"offchip not a boolean", edited(kCore, "name = \"c\"\n", "name = \"c\"\noffchip = \"yes\"\n"),
         // Line 2; "offchip = " is 10 characters.
         "2:11: key 'offchip': expected a boolean, got string"},
        {"core model not a table", edited(kCore, "name = \"c\"\n", "name = \"c\"\nmodel = \"roofline\"\n"),
         // Line 2; "model = " is 8 characters.
         "2:9: key 'model': expected a table, got string"},
        {"misspelt operational_array key", edited(kCore, "[operational_array]\n", "[operational_array]\nmac_energy = 0.5\n"),
         // Line 3; 'mac_energy' is 3 edits from 'mac_energy_pj'.
         "3:1: unknown key 'operational_array.mac_energy' (did you mean 'mac_energy_pj'?)"},
        {"negative MAC energy", edited(kCore, "[operational_array]\n", "[operational_array]\nmac_energy_pj = -0.5\n"),
         // Line 3; "mac_energy_pj = " is 16 characters.
         "3:17: key 'operational_array.mac_energy_pj': must be >= 0, got -0.5"},
        {"negative MAC area", edited(kCore, "[operational_array]\n", "[operational_array]\nmac_area_mm2 = -1\n"),
         // Line 3; "mac_area_mm2 = " is 15 characters. An integer is a number too.
         "3:16: key 'operational_array.mac_area_mm2': must be >= 0, got -1"},
        {"MAC energy not a number", edited(kCore, "[operational_array]\n", "[operational_array]\nmac_energy_pj = nan\n"),
         "3:17: key 'operational_array.mac_energy_pj': must be a finite number, got nan"},
        {"compute core without an array", edited(kCore, "[operational_array]\n" + kDims + "\n", ""),
         "1:1: missing required table 'operational_array' (an off-chip core says offchip = true)"},
        {"dimensions not an array", edited(kCore, kDims, "dimensions = 4"),
         // Line 3; "dimensions = " is 13 characters.
         "3:14: key 'operational_array.dimensions': expected an array, got integer"},
        {"a dimension that is not a table", edited(kCore, kDims, "dimensions = [\"D1\"]"),
         // Line 3; "dimensions = [" is 14 characters.
         "3:15: 'operational_array.dimensions': expected a table, got string"},
        {"a dimension without a name", edited(kCore, kDims, "dimensions = [{ size = 4 }]"),
         // The inline table's '{' is at column 15.
         "3:15: missing required key 'operational_array.dimensions.name'"},
        {"a dimension of size 0", edited(kCore, "size = 4", "size = 0"),
         // "dimensions = [{ name = \"D1\", size = " is 36 characters.
         "3:37: key 'operational_array.dimensions.size': array dimension 'D1' must have size >= 1, got 0"},
        {"a dimension listed twice", edited(kCore, kDims, "dimensions = [{ name = \"D1\", size = 4 }, { name = \"D1\", size = 2 }]"),
         // "dimensions = [{ name = \"D1\", size = 4 }, { name = " is 50 characters.
         "3:51: key 'operational_array.dimensions.name': array dimension 'D1' is listed twice"},
        {"no memories at all", edited(kCore, kCore.substr(kCore.find("[[memories]]")), ""),
         "1:1: key 'memories': a core needs at least one [[memories]] entry"},
        {"an empty memories array", edited(kCore, kCore.substr(kCore.find("[[memories]]")), "").insert(11, "memories = []\n"),
         // Inserted as line 2 (before [operational_array]); "memories = " is 11 characters.
         "2:12: key 'memories': a core needs at least one [[memories]] entry"},
        {"a memory that is not a table", edited(kCore, kCore.substr(kCore.find("[[memories]]")), "").insert(11, "memories = [1]\n"),
         // Line 2; "memories = [" is 12 characters.
         "2:13: 'memories': expected a table, got integer"},
        {"memory without size", edited(kCore, "size_bits = 1024\n", ""),
         // Points at the [[memories]] header, line 4.
         "4:1: missing required key 'memories[0].size_bits'"},
        {"memory of size 0", edited(kCore, "size_bits = 1024", "size_bits = 0"),
         // Line 6; "size_bits = " is 12 characters.
         "6:13: key 'memories[0].size_bits': must be > 0, got 0"},
        {"memory size as a string", edited(kCore, "size_bits = 1024", "size_bits = \"1k\""),
         "6:13: key 'memories[0].size_bits': expected an integer, got string"},
        {"memory serving nothing", edited(kCore, "operands = [\"I\", \"W\", \"O\"]", "operands = []"),
         // Line 11; "operands = " is 11 characters.
         "11:12: key 'memories[0].operands': a memory must serve at least one operand (I, W, O)"},
        {"an operand that is not a string", edited(kCore, "operands = [\"I\", \"W\", \"O\"]", "operands = [\"I\", 2]"),
         // "operands = [\"I\", " is 17 characters.
         "11:18: key 'memories[0].operands': expected strings, got integer"},
        {"negative port count", kCore + "read_ports = -1\n",
         // Appended as line 12; "read_ports = " is 13 characters.
         "12:14: key 'memories[0].read_ports': must be >= 0, got -1"},
        {"a port count that does not fit 32 bits", kCore + "write_ports = 4294967296\n",
         // 2^32 would wrap to 0 ports. "write_ports = " is 14 characters.
         "12:15: key 'memories[0].write_ports': must be at most 4294967295, got 4294967296"},
        {"negative read_write_ports", kCore + "read_write_ports = -2\n",
         // "read_write_ports = " is 19 characters.
         "12:20: key 'memories[0].read_write_ports': must be >= 0, got -2"},
        {"negative minimum read granularity", kCore + "min_read_bits = -8\n",
         // "min_read_bits = " is 16 characters.
         "12:17: key 'memories[0].min_read_bits': must be >= 0 (0 = the full bandwidth), got -8"},
        {"negative minimum write granularity", kCore + "min_write_bits = -1\n",
         // "min_write_bits = " is 17 characters.
         "12:18: key 'memories[0].min_write_bits': must be >= 0 (0 = the full bandwidth), got -1"},
        {"a minimum read wider than the read bandwidth", kCore + "min_read_bits = 128\n",
         // kCore reads 64 bits per cycle.
         "12:17: key 'memories[0].min_read_bits': 128 bits is more than the memory's read_bw_bits_per_cycle of 64; the "
         "minimum access cannot be wider than a full one"},
        {"a minimum write wider than the write bandwidth", kCore + "min_write_bits = 65\n",
         "12:18: key 'memories[0].min_write_bits': 65 bits is more than the memory's write_bw_bits_per_cycle of 64; the "
         "minimum access cannot be wider than a full one"},
        {"a granularity that is not an integer", kCore + "min_read_bits = 8.5\n",
         "12:17: key 'memories[0].min_read_bits': expected an integer, got float"},
        {"served_dims naming a dimension the array does not have", kCore + "served_dims = [\"D1\", \"D3\"]\n",
         // "served_dims = [\"D1\", " is 21 characters, so "D3" starts at column 22.
         "12:22: key 'memories[0].served_dims': unknown array dimension 'D3' (operational_array has: D1)"},
        {"served_dims listing a dimension twice", kCore + "served_dims = [\"D1\", \"D1\"]\n",
         "12:22: key 'memories[0].served_dims': array dimension 'D1' is listed twice"},
        {"served_dims on a core without array dimensions", edited(kCore, kDims, "dimensions = []") + "served_dims = [\"D1\"]\n",
         // "served_dims = [" is 15 characters.
         "12:16: key 'memories[0].served_dims': unknown array dimension 'D1' (operational_array has: none)"},
        {"served_dims not strings", kCore + "served_dims = [1]\n",
         "12:16: key 'memories[0].served_dims': expected strings, got integer"},
        {"a memory without ports", kCore + "read_ports = 0\nwrite_ports = 0\n",
         "4:1: 'memories[0]': memory 'm' has no ports (read_ports, write_ports and read_write_ports are all 0)"},
        {"a port for an operand the memory does not serve", kCore + "ports = { A = { fh = \"rw_port_1\" } }\n",
         // Line 12; "ports = { " is 10 characters, so the key A is at column 11.
         "12:11: key 'memories[0].ports.A': operand 'A' is not among this memory's operands (I, W, O)"},
        {"an operand's ports not a table", kCore + "ports = { W = \"rw_port_1\" }\n",
         // "ports = { W = " is 14 characters.
         "12:15: 'memories[0].ports.W': expected a table, got string"},
        {"an unknown operand flow", kCore + "ports = { W = { fx = \"rw_port_1\" } }\n",
         // "ports = { W = { " is 16 characters; 'fx' is one edit from 'fh', the first flow tried.
         "12:17: unknown key 'memories[0].ports.W.fx' (did you mean 'fh'?)"},
        {"a port name that is not a string", kCore + "ports = { W = { fh = 1 } }\n",
         // "ports = { W = { fh = " is 21 characters.
         "12:22: key 'memories[0].ports.W.fh': expected a string, got integer"},
        {"a model's key without a model", kCore + "technology_nm = 28\n",
         "12:1: unknown key 'memories[0].technology_nm' (a memory-model plugin's key needs model = \"<id>\")"},
        {"memory without read bandwidth", edited(kCore, "read_bw_bits_per_cycle = 64\n", ""),
         "4:1: missing required key 'memories[0].read_bw_bits_per_cycle'"},
        {"memory with zero write bandwidth", edited(kCore, "write_bw_bits_per_cycle = 64", "write_bw_bits_per_cycle = 0"),
         // Line 8; "write_bw_bits_per_cycle = " is 26 characters.
         "8:27: key 'memories[0].write_bw_bits_per_cycle': must be > 0, got 0"},
        {"memory without write energy", edited(kCore, "write_energy_pj = 1.0\n", ""),
         "4:1: 'memories[0]': memory 'm' gives no write_energy_pj (give it, or name a memory model, e.g. model = \"sram\")"},
        {"negative read energy", edited(kCore, "read_energy_pj = 1.0", "read_energy_pj = -1.0"),
         // Line 9; "read_energy_pj = " is 17 characters.
         "9:18: key 'memories[0].read_energy_pj': must be >= 0, got -1"},
        {"negative write energy", edited(kCore, "write_energy_pj = 1.0", "write_energy_pj = -0.25"),
         // Line 10; "write_energy_pj = " is 18 characters.
         "10:19: key 'memories[0].write_energy_pj': must be >= 0, got -0.25"},
        {"read energy not a number", edited(kCore, "read_energy_pj = 1.0", "read_energy_pj = nan"),
         "9:18: key 'memories[0].read_energy_pj': must be a finite number, got nan"},
        {"infinite read bandwidth", edited(kCore, "read_bw_bits_per_cycle = 64", "read_bw_bits_per_cycle = inf"),
         // Line 7; "read_bw_bits_per_cycle = " is 25 characters.
         "7:26: key 'memories[0].read_bw_bits_per_cycle': must be a finite number, got inf"},
        {"negative read bandwidth", edited(kCore, "read_bw_bits_per_cycle = 64", "read_bw_bits_per_cycle = -64"),
         "7:26: key 'memories[0].read_bw_bits_per_cycle': must be > 0, got -64"},
        {"negative area", kCore + "area_mm2 = -1.0\n",
         // "area_mm2 = " is 11 characters.
         "12:12: key 'memories[0].area_mm2': must be >= 0, got -1"},
        {"negative leakage", kCore + "leakage_mw = -0.5\n",
         // "leakage_mw = " is 13 characters.
         "12:14: key 'memories[0].leakage_mw': must be >= 0, got -0.5"},
        {"infinite leakage", kCore + "leakage_mw = inf\n", "12:14: key 'memories[0].leakage_mw': must be a finite number, got inf"},
        {"negative memory latency", kCore + "latency_cycles = -1\n",
         // "latency_cycles = " is 17 characters.
         "12:18: key 'memories[0].latency_cycles': must be >= 0, got -1"},
        {"area as a string", kCore + "area_mm2 = \"big\"\n",
         // Line 12; "area_mm2 = " is 11 characters.
         "12:12: key 'memories[0].area_mm2': expected a number, got string"},
        {"the second memory names its index", kCore + "[[memories]]\nsize_bits = 8\n",
         // The second [[memories]] header is line 12.
         "12:1: missing required key 'memories[1].name'"},
        {"dataflow over an unknown array dimension", kCore + "[[dataflow]]\narray_dim = \"D9\"\nloop_dim = \"K\"\nfactor = 4\n",
         // [[dataflow]] is line 12, array_dim line 13; "array_dim = " is 12 characters.
         "13:13: key 'dataflow.array_dim': unknown array dimension 'D9' (operational_array has: D1)"},
        {"dataflow without a factor", kCore + "[[dataflow]]\narray_dim = \"D1\"\nloop_dim = \"K\"\n",
         "12:1: missing required key 'dataflow.factor'"},
        {"a dataflow factor of 0", kCore + "[[dataflow]]\narray_dim = \"D1\"\nloop_dim = \"K\"\nfactor = 0\n",
         // factor is line 15; "factor = " is 9 characters.
         "15:10: key 'dataflow.factor': an unrolling factor must be >= 1, got 0"},
        {"a negative dataflow factor", kCore + "[[dataflow]]\narray_dim = \"D1\"\nloop_dim = \"K\"\nfactor = -4\n",
         "15:10: key 'dataflow.factor': an unrolling factor must be >= 1, got -4"},
        {"a fractional dataflow factor", kCore + "[[dataflow]]\narray_dim = \"D1\"\nloop_dim = \"K\"\nfactor = 2.5\n",
         "15:10: key 'dataflow.factor': expected an integer, got float"},
        {"misspelt dataflow key", kCore + "[[dataflow]]\narray_dim = \"D1\"\nloop_dim = \"K\"\nfactors = 4\n",
         // Line 15.
         "15:1: unknown key 'dataflow.factors' (did you mean 'factor'?)"},
    };
    check_error_rows(rows, "c.toml", [](const std::filesystem::path& file) { load_core_type(file); });
}

TEST_CASE("hardware: each mistake in a system file names its line, column and key") {
    const std::vector<ErrorRow> rows = {
        // Lines 1-7 are kTwoCores; kOffchip is lines 8-10, so what follows it starts on line 11.
        {"misspelt top-level table", kTwoCores + kOffchip + "[[link]]\nfrom = 0\nto = 1\n",
         // A [[table]] key starts after '[['.
         "11:3: unknown key 'link' (did you mean 'links'?)"},
        {"a link from a core to itself", kTwoCores + kOffchip + "[[links]]\nfrom = 1\nto = 1\nbandwidth_bits_per_cycle = 8\n",
         // "to = 1" is line 13; "to = " is 5 characters.
         "13:6: key 'links.to': a link from core 1 to itself"},
        {"a link without 'to'", kTwoCores + kOffchip + "[[links]]\nfrom = 0\nbandwidth_bits_per_cycle = 8\n",
         "11:1: a [[links]] entry needs from and to (point to point) or cores (a bus)"},
        {"a link endpoint that is not an id", kTwoCores + kOffchip + "[[links]]\nfrom = \"zero\"\nto = 1\nbandwidth_bits_per_cycle = 8\n",
         // Line 12; "from = " is 7 characters.
         "12:8: key 'links.from': expected a core id, got string"},
        {"bidirectional not a boolean",
         kTwoCores + kOffchip + "[[links]]\nfrom = 0\nto = 1\nbandwidth_bits_per_cycle = 8\nbidirectional = 1\n",
         // Line 15; "bidirectional = " is 16 characters.
         "15:17: key 'links.bidirectional': expected a boolean, got integer"},
        {"a link without bandwidth", kTwoCores + kOffchip + "[[links]]\nfrom = 0\nto = 1\n",
         "11:1: missing required key 'links.bandwidth_bits_per_cycle'"},
        {"a link with negative energy",
         kTwoCores + kOffchip + "[[links]]\nfrom = 0\nto = 1\nbandwidth_bits_per_cycle = 8\nenergy_pj_per_bit = -0.1\n",
         // Line 15; "energy_pj_per_bit = " is 20 characters.
         "15:21: key 'links.energy_pj_per_bit': must be >= 0, got -0.1"},
        {"a link with zero bandwidth", kTwoCores + kOffchip + "[[links]]\nfrom = 0\nto = 1\nbandwidth_bits_per_cycle = 0\n",
         // Line 14; "bandwidth_bits_per_cycle = " is 27 characters.
         "14:28: key 'links.bandwidth_bits_per_cycle': must be > 0, got 0"},
        {"a link with negative bandwidth", kTwoCores + kOffchip + "[[links]]\nfrom = 0\nto = 1\nbandwidth_bits_per_cycle = -8.5\n",
         "14:28: key 'links.bandwidth_bits_per_cycle': must be > 0, got -8.5"},
        {"a link with negative latency",
         kTwoCores + kOffchip + "[[links]]\nfrom = 0\nto = 1\nbandwidth_bits_per_cycle = 8\nlatency_cycles = -2\n",
         // Line 15; "latency_cycles = " is 17 characters.
         "15:18: key 'links.latency_cycles': must be >= 0, got -2"},
        {"a link with infinite energy",
         kTwoCores + kOffchip + "[[links]]\nfrom = 0\nto = 1\nbandwidth_bits_per_cycle = 8\nenergy_pj_per_bit = inf\n",
         "15:21: key 'links.energy_pj_per_bit': must be a finite number, got inf"},
        {"a bus with negative energy", kTwoCores + kOffchip + "[[links]]\ncores = [0, 1]\nbandwidth_bits_per_cycle = 8\nenergy_pj_per_bit = -1\n",
         // Line 14; "energy_pj_per_bit = " is 20 characters.
         "14:21: key 'links.energy_pj_per_bit': must be >= 0, got -1"},
        {"misspelt link key, nothing close", kTwoCores + kOffchip + "[[links]]\nfrom = 0\nto = 1\nbandwidth = 8\n",
         "14:1: unknown key 'links.bandwidth'; valid keys: from, to, cores, bandwidth_bits_per_cycle, energy_pj_per_bit, "
         "latency_cycles, bidirectional"},
        {"a bus that also has from", kTwoCores + kOffchip + "[[links]]\ncores = [0, 1]\nfrom = 0\nbandwidth_bits_per_cycle = 8\n",
         // Line 12; "cores = " is 8 characters.
         "12:9: key 'links.cores': a bus lists its cores; from, to and bidirectional belong to point-to-point links"},
        {"a bus of one core", kTwoCores + kOffchip + "[[links]]\ncores = [0]\nbandwidth_bits_per_cycle = 8\n",
         "12:9: key 'links.cores': needs at least 2 core ids"},
        {"a bus listing a core twice", kTwoCores + kOffchip + "[[links]]\ncores = [0, 0]\nbandwidth_bits_per_cycle = 8\n",
         // "cores = [0, " is 12 characters.
         "12:13: key 'links.cores': core 0 is listed twice"},
        {"a point-to-point link to DRAM", kTwoCores + kOffchip + "[[links]]\nfrom = 0\nto = 2\nbandwidth_bits_per_cycle = 8\n",
         "11:1: core 2 is the off-chip core: its links come from [offchip] (ports, bandwidth_bits_per_cycle), not from "
         "[[links]] or [[meshes]]"},
        {"a bus including DRAM", kTwoCores + kOffchip + "[[links]]\ncores = [0, 1, 2]\nbandwidth_bits_per_cycle = 8\n",
         "11:1: core 2 is the off-chip core: its links come from [offchip] (ports, bandwidth_bits_per_cycle), not from "
         "[[links]] or [[meshes]]"},
        {"a mesh with zero rows",
         kTwoCores + kOffchip + "[[meshes]]\nrows = 0\ncols = 2\ncores = [0, 1]\nbandwidth_bits_per_cycle = 8\n",
         // Line 12; "rows = " is 7 characters.
         "12:8: key 'meshes.rows': must be >= 1, got 0"},
        {"a mesh with negative cols",
         kTwoCores + kOffchip + "[[meshes]]\nrows = 1\ncols = -2\ncores = [0, 1]\nbandwidth_bits_per_cycle = 8\n",
         // Line 13; "cols = " is 7 characters.
         "13:8: key 'meshes.cols': must be >= 1, got -2"},
        {"a mesh so large its size overflows",
         kTwoCores + kOffchip + "[[meshes]]\nrows = 4611686018427387904\ncols = 4\ncores = [0, 1]\nbandwidth_bits_per_cycle = 8\n",
         // 2^62 x 4 = 2^64 does not fit an int64 (UBSan would catch the multiplication); line 14, column 9.
         "14:9: key 'meshes.cores': a 4611686018427387904x4 mesh needs 18446744073709551616 cores, got 2"},
        {"a mesh with zero bandwidth",
         kTwoCores + kOffchip + "[[meshes]]\nrows = 1\ncols = 2\ncores = [0, 1]\nbandwidth_bits_per_cycle = 0\n",
         // Line 15; "bandwidth_bits_per_cycle = " is 27 characters.
         "15:28: key 'meshes.bandwidth_bits_per_cycle': must be > 0, got 0"},
        {"a mesh with negative energy",
         kTwoCores + kOffchip + "[[meshes]]\nrows = 1\ncols = 2\ncores = [0, 1]\nbandwidth_bits_per_cycle = 8\nenergy_pj_per_bit = -0.1\n",
         // Line 16; "energy_pj_per_bit = " is 20 characters.
         "16:21: key 'meshes.energy_pj_per_bit': must be >= 0, got -0.1"},
        {"a mesh with negative latency",
         kTwoCores + kOffchip + "[[meshes]]\nrows = 1\ncols = 2\ncores = [0, 1]\nbandwidth_bits_per_cycle = 8\nlatency_cycles = -3\n",
         // Line 16; "latency_cycles = " is 17 characters.
         "16:18: key 'meshes.latency_cycles': must be >= 0, got -3"},
        {"a mesh with too few cores",
         kTwoCores + kOffchip + "[[meshes]]\nrows = 2\ncols = 2\ncores = [0, 1]\nbandwidth_bits_per_cycle = 8\n",
         // Line 14; "cores = " is 8 characters.
         "14:9: key 'meshes.cores': a 2x2 mesh needs 4 cores, got 2"},
        {"a mesh without cols", kTwoCores + kOffchip + "[[meshes]]\nrows = 1\ncores = [0, 1]\nbandwidth_bits_per_cycle = 8\n",
         "11:1: missing required key 'meshes.cols'"},
        {"a mesh without cores", kTwoCores + kOffchip + "[[meshes]]\nrows = 1\ncols = 2\nbandwidth_bits_per_cycle = 8\n",
         "11:1: key 'meshes.cores': needs at least 1 core id"},
        {"a mesh naming a core that does not exist",
         kTwoCores + kOffchip + "[[meshes]]\nrows = 1\ncols = 2\ncores = [0, 7]\nbandwidth_bits_per_cycle = 8\n",
         // Line 14; "cores = [0, " is 12 characters; ids 0..2 include DRAM.
         "14:13: key 'meshes.cores': no core 7 (cores are 0..2)"},
        {"a mesh including DRAM",
         kTwoCores + kOffchip + "[[meshes]]\nrows = 1\ncols = 2\ncores = [1, 2]\nbandwidth_bits_per_cycle = 8\n",
         "11:1: core 2 is the off-chip core: its links come from [offchip] (ports, bandwidth_bits_per_cycle), not from "
         "[[links]] or [[meshes]]"},
        {"DRAM in a shared-memory group", kTwoCores + kOffchip + "[[shared_memories]]\ncores = [0, 2]\n",
         // Line 12; "cores = " is 8 characters.
         "12:9: key 'shared_memories.cores': core 2 is the off-chip core; it shares no memory"},
        {"a shared-memory group of one", kTwoCores + kOffchip + "[[shared_memories]]\ncores = [1]\n",
         "12:9: key 'shared_memories.cores': needs at least 2 core ids"},
        {"misspelt shared-memory key", kTwoCores + kOffchip + "[[shared_memories]]\ncore = [0, 1]\n",
         "12:1: unknown key 'shared_memories.core' (did you mean 'cores'?)"},
        {"misspelt off-chip key", kTwoCores + kOffchip + "port = \"shared\"\n",
         // Line 11 still belongs to [offchip].
         "11:1: unknown key 'offchip.port' (did you mean 'ports'?)"},
        {"zero off-chip bandwidth", kTwoCores + "[offchip]\ntype = \"cores/dram.toml\"\nbandwidth_bits_per_cycle = 0\n",
         // Line 10; "bandwidth_bits_per_cycle = " is 27 characters.
         "10:28: key 'offchip.bandwidth_bits_per_cycle': must be > 0, got 0"},
        {"negative off-chip bandwidth", kTwoCores + "[offchip]\ntype = \"cores/dram.toml\"\nbandwidth_bits_per_cycle = -64\n",
         "10:28: key 'offchip.bandwidth_bits_per_cycle': must be > 0, got -64"},
        {"negative off-chip link energy", kTwoCores + kOffchip + "energy_pj_per_bit = -1\n",
         // Line 11; "energy_pj_per_bit = " is 20 characters.
         "11:21: key 'offchip.energy_pj_per_bit': must be >= 0, got -1"},
        {"an unknown off-chip port arrangement", kTwoCores + kOffchip + "ports = \"ring\"\n",
         // Line 11; "ports = " is 8 characters.
         "11:9: key 'offchip.ports': expected \"per_core\", \"shared\" or \"separate\", got \"ring\""},
        {"off-chip ports not a string", kTwoCores + kOffchip + "ports = 2\n",
         // Line 11; "ports = " is 8 characters.
         "11:9: key 'offchip.ports': expected a string, got integer"},
        {"off-chip without a type", kTwoCores + "[offchip]\nports = \"shared\"\n",
         // The [offchip] header is line 8.
         "8:1: missing required key 'offchip.type'"},
        {"a compute core type under [offchip]", kTwoCores + "[offchip]\ntype = \"cores/c.toml\"\n",
         // Line 9; "type = " is 7 characters. cores/c.toml was already read for core 0: the check must not be skipped.
         "9:8: key 'offchip.type': 'cores/c.toml' is not an off-chip core (its file needs offchip = true)"},
        {"no cores", "name = \"empty\"\n",
         "1:1: key 'cores': an accelerator needs at least one [[cores]] entry"},
        {"cores not tables", "cores = [1]\n",
         // "cores = [" is 9 characters.
         "1:10: 'cores': expected a table, got integer"},
        {"a core without an id", "[[cores]]\ntype = \"cores/c.toml\"\n", "1:1: missing required key 'cores.id'"},
        {"a core without a type", "[[cores]]\nid = 0\n", "1:1: missing required key 'cores.type'"},
        {"a core id that is not an integer", "[[cores]]\nid = \"0\"\ntype = \"cores/c.toml\"\n",
         // Line 2; "id = " is 5 characters.
         "2:6: key 'cores.id': expected an integer, got string"},
        {"a negative core id", "[[cores]]\nid = -1\ntype = \"cores/c.toml\"\n",
         // Ids must start at 0; the core's [[cores]] header is 1:1.
         "1:1: core ids must be dense from 0: expected id 0, found -1"},
        {"a core id used twice", "[[cores]]\nid = 0\ntype = \"cores/c.toml\"\n[[cores]]\nid = 0\ntype = \"cores/c.toml\"\n",
         // The second id is line 5.
         "5:6: key 'cores.id': core id 0 is used twice"},
        {"misspelt core key", "[[cores]]\nid = 0\ntyp = \"cores/c.toml\"\n", "3:1: unknown key 'cores.typ' (did you mean 'type'?)"},
        {"DRAM as a compute core", "[[cores]]\nid = 0\ntype = \"cores/dram.toml\"\n",
         // Line 3; "type = " is 7 characters.
         "3:8: key 'cores.type': 'cores/dram.toml' is an off-chip core; name it under [offchip]"},
    };
    check_error_rows(rows, "hw.toml", [](const std::filesystem::path& hw) { load_accelerator(hw); },
                     [](const TempDir& d) {
                         d.write("cores/c.toml", kCore);
                         d.write("cores/dram.toml", kDram);
                     });
}

TEST_CASE("hardware: a core in two shared-memory groups") {
    TempDir d;
    d.write("cores/c.toml", kCore);
    std::string cores;
    for (int i = 0; i < 3; ++i) cores += "[[cores]]\nid = " + std::to_string(i) + "\ntype = \"cores/c.toml\"\n";
    // Three cores take lines 1-9; the second group's cores are line 13. Core 0 owns the first group, which is
    // what made it slip through when only non-owners were checked.
    auto hw = d.write("hw.toml", cores + "[[shared_memories]]\ncores = [0, 1]\n[[shared_memories]]\ncores = [0, 2]\n");
    CHECK(error_of([&] { load_accelerator(hw); }) == hw.string() + ":13:9: key 'shared_memories.cores': core 0 is in two groups");
}

TEST_CASE("hardware: a bus in a system without DRAM is not mistaken for a link to DRAM") {
    TempDir d;
    d.write("cores/c.toml", kCore);
    // A bus has from_core = to_core = -1, which is also offchip_core when there is no [offchip].
    auto hw = d.write("hw.toml", kTwoCores + "[[links]]\ncores = [0, 1]\nbandwidth_bits_per_cycle = 8\n");
    Accelerator acc = load_accelerator(hw);
    REQUIRE(acc.links.size() == 1);
    CHECK(acc.links[0].bus_cores == std::vector<std::int64_t>{0, 1});
}

TEST_CASE("hardware: an off-chip core file on its own is not an accelerator") {
    TempDir d;
    auto dram = d.write("dram.toml", kDram);
    // kDram's line 2 is "offchip = true"; "offchip = " is 10 characters.
    CHECK(error_of([&] { load_accelerator(dram); }) ==
          dram.string() + ":2:11: key 'offchip': an off-chip core alone is not an accelerator: name it under [offchip] of a system file");
}

TEST_CASE("hardware: a system file that does not exist") {
    TempDir d;
    auto hw = d.path() / "absent.toml";
    // Nothing to point into: the location is the file alone.
    CHECK(error_of([&] { load_accelerator(hw); }) == hw.string() + ": no such file");
}

TEST_CASE("hardware: a TOML syntax error in a core-type file points into that file") {
    TempDir d;
    d.write("cores/c.toml", edited(kCore, "size_bits = 1024", "size_bits = 1024 1024"));
    auto hw = d.write("hw.toml", "[[cores]]\nid = 0\ntype = \"cores/c.toml\"\n");
    std::string msg = error_of([&] { load_accelerator(hw); });
    // toml++ words the message; the second value on line 6 starts at column 18 ("size_bits = 1024 " is 17 characters).
    CHECK(msg.rfind((d.path() / "cores/c.toml").string() + ":6:18: ", 0) == 0);
}

namespace {

// A memory model that answers without bandwidth, as a model for capacity-only data would.
class NoBandwidthModel : public MemoryModelResolver {
public:
    std::vector<ConfigKey> keys_of(const std::string&, const SourceLoc&) const override { return {}; }
    MemoryCosts describe(const std::string&, const MemorySpec&, const toml::table&, const std::vector<std::string>&,
                         const std::string&) const override {
        MemoryCosts c;
        c.read_energy_pj = c.write_energy_pj = 1;
        c.source = "test";
        return c;
    }
};

} // namespace

TEST_CASE("hardware: a memory model that gives no bandwidth") {
    TempDir d;
    std::string core = edited(kCore, "read_bw_bits_per_cycle = 64\nwrite_bw_bits_per_cycle = 64\n", "") + "model = \"nobw\"\n";
    auto file = d.write("c.toml", core);
    NoBandwidthModel models;
    // Without the two bandwidth lines, model is line 10; "model = " is 8 characters.
    CHECK(error_of([&] { load_core_type(file, nullptr, &models); }) ==
          file.string() + ":10:9: 'memories[0]': memory model 'nobw' gave memory 'm' no bandwidth; give read_bw_bits_per_cycle "
                          "and write_bw_bits_per_cycle");
}

TEST_CASE("hardware: every off-chip port arrangement links every compute core with DRAM both ways") {
    // Why loading has no reachability search: [[links]] and [[meshes]] cannot touch DRAM (tested above), so
    // the [offchip] ports alone must connect each compute core to DRAM and back.
    auto carries = [](const Link& l, std::int64_t from, std::int64_t to) {
        if (l.bus_cores.empty()) return (l.from_core == from && l.to_core == to) || (l.bidirectional && l.from_core == to && l.to_core == from);
        auto on = [&](std::int64_t c) { return std::find(l.bus_cores.begin(), l.bus_cores.end(), c) != l.bus_cores.end(); };
        return on(from) && on(to) && (l.from_core < 0 || l.from_core == from) && (l.to_core < 0 || l.to_core == to);
    };
    for (const char* ports : {"per_core", "shared", "separate"}) {
        TempDir d;
        auto hw = two_core_system(d, std::string{"ports = \""} + ports + "\"\n");
        Accelerator acc = load_accelerator(hw);
        INFO(ports);
        REQUIRE(acc.offchip_core == 2);
        for (std::int64_t core = 0; core < 2; ++core) {
            bool down = std::any_of(acc.links.begin(), acc.links.end(), [&](const Link& l) { return carries(l, 2, core); });
            bool up = std::any_of(acc.links.begin(), acc.links.end(), [&](const Link& l) { return carries(l, core, 2); });
            CHECK(down);
            CHECK(up);
        }
    }
}


TEST_CASE("hardware: a folder given as the system file is named as a folder") {
    TempDir d;
    d.write("hw/cores/c.toml", kCore);
    auto folder = d.path() / "hw";
    // Reading a folder used to yield an empty table and a misleading "missing key" error.
    CHECK(error_of([&] { load_accelerator(folder); }) == folder.string() + ": is a directory, not a TOML file");
    CHECK(error_of([&] { load_core_type(folder); }) == folder.string() + ": is a directory, not a TOML file");
}

TEST_CASE("hardware: a folder named as a core type points at the key that names it") {
    TempDir d;
    d.write("cores/c.toml", kCore);
    auto hw = d.write("hw.toml", "[[cores]]\nid = 0\ntype = \"cores\"\n");
    // Line 3; "type = " is 7 characters. The path is resolved against hw.toml's folder.
    CHECK(error_of([&] { load_accelerator(hw); }) == hw.string() + ":3:8: key 'cores.type': core-type file '" +
                                                        (d.path() / "cores").string() + "': is a directory, not a TOML file");
}

TEST_CASE("hardware: an unreadable core-type file says so at the key that names it") {
    TempDir d;
    auto core = d.write("cores/c.toml", kCore);
    auto hw = d.write("hw.toml", "[[cores]]\nid = 0\ntype = \"cores/c.toml\"\n");
    std::filesystem::permissions(core, std::filesystem::perms::none);
    if (std::ifstream(core).good()) {
        // root (as in many CI containers) reads any file whatever its permissions.
        MESSAGE("skipped: permissions are not enforced for this user, so the file stays readable");
        return;
    }
    CHECK(error_of([&] { load_accelerator(hw); }) == hw.string() + ":3:8: key 'cores.type': core-type file '" + core.string() +
                                                        "': cannot read the file (Permission denied)");
}

TEST_CASE("hardware: granularity 0 (the full bandwidth) and equal to the bandwidth are accepted") {
    TempDir d;
    auto file = d.write("c.toml", kCore + "min_read_bits = 0\nmin_write_bits = 64\nserved_dims = [\"D1\"]\n");
    CoreType t = load_core_type(file);
    REQUIRE(t.memories.size() == 1);
    CHECK(t.memories[0].min_read_bits == 0);
    CHECK(t.memories[0].min_write_bits == 64);
    CHECK(t.memories[0].served_dims == std::vector<std::string>{"D1"});
}

TEST_CASE("hardware: a dataflow factor above the array dimension is kept as a hint") {
    // Stream's eyeriss_like unrolls K 16 on a 14-row dimension; cost models clip it (ZigZag's check_and_reduce).
    TempDir d;
    auto file = d.write("c.toml", kCore + "[[dataflow]]\narray_dim = \"D1\"\nloop_dim = \"K\"\nfactor = 16\n");
    CoreType t = load_core_type(file);
    REQUIRE(t.dataflow.size() == 1);
    CHECK(t.dataflow[0].factor == 16);
}

TEST_CASE("hardware: served_dims on an off-chip core") {
    TempDir d;
    auto file = d.write("dram.toml", kDram + "served_dims = [\"D1\"]\n");
    // kDram has 10 lines; the appended line is 11 and "served_dims = [" is 15 characters.
    CHECK(error_of([&] { load_core_type(file); }) ==
          file.string() + ":11:16: key 'memories[0].served_dims': an off-chip core has no operational array to share 'D1' over; give []");
}

} // TEST_SUITE
