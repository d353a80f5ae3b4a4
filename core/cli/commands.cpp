#include "cli/commands.hpp"

#include "cli/Args.hpp"
#include "cli/Terminal.hpp"
#include "error/Error.hpp"
#include "pipeline/Pipeline.hpp"
#include "pipeline/Stages.hpp"
#include "plugin_host/PluginRegistry.hpp"
#include "report/JsonReader.hpp"
#include "report/ReportFiles.hpp"
#include "report/Results.hpp"
#include "report/ExplorationReport.hpp"
#include "report/AtomicFile.hpp"
#include "config/MappingFile.hpp"
#include "report/RunComparison.hpp"
#include "report/ScheduleView.hpp"
#include "report/CostReport.hpp"
#include "report/TilingReport.hpp"
#include "report/WorkloadReport.hpp"
#include "report/HardwareReport.hpp"
#include "report/TopologySvg.hpp"
#include "import/StreamYamlHardware.hpp"
#include "config/AcceleratorFile.hpp"
#include "pipeline/MemoryModels.hpp"
#include "sweep/SweepMerge.hpp"
#include "sweep/SweepRunner.hpp"
#ifdef STREAM_DSE_HAVE_MPI
#include "sweep/SweepMpi.hpp"
#endif
#include "version.hpp"

#include <boost/dll/runtime_symbol_info.hpp>
#include <atomic>
#include <csignal>
#include <fmt/format.h>

#include <charconv>
#include <fmt/ranges.h>
#include <nlohmann/json.hpp>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <thread>

