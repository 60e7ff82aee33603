#pragma once

#include "ctnn/simd/ops.hpp"

#include <ratio>

namespace ctnn {

/// Swish: z * sigmoid(beta z). `Beta` is a `std::ratio` (default 1, which is SiLU).
template <class Beta = std::ratio<1>>
struct Swish {
    template <class V>
    [[nodiscard]] static V value(const V& z) noexcept {
        return z * simd::sigmoid(simd::ratio_value<V, Beta>() * z);
    }
    /// s + beta z s (1 - s), with s = sigmoid(beta z).
    template <class V>
    [[nodiscard]] static V derivative(const V& z, const V& /*y*/) noexcept {
        const V beta = simd::ratio_value<V, Beta>();
        const V s = simd::sigmoid(beta * z);
        return s + beta * z * s * (V(1) - s);
    }
};

}  // namespace ctnn
