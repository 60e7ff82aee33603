#pragma once

#include "ctnn/simd/ops.hpp"

#include <cstddef>

namespace ctnn {

/// Binary cross-entropy summed over the outputs (each an independent probability),
/// averaged over the batch. Pairs with a ctnn::Sigmoid output and is computed from the
/// logit z: -t log s(z) - (1 - t) log(1 - s(z)) = softplus(z) - t z, finite for any
/// finite z. Then dL/dz = s(z) - t.
struct BinaryCrossEntropy {
    template <class T>
    [[nodiscard]] static T value(const T* z, const T* /*y*/, const T* t, std::size_t n) noexcept {
        T sum = 0;
        for (std::size_t k = 0; k < n; ++k) sum += simd::softplus(z[k]) - t[k] * z[k];
        return sum;
    }
    template <class T>
    static void gradient(const T* /*z*/, const T* y, const T* t, T* dz, std::size_t n, T scale) noexcept {
        for (std::size_t k = 0; k < n; ++k) dz[k] = scale * (y[k] - t[k]);
    }
};

}  // namespace ctnn
