// An example "vendor" core model in C++20: it knows nothing about dataflow and
// answers from a table of measured costs (CSV: op type, loop sizes, latency,
// energy), the way a vendor ships a calibrated model as a binary plus data.
//
// A computation node (CN) matches the rows of its op type whose loop sizes all
// equal the CN's, except along one dimension (`interpolate`, OY by default),
// along which the cost is interpolated linearly between the two nearest
// measurements. A CN outside the table is refused, with what the table covers.
#include <stream/plugin.hpp>

#include <cstdint>
#include <fstream>
#include <iterator>
#include <map>
#include <sstream>
#include <string>
#include <vector>

namespace {

using stream::sdk::Error;
using stream::sdk::Item;

struct Measurement {
    std::string op_type;
    std::map<std::string, std::int64_t> loop_sizes; // every loop column of the table
    double latency_cycles = 0;
    double energy_pj = 0;
    std::uint32_t line = 0;
};

std::vector<std::string> split(const std::string& line) {
    std::vector<std::string> cells;
    std::stringstream s(line);
    for (std::string cell; std::getline(s, cell, ',');) {
        cell.erase(0, cell.find_first_not_of(" \t\r"));
        cell.erase(cell.find_last_not_of(" \t\r") + 1);
        cells.push_back(cell);
    }
    return cells;
}

double number(const std::string& cell, const std::string& file, std::uint32_t line) {
    std::size_t used = 0;
    double v = 0;
    try {
        v = std::stod(cell, &used);
    } catch (const std::exception&) {
    }
    if (used == 0 || used != cell.size())
        throw Error(STREAM_ERROR_INVALID_INPUT, "'" + cell + "' is not a number", Item::file_at(file, line));
    return v;
}

// Header: op_type, one column per loop dimension, latency_cycles, energy_pj. '#' starts a comment line.
std::vector<Measurement> read_table(const std::string& file) {
    std::ifstream in(file);
    if (!in) throw Error(STREAM_ERROR_INVALID_INPUT, "cannot open the cost table '" + file + "'", Item::config_key("table"));
    std::vector<std::string> header;
    std::vector<Measurement> rows;
    std::uint32_t line_no = 0;
    for (std::string line; std::getline(in, line);) {
        ++line_no;
        if (line.find_first_not_of(" \t\r") == std::string::npos || line[line.find_first_not_of(" \t")] == '#') continue;
        std::vector<std::string> cells = split(line);
        if (header.empty()) {
            if (cells.size() < 4 || cells.front() != "op_type" || cells[cells.size() - 2] != "latency_cycles" || cells.back() != "energy_pj")
                throw Error(STREAM_ERROR_INVALID_INPUT, "the header must be: op_type, <loop dims...>, latency_cycles, energy_pj",
                            Item::file_at(file, line_no));
            header = cells;
            continue;
        }
        if (cells.size() != header.size())
            throw Error(STREAM_ERROR_INVALID_INPUT, "expected " + std::to_string(header.size()) + " cells, got " + std::to_string(cells.size()),
                        Item::file_at(file, line_no));
        Measurement m{cells.front(), {}, number(cells[cells.size() - 2], file, line_no), number(cells.back(), file, line_no), line_no};
        for (std::size_t c = 1; c + 2 < cells.size(); ++c) m.loop_sizes[header[c]] = static_cast<std::int64_t>(number(cells[c], file, line_no));
        rows.push_back(std::move(m));
    }
    if (rows.empty()) throw Error(STREAM_ERROR_INVALID_INPUT, "the cost table has no measurements", Item::file_at(file, line_no));
    return rows;
}

std::string describe(const std::string& op_type, const std::map<std::string, std::int64_t>& sizes) {
    std::string s = op_type;
    for (const auto& entry : sizes) s += " " + entry.first + "=" + std::to_string(entry.second);
    return s;
}

class VendorLut {
public:
    static constexpr stream_plugin_kind kind = STREAM_KIND_CORE_MODEL;
    // Instances only read their table after construction, so the host may evaluate CNs in parallel.
    static constexpr stream::sdk::Info info{"vendor_lut", "Measured-cost table (SDK example)", "1.0.0",
                                            "Costs from a CSV of measurements, interpolated along one loop dimension.",
                                            STREAM_PLUGIN_THREAD_SAFE};
    static constexpr stream_config_key keys[] = {
        // Not STREAM_KEY_REQUIRED: the host checks a core type's [model] table against these keys too,
        // and the table is given once, in [cost]; the constructor reports it missing.
        stream::sdk::key("table", STREAM_VALUE_PATH, nullptr, nullptr,
                         "CSV of measured costs: op_type, loop dims..., latency_cycles, energy_pj (required)."),
        stream::sdk::key("interpolate", STREAM_VALUE_STRING, "\"OY\"", nullptr,
                         "The loop dimension along which costs are interpolated between measurements."),
    };

