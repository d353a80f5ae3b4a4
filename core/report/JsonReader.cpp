#include "report/JsonReader.hpp"

#include "error/Error.hpp"

#include <fmt/format.h>

#include <fstream>
#include <sstream>

namespace stream {

JsonReader::JsonReader(const nlohmann::json& j, const std::string& file, std::string path)
    : j_(&j), file_(&file), path_(std::move(path)) {}

std::string JsonReader::describe() const { return path_.empty() ? "the top level" : fmt::format("key '{}'", path_); }

void JsonReader::fail(const std::string& what) const { throw Error(ErrorKind::BadInput, what, SourceLoc{*file_}); }

JsonReader JsonReader::operator[](std::string_view key) const {
    std::string path = path_.empty() ? std::string(key) : fmt::format("{}.{}", path_, key);
    if (!j_->is_object()) fail(fmt::format("{} must be an object with key '{}'", describe(), key));
    auto it = j_->find(key);
    if (it == j_->end()) fail(fmt::format("missing key '{}'", path));
    return JsonReader(*it, *file_, std::move(path));
}

JsonReader JsonReader::operator[](std::size_t index) const {
    if (!j_->is_array()) fail(fmt::format("{} must be an array", describe()));
    if (index >= j_->size()) fail(fmt::format("missing element '{}[{}]'", path_, index));
    return JsonReader((*j_)[index], *file_, fmt::format("{}[{}]", path_, index));
}

bool JsonReader::has(std::string_view key) const { return j_->is_object() && j_->contains(key); }

std::vector<JsonReader> JsonReader::elements() const {
    if (!j_->is_array()) fail(fmt::format("{} must be an array", describe()));
    std::vector<JsonReader> out;
    out.reserve(j_->size());
    for (std::size_t i = 0; i < j_->size(); ++i)
        out.emplace_back((*j_)[i], *file_, fmt::format("{}[{}]", path_, i));
    return out;
}

std::vector<std::pair<std::string, JsonReader>> JsonReader::members() const {
    if (!j_->is_object()) fail(fmt::format("{} must be an object", describe()));
    std::vector<std::pair<std::string, JsonReader>> out;
    for (auto it = j_->begin(); it != j_->end(); ++it)
        out.emplace_back(it.key(), JsonReader(it.value(), *file_, path_.empty() ? it.key() : path_ + "." + it.key()));
    return out;
}

double JsonReader::number() const {
    if (!j_->is_number()) fail(fmt::format("{} must be a number, got {}", describe(), j_->type_name()));
    return j_->get<double>();
}

std::int64_t JsonReader::integer() const {
    if (!j_->is_number_integer()) fail(fmt::format("{} must be an integer, got {}", describe(), j_->type_name()));
    return j_->get<std::int64_t>();
}

bool JsonReader::boolean() const {
    if (!j_->is_boolean()) fail(fmt::format("{} must be true or false, got {}", describe(), j_->type_name()));
    return j_->get<bool>();
}

std::string JsonReader::string() const {
    if (!j_->is_string()) fail(fmt::format("{} must be a string, got {}", describe(), j_->type_name()));
    return j_->get<std::string>();
}

JsonDocument JsonDocument::read(const std::filesystem::path& path) {
    std::error_code ec;
    if (!std::filesystem::is_regular_file(path, ec))
        throw Error(ErrorKind::BadInput,
                    fmt::format("cannot read '{}': {}", path.string(),
                                std::filesystem::exists(path, ec) ? "not a file" : "no such file"));
    std::ifstream in(path, std::ios::binary);
    std::ostringstream text;
    if (!in || !(text << in.rdbuf())) throw Error(ErrorKind::BadInput, fmt::format("cannot read '{}'", path.string()));
    JsonDocument d;
    d.file = path.string();
    try {
        d.root = nlohmann::json::parse(text.str());
    } catch (const nlohmann::json::parse_error& e) {
        // Drop the library's "[json.exception.parse_error.101] " prefix; keep "parse error at line L, column C: ...".
        std::string what = e.what();
        if (auto close = what.find("] "); what.rfind("[json.exception", 0) == 0 && close != std::string::npos)
            what = what.substr(close + 2);
        throw Error(ErrorKind::BadInput, fmt::format("not valid JSON: {}", what), SourceLoc{d.file});
    }
    return d;
}

} // namespace stream
