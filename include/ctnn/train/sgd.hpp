#pragma once

#include "ctnn/gradients.hpp"
#include "ctnn/simd/arch.hpp"
#include "ctnn/simd/ops.hpp"
#include "ctnn/simd/update.hpp"
#include "ctnn/train/schedule.hpp"

#include <cstddef>

namespace ctnn {

/// Plain stochastic gradient descent with optional L2 weight decay:
///   w <- w - eta(t) (g + weight_decay w).
/// Padding lanes have zero weight and gradient, so they stay zero. The update runs a
/// register at a time over the flat storage (simd::update_parameters), so a parameter whose
/// new value would overflow T keeps its value.
template <LearningRateSchedule Schedule = ConstantRate>
struct SGD {
    Schedule learning_rate{};
    double weight_decay = 0;

    /// SGD keeps no state between steps.
    template <class Net>
    struct State {};

    /// Step t (from 1) with `gradients`. Returns true when every parameter was updated; false
    /// when the new value of some was infinite or NaN (they kept their values, all others were
    /// updated).
    template <class Net>
    [[nodiscard]] bool update(Net& net, const Gradients<Net>& gradients, State<Net>& /*state*/,
                              std::size_t t) const noexcept {
        using T = typename Net::value_type;
        using V = simd::vector_t<T, typename Net::arch_type>;
        const V minus_eta(static_cast<T>(-learning_rate(t)));
        const V decay(static_cast<T>(weight_decay));
        return simd::update_parameters<typename Net::arch_type, Net::storage_size>(
            net.storage().data(), gradients.storage().data(),
            [=](const V& g, V& w) { w = simd::fma(minus_eta, simd::fma(decay, w, g), w); });
    }
};

namespace detail {
template <class Optimizer>
inline constexpr bool is_sgd = false;
template <class Schedule>
inline constexpr bool is_sgd<SGD<Schedule>> = true;
}  // namespace detail

}  // namespace ctnn
