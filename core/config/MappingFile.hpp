// Reads a mapping file: TOML (below), or Stream's mapping YAML (a list of
// entries with name, core_allocation, core_allocation_is_fixed,
// intra_core_tiling and inter_core_tiling), chosen by the file's extension.
//
//   [default]
//   cores = [0, 1, 2, 3]
//   intra_core_tiling = [["OY", "all"]]   # split OY into one tile per row
//   inter_core_tiling = [["K", "*"]]      # split K over the cores the layer gets
//   [op_types.MaxPool]
//   cores = [4]
//   [layers."/layer3/layer3.0/conv2/Conv"]
//   cores = [1, 2]
//   fixed = true                          # tile group i runs on cores[i]
//
// A factor is a positive integer, "all" (one tile per iteration) or, in
// inter_core_tiling, "*". Stream's "DIM, factor" strings are accepted too.
#pragma once

#include "ir/Accelerator.hpp"
#include "ir/Mapping.hpp"

#include <filesystem>
#include <string_view>

namespace stream {

/// Core ids are checked against `acc`: they must exist and be compute cores.
Mapping load_mapping(const std::filesystem::path& file, const Accelerator& acc);

/// "OY, all" / "K, 4" / "K, *" (Stream's notation); `inter` allows "*".
TilingFactor parse_tiling_text(std::string_view text, bool inter, const SourceLoc& where, std::string_view key);

/// Checks a candidate core id against the accelerator.
void check_mapping_core(std::int64_t core, const Accelerator& acc, const SourceLoc& where, std::string_view key);

} // namespace stream
