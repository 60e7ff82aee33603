#pragma once

#include <cstddef>

namespace ctnn {

/// Half the squared error summed over the outputs, 1/2 sum_k (y_k - t_k)^2, averaged over
/// the batch. Pairs with a ctnn::Linear output, for which dL/dz = y - t.
struct MeanSquaredError {
    /// The loss of one sample, from the logits `z`, the outputs `y` and the targets `t`.
    template <class T>
    [[nodiscard]] static T value(const T* /*z*/, const T* y, const T* t, std::size_t n) noexcept {
        // Halved before squaring: (y - t)^2 overflows from |y - t| = 1.8e19 in float, its half a little later.
        T sum = 0;
        for (std::size_t k = 0; k < n; ++k) sum += (y[k] - t[k]) * T(0.5) * (y[k] - t[k]);
        return sum;
    }
    /// dz = scale * dL/dz for one sample.
    template <class T>
    static void gradient(const T* /*z*/, const T* y, const T* t, T* dz, std::size_t n, T scale) noexcept {
        for (std::size_t k = 0; k < n; ++k) dz[k] = scale * (y[k] - t[k]);
    }
};

}  // namespace ctnn
