// Writing an output file so that a reader never sees half of it: the text goes
// to a temporary file beside it first and is renamed over the target only once complete.
#pragma once

#include <filesystem>
#include <string_view>

namespace stream {

/// Writes `content` to `path` atomically; on failure removes the temporary file
/// and throws stream::Error (BadInput) naming the file.
void write_file_atomically(const std::filesystem::path& path, std::string_view content);

/// Creates `dir` (and its parents) if needed; throws stream::Error (BadInput) naming it.
void create_output_dir(const std::filesystem::path& dir);

} // namespace stream
