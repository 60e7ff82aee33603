#pragma once

#include <cstddef>

namespace ctnn {

/// L = 1/B sum_s 1/2 sum_k (y_sk - t_sk)^2: HALF the squared error SUMMED over the n outputs,
/// averaged over the B samples of the batch. Not torch.nn.MSELoss, which averages over all
/// B n elements and has no 1/2 (that is ctnn::MSELoss; this loss is n/2 times it).
/// The 1/2 makes dL/dz = (y - t) / B, the textbook form (Bishop, Pattern Recognition and
/// Machine Learning, eq. 5.11). Pairs with a ctnn::Linear output.
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
