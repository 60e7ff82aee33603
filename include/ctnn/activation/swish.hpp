#pragma once

#include "ctnn/simd/ops.hpp"

#include <ratio>

namespace ctnn {

/// Swish: z * sigmoid(beta z). `Beta` is a `std::ratio`. Users write `ctnn::Swish` (beta 1,
/// which is torch.nn.SiLU) or `ctnn::Swish::with<Beta>` (which takes Beta reduced).
template <class Beta>
struct BasicSwish {
    template <class OtherBeta>
    using with = BasicSwish<typename OtherBeta::type>;

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

/// Swish with beta 1, which is torch.nn.SiLU; `Swish::with<Beta>` sets another beta.
using Swish = BasicSwish<std::ratio<1>>;

}  // namespace ctnn
