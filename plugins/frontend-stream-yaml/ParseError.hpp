// The error the string parsers (equations, dimension relations) throw; the
// workload reader turns it into an sdk::Error that names the file and layer.
#pragma once

#include <stdexcept>
#include <string>

namespace stream::yaml_frontend {

class ParseError : public std::runtime_error {
public:
    explicit ParseError(const std::string& message) : std::runtime_error(message) {}
};

} // namespace stream::yaml_frontend