namespace stream::cli {

namespace fs = std::filesystem;

namespace {

const std::string kExitCodes = R"(Exit codes:
  0  success
  1  bad input: a file, a configuration value or an argument is wrong (the message says where)
  2  infeasible: the input is valid but no mapping, allocation or schedule fits
  3  a plugin failed to load or misbehaved, or an internal error
)";

std::vector<OptionSpec> pipeline_options() {
    return {
        {"--workload", "", true, "FILE", "workload file (ONNX, ...): sets workload.file"},
        {"--hardware", "", true, "FILE", "accelerator TOML: sets accelerator.file"},
        {"--mapping", "", true, "FILE", "mapping TOML: sets mapping.file"},
        {"--mode", "", true, "MODE", "fused | layer_by_layer: sets mapping.mode"},
        {"--layer-stacks", "", true, "STACKS",
         "fusion stacks: layer ids \"0-10,11-21\", or pack | weights | all: sets mapping.layer_stacks"},
        {"--compat", "", true, "stream", "reproduce Stream's behaviour (docs/compat-stream.md): sets compat"},
        {"--frontend", "", true, "ID", "workload frontend plugin: sets workload.plugin"},
        {"--cost", "", true, "ID", "core-model plugin for cores that name none: sets cost.plugin"},
        {"--allocator", "", true, "ID", "allocator plugin: sets allocator.plugin"},
        {"--scheduler", "", true, "ID", "scheduler plugin: sets scheduler.plugin"},
        {"--search", "", true, "ID",
         "search the mapping (stacks, tiles, splits) with explorer plugin ID: sets search.plugin and "
         "mapping.layer_stacks = \"search\""},
        {"--save-mapping", "", true, "FILE",
         "run: write the mapping a search chose as a mapping TOML that reproduces the run without searching"},
        {"--output", "-o", true, "DIR", "output folder: sets output.dir"},
        {"--set", "", true, "KEY=VALUE", "override any pipeline value, e.g. --set cost.peak_fraction=0.8 (repeatable)"},
        {"--plugin-path", "", true, "DIR", "also look for plugins in DIR (repeatable)"},
        {"--json", "", false, "", "print results as JSON on stdout"},
        {"--quiet", "-q", false, "", "no progress or informational lines"},
        {"--verbose", "-v", false, "", "also show plugins' debug lines"},
        {"--help", "-h", false, "", "show this help"},
    };
}

std::vector<OptionSpec> cost_options() {
    return {
        {"--workload", "", true, "FILE", "workload file (ONNX, ...)"},
        {"--hardware", "", true, "FILE", "a core-type file, a system TOML, or Stream/ZigZag YAML"},
        {"--mapping", "", true, "FILE", "ZigZag's mapping YAML: spatial mapping (and a complete temporal ordering) per layer name or op type"},
        {"--core", "", true, "ID", "the core to cost on (default: the first compute core)"},
        {"--layer", "", true, "N", "only this layer id (default: every computation layer)"},
        {"--layers", "", true, "WHICH", "all (default) | mac: only Conv, ConvTranspose, Gemm, MatMul, as ZigZag's ONNX parser costs"},
        {"--exploit-data-locality", "", false, "",
         "ZigZag's inter-layer data locality: per layer, drop the memories above where the data can stay between layers"},
        {"--cost", "", true, "ID", "core-model plugin (default: dataflow): sets cost.plugin"},
        {"--compat", "", true, "stream", "reproduce the original tools' conventions: sets compat"},
        {"--set", "", true, "KEY=VALUE", "a frontend or core-model key, e.g. --set cost.lpf_limit=8 (repeatable)"},
        {"--plugin-path", "", true, "DIR", "also look for plugins in DIR (repeatable)"},
        {"--json", "", false, "", "print as JSON on stdout (keys total.latency_cycles, total.energy_pj, layers)"},
        {"--verbose", "-v", false, "", "energy by memory level and operand, and the chosen mapping, per layer"},
        {"--quiet", "-q", false, "", "no progress lines"},
        {"--help", "-h", false, "", "show this help"},
    };
}

std::vector<OptionSpec> workload_options() {
    return {
        {"--frontend", "", true, "ID", "frontend plugin (default: the first that accepts the file)"},
        {"--set", "", true, "KEY=VALUE", "a frontend key, e.g. --set workload.weight_bits=8 (repeatable)"},
        {"--plugin-path", "", true, "DIR", "also look for plugins in DIR (repeatable)"},
        {"--json", "", false, "", "print as JSON on stdout"},
        {"--help", "-h", false, "", "show this help"},
    };
}

std::vector<OptionSpec> hardware_options() {
    return {
        {"--svg", "", true, "FILE", "also draw the topology as SVG into FILE"},
        {"--plugin-path", "", true, "DIR", "also look for plugins (memory models) in DIR (repeatable)"},
        {"--json", "", false, "", "print as JSON on stdout"},
        {"--help", "-h", false, "", "show this help"},
    };
}

std::vector<OptionSpec> import_options() {
    return {
        {"--output", "-o", true, "DIR", "folder for the TOML files (required)"},
        {"--help", "-h", false, "", "show this help"},
    };
}

std::vector<OptionSpec> plugins_options() {
    return {
        {"--kind", "", true, "KIND", "only this kind: frontend, core_model, memory_model, allocator, scheduler"},
        {"--plugin-path", "", true, "DIR", "also look for plugins in DIR (repeatable)"},
        {"--verbose", "-v", false, "", "also list the search path and files refused, with reasons"},
        {"--json", "", false, "", "print as JSON on stdout"},
        {"--help", "-h", false, "", "show this help"},
    };
}

std::vector<OptionSpec> report_options() {
    return {
        {"--output", "-o", true, "DIR", "folder for the plots (default: the folder of RESULTS.json)"},
        {"--quiet", "-q", false, "", "do not list the files written"},
        {"--help", "-h", false, "", "show this help"},
    };
}

std::vector<OptionSpec> compare_options() {
    return {
        {"--json", "", false, "", "print the comparison as JSON on stdout"},
        {"--help", "-h", false, "", "show this help"},
    };
}

std::vector<OptionSpec> sweep_options() {
    return {
        {"--output", "-o", true, "DIR", "folder for points.jsonl and sweep.json (required); rerun to resume"},
        {"--jobs", "-j", true, "N", "points run at once (default: the hardware threads)"},
        {"--shard", "", true, "I/N", "run only the points of shard I of N (by a stable hash of each point)"},
        {"--cache", "", true, "DIR", "cost cache folder, shareable by processes (default: DIR/cost-cache)"},
        {"--no-cost-cache", "", false, "", "cost every point from scratch"},
        {"--mpi", "", false, "", "under mpirun/srun: rank 0 hands out points and writes, the other ranks run them"},
        {"--plugin-path", "", true, "DIR", "also look for plugins in DIR (repeatable)"},
        {"--json", "", false, "", "print the summary as JSON on stdout"},
        {"--quiet", "-q", false, "", "no progress line and no summary"},
        {"--help", "-h", false, "", "show this help"},
    };
}

std::vector<OptionSpec> merge_options() {
    return {
        {"--output", "-o", true, "DIR", "folder for points.csv, points.json, pareto.svg and pareto.html (required)"},
        {"--quiet", "-q", false, "", "do not list the files written"},
        {"--help", "-h", false, "", "show this help"},
    };
}

fs::path data_dir() {
    return (fs::path{boost::dll::program_location().parent_path().string()} / kDataDirFromBinDir).lexically_normal();
}

/// The pipeline a run uses: the file given, or configs/pipelines/defaults.toml, plus flag overrides.
/// While alive, the first SIGINT asks the run to stop (a search keeps its best so far) instead of
/// killing the process; the handler then resets itself, so a second Ctrl-C ends the process.
class InterruptScope {
public:
    explicit InterruptScope(Diagnostics& diag) {
        target().store(&diag);
        struct sigaction sa {};
        sa.sa_handler = &InterruptScope::on_signal;
        sa.sa_flags = static_cast<int>(SA_RESETHAND);
        sigemptyset(&sa.sa_mask);
        sigaction(SIGINT, &sa, &previous_);
    }
    ~InterruptScope() {
        sigaction(SIGINT, &previous_, nullptr);
        target().store(nullptr);
    }
    InterruptScope(const InterruptScope&) = delete;
    InterruptScope& operator=(const InterruptScope&) = delete;

private:
    // A signal handler reaches the run only through a process-wide pointer; nothing else uses it.
    static std::atomic<Diagnostics*>& target() {
        static std::atomic<Diagnostics*> diag{nullptr};
        return diag;
    }
    static void on_signal(int) {
        if (Diagnostics* d = target().load()) d->request_cancel();
    }
    struct sigaction previous_ {};
};

Pipeline pipeline_from_args(const ParsedArgs& a, const std::string& command) {
    fs::path file;
    if (a.positionals.size() > 1)
        fail_input({"<command line>"}, fmt::format("'stream-dse {}' takes one PIPELINE file, got {}", command, a.positionals.size()));
    if (!a.positionals.empty()) {
        file = a.positionals.front();
    } else {
        if (!a.value("--workload") && !a.value("--hardware") && !a.value("--mapping"))
            fail_input({"<command line>"}, fmt::format("'stream-dse {}' needs a PIPELINE file, or --workload, --hardware and "
                                                       "--mapping; see 'stream-dse {} --help'",
                                                       command, command));
        file = data_dir() / "configs" / "pipelines" / "defaults.toml";
        if (!fs::exists(file))
            throw Error(ErrorKind::Internal, fmt::format("the default pipeline '{}' is missing from this installation", file.string()));
    }
    std::vector<std::string> overrides;
    auto set_from = [&](const char* flag, const char* key) {
        for (const auto& v : a.all(flag)) overrides.push_back(fmt::format("{}={}", key, v));
    };
    set_from("--workload", "workload.file");
    set_from("--hardware", "accelerator.file");
    set_from("--mapping", "mapping.file");
    set_from("--mode", "mapping.mode");
    set_from("--compat", "compat");
    set_from("--frontend", "workload.plugin");
    set_from("--cost", "cost.plugin");
    set_from("--allocator", "allocator.plugin");
    set_from("--scheduler", "scheduler.plugin");
    set_from("--search", "search.plugin");
    if (a.value("--search")) overrides.push_back("mapping.layer_stacks=\"search\"");
    set_from("--output", "output.dir");
    // Layer stacks are a string even when they look like a number ("3").
    for (const auto& v : a.all("--layer-stacks")) overrides.push_back(fmt::format("mapping.layer_stacks=\"{}\"", v));
    for (const auto& v : a.all("--set")) overrides.push_back(v);
    return Pipeline::load(file, overrides);
}

PluginRegistry registry_for(const Pipeline& p, const ParsedArgs& a) {
    std::vector<fs::path> extra;
    for (const auto& d : a.all("--plugin-path")) extra.push_back(fs::absolute(d));
    for (const auto& d : p.plugin_paths()) extra.push_back(d);
    return PluginRegistry::discover(PluginRegistry::default_search_path(extra));
}

std::string key_line(const ConfigKey& k) {
    std::string s = fmt::format("{} ({}", k.key, value_type_name(k.type));
    if (k.required) s += ", required";
    else if (k.default_value) s += ", default " + *k.default_value;
    if (!k.unit.empty()) s += ", " + k.unit;
    s += ")";
    if (!k.doc.empty()) s += ": " + k.doc;
    return s;
}

nlohmann::json key_json(const ConfigKey& k) {
    return {{"key", k.key},
            {"type", value_type_name(k.type)},
            {"required", k.required},
            {"default", k.default_value ? nlohmann::json(*k.default_value) : nlohmann::json(nullptr)},
            {"unit", k.unit},
            {"doc", k.doc}};
}

} // namespace

