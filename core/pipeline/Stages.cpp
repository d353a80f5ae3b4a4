#include "pipeline/Stages.hpp"

#include "config/AcceleratorFile.hpp"
#include "config/MappingFile.hpp"
#include "config/PluginConfig.hpp"
#include "config/TomlFile.hpp"
#include "fusion/CnGraphBuilder.hpp"
#include "import/ZigZagMapping.hpp"
#include "pipeline/AllocationServices.hpp"
#include "pipeline/AllocationStage.hpp"
#include "explore/Exploration.hpp"
#include "explore/MappingSpace.hpp"
#include "explore/SearchSettings.hpp"
#include "pipeline/CostKey.hpp"
#include "pipeline/CostTable.hpp"
#include "pipeline/DataLocality.hpp"
#include "report/WorkloadReport.hpp"
#include "pipeline/MemoryModels.hpp"
#include "pipeline/RunCostCache.hpp"
#include "plugin_host/AbiViews.hpp"
#include "plugin_host/PluginInstance.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <deque>
#include <mutex>
#include <optional>
#include <sstream>

namespace stream {

namespace fs = std::filesystem;

namespace {

class Stopwatch {
public:
    double seconds() const { return std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count(); }

private:
    std::chrono::steady_clock::time_point start_ = std::chrono::steady_clock::now();
};

PluginUse describe_use(const std::string& stage, const PluginLibrary& lib, const PluginConfig& cfg) {
    PluginUse u{stage, kind_name(lib.info().kind), lib.info().id, lib.info().version, lib.path().string(), {}};
    for (const auto& [k, v] : cfg.values()) u.config[k] = to_toml_literal(v);
    return u;
}

std::shared_ptr<const PluginLibrary> plugin_for(const PluginRegistry& reg, stream_plugin_kind kind, const Pipeline& p,
                                                const PluginStage& stage) {
    if (!stage.plugin) {
        std::vector<std::string> ids;
        for (const auto& lib : reg.of_kind(kind)) ids.push_back(lib->info().id);
        fail_input(stage.where, fmt::format("stage [{}] names no plugin: add plugin = \"<id>\" (available {} plugins: {})",
                                            stage.name, kind_name(kind), ids.empty() ? "none" : fmt::format("{}", fmt::join(ids, ", "))));
    }
    try {
        return reg.get(kind, *stage.plugin);
    } catch (const Error& e) {
        throw Error(e.kind(), fmt::format("key '{}.plugin': {}", stage.name, e.message()), p.location(stage.name + ".plugin"));
    }
}

template <class VTable>
std::unique_ptr<PluginInstance<VTable>> instantiate(std::shared_ptr<const PluginLibrary> lib, const PluginStage& stage,
                                                    Diagnostics& diag, bool compat_stream) {
    auto cfg = std::make_unique<PluginConfig>(stage.table, stage.where, lib->info().keys, stage.name,
                                              Pipeline::host_keys(stage.name));
    if (compat_stream) cfg->set_compat("stream");
    return std::make_unique<PluginInstance<VTable>>(std::move(lib), std::move(cfg), diag);
}

// ---- the workload builder handed to frontends ----

struct BuilderContext {
    Workload* workload;
    std::optional<Error> error;
};

stream_status builder_add_layer(void* ctx, const stream_layer_v1* layer, int64_t* id) {
    auto& b = *static_cast<BuilderContext*>(ctx);
    try {
        if (!layer) throw Error(ErrorKind::Plugin, "add_layer called with a NULL layer");
        auto next = static_cast<std::int64_t>(b.workload->layers.size());
        b.workload->layers.push_back(layer_from_c(*layer, next));
        if (id) *id = next;
        return STREAM_OK;
    } catch (const Error& e) {
        if (!b.error) b.error = e;
        return STREAM_ERROR_INVALID_INPUT;
    } catch (const std::exception& e) {
        if (!b.error) b.error = Error(ErrorKind::Internal, e.what());
        return STREAM_ERROR_INTERNAL;
    }
}

void builder_set_name(void* ctx, const char* name) {
    static_cast<BuilderContext*>(ctx)->workload->name = name ? name : "";
}

// ---- results of core models, copied at the boundary ----

/// The core-model plugins of a run and each core's model configuration.
struct CoreModels {
    std::map<std::string, std::unique_ptr<PluginInstance<stream_core_model_v1>>> instances;
    std::vector<PluginInstance<stream_core_model_v1>*> of_core;         // indexed by core id; null for off-chip
    std::map<const CoreType*, std::unique_ptr<PluginConfig>> type_configs; // per core type
    std::unique_ptr<PluginConfig> empty_config;                          // for the off-chip core
    std::vector<const stream_config_v1*> config_of_core;
    std::vector<std::string> config_text_of_core;                        // for cost cache keys
};

CoreModels make_core_models(const Pipeline& p, const PluginRegistry& reg, const Accelerator& acc, Diagnostics& diag,
                            std::vector<PluginUse>& uses) {
    CoreModels cm;
    PluginStage cost = p.stage("cost");
    cm.empty_config = std::make_unique<PluginConfig>(nullptr, SourceLoc{}, std::span<const ConfigKey>{}, "model");
    for (const Core& core : acc.cores) {
        if (core.is_offchip) {
            cm.of_core.push_back(nullptr);
            cm.config_of_core.push_back(cm.empty_config->c_view());
            cm.config_text_of_core.emplace_back();
            continue;
        }
        const CoreType& type = *core.type;
        std::string id = type.model_plugin;
        std::shared_ptr<const PluginLibrary> lib;
        if (id.empty()) {
            if (!cost.plugin)
                fail_input(cost.where, fmt::format("{} names no core model and the pipeline's [cost] stage names no plugin; "
                                                   "add plugin = \"<core-model id>\" to [cost]",
                                                   core.label()));
            lib = plugin_for(reg, STREAM_KIND_CORE_MODEL, p, cost);
            id = *cost.plugin;
        } else {
            lib = reg.find(STREAM_KIND_CORE_MODEL, id);
            if (!lib) {
                try {
                    reg.get(STREAM_KIND_CORE_MODEL, id);
                } catch (const Error& e) {
                    throw Error(e.kind(), fmt::format("key 'model.plugin' of core type '{}': {}", type.name, e.message()), type.where);
                }
            }
        }
        if (!cm.instances.count(id)) {
            // The [cost] table configures the pipeline's core model; a model named only by a core type runs on its defaults.
            PluginStage stage = cost;
            if (!cost.plugin || *cost.plugin != id) stage = PluginStage{"cost", id, nullptr, cost.where};
            auto inst = instantiate<stream_core_model_v1>(lib, stage, diag, p.compat_stream());
            uses.push_back(describe_use("cost", *lib, inst->services().config()));
            cm.instances.emplace(id, std::move(inst));
        }
        cm.of_core.push_back(cm.instances.at(id).get());
        auto it = cm.type_configs.find(&type);
        if (it == cm.type_configs.end()) {
            const toml::table* t = type.model_table.get();
            SourceLoc where = t ? location_of(*t) : type.where;
            static const std::vector<std::string> model_host_keys = {"plugin"};
            it = cm.type_configs.emplace(&type, std::make_unique<PluginConfig>(t, where, lib->info().keys, "model", model_host_keys)).first;
        }
        cm.config_of_core.push_back(it->second->c_view());
        cm.config_text_of_core.push_back(plugin_config_text(*it->second));
    }
    return cm;
}

} // namespace

bool has_search_factor(const Mapping& m) {
    auto searched = [](const MappingEntry& e) {
        for (const auto* tiling : {&e.intra_core_tiling, &e.inter_core_tiling})
            if (*tiling)
                for (const TilingFactor& f : **tiling)
                    if (f.kind == TilingFactor::Kind::Search) return true;
        return false;
    };
    if (m.default_entry && searched(*m.default_entry)) return true;
    for (const auto* entries : {&m.by_layer_name, &m.by_op_type})
        for (const auto& [name, e] : *entries)
            if (searched(e)) return true;
    return false;
}

FusionOptions fusion_options(const Pipeline& p) {
    FusionOptions o;
    o.mode = p.mode();
    o.layer_stacks = p.layer_stacks();
    o.compat_stream = p.compat_stream();
    o.stacks_where = p.location("mapping.layer_stacks");
    return o;
}

PluginRegistry discover_plugins(const Pipeline& p) {
    return PluginRegistry::discover(PluginRegistry::default_search_path(p.plugin_paths()));
}

std::string workload_key(const Pipeline& p) {
    std::ostringstream key;
    key << fs::absolute(p.workload_file()).lexically_normal().string() << '\n' << p.compat_stream() << '\n';
    if (const toml::table* t = p.stage("workload").table) key << *t;
    return key.str();
}

Workload load_workload(const Pipeline& p, const PluginRegistry& reg, Diagnostics& diag, PluginUse* used) {
    fs::path file = p.workload_file();
    PluginStage stage = p.stage("workload");
    if (!fs::exists(file))
        fail_input(p.location("workload.file"), fmt::format("workload file '{}' does not exist", file.string()));
    std::shared_ptr<const PluginLibrary> lib;
    if (stage.plugin) {
        lib = plugin_for(reg, STREAM_KIND_FRONTEND, p, stage);
    } else {
        // No frontend named: the first (by id) that accepts the file, asked with its defaults.
        std::vector<std::string> tried;
        for (const auto& candidate : reg.of_kind(STREAM_KIND_FRONTEND)) {
            tried.push_back(candidate->info().id);
            try {
                auto probe_config = std::make_unique<PluginConfig>(nullptr, stage.where, candidate->info().keys, "workload");
                if (p.compat_stream()) probe_config->set_compat("stream");
                PluginInstance<stream_frontend_v1> probe(candidate, std::move(probe_config), diag);
                if (probe.vtable().accepts(probe.handle(), file.c_str())) {
                    lib = candidate;
                    break;
                }
            } catch (const Error&) {
                // A frontend that needs keys we do not have cannot be the implicit choice.
            }
        }
        if (!lib)
            fail_input(p.location("workload.file"),
                       fmt::format("no frontend plugin reads '{}' (asked: {}); name one with [workload] plugin = \"<id>\"",
                                   file.string(), tried.empty() ? "none found" : fmt::format("{}", fmt::join(tried, ", "))));
        stage.plugin = lib->info().id;
    }
    auto frontend = instantiate<stream_frontend_v1>(lib, stage, diag, p.compat_stream());
    if (used) *used = describe_use("workload", *lib, frontend->services().config());
    Workload w;
    w.where = {file.string()};
    BuilderContext ctx{&w, std::nullopt};
    stream_workload_builder_v1 builder{sizeof(stream_workload_builder_v1), &ctx, &builder_add_layer, &builder_set_name};
    try {
        frontend->call("load", [&](const stream_frontend_v1& vt, void* h) { return vt.load(h, file.c_str(), &builder); });
    } catch (const Error& e) {
        if (ctx.error) throw *ctx.error; // the host's own objection is the precise one
        if (e.where().known()) throw;
        throw Error(e.kind(), e.message(), SourceLoc{file.string()});
    }
    if (w.name.empty()) w.name = file.stem().string();
    if (w.layers.empty()) fail_input({file.string()}, "the workload has no layers");
    return w;
}

namespace {

struct RowCapture {
    LayerCostRow* row;
    const stream_core_v1* core;
    bool submitted = false;
};

void row_submit(void* ctx, const stream_cost_v1* c) {
    auto& cap = *static_cast<RowCapture*>(ctx);
    if (!c || c->struct_size < offsetof(stream_cost_v1, mapping_text) + sizeof(const char*)) return;
    LayerCostRow& r = *cap.row;
    r.cost.latency_cycles = c->latency_cycles;
    r.cost.latency_no_offload_cycles = c->latency_no_offload_cycles;
    r.cost.energy_pj = c->energy_pj;
    r.cost.offchip_energy_pj = c->offchip_energy_pj;
    r.ideal_cycles = c->ideal_cycles;
    r.onloading_cycles = c->onloading_cycles;
    r.offloading_cycles = c->offloading_cycles;
    r.mac_energy_pj = c->mac_energy_pj;
    r.utilization = c->utilization;
    r.mapping_text = c->mapping_text ? c->mapping_text : "";
    for (std::uint32_t i = 0; c->accesses && i < c->access_count; ++i) {
        const auto& a = *STREAM_AT(stream_access_energy_v1, c->accesses, i);
        std::string memory = a.memory_level < cap.core->memory_count
                                 ? STREAM_AT(stream_memory_level_v1, cap.core->memories, a.memory_level)->name
                                 : (cap.core->offchip_memory ? cap.core->offchip_memory->name : "off-chip");
        r.energy_by_level.push_back({memory, a.operand ? a.operand : "", a.reads, a.writes, a.energy_pj});
    }
    cap.submitted = true;
}

} // namespace

SingleCoreRun cost_single_core(const Pipeline& p, const PluginRegistry& reg, Diagnostics& diag, const SingleCoreOptions& o) {
    SingleCoreRun r;
    PluginUse fe;
    r.workload = load_workload(p, reg, diag, &fe);
    r.plugins.push_back(fe);
    PluginMemoryModels memory_models(reg, diag);
    r.accelerator = load_accelerator(p.accelerator_file(), &memory_models, p.hardware_overrides());
    const Accelerator& acc = r.accelerator;
    std::int64_t core_id = -1;
    if (o.core) {
        core_id = *o.core;
        if (core_id < 0 || core_id >= static_cast<std::int64_t>(acc.cores.size()) || acc.cores[static_cast<std::size_t>(core_id)].is_offchip)
            fail_input({"<command line>"}, fmt::format("--core {}: accelerator '{}' has no compute core {} (cores are 0..{})", core_id,
                                                       acc.name, core_id, acc.cores.size() - 1));
    } else {
        for (const Core& c : acc.cores)
            if (!c.is_offchip) {
                core_id = c.id;
                break;
            }
        if (core_id < 0) fail_input(acc.where, fmt::format("accelerator '{}' has no compute core", acc.name));
    }
    std::optional<ZigZagMapping> zz;
    if (o.zigzag_mapping) {
        zz = load_zigzag_mapping(*o.zigzag_mapping);
        r.notes = zz->notes;
    }
    CoreModels models = make_core_models(p, reg, acc, diag, r.plugins);
    const auto* model = models.of_core[static_cast<std::size_t>(core_id)];
    const Core& base = acc.cores[static_cast<std::size_t>(core_id)];
    const MemoryLevel* dram = offchip_memory(acc);

    std::vector<const Layer*> todo, costable;
    for (const Layer& l : r.workload.layers)
        if (l.layer_class == LayerClass::Compute && (!o.mac_layers_only || layer_macs(l) > 0)) {
            costable.push_back(&l);
            if (!o.layer || l.id == *o.layer) todo.push_back(&l);
        }
    // The levels depend on the whole graph of costable layers, also when one layer is asked for.
    std::optional<DataLocality> locality;
    if (o.exploit_data_locality && !costable.empty()) {
        locality.emplace(r.workload, costable, *base.type);
        r.notes.insert(r.notes.end(), locality->notes().begin(), locality->notes().end());
    }
    if (o.layer && todo.empty())
        fail_input({"<command line>"}, fmt::format("--layer {}: no computation layer with that id (see 'stream-dse workload show')", *o.layer));
    std::size_t done = 0;
    for (const Layer* l : todo) {
        // A mapping's spatial unrolling replaces the core's dataflow for this layer.
        Core core = base;
        const ZigZagMapping::Entry* entry = zz ? zz->lookup(*l) : nullptr;
        if (entry || locality) {
            auto type = std::make_shared<CoreType>(locality ? locality->core_for(l->id, *base.type) : *base.type);
            if (entry) type->dataflow = entry->spatial;
            core.type = type;
        }
        const stream_config_v1* model_config = models.config_of_core[static_cast<std::size_t>(core_id)];
        // A mapping's temporal ordering reaches the model as the core's temporal_ordering key, beside
        // the core type's own model keys.
        std::unique_ptr<PluginConfig> ordering_config;
        if (entry && (!entry->temporal_ordering.empty() || !entry->spatial_mapping_hint.empty())) {
            toml::table t = base.type->model_table ? *base.type->model_table : toml::table{};
            if (!entry->temporal_ordering.empty()) t.insert_or_assign("temporal_ordering", entry->temporal_ordering);
            // hints reach the model's spatial-mapping generator the same way
            if (!entry->spatial_mapping_hint.empty()) t.insert_or_assign("spatial_mapping_hint", entry->spatial_mapping_hint);
            static const std::vector<std::string> model_host_keys = {"plugin"};
            ordering_config = std::make_unique<PluginConfig>(&t, SourceLoc{o.zigzag_mapping->string()}, model->library().info().keys,
                                                             "model", model_host_keys);
            model_config = ordering_config->c_view();
        }
        CoreView view(core, model_config, dram);
        LayerView lv(*l);
        stream_cn_v1 cn{sizeof(stream_cn_v1), -1, lv.c(), nullptr, 0};
        LayerCostRow row;
        row.layer = l;
        row.core = core_id;
        RowCapture cap{&row, &view.c()};
        stream_cost_sink_v1 sink{sizeof(stream_cost_sink_v1), &cap, &row_submit};
        try {
            model->call("evaluate", [&](const stream_core_model_v1& vt, void* h) { return vt.evaluate(h, &view.c(), &cn, &sink); });
        } catch (const Error& e) {
            throw Error(e.kind(), fmt::format("costing {} on {}: {}", l->label(), base.label(), e.message()), e.where());
        }
        if (!cap.submitted)
            throw Error(ErrorKind::Plugin, fmt::format("{} returned success for {} without submitting a cost", model->library().describe(), l->label()));
        r.layers.push_back(std::move(row));
        diag.progress("cost", static_cast<double>(++done), static_cast<double>(todo.size()), "costing layers");
    }
    return r;
}

TilingRun tile_pipeline(const Pipeline& p, const PluginRegistry& reg, Diagnostics& diag) {
    TilingRun r;
    r.workload = load_workload(p, reg, diag);
    PluginMemoryModels memory_models(reg, diag);
    Accelerator acc = load_accelerator(p.accelerator_file(), &memory_models, p.hardware_overrides());
    Mapping m = load_mapping(p.mapping_file(), acc);
    FusionOptions options = fusion_options(p);
    const SearchSettings search = read_search_settings(p, has_search_factor(m));
    if (search.enabled) {
        // Tiling runs no model, so it cannot search: it shows the mapping the search starts from.
        if (search.stacks_searched) options.layer_stacks = search.start_stacks.empty() ? "pack" : search.start_stacks;
        diag.log(STREAM_LOG_INFO, "host",
                 fmt::format("this pipeline searches its mapping when it runs; shown is the mapping as written (stacks \"{}\", "
                             "searched factors cut as if absent). 'stream-dse run {} --save-mapping FILE' writes the chosen "
                             "mapping and prints the flags (--mapping FILE --layer-stacks ...) that give it to run and tiles",
                             options.layer_stacks.empty() ? "pack" : options.layer_stacks, p.file().string()));
    }
    r.fusion = build_cn_graph(r.workload, m, acc, options);
    return r;
}

CheckResult check_pipeline(const Pipeline& p, const PluginRegistry& reg, Diagnostics& diag) {
    CheckResult r;
    r.pipeline_name = p.name();
    PluginUse fe;
    Workload w = load_workload(p, reg, diag, &fe);
    r.plugins.push_back(fe);
    PluginMemoryModels memory_models(reg, diag);
    Accelerator acc = load_accelerator(p.accelerator_file(), &memory_models, p.hardware_overrides());
    Mapping m = load_mapping(p.mapping_file(), acc);
    FusionResult fusion = build_cn_graph(w, m, acc, fusion_options(p));
    const CnGraph& g = fusion.graph;
    CoreModels cm = make_core_models(p, reg, acc, diag, r.plugins);
    auto alloc_lib = plugin_for(reg, STREAM_KIND_ALLOCATOR, p, p.stage("allocator"));
    auto allocator = instantiate<stream_allocator_v1>(alloc_lib, p.stage("allocator"), diag, p.compat_stream());
    r.plugins.push_back(describe_use("allocator", *alloc_lib, allocator->services().config()));
    auto sched_lib = plugin_for(reg, STREAM_KIND_SCHEDULER, p, p.stage("scheduler"));
    auto scheduler = instantiate<stream_scheduler_v1>(sched_lib, p.stage("scheduler"), diag, p.compat_stream());
    r.plugins.push_back(describe_use("scheduler", *sched_lib, scheduler->services().config()));
    const SearchSettings search = read_search_settings(p, has_search_factor(m));
    if (search.enabled) {
        auto explorer_lib = plugin_for(reg, STREAM_KIND_EXPLORER, p, p.stage("search"));
        auto explorer = instantiate<stream_explorer_v1>(explorer_lib, p.stage("search"), diag, p.compat_stream());
        r.plugins.push_back(describe_use("search", *explorer_lib, explorer->services().config()));
        const auto start_stacks = stacks_as_written(search, w, acc, fusion.stack_of_layer, p.compat_stream());
        build_mapping_space(w, m, acc, search, start_stacks, p.compat_stream());
    }
    r.layers = w.layers.size();
    r.compute_layers = static_cast<std::size_t>(std::count_if(w.layers.begin(), w.layers.end(), [](const Layer& l) {
        return l.layer_class == LayerClass::Compute;
    }));
    r.n_cns = g.nodes.size();
    r.cores = acc.cores.size();
    return r;
}

RunResult run_pipeline(const Pipeline& p, const PluginRegistry& reg, Diagnostics& diag, const RunOptions& options) {
    RunResult r;
    r.pipeline_name = p.name();
    r.pipeline_file = p.file();
    r.mode = p.mode();
    r.compat_stream = p.compat_stream();

    Stopwatch t_workload;
    PluginUse fe;
    if (options.workload) {
        r.workload = options.workload->workload;
        fe = options.workload->frontend;
    } else {
        r.workload = load_workload(p, reg, diag, &fe);
    }
    r.plugins.push_back(fe);
    r.timings.push_back({"workload", t_workload.seconds()});

    Stopwatch t_hw;
    PluginMemoryModels memory_models(reg, diag);
    r.accelerator = load_accelerator(p.accelerator_file(), &memory_models, p.hardware_overrides());
    Mapping mapping = load_mapping(p.mapping_file(), r.accelerator);
    r.timings.push_back({"accelerator+mapping", t_hw.seconds()});

    const SearchSettings search = read_search_settings(p, has_search_factor(mapping));
    Stopwatch t_fusion;
    FusionOptions fusion_opts = fusion_options(p);
    FusionResult fusion = build_cn_graph(r.workload, mapping, r.accelerator, fusion_opts);
    ProblemVariant own;
    own.graph = std::move(fusion.graph);
    own.stack_of_layer = std::move(fusion.stack_of_layer);
    own.warnings = std::move(fusion.warnings);
    // A search builds and costs its own candidates; the chosen one's warnings are shown below.
    if (!search.enabled)
        for (const std::string& warning : own.warnings) diag.log(STREAM_LOG_WARNING, "host", warning);
    r.timings.push_back({"tiling", t_fusion.seconds()});

    Stopwatch t_cost;
    CoreModels models = make_core_models(p, reg, r.accelerator, diag, r.plugins);
    // Re-tiled problems (an allocator's split counts, a search's candidates) ask many of the same questions again.
    RunCostCache run_cache(options.cost_cache);
    CostModelsOfCores of_cores;
    for (const auto* m : models.of_core) of_cores.model.push_back(m);
    of_cores.config = models.config_of_core;
    of_cores.config_text = models.config_text_of_core;
    of_cores.cache = &run_cache;
    if (!search.enabled) {
        own.cost_stats = evaluate_cost_table(own.graph, r.workload, r.accelerator, of_cores, r.compat_stream, diag);
        r.cost_stats = own.cost_stats;
        r.timings.push_back({"cost", t_cost.seconds()});
    }

    auto sched_lib = plugin_for(reg, STREAM_KIND_SCHEDULER, p, p.stage("scheduler"));
    auto scheduler = instantiate<stream_scheduler_v1>(sched_lib, p.stage("scheduler"), diag, p.compat_stream());
    auto alloc_lib = plugin_for(reg, STREAM_KIND_ALLOCATOR, p, p.stage("allocator"));
    auto allocator = instantiate<stream_allocator_v1>(alloc_lib, p.stage("allocator"), diag, p.compat_stream());
    r.plugins.push_back(describe_use("allocator", *alloc_lib, allocator->services().config()));
    r.plugins.push_back(describe_use("scheduler", *sched_lib, scheduler->services().config()));

    std::optional<Allocation> searched_allocation;
    toml::table candidate_allocator_table; // the candidates' allocator keys: [allocator] with [search.allocator] over it
    CountingDiagnostics candidate_log;
    if (search.enabled) {
        Stopwatch t_search;
        PluginStage stage = p.stage("search");
        auto explorer_lib = plugin_for(reg, STREAM_KIND_EXPLORER, p, stage);
        auto explorer = instantiate<stream_explorer_v1>(explorer_lib, stage, diag, p.compat_stream());
        r.plugins.push_back(describe_use("search", *explorer_lib, explorer->services().config()));
        // The candidates' allocator and scheduler are instances of their own: the allocator takes
        // [search.allocator]'s keys over the pipeline's, and both log to a counter, since what they
        // say about thousands of candidates would bury the run's own lines.
        PluginStage alloc_stage = p.stage("allocator");
        const toml::table* overrides = stage.table ? stage.table->get_as<toml::table>("allocator") : nullptr;
        if (alloc_stage.table) candidate_allocator_table = *alloc_stage.table;
        if (overrides)
            for (const auto& [key, value] : *overrides) candidate_allocator_table.insert_or_assign(key, value);
        PluginStage merged{"allocator", alloc_stage.plugin, &candidate_allocator_table, alloc_stage.where};
        auto candidate_allocator = instantiate<stream_allocator_v1>(alloc_lib, merged, candidate_log, p.compat_stream());
        auto candidate_scheduler = instantiate<stream_scheduler_v1>(sched_lib, p.stage("scheduler"), candidate_log, p.compat_stream());
        // The mapping as written starts from [search] start_stacks when given (a hand-written mapping
        // the search must not do worse than), else from the default packing.
        const auto start_stacks = stacks_as_written(search, r.workload, r.accelerator, own.stack_of_layer, r.compat_stream);
        MappingSpace space = build_mapping_space(r.workload, mapping, r.accelerator, search, start_stacks, r.compat_stream);
        CandidateInputs ci{&r.workload, &mapping, &r.accelerator, fusion_opts, &of_cores, &models.config_of_core, r.compat_stream,
                           &diag, candidate_allocator.get(), candidate_scheduler.get()};
        r.exploration = explore_mappings(*explorer, ci, std::move(space), search);
        if (r.exploration->interrupted) diag.reset_cancel(); // the chosen mapping is still scheduled and reported
        if (overrides && !overrides->empty()) {
            auto finalist_allocator = instantiate<stream_allocator_v1>(alloc_lib, alloc_stage, candidate_log, p.compat_stream());
            reallocate_finalists(*r.exploration, ci, *finalist_allocator);
        }
        if (candidate_log.count() > 0)
            diag.log(STREAM_LOG_INFO, "host", fmt::format("the candidates' allocator and scheduler reported {} warnings (not shown); "
                                                          "the first: {}", candidate_log.count(), candidate_log.first()));

        // The chosen candidate again, exactly as it was evaluated: its graph, costs and allocation.
        const CandidateRecord& best = r.exploration->best();
        PointMapping pm = apply_point(r.exploration->space, best.point, r.workload, mapping, fusion_opts);
        pm.fusion.star_split_of_layer = best.star_split;
        mapping = std::move(pm.mapping);
        fusion_opts = std::move(pm.fusion);
        FusionResult chosen_fusion = build_cn_graph(r.workload, mapping, r.accelerator, fusion_opts);
        own = ProblemVariant{};
        own.graph = std::move(chosen_fusion.graph);
        own.stack_of_layer = std::move(chosen_fusion.stack_of_layer);
        own.warnings = std::move(chosen_fusion.warnings);
        own.star_split = fusion_opts.star_split_of_layer;
        for (const std::string& warning : own.warnings) diag.log(STREAM_LOG_WARNING, "host", warning);
        own.cost_stats = evaluate_cost_table(own.graph, r.workload, r.accelerator, of_cores, r.compat_stream, diag);
        r.cost_stats = own.cost_stats;
        searched_allocation = best.allocation;
        r.timings.push_back({"search", t_search.seconds()});
    }

    Stopwatch t_alloc;
    RetileInputs inputs{&r.workload, &mapping, &r.accelerator, fusion_opts, &of_cores, &models.config_of_core, r.compat_stream, &diag};
    AllocationServices services(*scheduler, inputs, std::move(own));
    ProblemVariant* chosen = &services.own();
    if (searched_allocation) {
        r.allocation = std::move(*searched_allocation);
        r.evaluations = r.exploration->schedules;
        if (auto why = allocation_problem(chosen->graph, r.workload, r.allocation.unit_core))
            throw Error(ErrorKind::Internal, "the searched mapping's allocation does not fit its rebuilt graph: " + *why);
    } else {
        AllocationOutcome outcome = run_allocator(*allocator, services, r.workload);
        chosen = outcome.chosen;
        r.allocation = std::move(outcome.allocation);
        r.evaluations = services.evaluations();
    }
    if (chosen != &services.own())
        for (const std::string& warning : chosen->warnings)
            if (std::find(services.own().warnings.begin(), services.own().warnings.end(), warning) == services.own().warnings.end())
                diag.log(STREAM_LOG_WARNING, "host", warning);
    r.graph = chosen->graph;
    r.stack_of_layer = chosen->stack_of_layer;
    r.warnings = chosen->warnings;
    r.timings.push_back({"allocation", t_alloc.seconds()});

    Stopwatch t_sched;
    r.schedule = run_scheduler(*scheduler, chosen->view->c(), allocation_view(r.allocation), false);
    r.timings.push_back({"schedule", t_sched.seconds()});
    return r;
}

} // namespace stream