    explicit VendorLut(stream::sdk::Host host)
        : table_file_(host.config().get_string("table")), along_(host.config().get_string("interpolate")),
          rows_(read_table(table_file_)) {}

    stream::sdk::CostResult evaluate(const stream_core_v1& core, const stream_cn_v1& cn) const {
        std::map<std::string, std::int64_t> shape; // the CN's sizes in the table's loop columns
        for (std::uint32_t i = 0; i < cn.layer.loop_dim_count; ++i) {
            const stream_loop_dim_v1& d = *STREAM_AT(stream_loop_dim_v1, cn.layer.loop_dims, i);
            shape[d.name] = d.size;
        }
        std::string op_type(stream::sdk::str(cn.layer.op_type));
        Item where = Item::core(core.id, std::string(stream::sdk::str(core.name)));
        for (const auto& entry : shape)
            if (entry.second != 1 && !rows_.front().loop_sizes.count(entry.first))
                throw Error(STREAM_ERROR_UNSUPPORTED, "the cost table has no column for loop dimension " + entry.first + " of " +
                                                          describe(op_type, shape), where);

        // The measurements of this shape, by their size along the interpolated dimension.
        std::map<std::int64_t, const Measurement*> along;
        for (const Measurement& m : rows_) {
            bool same = m.op_type == op_type;
            for (const auto& entry : m.loop_sizes)
                if (entry.first != along_) same = same && (shape.count(entry.first) ? shape.at(entry.first) : 1) == entry.second;
            if (same) along[m.loop_sizes.count(along_) ? m.loop_sizes.at(along_) : 1] = &m;
        }
        std::int64_t x = shape.count(along_) ? shape.at(along_) : 1;
        if (along.empty())
            throw Error(STREAM_ERROR_UNSUPPORTED, "no measurement of " + describe(op_type, shape) + " in " + table_file_ +
                                                      " (whatever its " + along_ + ")", where);
        if (x < along.begin()->first || x > along.rbegin()->first)
            throw Error(STREAM_ERROR_UNSUPPORTED, describe(op_type, shape) + " is outside " + table_file_ + ": it has " + along_ + " " +
                                                      std::to_string(along.begin()->first) + ".." + std::to_string(along.rbegin()->first) +
                                                      " for this shape", where);

        auto hi = along.lower_bound(x); // first measurement at or above x
        auto lo = hi->first == x ? hi : std::prev(hi);
        double t = hi == lo ? 0.0 : static_cast<double>(x - lo->first) / static_cast<double>(hi->first - lo->first);
        stream::sdk::CostResult r;
        r.cost.latency_cycles = lo->second->latency_cycles + t * (hi->second->latency_cycles - lo->second->latency_cycles);
        r.cost.energy_pj = lo->second->energy_pj + t * (hi->second->energy_pj - lo->second->energy_pj);
        r.cost.latency_no_offload_cycles = r.cost.latency_cycles;
        r.cost.mac_energy_pj = r.cost.energy_pj;
        r.mapping_text = hi == lo ? "measured: " + table_file_ + " line " + std::to_string(lo->second->line)
                                  : "interpolated along " + along_ + " between " + table_file_ + " lines " +
                                        std::to_string(lo->second->line) + " and " + std::to_string(hi->second->line);
        return r;
    }

private:
    std::string table_file_;
    std::string along_;
    std::vector<Measurement> rows_;
};

} // namespace

STREAM_DSE_PLUGIN(VendorLut)