std::string main_help() {
    return fmt::format(R"(stream-dse {} — design-space exploration of layer-fused DNNs on heterogeneous dataflow accelerators

Usage: stream-dse <command> [options]

Commands:
  run PIPELINE       run an exploration and write results, trace and plots to the output folder
  check PIPELINE     validate the pipeline, its input files and every plugin's keys; run nothing
  tiles PIPELINE     show how layers are fused and cut into computation nodes (CNs)
  cost               cost every layer whole on one core (ZigZag's job): latency, energy, mapping
  hardware show FILE print an accelerator's cores, memories, links and where each cost comes from
  workload show FILE print the layers of a workload as the tool understood them
  import stream-yaml convert Stream/ZigZag hardware YAML into Stream-DSE TOML
  plugins            list the plugins found, with kind, version, ABI, file and config keys
  report RESULTS     redraw the trace and plots of a run from its results.json
  compare A B        two runs' results.json side by side, with ratios B/A
  sweep SWEEP        run the design points of a sweep file (resumable, sharded, MPI)
  merge DIR...       join sweep outputs: CSV, JSON, Pareto front and its plot

A PIPELINE is a TOML file naming the plugin of each stage (configs/pipelines/ has examples). The
common stages can also be given by flags, with no pipeline file at all:
  stream-dse run --workload model.onnx --hardware system.toml --mapping mapping.toml
which starts from configs/pipelines/defaults.toml.

Global options:
  --version          print the version and the plugin ABI version
  --help, -h         show this help; 'stream-dse <command> --help' for a command

Plugins are searched in: directories a pipeline lists (plugin_paths), --plugin-path, the
STREAM_DSE_PLUGIN_PATH environment variable (colon-separated), then beside the executable.

{})",
                       kStreamDseVersion, kExitCodes);
}

