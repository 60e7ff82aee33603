#pragma once

/// @file
/// ctnn::fused_sgd_step: one sample's SGD step with the update folded into
/// backpropagation. Each layer's weights are updated in place from its delta and its input
/// (W <- keep W - eta x delta^T), so the step never materialises a gradient: no Gradients
/// buffer is cleared, filled and read back. ctnn::Trainer takes this path for one-sample
/// SGD steps without clipping.

#include "ctnn/backprop.hpp"
#include "ctnn/loss/pairing.hpp"
#include "ctnn/simd/ops.hpp"
#include "ctnn/simd/reduce.hpp"
#include "ctnn/train/step_result.hpp"
#include "ctnn/workspace.hpp"

#include <cmath>
#include <cstddef>
#include <type_traits>

namespace ctnn {

/// One stochastic gradient descent step on one sample, with optional L2 weight decay:
/// w <- w - learning_rate (dL/dw + weight_decay w) for every parameter (weights, biases
/// and PReLU slopes), the same update as ctnn::SGD after ctnn::backward on a batch of one.
/// Returns the sample's loss before the update, and whether the update was made. RReLU
/// layers run in the workspace's mode (ctnn::Workspace::draw_slopes).
///
/// Divergence: the gradient dL/dW of a layer is x delta^T, and this step never forms it. It
/// computes every layer's delta first (from the weights before the update; a PReLU layer's
/// slope gradient goes to its z row, which nothing reads afterwards), then checks the loss,
/// every layer's pre-activation z and every delta, and only then updates the layers. (A
/// layer's input x is checked through the z it feeds: an infinite or NaN x_i makes every
/// lane of z = b + sum_i x_i W_i infinite or NaN, even where W_i is 0.) When one of them is
/// infinite or NaN it returns StepStatus::non_finite_loss or non_finite_gradient and leaves
/// the network as it was. Not checked: a product x delta, or a step learning_rate x
/// gradient, that overflows although its factors are finite (float gradients beyond about
/// 1e19 times a large rate); gradient clipping (ctnn::Trainer::clip_gradients) rules those
/// out.
///
/// Requires: `Loss` pairs with the output unit (a compile-time check).
/// Ensures: no heap allocation; every delta is computed from the weights before their
/// update, so the result equals backward-then-update up to rounding.
template <class Loss, class Net, std::size_t S>
StepResult<typename Net::value_type> fused_sgd_step(Net& net, const typename Net::input_type& input,
                                                    const typename Net::output_type& target,
                                                    typename Net::value_type learning_rate,
                                                    Workspace<Net, S>& workspace,
                                                    typename Net::value_type weight_decay = 0) noexcept {
    using T = typename Net::value_type;
    using Arch = typename Net::arch_type;
    using V = simd::vector_t<T, Arch>;
    using layers = typename Net::layers;
    detail::check_loss_pairing<Loss, typename Net::output_activation>();
    if constexpr (!ctnn::Loss<Loss>) {
        return {};  // check_loss_pairing has said why; nothing below would compile
    } else {
        constexpr std::size_t last = layers::size - 1;
        const T keep = T(1) - learning_rate * weight_decay;
        T* storage = net.storage().data();

        detail::forward_pass(net, input.data(), workspace);
        const T loss = detail::sample_loss<Loss>(workspace, target.data());
        if (!std::isfinite(loss)) return {loss, StepStatus::non_finite_loss};
        // Every z: checked now, before PReLU slope gradients take their place.
        V residue(T(0));
        detail::for_each_index<layers::size>([&](auto i) {
            using L = typename layers::template at<i>;
            residue =
                simd::add_finite_residue<Arch, L::padded_size>(workspace.template layer<i>().z[0].data(), residue);
        });
        {
            auto& out = workspace.template layer<last>();
            Loss::gradient(out.z[0].data(), out.y[0].data(), target.data(), out.delta[0].data(), Net::output_size,
                           T(1));
        }
        // Every delta, from the weights as they are.
        detail::for_each_index<layers::size - 1>([&](auto step) {
            constexpr std::size_t i = last - step;
            using L = typename layers::template at<i>;
            using Below = typename layers::template at<i - 1>;
            auto& below = workspace.template layer<i - 1>();
            L::input_gradient(storage, workspace.template layer<i>(), below.delta.data());
            Below::activation_backward(storage, below, 1, [&](std::size_t o, const V& slope_gradient) {
                simd::store(below.z[0].data() + o, slope_gradient);
            });
        });
        // x delta^T is finite when x and delta are (up to overflow of the product itself).
        detail::for_each_index<layers::size>([&](auto i) {
            using L = typename layers::template at<i>;
            const auto& c = workspace.template layer<i>();
            residue = simd::add_finite_residue<Arch, L::padded_size>(c.delta[0].data(), residue);
            if constexpr (L::learned_slope) {
                residue = simd::add_finite_residue<Arch, L::padded_size>(c.z[0].data(), residue);
            }
        });
        if (!(simd::reduce_add(residue) == T(0))) return {loss, StepStatus::non_finite_gradient};

        // The updates.
        detail::for_each_index<layers::size>([&](auto step) {
            constexpr std::size_t i = last - step;
            using L = typename layers::template at<i>;
            auto& c = workspace.template layer<i>();
            if constexpr (i == 0) {
                L::subtract_gradient(storage, input.data(), c, learning_rate, keep);
            } else {
                L::subtract_gradient(storage, workspace.template layer<i - 1>().y[0].data(), c, learning_rate, keep);
            }
            if constexpr (L::learned_slope) {
                for (std::size_t o = 0; o < L::padded_size; o += simd::width<T, Arch>) {
                    T* slope = storage + L::slope_offset + o;
                    simd::store(slope, simd::fma(V(-learning_rate), simd::load<V>(c.z[0].data() + o),
                                                 simd::load<V>(slope) * V(keep)));
                }
            }
        });
        return {loss, StepStatus::ok};
    }
}

}  // namespace ctnn
