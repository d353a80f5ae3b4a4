// The GA's only source of randomness. std::mt19937_64's output sequence is
// fixed by the C++ standard but the std:: distributions are not, so the draws
// are made here: the same seed gives the same search with any standard
// library, on any platform and with any thread count (only the calling thread
// draws).
#pragma once

#include <cstdint>
#include <random>

namespace stream::plugins::ga {

class Random {
public:
    explicit Random(std::uint64_t seed) : engine_(seed) {}

    /// Uniform in [0, n), n > 0; rejection sampling, so no modulo bias.
    std::uint64_t below(std::uint64_t n) {
        const std::uint64_t limit = UINT64_MAX - UINT64_MAX % n; // largest multiple of n, as a bound
        for (;;) {
            const std::uint64_t x = engine_();
            if (x < limit) return x % n;
        }
    }

    /// Uniform in [0, 1) with 53 random bits.
    double unit() { return static_cast<double>(engine_() >> 11) * 0x1.0p-53; }

    /// True with probability p.
    bool chance(double p) { return unit() < p; }

private:
    std::mt19937_64 engine_;
};

} // namespace stream::plugins::ga
