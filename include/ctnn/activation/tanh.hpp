#pragma once

#include "ctnn/simd/ops.hpp"

namespace ctnn {

/// The hyperbolic tangent.
struct Tanh {
    template <class V>
    [[nodiscard]] static V value(const V& z) noexcept {
        return simd::tanh(z);
    }
    /// 1 - y^2, from the output.
    template <class V>
    [[nodiscard]] static V derivative(const V& /*z*/, const V& y) noexcept {
        return V(1) - y * y;
    }
};

}  // namespace ctnn