std::string command_help(const std::string& command) {
    if (command == "run")
        return "Usage: stream-dse run [PIPELINE] [options]\n\n"
               "Runs the pipeline's stages (workload, accelerator, mapping, cost, allocator, scheduler) and writes\n"
               "to the output folder (output.dir, default ./stream-dse-out): results.json (totals, breakdowns and\n"
               "the whole schedule), summary.txt, trace.json (open in ui.perfetto.dev; 1 us = 1 cycle),\n"
               "schedule.svg and schedule.html (Gantt chart of cores and links), memory.svg and energy.svg.\n"
               "Flags override the pipeline's values; without PIPELINE, --workload, --hardware and --mapping\n"
               "start from configs/pipelines/defaults.toml.\n\n"
               "With mapping.layer_stacks = \"search\" (or --search ID) the mapping is searched first: an explorer\n"
               "plugin proposes layer stacks, tile counts and split counts, each candidate is tiled, costed, allocated\n"
               "and scheduled, and the best under [search] objective is the run's result (docs/fusion.md). A progress\n"
               "line shows the best so far; Ctrl-C keeps it. The summary gives its gain over layer by layer and over\n"
               "the mapping as written; results.json has an 'exploration' section and exploration.svg plots the front.\n\n" +
               options_help(pipeline_options()) + "\n" + kExitCodes;
    if (command == "check")
        return "Usage: stream-dse check [PIPELINE] [options]\n\n"
               "Validates everything a run would read: the pipeline's keys, the workload (through its frontend),\n"
               "the accelerator and mapping files, and every plugin's configuration against the keys it declares.\n"
               "Runs no cost model, allocator or scheduler.\n\n" +
               options_help(pipeline_options()) + "\n" + kExitCodes;
    if (command == "cost")
        return "Usage: stream-dse cost --hardware CORE_OR_SYSTEM --workload FILE [--mapping ZIGZAG.yaml] [options]\n\n"
               "Costs every computation layer of the workload, whole, on one core with the core-model plugin\n"
               "(the dataflow model by default: the core's dataflow as spatial mapping, a LOMA search for the\n"
               "temporal mapping): latency, energy, utilisation, and with -v the energy by memory level and the\n"
               "chosen loop nest. --mapping takes ZigZag's mapping YAML, whose spatial mapping per op type or\n"
               "layer name replaces the core's dataflow. Layers run alone: no fusion, no transfers.\n"
               "Array dimensions a mapping leaves out, and its spatial_mapping_hint, go to ZigZag's spatial-mapping\n"
               "generator: the best-ranked candidates (--set cost.nb_mappings_generated=3) are each searched and the\n"
               "best kept; --set cost.mix_spatial_mapping=true also tries several loops on one array dimension\n"
               "(ZigZag's enable_mix_spatial_mapping, which its tests run with --exploit-data-locality).\n\n"
               "--exploit-data-locality is ZigZag's exploit_data_locality. By default every layer reads its inputs\n"
               "from and writes its output to the top memory (DRAM). With it, the costed layers form a graph\n"
               "(through the layers not costed) and, per layer, the output and the next layer's input stay in\n"
               "the lowest memory that serves both and holds them (scanned top-down, size x instances), and all\n"
               "weights in the lowest memory serving the whole array that holds every weight of the network.\n"
               "Each operand then gives up the memories above its level; memories left empty are removed.\n"
               "Layers where branches start or join keep their output in the top memory.\n\n" +
               options_help(cost_options()) + "\n" + kExitCodes;
    if (command == "tiles")
        return "Usage: stream-dse tiles [PIPELINE] [options]\n\n"
               "Runs the fusion engine only: layer stacks, the tiling of every layer (intra-core loops, and\n"
               "inter-core loops marked cores:), the number of CNs, distinct tile shapes (cost-model calls per\n"
               "core type), edges in and out, and per stack its weights and on-chip working set. Tiling entries\n"
               "that were dropped or adjusted are listed as warnings.\n\n" +
               options_help(pipeline_options()) + "\n" + kExitCodes;
    if (command == "workload")
        return "Usage: stream-dse workload show FILE [options]\n\n"
               "Reads a workload (ONNX, ONNX text, Stream/ZigZag YAML) through its frontend and prints each layer:\n"
               "id, name, operator, MACs, loop dimensions, operand sizes and producers, then the totals. MACs count\n"
               "Conv, ConvTranspose, Gemm and MatMul; other work (element-wise, pooling) is listed separately.\n\n" +
               options_help(workload_options()) + "\n" + kExitCodes;
    if (command == "hardware")
        return "Usage: stream-dse hardware show FILE [--json] [--svg OUT.svg]\n\n"
               "Reads an accelerator (system TOML, see docs/hardware.md) and prints its cores with their memory\n"
               "hierarchies (capacity, bandwidth, energy, and which memory model produced each cost), its links\n"
               "and buses, and the total on-chip capacity.\n\n" +
               options_help(hardware_options()) + "\n" + kExitCodes;
    if (command == "import")
        return "Usage: stream-dse import stream-yaml FILE.yaml -o DIR\n\n"
               "Converts a Stream system YAML (with its core YAMLs) or a ZigZag core YAML into Stream-DSE's\n"
               "hardware TOML (docs/hardware.md): DIR/<system>.toml and DIR/cores/<core>.toml. A field the TOML\n"
               "cannot represent is an error naming it, never dropped. Pipelines and 'hardware show' also take\n"
               "the YAML directly.\n\n" +
               options_help(import_options()) + "\n" + kExitCodes;
    if (command == "plugins")
        return "Usage: stream-dse plugins [--kind KIND] [-v] [--json]\n\n"
               "Lists the plugins found on the search path: id, kind, version, ABI version, file, summary and\n"
               "the config keys each accepts (type, default, unit, meaning).\n\n" +
               options_help(plugins_options()) + "\n" + kExitCodes;
    if (command == "report")
        return "Usage: stream-dse report RESULTS.json [-o DIR]\n\n"
               "Redraws a run's trace and plots from its results.json alone: trace.json, schedule.svg,\n"
               "schedule.html, memory.svg and energy.svg, identical to the ones the run wrote: only results.json\n"
               "needs to be kept or sent.\n\n" +
               options_help(report_options()) + "\n" + kExitCodes;
    if (command == "compare")
        return "Usage: stream-dse compare A.json B.json [--json]\n\n"
               "Prints two runs side by side from their results.json: latency, energy, EDP, each energy\n"
               "component, peak memory per memory, number of CNs and run time per stage, with the ratio B/A\n"
               "(1.000 when both are 0, inf when only A is 0, - when a run lacks the entry).\n\n" +
               options_help(compare_options()) + "\n" + kExitCodes;
    if (command == "sweep")
        return "Usage: stream-dse sweep SWEEP.toml -o DIR [options]\n\n"
               "Runs every point of a sweep (a base pipeline and axes of values for pipeline keys and hardware\n"
               "values, see configs/sweeps/) and appends each finished point to DIR/points.jsonl: its key, its\n"
               "parameters, its metrics and its status. A point that cannot run (a memory too small, a bad\n"
               "value) is recorded as invalid or infeasible with the reason. Rerunning the same command skips\n"
               "the points already there. Costs of identical tiles on identical cores are shared between points\n"
               "through the cost cache folder. On a cluster: one --shard per array job, or --mpi under mpirun\n"
               "(docs/cluster.md); 'stream-dse merge' joins the folders.\n\n" +
               options_help(sweep_options()) + "\n" + kExitCodes;
    if (command == "merge")
        return "Usage: stream-dse merge DIR... -o OUT\n\n"
               "Joins the points.jsonl of sweep output folders (shards, reruns) by point key and writes\n"
               "OUT/points.csv and OUT/points.json (every point, 'pareto' marks the front), and OUT/pareto.svg and\n"
               "OUT/pareto.html: the points of the first two metrics with the Pareto front (all metrics\n"
               "minimised) highlighted.\n\n" +
               options_help(merge_options()) + "\n" + kExitCodes;
    return {};
}

