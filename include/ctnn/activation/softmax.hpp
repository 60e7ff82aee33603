#pragma once

#include "ctnn/simd/ops.hpp"

#include <cmath>
#include <cstddef>

namespace ctnn {

/// The softmax output unit, y_k = e^{z_k} / sum_j e^{z_j}. It couples the units, so only
/// the output layer may use it, paired with ctnn::CategoricalCrossEntropy (computed as a
/// log-softmax from the logits).
struct Softmax {
    /// y = softmax(z) over `n` values, shifted by max(z) so no exponential overflows.
    template <class T>
    static void apply(const T* z, T* y, std::size_t n) noexcept {
        T top = z[0];
        for (std::size_t k = 1; k < n; ++k) top = simd::max(top, z[k]);
        T sum = 0;
        for (std::size_t k = 0; k < n; ++k) {
            y[k] = simd::exp(z[k] - top);
            sum += y[k];
        }
        for (std::size_t k = 0; k < n; ++k) y[k] /= sum;
    }

    /// log sum_k e^{z_k}, finite for finite z.
    template <class T>
    [[nodiscard]] static T log_sum_exp(const T* z, std::size_t n) noexcept {
        T top = z[0];
        for (std::size_t k = 1; k < n; ++k) top = simd::max(top, z[k]);
        T sum = 0;
        for (std::size_t k = 0; k < n; ++k) sum += simd::exp(z[k] - top);
        return top + std::log(sum);
    }
};

}  // namespace ctnn
