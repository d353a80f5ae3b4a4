// Reading a JSON file the tool wrote (results.json) back, with errors that
// name the file and the full key path ("schedule.cns[3].end_cycle"), so a
// hand-edited or truncated file is reported precisely instead of as a
// library exception.
#pragma once

#include <nlohmann/json.hpp>

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace stream {

/// A view of one value inside a parsed file; every accessor throws stream::Error
/// (BadInput) "FILE: missing key 'a.b[2].c'" or "FILE: key 'x' must be a number".
class JsonReader {
  public:
    /// `j` and `file` must outlive the reader and every reader made from it.
    JsonReader(const nlohmann::json& j, const std::string& file, std::string path = {});

    JsonReader operator[](std::string_view key) const;
    JsonReader operator[](std::size_t index) const;
    bool has(std::string_view key) const;
    /// Elements of an array (throws when this is not an array).
    std::vector<JsonReader> elements() const;
    /// Members of an object in the file's key order (throws when this is not an object).
    std::vector<std::pair<std::string, JsonReader>> members() const;

    double number() const;
    std::int64_t integer() const;
    bool boolean() const;
    std::string string() const;

    const nlohmann::json& json() const { return *j_; }
    const std::string& path() const { return path_; }
    const std::string& file() const { return *file_; }

  private:
    [[noreturn]] void fail(const std::string& what) const;
    std::string describe() const; ///< "key 'a.b'" or "the top level"
    const nlohmann::json* j_;
    const std::string* file_;
    std::string path_;
};

/// A parsed JSON file and its name, for JsonReader.
struct JsonDocument {
    std::string file;
    nlohmann::json root;

    /// Throws stream::Error (BadInput) when the file is missing, unreadable or not JSON.
    static JsonDocument read(const std::filesystem::path& path);
    JsonReader reader() const { return JsonReader(root, file); }
};

} // namespace stream
