// ZigZag/Stream layer equations, e.g. "O[b][k][oy][ox]+=W[k][c][fy][fx]*I[b][c][iy][ix]"
// (zigzag.md §1.1): the output first, then `=` or `+=`, then the inputs joined by `*`
// (a multiply-accumulate) or `+` (an element-wise sum). Index letters are upper-cased.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace stream::yaml_frontend {

struct EquationOperand {
    std::string name;                 ///< as written: "O", "W", "I", ...
    std::vector<std::string> indices; ///< upper-cased: {"B", "K", "OY", "OX"}
};

struct Equation {
    EquationOperand output;
    std::vector<EquationOperand> inputs; ///< in the order written
    bool accumulates = false;            ///< "+=" rather than "="
    char combiner = '*';                 ///< '*' or '+' between the inputs ('*' when there is one input)

    /// All operands, output first (ZigZag's layer_operands order).
    std::vector<const EquationOperand*> operands() const;
};

/// Parses `text`; whitespace between tokens is ignored. Throws ParseError with a
/// message that quotes the offending position.
Equation parse_equation(std::string_view text);

/// Upper-cases ASCII letters ("oy" -> "OY").
std::string upper(std::string_view text);

} // namespace stream::yaml_frontend
