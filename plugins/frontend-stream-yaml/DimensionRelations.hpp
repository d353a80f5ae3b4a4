// ZigZag dimension relations, e.g. "ix=2*ox+1*fx" (zigzag.md §1.1): a tensor index
// defined as a weighted sum of loop dims. The coefficient of the output dim is the
// stride, that of the filter dim the dilation; a missing coefficient is 1.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace stream::yaml_frontend {

struct RelationTerm {
    std::string dim;          ///< upper-cased loop dim, "OX"
    std::int64_t coefficient; ///< at least 1
};

struct DimensionRelation {
    std::string target;              ///< upper-cased index it defines, "IX"
    std::vector<RelationTerm> terms; ///< in the order written, at least one
};

/// Parses one relation; throws ParseError on bad syntax, a coefficient below 1, or
/// a dim named twice.
DimensionRelation parse_relation(std::string_view text);

/// Positions spanned by the index: Σ (size_d − 1)·coefficient_d + 1 for the given
/// sizes (one per term), before padding. Throws ParseError on overflow.
std::int64_t relation_span(const DimensionRelation& relation, const std::vector<std::int64_t>& sizes);

} // namespace stream::yaml_frontend
