#pragma once

#include "ctnn/simd/ops.hpp"

namespace ctnn {

/// log(1 + e^z), a smooth ReLU; computed as max(z, 0) + log1p(e^-|z|), which never overflows.
struct Softplus {
    template <class V>
    [[nodiscard]] static V value(const V& z) noexcept {
        return simd::softplus(z);
    }
    /// The logistic function of z.
    template <class V>
    [[nodiscard]] static V derivative(const V& z, const V& /*y*/) noexcept {
        return simd::sigmoid(z);
    }
};

}  // namespace ctnn
