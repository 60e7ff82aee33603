#pragma once

#include "ctnn/activation/softmax.hpp"

#include <cstddef>

namespace ctnn {

/// Categorical cross-entropy -sum_k t_k log y_k with y = softmax(z), averaged over the
/// batch. Pairs with a ctnn::Softmax output and is computed as a log-softmax,
/// sum_k t_k (logsumexp(z) - z_k), finite for any finite z. Then dL/dz = y sum_k t_k - t,
/// which is y - t for one-hot or probability targets.
struct CategoricalCrossEntropy {
    template <class T>
    [[nodiscard]] static T value(const T* z, const T* /*y*/, const T* t, std::size_t n) noexcept {
        const T lse = Softmax::log_sum_exp(z, n);
        T sum = 0;
        for (std::size_t k = 0; k < n; ++k) {
            // A zero target adds nothing, also where lse - z_k overflows (logits more than the largest T
            // apart), which would otherwise make 0 x inf = NaN of a finite loss.
            if (t[k] != T(0)) sum += t[k] * (lse - z[k]);
        }
        return sum;
    }
    template <class T>
    static void gradient(const T* /*z*/, const T* y, const T* t, T* dz, std::size_t n, T scale) noexcept {
        T mass = 0;
        for (std::size_t k = 0; k < n; ++k) mass += t[k];
        for (std::size_t k = 0; k < n; ++k) dz[k] = scale * (y[k] * mass - t[k]);
    }
};

}  // namespace ctnn
