#include "temporal_ordering.hpp"

#include <charconv>
#include <stdexcept>
#include <string>

namespace stream::dataflow {

namespace {

std::string_view trim(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
    return s;
}

} // namespace

std::vector<LoopFactor> parse_temporal_ordering(const LoopNest& nest, const SpatialMapping& spatial, std::string_view text) {
    std::vector<LoopFactor> ordering;
    std::vector<int64_t> product(nest.dims().size(), 1);
    while (!trim(text).empty()) {
        const std::size_t comma = text.find(',');
        const std::string_view item = trim(text.substr(0, comma));
        text = comma == std::string_view::npos ? std::string_view{} : text.substr(comma + 1);
        const std::size_t space = item.find(' ');
        const std::string_view dim = item.substr(0, space);
        const std::string_view size_text = space == std::string_view::npos ? std::string_view{} : trim(item.substr(space));
        int64_t size = 0;
        auto [end, ec] = std::from_chars(size_text.data(), size_text.data() + size_text.size(), size);
        if (dim.empty() || ec != std::errc{} || end != size_text.data() + size_text.size() || size < 1)
            throw std::invalid_argument("temporal_ordering: expected \"DIM size\" with a positive integer size, got \"" +
                                        std::string(item) + "\"");
        bool known = false;
        for (const auto& d : nest.dims()) known = known || d.name == dim;
        if (!known) throw std::invalid_argument("temporal_ordering: the layer has no loop dim " + std::string(dim));
        const std::size_t d = nest.dim_index(dim);
        product[d] *= size;
        if (size > 1) ordering.push_back({d, size});
    }
    const std::vector<int64_t> sizes = temporal_sizes(nest, spatial);
    for (std::size_t d = 0; d < sizes.size(); ++d)
        if (product[d] != sizes[d])
            throw std::invalid_argument("temporal_ordering: the loops of " + nest.dims()[d].name + " multiply to " +
                                        std::to_string(product[d]) + ", but its temporal size is " + std::to_string(sizes[d]) +
                                        " (orderings with LOMA constraints are not supported; give every loop)");
    // as LOMA's ordering of a layer without temporal loops
    if (ordering.empty()) ordering.push_back({0, 1});
    return ordering;
}

} // namespace stream::dataflow
