#pragma once

#include "ctnn/gradients.hpp"
#include "ctnn/simd/arch.hpp"
#include "ctnn/simd/ops.hpp"
#include "ctnn/simd/update.hpp"
#include "ctnn/train/schedule.hpp"

#include <array>
#include <cmath>
#include <cstddef>
#include <type_traits>

namespace ctnn {

/// Adam (Kingma and Ba), with optional L2 weight decay added to the gradient:
///   d = g + weight_decay w
///   m <- beta1 m + (1 - beta1) d,    v <- beta2 v + (1 - beta2) d^2
///   w <- w - eta(t) (m / (1 - beta1^t)) / (sqrt(v / (1 - beta2^t)) + epsilon)
/// A zero gradient gives a zero step, so padding lanes stay zero. The update runs a
/// register at a time over the flat storage (simd::update_parameters), square root included,
/// so a parameter whose new value, m or v would overflow T keeps all three. The root of the
/// corrected second moment, sqrt(v / (1 - beta2^t)), is computed as sqrt(v) sqrt(1 / (1 -
/// beta2^t)): the quotient would overflow where v does not (|d| beyond about 1.8e19 in float
/// at t = 1) and turn the step into 0.
template <LearningRateSchedule Schedule = ConstantRate>
struct Adam {
    Schedule learning_rate{0.001};
    double beta1 = 0.9;
    double beta2 = 0.999;
    double epsilon = 1e-8;
    double weight_decay = 0;

    /// First and second moment estimates, laid out like the network's storage.
    template <class Net>
    struct State {
        alignas(Net::alignment) std::array<typename Net::value_type, Net::storage_size> m{};
        alignas(Net::alignment) std::array<typename Net::value_type, Net::storage_size> v{};
    };

    /// Step t (from 1) with `gradients`. Returns true when every parameter was updated; false
    /// when the new value, m or v of some was infinite or NaN (they kept all three, all others
    /// were updated).
    template <class Net>
    [[nodiscard]] bool update(Net& net, const Gradients<Net>& gradients, State<Net>& state,
                              std::size_t t) const noexcept {
        using T = typename Net::value_type;
        using Arch = typename Net::arch_type;
        using V = simd::vector_t<T, Arch>;
        const T b1 = static_cast<T>(beta1), b2 = static_cast<T>(beta2);
        const V beta1_v(b1), beta2_v(b2), one_minus_b1(1 - b1), one_minus_b2(1 - b2);
        const V decay(static_cast<T>(weight_decay)), eps(static_cast<T>(epsilon));
        // Bias corrections, in T: a float network on a microcontroller then calls powf, not double pow and the
        // software double arithmetic around it (several KB of flash without a double-precision FPU). beta rounded
        // to float is within 2^-24 of beta, so beta^t is within about t 2^-24 of its relative value: for
        // beta2 = 0.999 the step size moves by at most 1e-5 of itself, where beta^t still matters.
        // As PyTorch: the step size eta(t) / (1 - beta1^t), one multiply a register.
        const V step_size(static_cast<T>(learning_rate(t)) / (T(1) - std::pow(b1, static_cast<T>(t))));
        const V sqrt_c2(std::sqrt(T(1) / (T(1) - std::pow(b2, static_cast<T>(t)))));
        // Two loops rather than a test per register: without weight decay (the common case) d is g, one fused
        // multiply-add less in a loop bound by floating-point throughput (square root, divide, the guard's selects).
        auto run = [&](auto decays) {
            return simd::update_parameters<Arch, Net::storage_size>(
                net.storage().data(), gradients.storage().data(),
                [=](const V& g, V& w, V& m, V& v) {
                    V d = g;
                    if constexpr (decltype(decays)::value) d = simd::fma(decay, w, g);
                    m = simd::fma(beta1_v, m, one_minus_b1 * d);
                    v = simd::fma(beta2_v, v, one_minus_b2 * d * d);
                    w = w - simd::div(V(step_size * m), V(simd::fma(simd::sqrt(v), sqrt_c2, eps)));
                },
                state.m.data(), state.v.data());
        };
        // The test in T: a double comparison would pull software double arithmetic into a float firmware.
        return static_cast<T>(weight_decay) == T(0) ? run(std::false_type{}) : run(std::true_type{});
    }
};

}  // namespace ctnn
