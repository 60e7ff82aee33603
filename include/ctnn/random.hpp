#pragma once

/// @file
/// A small, seeded random generator that needs no `<random>`: xoshiro128++ seeded by
/// splitmix64. 32-bit arithmetic only, so it is cheap on a microcontroller; the same seed
/// gives the same sequence on every target.

#include <cmath>
#include <cstdint>
#include <type_traits>

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
    /// second value of each pair is kept for the next call of the same `T`, float or double;
    /// long double draws a new pair each call).
    ///
    /// Computed in `T` throughout: a float network's initialiser calls logf, sqrtf, sinf and
    /// cosf, never double arithmetic, which a microcontroller without a double-precision FPU
    /// would emulate in software. The uniform sample behind the radius has `T`'s precision, so
    /// |value - mean| / stddev stays below sqrt(-2 ln 2^-24) = 5.77 for float (8.53 for double,
    /// with 2^-53): the tails beyond are cut, which no initialisation scheme notices.
    template <class T>
    [[nodiscard]] T normal(T mean = T(0), T stddev = T(1)) noexcept {
        constexpr bool cached = std::is_same_v<T, float> || std::is_same_v<T, double>;
        if constexpr (cached) {
            auto& cache = spare<T>();
            if (cache.full) {
                cache.full = false;
                return mean + stddev * cache.value;
            }
        }
        constexpr T two_pi = static_cast<T>(6.283185307179586476925286766559L);
        const T u = T(1) - uniform<T>();  // (0, 1]: log(u) is finite
        const T v = uniform<T>();
        const T radius = std::sqrt(T(-2) * std::log(u));
        if constexpr (cached) {
            auto& cache = spare<T>();
            cache.value = radius * std::sin(two_pi * v);
            cache.full = true;
        }
        return mean + stddev * radius * std::cos(two_pi * v);
    }

private:
    static constexpr std::uint32_t rotl(std::uint32_t x, int k) noexcept { return (x << k) | (x >> (32 - k)); }

    /// The second value of a Box-Muller pair, kept per scalar type.
    template <class T>
    struct spare_value {
        T value = 0;
        bool full = false;
    };

    template <class T>
    spare_value<T>& spare() noexcept {
        if constexpr (std::is_same_v<T, float>) {
            return spare_float_;
        } else {
            return spare_double_;
        }
    }

    std::uint32_t state_[4]{};
    spare_value<float> spare_float_;
    spare_value<double> spare_double_;
};

}  // namespace ctnn
