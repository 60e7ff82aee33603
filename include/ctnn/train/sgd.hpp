#pragma once

#include "ctnn/gradients.hpp"
#include "ctnn/train/schedule.hpp"

#include <cstddef>

namespace ctnn {

/// Plain stochastic gradient descent with optional L2 weight decay:
///   w <- w - eta(t) (g + weight_decay w).
/// Padding lanes have zero weight and gradient, so they stay zero.
template <LearningRateSchedule Schedule = ConstantRate>
struct SGD {
    Schedule learning_rate{};
    double weight_decay = 0;

    /// SGD keeps no state between steps.
    template <class Net>
    struct State {};

    template <class Net>
    void update(Net& net, const Gradients<Net>& gradients, State<Net>& /*state*/, std::size_t t) const noexcept {
        using T = typename Net::value_type;
        const T eta = static_cast<T>(learning_rate(t));
        const T decay = static_cast<T>(weight_decay);
        auto w = net.storage();
        const auto g = gradients.storage();
        for (std::size_t i = 0; i < w.size(); ++i) w[i] -= eta * (g[i] + decay * w[i]);
    }
};

}  // namespace ctnn
