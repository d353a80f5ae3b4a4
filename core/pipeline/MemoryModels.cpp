#include "pipeline/MemoryModels.hpp"

#include "config/PluginConfig.hpp"
#include "config/TomlFile.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

namespace stream {

std::shared_ptr<const PluginLibrary> PluginMemoryModels::library(const std::string& model, const SourceLoc& where) const {
    if (auto lib = registry_.find(STREAM_KIND_MEMORY_MODEL, model)) return lib;
    try {
        registry_.get(STREAM_KIND_MEMORY_MODEL, model);
    } catch (const Error& e) {
        throw Error(ErrorKind::BadInput, fmt::format("key 'model': {}", e.message()), where);
    }
    return nullptr; // unreachable: get() throws when find() found nothing
}

std::vector<ConfigKey> PluginMemoryModels::keys_of(const std::string& model, const SourceLoc& where) const {
    return library(model, where)->info().keys;
}

namespace {

void capture(void* ctx, const stream_memory_costs_v1* c) {
    auto& out = *static_cast<std::optional<MemoryCosts>*>(ctx);
    if (!c || c->struct_size < offsetof(stream_memory_costs_v1, source) + sizeof(c->source)) return;
    out = MemoryCosts{c->read_energy_pj, c->write_energy_pj, c->read_bw_bits_per_cycle, c->write_bw_bits_per_cycle,
                      c->area_mm2,       c->leakage_mw,      c->latency_cycles,         c->source ? c->source : ""};
}

} // namespace

MemoryCosts PluginMemoryModels::describe(const std::string& model, const MemorySpec& spec, const toml::table& entry,
                                         const std::vector<std::string>& host_keys, const std::string& context) const {
    auto lib = library(model, location_of(entry, "model"));
    // The entry's keys (minus the host's) are validated against the model's declared keys, with their locations.
    PluginConfig entry_config(&entry, location_of(entry), lib->info().keys, context, host_keys);
    std::lock_guard lock(mutex_);
    auto it = instances_.find(model);
    if (it == instances_.end()) {
        auto cfg = std::make_unique<PluginConfig>(nullptr, location_of(entry), lib->info().keys, "memory_model");
        it = instances_.emplace(model, std::make_unique<PluginInstance<stream_memory_model_v1>>(lib, std::move(cfg), diag_)).first;
    }
    stream_memory_spec_v1 c{};
    c.struct_size = sizeof c;
    c.name = spec.name.c_str();
    c.size_bits = spec.size_bits;
    c.word_bits = spec.word_bits;
    c.read_ports = spec.read_ports;
    c.write_ports = spec.write_ports;
    c.read_write_ports = spec.read_write_ports;
    c.technology_nm = spec.technology_nm;
    c.model_config = entry_config.c_view();
    std::optional<MemoryCosts> out;
    stream_memory_costs_sink_v1 sink{sizeof sink, &out, &capture};
    try {
        it->second->call("describe", [&](const stream_memory_model_v1& vt, void* h) { return vt.describe(h, &c, &sink); });
    } catch (const Error& e) {
        // A key-specific complaint already points at the key; otherwise point at the entry's model key.
        if (e.where().known()) throw Error(e.kind(), fmt::format("memory '{}': {}", spec.name, e.message()), e.where());
        throw Error(e.kind(), fmt::format("memory '{}': {}", spec.name, e.message()), location_of(entry, "model"));
    }
    if (!out)
        throw Error(ErrorKind::Plugin, fmt::format("{} returned success for memory '{}' without submitting costs",
                                                   lib->describe(), spec.name));
    return *out;
}

} // namespace stream
