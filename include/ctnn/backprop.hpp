#pragma once

/// @file
/// Losses and their gradients over a batch: forward, then backpropagation from the
/// output layer to the input, one sample at a time, accumulating into ctnn::Gradients.

#include "ctnn/config.hpp"
#include "ctnn/detail/sample_types.hpp"
#include "ctnn/gradients.hpp"
#include "ctnn/loss/pairing.hpp"
#include "ctnn/workspace.hpp"

#include <boost/hana/for_each.hpp>
#include <boost/hana/range.hpp>

#include <algorithm>
#include <cstddef>
#include <span>

namespace ctnn {

namespace detail {

template <std::size_t N, class F>
void for_each_index(F&& f) {
    boost::hana::for_each(boost::hana::make_range(boost::hana::size_c<0>, boost::hana::size_c<N>),
                          [&](auto i) { f(std::integral_constant<std::size_t, decltype(i)::value>{}); });
}

/// Forward for one sample, keeping every layer's z and y in row 0 of `ws`.
template <class Net, std::size_t S>
void forward_pass(const Net& net, const typename Net::value_type* x, Workspace<Net, S>& ws) noexcept {
    using layers = typename Net::layers;
    const auto* storage = net.storage().data();
    for_each_index<layers::size>([&](auto i) {
        using L = typename layers::template at<i>;
        auto& c = ws.template layer<i>();
        const auto* in = [&] {
            if constexpr (i == 0) {
                return x;
            } else {
                return ws.template layer<i - 1>().y[0].data();
            }
        }();
        L::affine(storage, in, c.z[0].data());
        if constexpr (L::random_slope) {
            L::activate(storage, c.z[0].data(), c.y[0].data(), c.slope.data());
        } else {
            L::activate(storage, c.z[0].data(), c.y[0].data());
        }
    });
}

/// Forward for the first `samples` (at most S) inputs, keeping every layer's z and y rows in `ws`.
template <class Net, std::size_t S>
void forward_pass(const Net& net, const typename Net::input_type* x, std::size_t samples,
                  Workspace<Net, S>& ws) noexcept {
    using layers = typename Net::layers;
    const auto* storage = net.storage().data();
    for_each_index<layers::size>([&](auto i) {
        using L = typename layers::template at<i>;
        if constexpr (i == 0) {
            L::forward(storage, x, ws.template layer<i>(), samples);
        } else {
            L::forward(storage, ws.template layer<i - 1>().y.data(), ws.template layer<i>(), samples);
        }
    });
}

/// The loss of the sample whose forward pass is in row `s` of `ws`.
template <class Loss, class Net, std::size_t S>
typename Net::value_type sample_loss(const Workspace<Net, S>& ws, const typename Net::value_type* target,
                                     std::size_t s = 0) noexcept {
    constexpr std::size_t last = Net::layer_count - 1;
    const auto& out = ws.template layer<last>();
    return Loss::value(out.z[s].data(), out.y[s].data(), target, Net::output_size);
}

/// Backpropagates one sample whose forward pass is in row 0 of `ws`: adds `scale` times its
/// gradient to `g`, and writes `scale` times dL/dx to `input_gradient` when not null.
template <class Loss, class Net, std::size_t S>
void backward_pass(const Net& net, const typename Net::value_type* x, const typename Net::value_type* target,
                   Workspace<Net, S>& ws, Gradients<Net>& g, typename Net::value_type scale,
                   typename Net::input_type* input_gradient) noexcept {
    using layers = typename Net::layers;
    constexpr std::size_t last = layers::size - 1;
    const auto* storage = net.storage().data();
    auto* gradients = g.storage().data();
    {
        auto& out = ws.template layer<last>();
        Loss::gradient(out.z[0].data(), out.y[0].data(), target, out.delta[0].data(), Net::output_size, scale);
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
            L::accumulate_gradients(gradients, below.y[0].data(), c);
            L::input_gradient(storage, c, below.delta.data());
            Below::activation_backward(storage, gradients, below);
        }
    });
}