int cmd_run(const std::vector<std::string>& args) {
    ParsedArgs a = parse_args(args, pipeline_options(), "run");
    if (a.flag("--help")) return fmt::print("{}", command_help("run")), 0;
    Terminal term(a.flag("--verbose"), a.flag("--quiet") || a.flag("--json"));
    Pipeline p = pipeline_from_args(a, "run");
    PluginRegistry reg = registry_for(p, a);
    const auto save_mapping = a.value("--save-mapping");
    RunResult r;
    {
        // Ctrl-C during a mapping search keeps the best mapping found; a second one ends the process.
        InterruptScope interrupt(term);
        r = run_pipeline(p, reg, term);
    }
    if (save_mapping && !r.exploration)
        fail_input({"<command line>"}, "--save-mapping: the run searched no mapping (set mapping.layer_stacks = \"search\", a "
                                       "tiling factor \"search\", or --search ID)");
    fs::path out = p.output_dir();
    write_outputs(r, out);
    if (save_mapping) {
        std::string stacks;
        const Mapping base = load_mapping(p.mapping_file(), r.accelerator);
        write_file_atomically(*save_mapping, chosen_mapping_toml(*r.exploration, r.workload, base, stacks));
        term.log(STREAM_LOG_INFO, "host", fmt::format("chosen mapping written to {}; without searching: stream-dse run {} --mapping {} "
                                                      "--layer-stacks \"{}\"", *save_mapping, p.file().string(), *save_mapping, stacks));
    }
    term.finish_progress();
    if (a.flag("--json")) {
        fmt::print("{}\n", results_json(r).dump(2));
    } else {
        fmt::print("{}", summary_text(r));
        if (!a.flag("--quiet")) fmt::print("\nresults in {}\n", out.string());
    }
    return 0;
}

int cmd_check(const std::vector<std::string>& args) {
    ParsedArgs a = parse_args(args, pipeline_options(), "check");
    if (a.flag("--help")) return fmt::print("{}", command_help("check")), 0;
    Terminal term(a.flag("--verbose"), a.flag("--quiet") || a.flag("--json"));
    Pipeline p = pipeline_from_args(a, "check");
    PluginRegistry reg = registry_for(p, a);
    CheckResult r = check_pipeline(p, reg, term);
    if (a.flag("--json")) {
        nlohmann::json plugins = nlohmann::json::array();
        for (const PluginUse& u : r.plugins)
            plugins.push_back({{"stage", u.stage}, {"kind", u.kind}, {"id", u.id}, {"version", u.version}, {"config", u.config}});
        nlohmann::json j = {{"ok", true},       {"pipeline", r.pipeline_name}, {"layers", r.layers},
                            {"compute_layers", r.compute_layers}, {"cores", r.cores}, {"plugins", plugins}};
        fmt::print("{}\n", j.dump(2));
    } else {
        fmt::print("{}: ok — {} layers ({} computation), {} cores\n", p.file().string(), r.layers, r.compute_layers, r.cores);
        for (const PluginUse& u : r.plugins) fmt::print("  {:<10} {} {} ({})\n", u.stage, u.id, u.version, u.kind);
    }
    return 0;
}

