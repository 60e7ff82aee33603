#pragma once

#include "ctnn/gradients.hpp"
#include "ctnn/simd/arch.hpp"
#include "ctnn/simd/ops.hpp"
#include "ctnn/simd/update.hpp"
#include "ctnn/train/schedule.hpp"

#include <array>
#include <cstddef>

namespace ctnn {

/// SGD with momentum, in PyTorch's form, with optional Nesterov momentum and L2 decay:
///   d = g + weight_decay w
///   v <- momentum v + d
///   w <- w - eta(t) v                       (classic)
///   w <- w - eta(t) (d + momentum v)        (Nesterov)
/// A zero gradient on a zero weight with zero velocity gives a zero step, so padding lanes
/// stay zero. The update runs a register at a time over the flat storage
/// (simd::update_parameters), so a parameter whose new value or velocity would overflow T
/// keeps both.
template <LearningRateSchedule Schedule = ConstantRate>
struct Momentum {
    Schedule learning_rate{};
    double momentum = 0.9;
    bool nesterov = false;
    double weight_decay = 0;

    /// The velocity of every parameter, laid out like the network's storage.
    template <class Net>
    struct State {
        alignas(Net::alignment) std::array<typename Net::value_type, Net::storage_size> velocity{};
    };

    /// Step t (from 1) with `gradients`. Returns true when every parameter was updated; false
    /// when the new value or velocity of some was infinite or NaN (they kept both, all others
    /// were updated).
    template <class Net>
    [[nodiscard]] bool update(Net& net, const Gradients<Net>& gradients, State<Net>& state,
                              std::size_t t) const noexcept {
        using T = typename Net::value_type;
        using Arch = typename Net::arch_type;
        using V = simd::vector_t<T, Arch>;
        const V minus_eta(static_cast<T>(-learning_rate(t)));
        const V mu(static_cast<T>(momentum));
        const V decay(static_cast<T>(weight_decay));
        T* w = net.storage().data();
        const T* g = gradients.storage().data();
        // Two loops rather than a test per register.
        if (nesterov) {
            return simd::update_parameters<Arch, Net::storage_size>(
                w, g,
                [=](const V& gr, V& wr, V& vr) {
                    const V d = simd::fma(decay, wr, gr);
                    vr = simd::fma(mu, vr, d);
                    wr = simd::fma(minus_eta, simd::fma(mu, vr, d), wr);
                },
                state.velocity.data());
        }
        return simd::update_parameters<Arch, Net::storage_size>(
            w, g,
            [=](const V& gr, V& wr, V& vr) {
                vr = simd::fma(mu, vr, simd::fma(decay, wr, gr));
                wr = simd::fma(minus_eta, vr, wr);
            },
            state.velocity.data());
    }
};

}  // namespace ctnn
