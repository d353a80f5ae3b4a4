// Random draws that are the same on every standard library: the engine
// (mt19937_64) is specified bit for bit, but the std distributions are not, so
// a search built with libc++ would otherwise take other steps than the same
// search built with libstdc++ from the same space.seed.
#pragma once

#include <cstddef>
#include <cstdint>
#include <random>

namespace stream::plugins::explore {

/// A number in [0, n), n > 0 (the modulo bias is below 2^-40 for any n a search sees).
inline std::size_t pick(std::mt19937_64& rng, std::size_t n) { return static_cast<std::size_t>(rng() % n); }

/// A number in [0, 1) with 53 random bits.
inline double unit_random(std::mt19937_64& rng) { return static_cast<double>(rng() >> 11) * 0x1.0p-53; }

} // namespace stream::plugins::explore