int cmd_cost(const std::vector<std::string>& args) {
    ParsedArgs a = parse_args(args, cost_options(), "cost");
    if (a.flag("--help")) return fmt::print("{}", command_help("cost")), 0;
    if (!a.positionals.empty())
        fail_input({"<command line>"}, "'stream-dse cost' takes no positional arguments; see 'stream-dse cost --help'");
    if (!a.value("--workload") || !a.value("--hardware"))
        fail_input({"<command line>"}, "'stream-dse cost' needs --workload and --hardware; see 'stream-dse cost --help'");
    Terminal term(false, a.flag("--quiet") || a.flag("--json"));
    fs::path file = data_dir() / "configs" / "pipelines" / "defaults.toml";
    std::vector<std::string> overrides = {"workload.file=" + *a.value("--workload"), "accelerator.file=" + *a.value("--hardware"),
                                          "cost.plugin=" + a.value("--cost").value_or("dataflow")};
    if (auto c = a.value("--compat")) overrides.push_back("compat=" + *c);
    // A ZigZag mapping names the workload's own loops (G of an Add), which Stream's positional
    // names of --compat stream would hide; --set can still say otherwise.
    if (a.value("--mapping")) overrides.push_back("cost.stream_loop_names=false");
    for (const auto& v : a.all("--set")) overrides.push_back(v);
    Pipeline p = Pipeline::load(file, overrides);
    PluginRegistry reg = registry_for(p, a);
    SingleCoreOptions o;
    auto int_flag = [&](const char* flag) -> std::optional<std::int64_t> {
        auto v = a.value(flag);
        if (!v) return std::nullopt;
        std::int64_t n = 0;
        auto [ptr, ec] = std::from_chars(v->data(), v->data() + v->size(), n);
        if (ec != std::errc{} || ptr != v->data() + v->size())
            fail_input({"<command line>"}, fmt::format("{} {}: expected an integer", flag, *v));
        return n;
    };
    o.core = int_flag("--core");
    o.layer = int_flag("--layer");
    if (auto which = a.value("--layers")) {
        if (*which != "all" && *which != "mac")
            fail_input({"<command line>"}, fmt::format("--layers {}: expected all or mac", *which));
        o.mac_layers_only = *which == "mac";
    }
    o.exploit_data_locality = a.flag("--exploit-data-locality");
    if (auto m = a.value("--mapping")) {
        fs::path mp = fs::absolute(*m);
        if (mp.extension() != ".yaml" && mp.extension() != ".yml")
            fail_input({*m}, "'stream-dse cost --mapping' takes ZigZag's mapping YAML (spatial mappings); core allocations "
                             "and tiling of a TOML mapping do not apply to one core");
        o.zigzag_mapping = mp;
    }
    SingleCoreRun r = cost_single_core(p, reg, term, o);
    term.finish_progress();
    if (a.flag("--json")) fmt::print("{}\n", cost_json(r).dump(2));
    else fmt::print("{}", cost_table(r, a.flag("--verbose")));
    return 0;
}

int cmd_tiles(const std::vector<std::string>& args) {
    ParsedArgs a = parse_args(args, pipeline_options(), "tiles");
    if (a.flag("--help")) return fmt::print("{}", command_help("tiles")), 0;
    Terminal term(a.flag("--verbose"), a.flag("--quiet") || a.flag("--json"));
    Pipeline p = pipeline_from_args(a, "tiles");
    PluginRegistry reg = registry_for(p, a);
    TilingRun r = tile_pipeline(p, reg, term);
    term.finish_progress();
    if (a.flag("--json")) fmt::print("{}\n", tiling_json(r.workload, r.fusion).dump(2));
    else fmt::print("{}", tiling_table(r.workload, r.fusion));
    return 0;
}

int cmd_workload(const std::vector<std::string>& args) {
    ParsedArgs a = parse_args(args, workload_options(), "workload");
    if (a.flag("--help")) return fmt::print("{}", command_help("workload")), 0;
    if (a.positionals.size() != 2 || a.positionals[0] != "show")
        fail_input({"<command line>"}, "usage: stream-dse workload show FILE [--json]; see 'stream-dse workload --help'");
    std::vector<std::string> overrides = {fmt::format("workload.file={}", a.positionals[1])};
    for (const auto& v : a.all("--frontend")) overrides.push_back("workload.plugin=" + v);
    for (const auto& v : a.all("--set")) overrides.push_back(v);
    Pipeline p = Pipeline::load(data_dir() / "configs" / "pipelines" / "defaults.toml", overrides);
    Terminal term(false, a.flag("--json"));
    Workload w = load_workload(p, registry_for(p, a), term);
    if (a.flag("--json")) fmt::print("{}\n", workload_json(w).dump(2));
    else fmt::print("{}", workload_table(w));
    return 0;
}

int cmd_hardware(const std::vector<std::string>& args) {
    ParsedArgs a = parse_args(args, hardware_options(), "hardware");
    if (a.flag("--help")) return fmt::print("{}", command_help("hardware")), 0;
    if (a.positionals.size() != 2 || a.positionals[0] != "show")
        fail_input({"<command line>"}, "usage: stream-dse hardware show FILE [--json]; see 'stream-dse hardware --help'");
    std::vector<fs::path> extra;
    for (const auto& d : a.all("--plugin-path")) extra.push_back(fs::absolute(d));
    PluginRegistry reg = PluginRegistry::discover(PluginRegistry::default_search_path(extra));
    Terminal term(false, a.flag("--json"));
    PluginMemoryModels models(reg, term);
    Accelerator acc = load_accelerator(fs::absolute(a.positionals[1]), &models);
    if (auto svg = a.value("--svg")) {
        std::ofstream out(*svg, std::ios::binary | std::ios::trunc);
        if (!(out << topology_svg(acc)) || !out.flush())
            fail_input({"<command line>"}, fmt::format("--svg: cannot write '{}'", *svg));
    }
    if (a.flag("--json")) fmt::print("{}\n", hardware_json(acc).dump(2));
    else fmt::print("{}", hardware_table(acc));
    return 0;
}

