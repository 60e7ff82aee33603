#pragma once

#include "ctnn/simd/arch.hpp"
#include "ctnn/simd/ops.hpp"

#include <cmath>
#include <cstddef>
#include <limits>

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

    /// apply() over a padded row of `Padded` values (whole registers of `Arch`), a register at a
    /// time: the same maximum and the same exponentials, summed lane by lane and then across the
    /// lanes (so the sum, and each y_k, may differ from apply()'s in the last bit). The lanes from
    /// n on get 0.
    template <class Arch, std::size_t Padded, class T>
    static void apply_row(const T* z, T* y, std::size_t n) noexcept {
        using V = simd::vector_t<T, Arch>;
        constexpr std::size_t lanes = simd::width<T, Arch>;
        constexpr std::size_t registers = Padded / lanes;
        static_assert(Padded % lanes == 0, "ctnn::Softmax::apply_row: Padded must be a whole number of registers");
        alignas(V) T numbers[lanes];
        for (std::size_t k = 0; k < lanes; ++k) numbers[k] = T(k);
        const V lane = simd::load<V>(numbers);
        const V lowest(-std::numeric_limits<T>::infinity());
        V values[registers];
        V top = lowest;
        for (std::size_t r = 0; r < registers; ++r) {
            values[r] = simd::select(lane + V(T(r * lanes)) < V(T(n)), simd::load<V>(z + r * lanes), lowest);
            top = simd::max(top, values[r]);
        }
        alignas(V) T tops[lanes];
        simd::store(tops, top);
        T largest = tops[0];
        for (std::size_t k = 1; k < lanes; ++k) largest = simd::max(largest, tops[k]);
        V sum(T(0));
        for (std::size_t r = 0; r < registers; ++r) {
            values[r] = simd::exp(V(values[r] - V(largest)));  // e^-inf = 0 in the lanes past n
            sum += values[r];
        }
        const V total(simd::reduce_add(sum));
        for (std::size_t r = 0; r < registers; ++r) simd::store(y + r * lanes, simd::div(values[r], total));
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
