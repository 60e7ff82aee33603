#pragma once

/// @file
/// ctnn::fused_sgd_step: one sample's SGD step with the update folded into
/// backpropagation. Each layer updates its weights in place as soon as it has passed its
/// delta down (W <- keep W - eta x delta^T), so the step touches every weight once and
/// never materialises a gradient: no Gradients buffer is cleared, filled and read back.
/// ctnn::Trainer takes this path for one-sample SGD steps without clipping.

#include "ctnn/backprop.hpp"
#include "ctnn/loss/pairing.hpp"
#include "ctnn/workspace.hpp"

#include <cstddef>

namespace ctnn {

/// One stochastic gradient descent step on one sample, with optional L2 weight decay:
/// w <- w - learning_rate (dL/dw + weight_decay w) for every parameter (weights, biases
/// and PReLU slopes), the same update as ctnn::SGD after ctnn::backward on a batch of one.
/// Returns the sample's loss before the update. RReLU layers run in the workspace's mode
/// (ctnn::Workspace::draw_slopes).
///
/// Requires: `Loss` pairs with the output unit (a compile-time check).
/// Ensures: no heap allocation; the layer below's delta is computed from the weights
/// before their update, so the result equals backward-then-update up to rounding.
template <class Loss, class Net, std::size_t S>
typename Net::value_type fused_sgd_step(Net& net, const typename Net::input_type& input,
                                        const typename Net::output_type& target, typename Net::value_type learning_rate,
                                        Workspace<Net, S>& workspace,
                                        typename Net::value_type weight_decay = 0) noexcept {
    using T = typename Net::value_type;
    using layers = typename Net::layers;
    detail::check_loss_pairing<Loss, typename Net::output_activation>();
    if constexpr (!ctnn::Loss<Loss>) {
        return 0;  // check_loss_pairing has said why; nothing below would compile
    } else {
        constexpr std::size_t last = layers::size - 1;
        const T keep = T(1) - learning_rate * weight_decay;
        T* storage = net.storage().data();

        detail::forward_pass(net, input.data(), workspace);
        const T loss = detail::sample_loss<Loss>(workspace, target.data());
        {
            auto& out = workspace.template layer<last>();
            Loss::gradient(out.z[0].data(), out.y[0].data(), target.data(), out.delta[0].data(), Net::output_size,
                           T(1));
        }
        detail::for_each_index<layers::size>([&](auto step) {
            constexpr std::size_t i = last - step;
            using L = typename layers::template at<i>;
            auto& c = workspace.template layer<i>();
            if constexpr (i == 0) {
                L::subtract_gradient(storage, input.data(), c, learning_rate, keep);
            } else {
                using Below = typename layers::template at<i - 1>;
                auto& below = workspace.template layer<i - 1>();
                L::input_gradient(storage, c, below.delta.data());  // from W before its update
                L::subtract_gradient(storage, below.y[0].data(), c, learning_rate, keep);
                Below::activation_backward(storage, below, 1, [&](std::size_t o, const auto& slope_gradient) {
                    using V = std::remove_cvref_t<decltype(slope_gradient)>;
                    T* slope = storage + Below::slope_offset + o;
                    simd::store(slope, simd::fma(V(-learning_rate), slope_gradient, simd::load<V>(slope) * V(keep)));
                });
            }
        });
        return loss;
    }
}

}  // namespace ctnn
