#pragma once

/// @file
/// Losses and their gradients over a batch: forward, then backpropagation from the
/// output layer to the input, one sample at a time, accumulating into ctnn::Gradients.

#include "ctnn/config.hpp"
#include "ctnn/gradients.hpp"
#include "ctnn/loss/pairing.hpp"
#include "ctnn/workspace.hpp"

#include <boost/hana/for_each.hpp>
#include <boost/hana/range.hpp>

#include <cstddef>
#include <span>

namespace ctnn {

namespace detail {

template <std::size_t N, class F>
void for_each_index(F&& f) {
    boost::hana::for_each(boost::hana::make_range(boost::hana::size_c<0>, boost::hana::size_c<N>),
                          [&](auto i) { f(std::integral_constant<std::size_t, decltype(i)::value>{}); });
}

/// Forward for one sample, keeping every layer's z and y in `ws`.
template <class Net>
void forward_pass(const Net& net, const typename Net::value_type* x, Workspace<Net>& ws) noexcept {
    using layers = typename Net::layers;
    const auto* storage = net.storage().data();
    for_each_index<layers::size>([&](auto i) {
        using L = typename layers::template at<i>;
        auto& c = ws.template layer<i>();
        const auto* in = [&] {
            if constexpr (i == 0) {
                return x;
            } else {
                return ws.template layer<i - 1>().y.data();
            }
        }();
        L::affine(storage, in, c.z.data());
        if constexpr (L::random_slope) {
            L::activate(storage, c.z.data(), c.y.data(), c.slope.data());
        } else {
            L::activate(storage, c.z.data(), c.y.data());
        }
    });
}

/// The loss of the sample whose forward pass is in `ws`.
template <class Loss, class Net>
typename Net::value_type sample_loss(const Workspace<Net>& ws, const typename Net::value_type* target) noexcept {
    constexpr std::size_t last = Net::layer_count - 1;
    const auto& out = ws.template layer<last>();
    return Loss::value(out.z.data(), out.y.data(), target, Net::output_size);
}

/// Backpropagates one sample whose forward pass is in `ws`: adds `scale` times its
/// gradient to `g`, and writes `scale` times dL/dx to `input_gradient` when not null.
template <class Loss, class Net>
void backward_pass(const Net& net, const typename Net::value_type* x, const typename Net::value_type* target,
                   Workspace<Net>& ws, Gradients<Net>& g, typename Net::value_type scale,
                   typename Net::value_type* input_gradient) noexcept {
    using layers = typename Net::layers;
    constexpr std::size_t last = layers::size - 1;
    const auto* storage = net.storage().data();
    auto* gradients = g.storage().data();
    {
        auto& out = ws.template layer<last>();
        Loss::gradient(out.z.data(), out.y.data(), target, out.delta.data(), Net::output_size, scale);
    }
    for_each_index<layers::size>([&](auto step) {
        constexpr std::size_t i = last - step;
        using L = typename layers::template at<i>;
        auto& c = ws.template layer<i>();
        if constexpr (i == 0) {
            L::accumulate_gradients(gradients, x, c);
            if (input_gradient) L::input_gradient(storage, c, input_gradient);
        } else {
            using Below = typename layers::template at<i - 1>;
            auto& below = ws.template layer<i - 1>();
            L::accumulate_gradients(gradients, below.y.data(), c);
            L::input_gradient(storage, c, below.delta.data());
            Below::activation_backward(storage, gradients, below);
        }
    });
}

template <class Loss, class Net>
void check_batch(std::span<const typename Net::input_type> inputs,
                 std::span<const typename Net::output_type> targets) noexcept {
    detail::check_loss_pairing<Loss, typename Net::output_activation>();
    CTNN_ASSERT(!inputs.empty(), "ctnn: a batch needs at least one sample");
    CTNN_ASSERT(inputs.size() == targets.size(), "ctnn: inputs and targets differ in length");
}

}  // namespace detail

/// The mean loss over a batch, with the workspace's RReLU mode (see ctnn::Workspace).
/// Requires: `Loss` pairs with the output unit (a compile-time check); a non-empty batch;
/// as many targets as inputs.
template <class Loss, class Net>
[[nodiscard]] typename Net::value_type loss(const Net& net, std::span<const typename Net::input_type> inputs,
                                            std::span<const typename Net::output_type> targets,
                                            Workspace<Net>& workspace) noexcept {
    detail::check_batch<Loss, Net>(inputs, targets);
    if constexpr (!ctnn::Loss<Loss>) {
        return 0;  // check_batch has said why; nothing below would compile
    } else {
        typename Net::value_type sum = 0;
        for (std::size_t s = 0; s < inputs.size(); ++s) {
            detail::forward_pass(net, inputs[s].data(), workspace);
            sum += detail::sample_loss<Loss>(workspace, targets[s].data());
        }
        return sum / static_cast<typename Net::value_type>(inputs.size());
    }
}

/// The mean loss over a batch, in inference mode.
template <class Loss, class Net>
[[nodiscard]] typename Net::value_type loss(const Net& net, std::span<const typename Net::input_type> inputs,
                                            std::span<const typename Net::output_type> targets) noexcept {
    Workspace<Net> workspace;
    return loss<Loss>(net, inputs, targets, workspace);
}

/// Backpropagation over a batch: returns the mean loss and overwrites `gradients` with
/// its gradient for every parameter. When `input_gradients` is not empty it receives,
/// per sample, the gradient of the mean loss with respect to that sample's input.
/// RReLU layers run in the workspace's mode (see ctnn::Workspace::draw_slopes).
/// Requires: as for ctnn::loss; `input_gradients` empty or as long as `inputs`.
/// Ensures: no heap allocation.
template <class Loss, class Net>
typename Net::value_type backward(const Net& net, std::span<const typename Net::input_type> inputs,
                                  std::span<const typename Net::output_type> targets, Gradients<Net>& gradients,
                                  Workspace<Net>& workspace,
                                  std::span<typename Net::input_type> input_gradients = {}) noexcept {
    using T = typename Net::value_type;
    detail::check_batch<Loss, Net>(inputs, targets);
    if constexpr (!ctnn::Loss<Loss>) {
        return 0;  // check_batch has said why; nothing below would compile
    } else {
        CTNN_ASSERT(input_gradients.empty() || input_gradients.size() == inputs.size(),
                    "ctnn::backward: input_gradients must be empty or as long as inputs");
        gradients.clear();
        const T scale = T(1) / static_cast<T>(inputs.size());
        T sum = 0;
        for (std::size_t s = 0; s < inputs.size(); ++s) {
            detail::forward_pass(net, inputs[s].data(), workspace);
            sum += detail::sample_loss<Loss>(workspace, targets[s].data());
            T* dx = input_gradients.empty() ? nullptr : input_gradients[s].data();
            detail::backward_pass<Loss>(net, inputs[s].data(), targets[s].data(), workspace, gradients, scale, dx);
        }
        return sum * scale;
    }
}

/// Backpropagation over a batch in inference mode (RReLU at its mean slope).
template <class Loss, class Net>
typename Net::value_type backward(const Net& net, std::span<const typename Net::input_type> inputs,
                                  std::span<const typename Net::output_type> targets, Gradients<Net>& gradients,
                                  std::span<typename Net::input_type> input_gradients = {}) noexcept {
    Workspace<Net> workspace;
    return backward<Loss>(net, inputs, targets, gradients, workspace, input_gradients);
}

}  // namespace ctnn
