#pragma once

/// @file
/// The output layer's delta of one sample, a register at a time: the values of Loss::gradient
/// over the layer's whole padded row, for the training steps that go on with register loads
/// of it at once (ctnn::fused_sgd_step).
///
/// Why not Loss::gradient: it stores dz one scalar at a time, and a register load that spans
/// several recent scalar stores cannot be served from the store buffer (store-to-load
/// forwarding takes one store per load): the load waits until the stores reach L1, on the
/// step's critical path (about 8 ns of a 2-16-16-1 SGD step's 150 on Zen 3).

#include "ctnn/loss/binary_cross_entropy.hpp"
#include "ctnn/loss/categorical_cross_entropy.hpp"
#include "ctnn/loss/mean_squared_error.hpp"
#include "ctnn/loss/mse_loss.hpp"
#include "ctnn/simd/arch.hpp"
#include "ctnn/simd/ops.hpp"

#include <array>
#include <cstddef>
#include <type_traits>

namespace ctnn::detail {

/// dz = scale dL/dz for one sample over `Padded` lanes (a whole number of registers of
/// `Arch`), as Loss::gradient(z, y, t, dz, Outputs, scale) computes it:
/// - MeanSquaredError, BinaryCrossEntropy: scale (y - t);
/// - MSELoss: (scale 2 / Outputs) (y - t);
/// - CategoricalCrossEntropy: scale (y m - t) with m = sum_k t_k (1 for a one-hot target).
/// `y`: the output row, aligned, its padding lanes finite (f(0) for the output unit f);
/// `padded_target`: the target's Outputs values followed by zeros up to Padded, aligned.
/// Stores all Padded lanes of `dz`, aligned, the padding lanes zero.
template <class Loss, class Arch, std::size_t Outputs, std::size_t Padded, class T>
void output_delta_row(const T* y, const T* padded_target, T* dz, T scale) noexcept {
    using V = simd::vector_t<T, Arch>;
    constexpr std::size_t lanes = simd::width<T, Arch>;
    static_assert(Padded % lanes == 0 && Outputs <= Padded && Padded - Outputs < lanes,
                  "ctnn::detail::output_delta_row: Padded must be Outputs rounded up to whole registers");
    T factor = scale;
    if constexpr (std::is_same_v<Loss, MSELoss>) factor = scale * (T(2) / static_cast<T>(Outputs));
    // The padding lanes of the last register: y there is f(0), not 0 (0.5 for a sigmoid), so they are cleared.
    constexpr std::size_t last = Padded - lanes;
    alignas(simd::alignment<T, Arch>) static constexpr std::array<T, lanes> last_mask = [] {
        std::array<T, lanes> m{};
        for (std::size_t l = 0; l < lanes; ++l) m[l] = last + l < Outputs ? T(1) : T(0);
        return m;
    }();
    [[maybe_unused]] T mass = 1;
    if constexpr (std::is_same_v<Loss, CategoricalCrossEntropy>) {
        mass = 0;
        for (std::size_t k = 0; k < Outputs; ++k) mass += padded_target[k];
    }
    const auto lane_delta = [&](const V& yv, const V& tv) {
        if constexpr (std::is_same_v<Loss, CategoricalCrossEntropy>) {
            return V(factor) * V(yv * V(mass) - tv);
        } else {
            return V(factor) * V(yv - tv);
        }
    };
    for (std::size_t o = 0; o < last; o += lanes) {
        simd::store(dz + o, lane_delta(simd::load<V>(y + o), simd::load<V>(padded_target + o)));
    }
    V d = lane_delta(simd::load<V>(y + last), simd::load<V>(padded_target + last));
    if constexpr (Outputs < Padded) d = d * simd::load<V>(last_mask.data());
    simd::store(dz + last, d);
}

}  // namespace ctnn::detail
