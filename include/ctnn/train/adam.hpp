#pragma once

#include "ctnn/gradients.hpp"
#include "ctnn/train/schedule.hpp"

#include <array>
#include <cmath>
#include <cstddef>

namespace ctnn {

/// Adam (Kingma and Ba), with optional L2 weight decay added to the gradient:
///   d = g + weight_decay w
///   m <- beta1 m + (1 - beta1) d,    v <- beta2 v + (1 - beta2) d^2
///   w <- w - eta(t) (m / (1 - beta1^t)) / (sqrt(v / (1 - beta2^t)) + epsilon)
/// A zero gradient gives a zero step, so padding lanes stay zero.
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

    template <class Net>
    void update(Net& net, const Gradients<Net>& gradients, State<Net>& state, std::size_t t) const noexcept {
        using T = typename Net::value_type;
        const T eta = static_cast<T>(learning_rate(t));
        const T b1 = static_cast<T>(beta1), b2 = static_cast<T>(beta2);
        const T decay = static_cast<T>(weight_decay), eps = static_cast<T>(epsilon);
        // Bias corrections, in double so that beta^t does not lose precision in float.
        const T c1 = static_cast<T>(1 / (1 - std::pow(beta1, static_cast<double>(t))));
        const T c2 = static_cast<T>(1 / (1 - std::pow(beta2, static_cast<double>(t))));
        auto w = net.storage();
        const auto g = gradients.storage();
        for (std::size_t i = 0; i < w.size(); ++i) {
            const T d = g[i] + decay * w[i];
            state.m[i] = b1 * state.m[i] + (1 - b1) * d;
            state.v[i] = b2 * state.v[i] + (1 - b2) * d * d;
            w[i] -= eta * (state.m[i] * c1) / (std::sqrt(state.v[i] * c2) + eps);
        }
    }
};

}  // namespace ctnn
