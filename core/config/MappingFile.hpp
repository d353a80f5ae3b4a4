// Reads a mapping TOML file: candidate cores per layer name, op type or default.
//
//   [default]
//   cores = [0, 1]
//   [op_types.MaxPool]
//   cores = [2]
//   [layers.conv1]
//   cores = [1]
#pragma once

#include "ir/Accelerator.hpp"
#include "ir/Mapping.hpp"

#include <filesystem>

namespace stream {

/// Core ids are checked against `acc`: they must exist and be compute cores.
Mapping load_mapping(const std::filesystem::path& file, const Accelerator& acc);

} // namespace stream
