#pragma once

/// @file
/// A small, seeded random generator that needs no `<random>`: xoshiro128++ seeded by
/// splitmix64. 32-bit arithmetic only, so it is cheap on a microcontroller; the same seed
/// gives the same sequence on every target.

#include <cmath>
#include <cstdint>

namespace ctnn {

/// xoshiro128++ (Blackman and Vigna). Models std::uniform_random_bit_generator.
class Random {
public:
    using result_type = std::uint32_t;

    /// Seeds the 128-bit state from `seed` with splitmix64, so that nearby seeds give
    /// unrelated sequences and no seed gives the all-zero state.
    constexpr explicit Random(std::uint64_t seed = 0x9E3779B97F4A7C15ull) noexcept {
        for (auto& word : state_) {
            seed += 0x9E3779B97F4A7C15ull;
            std::uint64_t z = seed;
            z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
            z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
            word = static_cast<std::uint32_t>((z ^ (z >> 31)) >> 16);
        }
    }

    [[nodiscard]] static constexpr result_type min() noexcept { return 0; }
    [[nodiscard]] static constexpr result_type max() noexcept { return 0xFFFFFFFFu; }

    /// The next 32 random bits.
    constexpr result_type operator()() noexcept {
        const std::uint32_t result = rotl(state_[0] + state_[3], 7) + state_[0];
        const std::uint32_t t = state_[1] << 9;
        state_[2] ^= state_[0];
        state_[3] ^= state_[1];
        state_[1] ^= state_[2];
        state_[0] ^= state_[3];
        state_[2] ^= t;
        state_[3] = rotl(state_[3], 11);
        return result;
    }

    /// Uniform in [0, 1), with all the precision `T` holds (24 bits for float, 53 for double).
    template <class T>
    [[nodiscard]] constexpr T uniform() noexcept {
        if constexpr (sizeof(T) <= 4) {
            return static_cast<T>((*this)() >> 8) * static_cast<T>(0x1.0p-24);
        } else {
            const std::uint64_t high = (*this)() >> 6;  // 26 bits
            const std::uint64_t low = (*this)() >> 5;   // 27 bits
            return static_cast<T>((high << 27) | low) * static_cast<T>(0x1.0p-53);
        }
    }

    /// Uniform in [low, high).
    template <class T>
    [[nodiscard]] constexpr T uniform(T low, T high) noexcept {
        return low + (high - low) * uniform<T>();
    }

    /// Uniform integer in [0, n), without modulo bias (Lemire's method). `n` must be > 0.
    [[nodiscard]] constexpr std::uint32_t below(std::uint32_t n) noexcept {
        std::uint64_t product = std::uint64_t{(*this)()} * n;
        auto low = static_cast<std::uint32_t>(product);
        if (low < n) {
            const std::uint32_t threshold = (0u - n) % n;
            while (low < threshold) {
                product = std::uint64_t{(*this)()} * n;
                low = static_cast<std::uint32_t>(product);
            }
        }
        return static_cast<std::uint32_t>(product >> 32);
    }

    /// Normally distributed with the given mean and standard deviation (Box-Muller; the
    /// second value of each pair is kept for the next call).
    template <class T>
    [[nodiscard]] T normal(T mean = T(0), T stddev = T(1)) noexcept {
        if (has_spare_) {
            has_spare_ = false;
            return mean + stddev * static_cast<T>(spare_);
        }
        constexpr double two_pi = 6.283185307179586476925286766559;
        const double u = 1.0 - uniform<double>();  // (0, 1]: log(u) is finite
        const double v = uniform<double>();
        const double radius = std::sqrt(-2.0 * std::log(u));
        spare_ = radius * std::sin(two_pi * v);
        has_spare_ = true;
        return mean + stddev * static_cast<T>(radius * std::cos(two_pi * v));
    }

private:
    static constexpr std::uint32_t rotl(std::uint32_t x, int k) noexcept { return (x << k) | (x >> (32 - k)); }

    std::uint32_t state_[4]{};
    double spare_ = 0;
    bool has_spare_ = false;
};

}  // namespace ctnn
