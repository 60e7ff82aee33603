#pragma once

#include <cstddef>

namespace ctnn {

/// L = 1/(B n) sum_s sum_k (y_sk - t_sk)^2: the squared error averaged over all B n elements
/// of a batch of B samples with n outputs each, exactly torch.nn.MSELoss() (reduction
/// 'mean'; PyTorch's documentation of MSELoss). Then dL/dz = 2 (y - t) / (B n). Loss and
/// gradient are 2/n times those of ctnn::MeanSquaredError (twice them for one output), so
/// SGD with it equals SGD with MeanSquaredError at a learning rate 2/n times as large.
/// Pairs with a ctnn::Linear output.
struct MSELoss {
    /// The loss of one sample, 1/n sum_k (y_k - t_k)^2, from the outputs `y` and the targets `t`.
    template <class T>
    [[nodiscard]] static T value(const T* /*z*/, const T* y, const T* t, std::size_t n) noexcept {
        // Divided before squaring: d (d / n) stays finite whenever the mean of the squares does.
        const T inverse = T(1) / static_cast<T>(n);
        T sum = 0;
        for (std::size_t k = 0; k < n; ++k) sum += (y[k] - t[k]) * inverse * (y[k] - t[k]);
        return sum;
    }
    /// dz = scale * dL/dz = scale * 2 (y - t) / n for one sample.
    template <class T>
    static void gradient(const T* /*z*/, const T* y, const T* t, T* dz, std::size_t n, T scale) noexcept {
        const T factor = scale * (T(2) / static_cast<T>(n));
        for (std::size_t k = 0; k < n; ++k) dz[k] = factor * (y[k] - t[k]);
    }
};

}  // namespace ctnn
