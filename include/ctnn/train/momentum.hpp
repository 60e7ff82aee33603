#pragma once

#include "ctnn/gradients.hpp"
#include "ctnn/train/schedule.hpp"

#include <array>
#include <cstddef>

namespace ctnn {

/// SGD with momentum, in PyTorch's form, with optional Nesterov momentum and L2 decay:
///   d = g + weight_decay w
///   v <- momentum v + d
///   w <- w - eta(t) v                       (classic)
///   w <- w - eta(t) (d + momentum v)        (Nesterov)
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

    template <class Net>
    void update(Net& net, const Gradients<Net>& gradients, State<Net>& state, std::size_t t) const noexcept {
        using T = typename Net::value_type;
        const T eta = static_cast<T>(learning_rate(t));
        const T mu = static_cast<T>(momentum);
        const T decay = static_cast<T>(weight_decay);
        auto w = net.storage();
        const auto g = gradients.storage();
        auto& v = state.velocity;
        for (std::size_t i = 0; i < w.size(); ++i) {
            const T d = g[i] + decay * w[i];
            v[i] = mu * v[i] + d;
            w[i] -= eta * (nesterov ? d + mu * v[i] : v[i]);
        }
    }
};

}  // namespace ctnn