int cmd_import(const std::vector<std::string>& args) {
    ParsedArgs a = parse_args(args, import_options(), "import");
    if (a.flag("--help")) return fmt::print("{}", command_help("import")), 0;
    if (a.positionals.size() != 2 || a.positionals[0] != "stream-yaml" || !a.value("--output"))
        fail_input({"<command line>"}, "usage: stream-dse import stream-yaml FILE.yaml -o DIR; see 'stream-dse import --help'");
    fs::path file = fs::absolute(a.positionals[1]);
    if (!fs::exists(file)) fail_input({file.string()}, "no such file");
    ImportedHardware hw = is_stream_system_yaml(file) ? import_stream_system(file) : import_zigzag_core(file);
    fs::path out = fs::absolute(*a.value("--output"));
    write_imported(hw, out);
    fmt::print("{}: {} core type(s) -> {}\n", file.string(), hw.core_types.size(), (out / (hw.system_name + ".toml")).string());
    for (const auto& note : hw.notes) fmt::print("  note: {}\n", note);
    return 0;
}

int cmd_plugins(const std::vector<std::string>& args) {
    ParsedArgs a = parse_args(args, plugins_options(), "plugins");
    if (a.flag("--help")) return fmt::print("{}", command_help("plugins")), 0;
    if (!a.positionals.empty())
        fail_input({"<command line>"}, fmt::format("'stream-dse plugins' takes no arguments, got '{}'", a.positionals.front()));
    std::optional<stream_plugin_kind> kind;
    if (auto k = a.value("--kind")) {
        kind = parse_kind(*k);
        if (!kind)
            fail_input({"<command line>"}, fmt::format("--kind: unknown kind '{}'; kinds are frontend, core_model, "
                                                       "memory_model, allocator, scheduler",
                                                       *k));
    }
    std::vector<fs::path> extra;
    for (const auto& d : a.all("--plugin-path")) extra.push_back(fs::absolute(d));
    PluginRegistry reg = PluginRegistry::discover(PluginRegistry::default_search_path(extra));
    auto libs = kind ? reg.of_kind(*kind) : reg.all();
    if (a.flag("--json")) {
        nlohmann::json list = nlohmann::json::array();
        for (const auto& lib : libs) {
            const PluginInfo& i = lib->info();
            nlohmann::json keys = nlohmann::json::array();
            for (const ConfigKey& k : i.keys) keys.push_back(key_json(k));
            list.push_back({{"id", i.id},
                            {"kind", kind_name(i.kind)},
                            {"name", i.name},
                            {"version", i.version},
                            {"abi", fmt::format("{}.{}", i.abi_major, i.abi_minor)},
                            {"file", lib->path().string()},
                            {"summary", i.summary},
                            {"thread_safe", i.thread_safe()},
                            {"config_keys", keys}});
        }
        nlohmann::json j = {{"plugins", list}};
        if (a.flag("--verbose")) {
            nlohmann::json dirs = nlohmann::json::array(), refused = nlohmann::json::array();
            for (const auto& d : reg.search_dirs())
                dirs.push_back({{"path", d.path.string()}, {"origin", d.origin}, {"exists", fs::is_directory(d.path)}});
            for (const auto& r : reg.refusals()) refused.push_back({{"file", r.path.string()}, {"reason", r.reason}});
            j["search_path"] = dirs;
            j["refused"] = refused;
        }
        fmt::print("{}\n", j.dump(2));
        return 0;
    }
    if (libs.empty()) fmt::print("no plugins found{}\n", kind ? " of kind " + kind_name(*kind) : "");
    for (const auto& lib : libs) {
        const PluginInfo& i = lib->info();
        fmt::print("{:<12} {:<13} {:<8} ABI {}.{}  {}\n", i.id, kind_name(i.kind), i.version, i.abi_major, i.abi_minor,
                   i.summary);
        fmt::print("    file: {}{}\n", lib->path().string(), i.thread_safe() ? "  (thread-safe)" : "");
        if (i.keys.empty()) fmt::print("    keys: none\n");
        for (const ConfigKey& k : i.keys) fmt::print("    {}\n", key_line(k));
    }
    if (a.flag("--verbose")) {
        fmt::print("\nsearch path:\n");
        for (const auto& d : reg.search_dirs())
            fmt::print("  {} ({}){}\n", d.path.string(), d.origin, fs::is_directory(d.path) ? "" : " — not a directory");
        fmt::print("refused files:{}\n", reg.refusals().empty() ? " none" : "");
        for (const auto& r : reg.refusals()) fmt::print("  {}: {}\n", r.path.string(), r.reason);
    }
    return 0;
}

