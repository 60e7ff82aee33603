#pragma once

#include "ctnn/simd/ops.hpp"

namespace ctnn {

/// The Heaviside step: 1 for z >= 0, 0 otherwise. Forward only: its derivative is zero
/// wherever it exists, so backpropagation gives the step layer's own weights and every
/// layer below it a zero gradient; only the layers above it learn.
struct BinaryStep {
    template <class V>
    [[nodiscard]] static V value(const V& z) noexcept {
        return simd::select(z >= V(0), V(1), V(0));
    }
    template <class V>
    [[nodiscard]] static V derivative(const V& /*z*/, const V& /*y*/) noexcept {
        return V(0);
    }
};

}  // namespace ctnn
