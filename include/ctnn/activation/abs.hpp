#pragma once

#include "ctnn/simd/ops.hpp"

namespace ctnn {

/// Absolute-value rectification, |z|. Its derivative is the sign of z, taken as 0 at z = 0.
struct Abs {
    template <class V>
    [[nodiscard]] static V value(const V& z) noexcept {
        return simd::abs(z);
    }
    template <class V>
    [[nodiscard]] static V derivative(const V& z, const V& /*y*/) noexcept {
        return simd::select(z > V(0), V(1), simd::select(z < V(0), V(-1), V(0)));
    }
};

}  // namespace ctnn