int cmd_report(const std::vector<std::string>& args) {
    ParsedArgs a = parse_args(args, report_options(), "report");
    if (a.flag("--help")) return fmt::print("{}", command_help("report")), 0;
    if (a.positionals.size() != 1)
        fail_input({"<command line>"}, "usage: stream-dse report RESULTS.json [-o DIR]; see 'stream-dse report --help'");
    const fs::path file = a.positionals.front();
    const JsonDocument doc = JsonDocument::read(file);
    const ScheduleView view = schedule_view(doc.reader());
    const fs::path out = a.value("--output") ? fs::path(*a.value("--output")) : fs::absolute(file).parent_path();
    for (const fs::path& p : write_report_files(view, out))
        if (!a.flag("--quiet")) fmt::print("{}\n", p.string());
    return 0;
}

int cmd_compare(const std::vector<std::string>& args) {
    ParsedArgs a = parse_args(args, compare_options(), "compare");
    if (a.flag("--help")) return fmt::print("{}", command_help("compare")), 0;
    if (a.positionals.size() != 2)
        fail_input({"<command line>"}, "usage: stream-dse compare A.json B.json [--json]; see 'stream-dse compare --help'");
    const JsonDocument first = JsonDocument::read(a.positionals[0]);
    const JsonDocument second = JsonDocument::read(a.positionals[1]);
    const RunComparison c = compare_runs(first.reader(), second.reader());
    if (a.flag("--json")) fmt::print("{}\n", comparison_json(c).dump(2));
    else fmt::print("{}", comparison_table(c));
    return 0;
}

int cmd_sweep(const std::vector<std::string>& args) {
    ParsedArgs a = parse_args(args, sweep_options(), "sweep");
    if (a.flag("--help")) return fmt::print("{}", command_help("sweep")), 0;
    if (a.positionals.size() != 1 || !a.value("--output"))
        fail_input({"<command line>"}, "usage: stream-dse sweep SWEEP.toml -o DIR; see 'stream-dse sweep --help'");
    sweep::SweepOptions o;
    o.output_dir = fs::absolute(*a.value("--output"));
    o.jobs = std::max(1u, std::thread::hardware_concurrency());
    if (auto j = a.value("--jobs")) {
        auto [ptr, ec] = std::from_chars(j->data(), j->data() + j->size(), o.jobs);
        if (ec != std::errc{} || ptr != j->data() + j->size() || o.jobs == 0)
            fail_input({"<command line>"}, fmt::format("--jobs {}: expected a positive integer", *j));
    }
    if (auto shard = a.value("--shard")) sweep::parse_shard(*shard, o);
    if (auto c = a.value("--cache")) o.cache_dir = fs::absolute(*c);
    o.use_cost_cache = !a.flag("--no-cost-cache");
    for (const auto& d : a.all("--plugin-path")) o.plugin_paths.push_back(fs::absolute(d));
    Terminal term(false, a.flag("--quiet") || a.flag("--json"));
    const sweep::SweepContext context(sweep::load_sweep(a.positionals.front()), o);
    bool is_root = true;
    sweep::SweepSummary s;
    if (a.flag("--mpi")) {
#ifdef STREAM_DSE_HAVE_MPI
        s = sweep::run_sweep_mpi(context, o, term, &is_root);
#else
        fail_input({"<command line>"}, "--mpi: this stream-dse was built without MPI (install libopenmpi-dev and reconfigure)");
#endif
    } else {
        s = sweep::run_sweep(context, o, term);
    }
    term.finish_progress();
    if (!is_root || a.flag("--quiet")) return 0;
    const double hit_rate = s.cost_questions ? static_cast<double>(s.cost_cache_hits) / static_cast<double>(s.cost_questions) : 0;
    if (a.flag("--json")) {
        nlohmann::json j = {{"points", s.points},       {"in_shard", s.in_shard},       {"skipped", s.skipped},
                            {"run", s.run},             {"ok", s.ok},                   {"cost_questions", s.cost_questions},
                            {"cost_cache_hits", s.cost_cache_hits}, {"seconds", s.seconds}, {"output", o.output_dir.string()}};
        fmt::print("{}\n", j.dump(2));
    } else {
        fmt::print("sweep '{}': {} points, {} in shard {}/{}, {} already done, {} run ({} ok, {} not) in {:.1f} s\n",
                   context.spec().name, s.points, s.in_shard, o.shard_index, o.shard_count, s.skipped, s.run, s.ok, s.run - s.ok,
                   s.seconds);
        fmt::print("cost cache: {} of {} tile costs reused ({:.0f}%)\npoints in {}\n", s.cost_cache_hits, s.cost_questions,
                   100 * hit_rate, (o.output_dir / "points.jsonl").string());
    }
    return 0;
}

int cmd_merge(const std::vector<std::string>& args) {
    ParsedArgs a = parse_args(args, merge_options(), "merge");
    if (a.flag("--help")) return fmt::print("{}", command_help("merge")), 0;
    if (a.positionals.empty() || !a.value("--output"))
        fail_input({"<command line>"}, "usage: stream-dse merge DIR... -o OUT; see 'stream-dse merge --help'");
    std::vector<fs::path> dirs(a.positionals.begin(), a.positionals.end());
    const sweep::MergedSweep m = sweep::merge_sweeps(dirs);
    const auto files = sweep::write_merged(m, fs::absolute(*a.value("--output")));
    if (!a.flag("--quiet")) {
        fmt::print("{} points, {} on the Pareto front of {}\n", m.points.size(), m.front.size(), fmt::join(m.metrics, ", "));
        for (const fs::path& f : files) fmt::print("{}\n", f.string());
    }
    return 0;
}

} // namespace stream::cli