/// Forward and backward over up to S samples at once through the batched kernels: adds `scale` times their
/// gradient to `g` (each weight gradient read and written once), writes `scale` times dL/dx[s] to
/// `input_gradients[s]` when not null, and returns `scale` times the sum of their losses.
template <class Loss, class Net, std::size_t S>
typename Net::value_type backward_tile(const Net& net, const typename Net::input_type* x,
                                       const typename Net::output_type* targets, std::size_t samples,
                                       Workspace<Net, S>& ws, Gradients<Net>& g, typename Net::value_type scale,
                                       typename Net::input_type* input_gradients) noexcept {
    using T = typename Net::value_type;
    using layers = typename Net::layers;
    constexpr std::size_t last = layers::size - 1;
    const auto* storage = net.storage().data();
    auto* gradients = g.storage().data();
    forward_pass(net, x, samples, ws);
    T sum = 0;
    {
        auto& out = ws.template layer<last>();
        for (std::size_t s = 0; s < samples; ++s) {
            sum += scale * Loss::value(out.z[s].data(), out.y[s].data(), targets[s].data(), Net::output_size);
            Loss::gradient(out.z[s].data(), out.y[s].data(), targets[s].data(), out.delta[s].data(), Net::output_size,
                           scale);
        }
    }
    for_each_index<layers::size>([&](auto step) {
        constexpr std::size_t i = last - step;
        using L = typename layers::template at<i>;
        auto& c = ws.template layer<i>();
        if constexpr (i == 0) {
            L::accumulate_gradients(gradients, x, c, samples);
            if (input_gradients) L::input_gradient(storage, c, input_gradients, samples);
        } else {
            using Below = typename layers::template at<i - 1>;
            auto& below = ws.template layer<i - 1>();
            L::accumulate_gradients(gradients, below.y.data(), c, samples);
            L::input_gradient(storage, c, below.delta.data(), samples);
            Below::activation_backward(storage, gradients, below, samples);
        }
    });
    return sum;
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
template <class Loss, class Net, std::size_t S>
[[nodiscard]] typename Net::value_type loss(const Net& net, std::span<const typename Net::input_type> inputs,
                                            std::span<const typename Net::output_type> targets,
                                            Workspace<Net, S>& workspace) noexcept {
    detail::check_batch<Loss, Net>(inputs, targets);
    if constexpr (!ctnn::Loss<Loss>) {
        return 0;  // check_batch has said why; nothing below would compile
    } else {
        using T = typename Net::value_type;
        // Each loss scaled before it is added: a sum of finite losses could overflow where their mean does not.
        const T scale = T(1) / static_cast<T>(inputs.size());
        T sum = 0;
        if constexpr (S == 1) {
            for (std::size_t s = 0; s < inputs.size(); ++s) {
                detail::forward_pass(net, inputs[s].data(), workspace);
                sum += scale * detail::sample_loss<Loss>(workspace, targets[s].data());
            }
        } else {
            for (std::size_t first = 0; first < inputs.size(); first += S) {
                const std::size_t count = std::min(S, inputs.size() - first);
                detail::forward_pass(net, inputs.data() + first, count, workspace);
                for (std::size_t s = 0; s < count; ++s) {
                    sum += scale * detail::sample_loss<Loss>(workspace, targets[first + s].data(), s);
                }
            }
        }
        return sum;
    }
}

/// The mean loss over a batch, in inference mode. Puts a Workspace<Net>
/// (Net::backward_stack_bytes) on the stack; pass one where the stack is small.
template <class Loss, class Net>
[[nodiscard]] typename Net::value_type loss(const Net& net, std::span<const typename Net::input_type> inputs,
                                            std::span<const typename Net::output_type> targets) noexcept {
    Workspace<Net> workspace;
    static_assert(sizeof(workspace) == Net::backward_stack_bytes);
    return loss<Loss>(net, inputs, targets, workspace);
}

/// Backpropagation over a batch: returns the mean loss and overwrites `gradients` with
/// its gradient for every parameter. When `input_gradients` is not empty it receives,
/// per sample, the gradient of the mean loss with respect to that sample's input.
/// RReLU layers run in the workspace's mode (see ctnn::Workspace::draw_slopes).
/// Requires: as for ctnn::loss; `input_gradients` empty or as long as `inputs`.
/// Ensures: no heap allocation.
template <class Loss, class Net, std::size_t S>
typename Net::value_type backward(const Net& net, std::span<const typename Net::input_type> inputs,
                                  std::span<const typename Net::output_type> targets, Gradients<Net>& gradients,
                                  Workspace<Net, S>& workspace,
                                  std::span<typename Net::input_type> input_gradients = {}) noexcept {
    using T = typename Net::value_type;
    detail::check_batch<Loss, Net>(inputs, targets);
    if constexpr (!ctnn::Loss<Loss>) {
        return 0;  // check_batch has said why; nothing below would compile
    } else {
        CTNN_ASSERT(input_gradients.empty() || input_gradients.size() == inputs.size(),
                    "ctnn::backward: input_gradients must be empty or as long as inputs");
        gradients.clear();
        // Losses and gradients are scaled before they are added: a sum of finite values could overflow where
        // their mean does not.
        const T scale = T(1) / static_cast<T>(inputs.size());
        T sum = 0;
        if constexpr (S == 1) {
            for (std::size_t s = 0; s < inputs.size(); ++s) {
                detail::forward_pass(net, inputs[s].data(), workspace);
                sum += scale * detail::sample_loss<Loss>(workspace, targets[s].data());
                auto* dx = input_gradients.empty() ? nullptr : &input_gradients[s];
                detail::backward_pass<Loss>(net, inputs[s].data(), targets[s].data(), workspace, gradients, scale, dx);
            }
        } else {
            for (std::size_t first = 0; first < inputs.size(); first += S) {
                const std::size_t count = std::min(S, inputs.size() - first);
                auto* dx = input_gradients.empty() ? nullptr : input_gradients.data() + first;
                sum += detail::backward_tile<Loss>(net, inputs.data() + first, targets.data() + first, count, workspace,
                                                   gradients, scale, dx);
            }
        }
        return sum;
    }
}

/// Backpropagation over a batch in inference mode (RReLU at its mean slope). Puts a
/// Workspace<Net> (Net::backward_stack_bytes) on the stack; pass one where the stack is small.
template <class Loss, class Net>
typename Net::value_type backward(const Net& net, std::span<const typename Net::input_type> inputs,
                                  std::span<const typename Net::output_type> targets, Gradients<Net>& gradients,
                                  std::span<typename Net::input_type> input_gradients = {}) noexcept {
    Workspace<Net> workspace;
    static_assert(sizeof(workspace) == Net::backward_stack_bytes);
    return backward<Loss>(net, inputs, targets, gradients, workspace, input_gradients);
}

/// Not a loss: inputs or targets of another scalar type or size than the network's stop
/// here with one sentence (detail/sample_types.hpp).
template <class Loss, class Net, class In, class... Rest>
    requires detail::WrongSamplesFor<Net, In, Rest...>
typename Net::value_type loss(const Net&, const In&, Rest&&...) noexcept {
    static_assert(!detail::WrongSamplesFor<Net, In, Rest...>,
                  "ctnn::loss<Loss>(net, inputs, targets): " CTNN_DETAIL_SAMPLES_FIX);
    return 0;
}

/// Not a backward pass: as the loss above.
template <class Loss, class Net, class In, class... Rest>
    requires detail::WrongSamplesFor<Net, In, Rest...>
typename Net::value_type backward(const Net&, const In&, Rest&&...) noexcept {
    static_assert(!detail::WrongSamplesFor<Net, In, Rest...>,
                  "ctnn::backward<Loss>(net, inputs, targets, gradients): " CTNN_DETAIL_SAMPLES_FIX);
    return 0;
}

}  // namespace ctnn
