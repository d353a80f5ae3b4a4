#include "import/YamlFile.hpp"

#include <fmt/format.h>

namespace stream {

SourceLoc yaml_location(const std::string& file, const YAML::Node& node) {
    if (!node.IsDefined()) return SourceLoc{file, 0, 0};
    YAML::Mark m = node.Mark();
    if (m.is_null()) return SourceLoc{file, 0, 0};
    return SourceLoc{file, static_cast<std::uint32_t>(m.line + 1), static_cast<std::uint32_t>(m.column + 1)};
}

YamlDoc load_yaml_file(const std::filesystem::path& path) {
    YamlDoc doc{path.string(), {}};
    std::error_code ec;
    if (!std::filesystem::is_regular_file(path, ec))
        fail_input(SourceLoc{doc.file}, std::filesystem::is_directory(path, ec) ? "is a directory, not a YAML file" : "no such YAML file");
    try {
        doc.root = YAML::LoadFile(path.string());
    } catch (const YAML::ParserException& e) {
        fail_input(SourceLoc{doc.file, static_cast<std::uint32_t>(e.mark.line + 1), static_cast<std::uint32_t>(e.mark.column + 1)},
                   fmt::format("YAML syntax error: {}", e.msg));
    } catch (const YAML::Exception& e) {
        fail_input(SourceLoc{doc.file}, fmt::format("cannot read YAML: {}", e.what()));
    }
    return doc;
}

} // namespace stream
