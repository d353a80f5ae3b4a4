#include "OnnxModelReader.hpp"

#include "OperatorRegistry.hpp"

#include <stream/plugin.hpp>

#include <onnx/defs/parser.h>
#include <onnx/shape_inference/implementation.h>

#include <cerrno>
#include <cstdlib>
#include <sys/wait.h>
#include <unistd.h>
#include <algorithm>
#include <cctype>
#include <deque>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <limits>
#include <map>
#include <set>

namespace stream::onnx_frontend {

namespace {

namespace fs = std::filesystem;

[[noreturn]] void fail_file(const std::string& path, stream_status status, const std::string& message) {
    throw sdk::Error(status, message, sdk::Item::file_at(path, 0));
}

std::string lower_extension(const std::string& path) {
    std::string ext = fs::path(path).extension().string();
    std::transform(ext.begin(), ext.end(), ext.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return ext;
}

/// ONNX text models start with the '<' of their header, after blanks and '#' comments.
bool starts_like_onnx_text(const std::string& bytes) {
    std::size_t i = 0;
    while (i < bytes.size()) {
        const unsigned char c = static_cast<unsigned char>(bytes[i]);
        if (std::isspace(c)) { ++i; continue; }
        if (c == '#') {
            while (i < bytes.size() && bytes[i] != '\n') ++i;
            continue;
        }
        return c == '<';
    }
    return false;
}

bool mostly_printable(const std::string& bytes) {
    const std::size_t n = std::min<std::size_t>(bytes.size(), 4096);
    std::size_t printable = 0;
    for (std::size_t i = 0; i < n; ++i) {
        const unsigned char c = static_cast<unsigned char>(bytes[i]);
        if (std::isprint(c) || std::isspace(c)) ++printable;
    }
    return n > 0 && printable == n;
}

std::string read_bytes(const std::string& path, std::size_t limit = std::string::npos) {
    std::ifstream in(path, std::ios::binary);
    if (!in) fail_file(path, STREAM_ERROR_INVALID_INPUT, "cannot open ONNX file '" + path + "'");
    std::string bytes;
    if (limit == std::string::npos) {
        bytes.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
    } else {
        bytes.resize(limit);
        in.read(bytes.data(), static_cast<std::streamsize>(limit));
        bytes.resize(static_cast<std::size_t>(in.gcount()));
    }
    if (in.bad()) fail_file(path, STREAM_ERROR_INVALID_INPUT, "cannot read ONNX file '" + path + "'");
    return bytes;
}

/// A binary protobuf parse succeeds on many byte strings, so a model also has to
/// look like one: a graph, an IR version and an opset.
void check_is_model(const ::onnx::ModelProto& model, const std::string& origin) {
    std::string missing;
    if (model.ir_version() <= 0) missing = "ir_version";
    else if (model.opset_import_size() == 0) missing = "opset_import";
    else if (!model.has_graph()) missing = "graph";
    else if (model.graph().output_size() == 0) missing = "graph outputs";
    if (!missing.empty())
        fail_file(origin, STREAM_ERROR_INVALID_INPUT,
                  "'" + origin + "' is not a complete ONNX model (no " + missing + "); the file is truncated, corrupt or not ONNX");
}

std::set<std::string> initializer_names(const ::onnx::GraphProto& graph) {
    std::set<std::string> names;
    for (const auto& t : graph.initializer()) names.insert(t.name());
    for (const auto& t : graph.sparse_initializer()) names.insert(t.values().name());
    return names;
}

std::string shape_text(const ::onnx::TensorShapeProto& shape) {
    std::string s;
    for (int i = 0; i < shape.dim_size(); ++i) {
        if (i) s += "x";
        const auto& d = shape.dim(i);
        s += d.has_dim_value() ? std::to_string(d.dim_value()) : d.has_dim_param() ? d.dim_param() : "?";
    }
    return s.empty() ? "scalar" : s;
}

void apply_input_shapes(::onnx::GraphProto& graph, const ConversionOptions& options, const std::string& origin) {
    const std::set<std::string> constants = initializer_names(graph);
    for (const auto& [input_name, dims] : options.input_shapes) {
        const std::string& name = input_name; // clang 14 cannot capture a structured binding
        auto it = std::find_if(graph.mutable_input()->begin(), graph.mutable_input()->end(),
                               [&](const ::onnx::ValueInfoProto& v) { return v.name() == name; });
        if (it == graph.mutable_input()->end() || constants.count(name)) {
            std::string known;
            for (const auto& v : graph.input())
                if (!constants.count(v.name())) known += (known.empty() ? "'" : ", '") + v.name() + "'";
            throw sdk::Error(STREAM_ERROR_INVALID_CONFIG,
                             "input_shapes names '" + name + "', which is not a graph input of '" + origin +
                                 "' (inputs: " + (known.empty() ? "none" : known) + ")",
                             sdk::Item::config_key("input_shapes"));
        }
        auto* tensor_type = it->mutable_type()->mutable_tensor_type();
        auto* shape = tensor_type->mutable_shape();
        if (tensor_type->has_shape() && shape->dim_size() != 0 && shape->dim_size() != static_cast<int>(dims.size()))
            throw sdk::Error(STREAM_ERROR_INVALID_CONFIG,
                             "input_shapes gives '" + name + "' " + std::to_string(dims.size()) + " dimensions, but the model's input has " +
                                 std::to_string(shape->dim_size()) + " (" + shape_text(*shape) + ")",
                             sdk::Item::config_key("input_shapes"));
        shape->clear_dim();
        for (std::int64_t d : dims) shape->add_dim()->set_dim_value(d);
    }
}

void reject_dynamic_inputs(const ::onnx::GraphProto& graph, const std::string& origin) {
    const std::set<std::string> constants = initializer_names(graph);
    for (const auto& input : graph.input()) {
        if (constants.count(input.name()) || !input.type().has_tensor_type()) continue;
        const auto& tensor_type = input.type().tensor_type();
        if (!tensor_type.has_shape())
            fail_file(origin, STREAM_ERROR_INVALID_INPUT,
                      "graph input '" + input.name() + "' has no shape; give it with input_shapes = \"" + input.name() + "=1x...\"");
        std::string example; // the shape with every unknown dimension replaced by 1
        int first_unknown = -1;
        for (int i = 0; i < tensor_type.shape().dim_size(); ++i) {
            const auto& d = tensor_type.shape().dim(i);
            const bool known = d.has_dim_value() && d.dim_value() > 0;
            if (i) example += 'x';
            example += known ? std::to_string(d.dim_value()) : std::string("1");
            if (!known && first_unknown < 0) first_unknown = i;
        }
        if (first_unknown < 0) continue;
        const auto& d = tensor_type.shape().dim(first_unknown);
        const std::string what = d.has_dim_param() ? "symbolic dimension '" + d.dim_param() + "'" : "unknown dimension";
        fail_file(origin, STREAM_ERROR_INVALID_INPUT,
                  origin + ": graph input '" + input.name() + "' has a " + what + " at axis " + std::to_string(first_unknown) +
                      " (shape " + shape_text(tensor_type.shape()) + "); fix it in the frontend's config, e.g. input_shapes = \"" +
                      input.name() + "=" + example + "\"");
    }
}

bool has_full_shape(const ::onnx::TypeProto& type) {
    if (!type.has_tensor_type() || !type.tensor_type().has_shape()) return false;
    for (const auto& d : type.tensor_type().shape().dim())
        if (!d.has_dim_value()) return false;
    return true;
}

/// Gives the outputs of shape-preserving ops that the schema registry does not know
/// (Silu, or Gelu before opset 20, often exported in a custom domain) their input's
/// type, so inference can continue past them. Returns whether anything changed.
bool fill_shape_preserving_outputs(::onnx::GraphProto& graph) {
    std::map<std::string, const ::onnx::TypeProto*> known;
    for (const auto& v : graph.input()) known[v.name()] = &v.type();
    for (const auto& v : graph.value_info()) known[v.name()] = &v.type();
    for (const auto& v : graph.output()) known[v.name()] = &v.type();
    std::deque<std::pair<std::string, ::onnx::TypeProto>> additions; // stable addresses: `known` points into it
    for (const auto& node : graph.node()) {
        if (!preserves_shape(node.op_type()) || node.input_size() == 0 || node.output_size() == 0) continue;
        auto in = known.find(node.input(0));
        if (in == known.end() || !has_full_shape(*in->second)) continue;
        auto out = known.find(node.output(0));
        if (out != known.end() && has_full_shape(*out->second)) continue;
        ::onnx::TypeProto type = *in->second;
        if (out != known.end() && out->second->has_tensor_type() && out->second->tensor_type().elem_type() != 0)
            type.mutable_tensor_type()->set_elem_type(out->second->tensor_type().elem_type());
        additions.emplace_back(node.output(0), std::move(type));
        known[node.output(0)] = &additions.back().second;
    }
    for (auto& [output_name, type] : additions) {
        const std::string& name = output_name; // clang 14 cannot capture a structured binding
        auto* target = [&]() -> ::onnx::ValueInfoProto* {
            for (auto& v : *graph.mutable_output())
                if (v.name() == name) return &v;
            for (auto& v : *graph.mutable_value_info())
                if (v.name() == name) return &v;
            auto* v = graph.add_value_info();
            v->set_name(name);
            return v;
        }();
        *target->mutable_type() = type;
    }
    return !additions.empty();
}

// libonnx 1.12's shape inference divides by these attributes without checking them
// (a MaxPool with strides = [0, 2] dies of SIGFPE inside convPoolShapeInference, found
// by the fuzz target), so they are checked before it runs. Nodes of subgraphs too.
void reject_attributes_shape_inference_divides_by(const ::onnx::GraphProto& graph, const std::string& origin) {
    for (const ::onnx::NodeProto& node : graph.node()) {
        for (const ::onnx::AttributeProto& a : node.attribute()) {
            if (a.has_g()) reject_attributes_shape_inference_divides_by(a.g(), origin);
            for (const auto& g : a.graphs()) reject_attributes_shape_inference_divides_by(g, origin);
            const std::string& n = a.name();
            if (n != "strides" && n != "dilations" && n != "kernel_shape" && n != "group" && n != "blocksize") continue;
            bool bad = a.has_i() ? a.i() <= 0 : false;
            for (std::int64_t v : a.ints()) bad = bad || v <= 0;
            if (bad) {
                std::string name = node.name().empty() ? (node.output_size() ? node.output(0) : std::string{"?"}) : node.name();
                throw sdk::Error(STREAM_ERROR_INVALID_INPUT,
                                 origin + ": node '" + name + "' (" + node.op_type() + "): attribute '" + n +
                                     "' must be positive",
                                 sdk::Item::layer(-1, name));
            }
        }
    }
}

// libonnx 1.12's convPoolShapeInference also indexes the input and weight shapes with
// the kernel rank without checking it (an input of rank 3 with 4-D weights reads out of
// bounds; found by the fuzz target). Ranks known before inference (graph inputs,
// initializers, and what flows through Conv, pooling and shape-preserving ops from them)
// are checked here; a rank that only inference could tell is left to it.
void reject_conv_rank_mismatches(const ::onnx::GraphProto& graph, const std::string& origin) {
    std::map<std::string, int> rank;
    auto record = [&](const ::onnx::ValueInfoProto& v) {
        if (v.type().has_tensor_type() && v.type().tensor_type().has_shape())
            rank[v.name()] = v.type().tensor_type().shape().dim_size();
    };
    for (const auto& v : graph.input()) record(v);
    for (const auto& v : graph.value_info()) record(v);
    for (const auto& t : graph.initializer()) rank[t.name()] = t.dims_size();
    auto rank_of = [&](const ::onnx::NodeProto& n, int i) -> int {
        if (i >= n.input_size()) return -1;
        auto it = rank.find(n.input(i));
        return it == rank.end() ? -1 : it->second;
    };
    static const std::set<std::string> conv_pool = {"Conv", "ConvTranspose", "MaxPool", "AveragePool", "LpPool",
                                                   "GlobalAveragePool", "GlobalMaxPool", "GlobalLpPool"};
    for (const ::onnx::NodeProto& node : graph.node()) {
        const int x = rank_of(node, 0);
        if (conv_pool.count(node.op_type()) && x >= 0) {
            const std::string name = node.name().empty() ? (node.output_size() ? node.output(0) : std::string{"?"}) : node.name();
            auto fail = [&](const std::string& what) {
                throw sdk::Error(STREAM_ERROR_INVALID_INPUT, origin + ": node '" + name + "' (" + node.op_type() + "): " + what,
                                 sdk::Item::layer(-1, name));
            };
            if (x < 3) fail("its input has rank " + std::to_string(x) + "; it needs batch, channel and at least one spatial axis");
            const int w = (node.op_type() == "Conv" || node.op_type() == "ConvTranspose") ? rank_of(node, 1) : -1;
            if (w >= 0 && w != x)
                fail("input rank " + std::to_string(x) + " and weight rank " + std::to_string(w) + " differ");
            for (const ::onnx::AttributeProto& a : node.attribute()) {
                const int spatial = x - 2;
                if ((a.name() == "kernel_shape" || a.name() == "strides" || a.name() == "dilations") && a.ints_size() != spatial)
                    fail("attribute '" + a.name() + "' has " + std::to_string(a.ints_size()) + " values for " +
                         std::to_string(spatial) + " spatial axes");
                if (a.name() == "pads" && a.ints_size() != 2 * spatial)
                    fail("attribute 'pads' has " + std::to_string(a.ints_size()) + " values for " + std::to_string(spatial) +
                         " spatial axes (begin and end per axis)");
            }
            if (node.output_size() > 0) rank[node.output(0)] = x;
        } else if (x >= 0 && node.output_size() == 1 && preserves_shape(node.op_type())) {
            rank[node.output(0)] = x;
        }
    }
}

// Shape inference proper, in whatever process runs it. Throws std::exception on
// models libonnx rejects cleanly.
void run_shape_inference(::onnx::ModelProto& model) {
    // Data propagation lets Shape -> Gather -> Reshape chains resolve to numbers.
    const ::onnx::ShapeInferenceOptions lenient{false, 0, true};
    ::onnx::shape_inference::InferShapes(model, ::onnx::OpSchemaRegistry::Instance(), lenient);
    // Each round passes at least one more shape-preserving node; the node count bounds it.
    for (int round = 0; round < model.graph().node_size() && fill_shape_preserving_outputs(*model.mutable_graph()); ++round)
        ::onnx::shape_inference::InferShapes(model, ::onnx::OpSchemaRegistry::Instance(), lenient);
}

bool write_all(int fd, const char* data, std::size_t size) {
    while (size > 0) {
        ssize_t n = ::write(fd, data, size);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return false;
        data += n;
        size -= static_cast<std::size_t>(n);
    }
    return true;
}

// libonnx 1.12 trusts the model more than a tool reading users' files can: malformed
// Conv/pool nodes whose shapes only inference reveals (a Flatten feeding a Conv, found
// by the fuzz target) make it divide by zero or read out of bounds. So inference runs
// in a child process: a crash there becomes an error naming the file instead of taking
// the host down. The child touches only the model it was given and leaves with _exit.
void infer_shapes_isolated(::onnx::ModelProto& model, const std::string& origin) {
    int fds[2];
    if (::pipe(fds) != 0) fail_file(origin, STREAM_ERROR_INTERNAL, "cannot create a pipe for shape inference");
    const pid_t pid = ::fork();
    if (pid < 0) {
        ::close(fds[0]);
        ::close(fds[1]);
        fail_file(origin, STREAM_ERROR_INTERNAL, "cannot fork for shape inference");
    }
    if (pid == 0) {
        ::close(fds[0]);
        std::string out;
        char status = 0;
        try {
            run_shape_inference(model);
            model.SerializeToString(&out);
        } catch (const std::exception& e) {
            status = 1;
            out = e.what();
        }
        bool ok = write_all(fds[1], &status, 1) && write_all(fds[1], out.data(), out.size());
        ::close(fds[1]);
        ::_exit(ok ? 0 : 1);
    }
    ::close(fds[1]);
    std::string in;
    char buffer[65536];
    for (;;) {
        ssize_t n = ::read(fds[0], buffer, sizeof buffer);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) break;
        in.append(buffer, static_cast<std::size_t>(n));
    }
    ::close(fds[0]);
    int wstatus = 0;
    while (::waitpid(pid, &wstatus, 0) < 0 && errno == EINTR) {
    }
    if (WIFSIGNALED(wstatus))
        fail_file(origin, STREAM_ERROR_INVALID_INPUT,
                  "ONNX shape inference crashed on '" + origin + "' (signal " + std::to_string(WTERMSIG(wstatus)) +
                      "): the model is malformed in a way onnx's own checks miss (look for Conv or pooling nodes "
                      "whose input ranks, kernel shapes, strides or pads do not fit)");
    if (!WIFEXITED(wstatus) || WEXITSTATUS(wstatus) != 0 || in.empty())
        fail_file(origin, STREAM_ERROR_INTERNAL, "shape inference of '" + origin + "' failed to report back");
    if (in[0] != 0) fail_file(origin, STREAM_ERROR_INVALID_INPUT, "shape inference failed on '" + origin + "': " + in.substr(1));
    if (!model.ParseFromArray(in.data() + 1, static_cast<int>(in.size() - 1)))
        fail_file(origin, STREAM_ERROR_INTERNAL, "shape inference of '" + origin + "' returned an unreadable model");
}

// Threads of this process, from /proc/self/status (0 when it cannot be read).
int thread_count() {
    std::ifstream status("/proc/self/status");
    for (std::string line; std::getline(status, line);)
        if (line.rfind("Threads:", 0) == 0) return std::atoi(line.c_str() + 8);
    return 0;
}

void infer_shapes(::onnx::ModelProto& model, const std::string& origin) {
    // Cheap checks with precise messages first; isolation catches what they cannot see.
    reject_attributes_shape_inference_divides_by(model.graph(), origin);
    reject_conv_rank_mismatches(model.graph(), origin);
    // A forked child inherits every lock other threads held at the fork (the allocator's under
    // AddressSanitizer, protobuf's descriptor pool), so in a multithreaded host (a sweep running
    // points in parallel) the child can wait forever. There, inference runs in-process, guarded by
    // the checks above; a single-threaded host (a run, the fuzzers) keeps the isolation.
    // STREAM_DSE_ISOLATE_SHAPE_INFERENCE forces the child (the fuzz test sets it: libFuzzer runs a
    // watchdog thread of its own, and its regression seeds crash libonnx in-process).
    if (thread_count() == 1 || std::getenv("STREAM_DSE_ISOLATE_SHAPE_INFERENCE")) return infer_shapes_isolated(model, origin);
    try {
        run_shape_inference(model);
    } catch (const std::exception& e) {
        fail_file(origin, STREAM_ERROR_INVALID_INPUT, "shape inference failed on '" + origin + "': " + e.what());
    }
}

} // namespace

bool looks_like_onnx(const std::string& path) {
    const std::string ext = lower_extension(path);
    if (ext == ".onnx" || ext == ".onnxtxt") return true;
    std::error_code ec;
    if (!fs::is_regular_file(path, ec)) return false;
    try {
        return starts_like_onnx_text(read_bytes(path, 4096));
    } catch (...) {
        return false;
    }
}

::onnx::ModelProto parse_onnx_text(const std::string& text, const std::string& origin) {
    ::onnx::ModelProto model;
    try {
        const auto status = ::onnx::OnnxParser::Parse(model, text.c_str());
        if (!status.IsOK())
            fail_file(origin, STREAM_ERROR_INVALID_INPUT, "'" + origin + "' is not valid ONNX text: " + status.ErrorMessage());
    } catch (const sdk::Error&) {
        throw;
    } catch (const std::exception& e) {
        fail_file(origin, STREAM_ERROR_INVALID_INPUT, "'" + origin + "' is not valid ONNX text: " + e.what());
    }
    check_is_model(model, origin);
    return model;
}

void prepare_onnx_model(::onnx::ModelProto& model, const ConversionOptions& options, const std::string& origin) {
    apply_input_shapes(*model.mutable_graph(), options, origin);
    reject_dynamic_inputs(model.graph(), origin);
    infer_shapes(model, origin);
}

::onnx::ModelProto read_onnx_model(const std::string& path, const ConversionOptions& options) {
    std::error_code ec;
    if (!fs::exists(path, ec)) fail_file(path, STREAM_ERROR_INVALID_INPUT, "ONNX file '" + path + "' does not exist");
    if (fs::is_directory(path, ec)) fail_file(path, STREAM_ERROR_INVALID_INPUT, "'" + path + "' is a directory, not an ONNX file");
    const std::string bytes = read_bytes(path);
    if (bytes.empty()) fail_file(path, STREAM_ERROR_INVALID_INPUT, "ONNX file '" + path + "' is empty");

    const std::string ext = lower_extension(path);
    ::onnx::ModelProto model;
    if (ext == ".onnxtxt" || ext == ".txt" || starts_like_onnx_text(bytes)) {
        model = parse_onnx_text(bytes, path);
    } else {
        if (bytes.size() > static_cast<std::size_t>(std::numeric_limits<int>::max()))
            fail_file(path, STREAM_ERROR_UNSUPPORTED, "'" + path + "' is larger than 2 GiB; models with external data are read without it");
        if (!model.ParseFromArray(bytes.data(), static_cast<int>(bytes.size()))) {
            const std::string why = mostly_printable(bytes) ? "it is a text file, not a binary ONNX model"
                                                            : "the protobuf data is truncated or corrupt";
            fail_file(path, STREAM_ERROR_INVALID_INPUT, "cannot read '" + path + "' as ONNX: " + why);
        }
        check_is_model(model, path);
    }
    prepare_onnx_model(model, options, path);
    return model;
}

} // namespace stream::onnx_frontend
