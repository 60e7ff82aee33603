#pragma once

#include "ctnn/simd/ops.hpp"

namespace ctnn {

/// The logistic function 1 / (1 + e^-z). As an output unit it pairs with
/// ctnn::BinaryCrossEntropy, computed from the logit (log-sigmoid) for stability.
struct Sigmoid {
    template <class V>
    [[nodiscard]] static V value(const V& z) noexcept {
        return simd::sigmoid(z);
    }
    /// y (1 - y), from the output.
    template <class V>
    [[nodiscard]] static V derivative(const V& /*z*/, const V& y) noexcept {
        return y * (V(1) - y);
    }
};

}  // namespace ctnn
