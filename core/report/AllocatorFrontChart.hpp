// The allocator's Pareto front (results.json's allocator.pareto_front) as a latency-energy scatter
// plot, drawn like a sweep's front; each dot's tooltip gives the allocation's cores per layer.
#pragma once

#include <nlohmann/json.hpp>

#include <string>

namespace stream {

std::string allocator_front_svg(const std::string& title, const nlohmann::json& front);

} // namespace stream
