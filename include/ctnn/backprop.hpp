#pragma once

/// @file
/// Losses and their gradients over a batch or one sample: forward, then backpropagation from
/// the output layer to the input, accumulating into ctnn::Gradients. Targets are arrays of
/// output_size values, or class labels for the cross-entropies (ctnn/loss/class_labels.hpp).

#include "ctnn/config.hpp"
#include "ctnn/detail/sample_types.hpp"
#include "ctnn/gradients.hpp"
#include "ctnn/loss/class_labels.hpp"
#include "ctnn/loss/pairing.hpp"
#include "ctnn/simd/ops.hpp"
#include "ctnn/workspace.hpp"

#include <boost/hana/for_each.hpp>
#include <boost/hana/range.hpp>

#include <algorithm>
#include <concepts>
#include <cstddef>
#include <limits>
#include <span>
#include <type_traits>

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

/// Forward and backward over up to S samples at once through the batched kernels: samples `first` to
/// `first + samples` of `x` and `targets`. Adds `scale` times their gradient to `g` (each weight gradient read and
/// written once), writes `scale` times dL/dx[s] to `input_gradients[s]` when not null, and returns `scale` times the
/// sum of their losses.
template <class Loss, class Net, std::size_t S, class Targets>
typename Net::value_type backward_tile(const Net& net, const typename Net::input_type* x, Targets& targets,
                                       std::size_t first, std::size_t samples, Workspace<Net, S>& ws, Gradients<Net>& g,
                                       typename Net::value_type scale,
                                       typename Net::input_type* input_gradients) noexcept {
    using T = typename Net::value_type;
    using layers = typename Net::layers;
    constexpr std::size_t last = layers::size - 1;
    const auto* storage = net.storage().data();
    auto* gradients = g.storage().data();
    forward_pass(net, x + first, samples, ws);
    T sum = 0;
    {
        auto& out = ws.template layer<last>();
        for (std::size_t s = 0; s < samples; ++s) {
            const T* target = targets.row(first + s);
            sum = simd::fma(scale, Loss::value(out.z[s].data(), out.y[s].data(), target, Net::output_size), sum);
            Loss::gradient(out.z[s].data(), out.y[s].data(), target, out.delta[s].data(), Net::output_size, scale);
        }
    }
    for_each_index<layers::size>([&](auto step) {
        constexpr std::size_t i = last - step;
        using L = typename layers::template at<i>;
        auto& c = ws.template layer<i>();
        if constexpr (i == 0) {
            L::accumulate_gradients(gradients, x + first, c, samples);
            if (input_gradients) L::input_gradient(storage, c, input_gradients + first, samples);
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
void check_batch(std::size_t inputs, std::size_t targets) noexcept {
    detail::check_loss_pairing<Loss, typename Net::output_activation>();
    CTNN_ASSERT(inputs != 0, "ctnn: a batch needs at least one sample");
    CTNN_ASSERT(inputs == targets, "ctnn: inputs and targets differ in length");
}

/// Labels as targets: every label in range, a precondition. False when a CTNN_ASSERT routed elsewhere returned.
template <class Loss, class Net, class L>
bool check_labels(std::span<const L> labels) noexcept {
    const bool valid = labels_in_range<Loss, Net>(labels);
    CTNN_ASSERT(valid,
                "ctnn::backward, ctnn::loss: a class label is out of range (at least output_size, negative, or for "
                "one Sigmoid output not 0 or 1)");
    return valid;
}

/// `f(rows)` with `labels` as target rows (target_labels), for labels that stand for `Loss`'s targets (a
/// compile-time check) and are in range (NaN where a CTNN_ASSERT routed elsewhere returns: nothing is read out of
/// range or written).
template <class Loss, class Net, class Labels, class F>
typename Net::value_type with_labels(std::size_t inputs, const Labels& labels, F&& f) noexcept {
    const auto given = label_span(labels);
    check_batch<Loss, Net>(inputs, given.size());
    if constexpr (!ctnn::Loss<Loss> || label_classes<Loss, Net> == 0) {
        check_class_labels<Loss, Net>();
        return 0;  // the checks have said why
    } else {
        if (!check_labels<Loss, Net>(given)) return std::numeric_limits<typename Net::value_type>::quiet_NaN();
        target_labels<Net, typename decltype(given)::value_type> rows{given.data()};
        return f(rows);
    }
}

/// ctnn::loss over any targets (target_rows, target_labels).
template <class Loss, class Net, std::size_t S, class Targets>
typename Net::value_type mean_loss(const Net& net, std::span<const typename Net::input_type> inputs, Targets& targets,
                                   Workspace<Net, S>& workspace) noexcept {
    using T = typename Net::value_type;
    // Each loss scaled before it is added: a sum of finite losses could overflow where their mean does not. simd::fma
    // rounds once wherever the target can, as every other path adds its losses, whatever the compiler contracts here.
    const T scale = T(1) / static_cast<T>(inputs.size());
    T sum = 0;
    if constexpr (S == 1) {
        for (std::size_t s = 0; s < inputs.size(); ++s) {
            forward_pass(net, inputs[s].data(), workspace);
            sum = simd::fma(scale, sample_loss<Loss>(workspace, targets.row(s)), sum);
        }
    } else {
        for (std::size_t first = 0; first < inputs.size(); first += S) {
            const std::size_t count = std::min(S, inputs.size() - first);
            forward_pass(net, inputs.data() + first, count, workspace);
            for (std::size_t s = 0; s < count; ++s)
                sum = simd::fma(scale, sample_loss<Loss>(workspace, targets.row(first + s), s), sum);
        }
    }
    return sum;
}

/// ctnn::backward over any targets (target_rows, target_labels).
template <class Loss, class Net, std::size_t S, class Targets>
typename Net::value_type mean_backward(const Net& net, std::span<const typename Net::input_type> inputs,
                                       Targets& targets, Gradients<Net>& gradients, Workspace<Net, S>& workspace,
                                       std::span<typename Net::input_type> input_gradients) noexcept {
    using T = typename Net::value_type;
    CTNN_ASSERT(input_gradients.empty() || input_gradients.size() == inputs.size(),
                "ctnn::backward: input_gradients must be empty or as long as inputs");
    gradients.clear();
    // Losses and gradients are scaled before they are added: a sum of finite values could overflow where their mean
    // does not.
    const T scale = T(1) / static_cast<T>(inputs.size());
    T sum = 0;
    auto* dx = input_gradients.empty() ? nullptr : input_gradients.data();
    if constexpr (S == 1) {
        for (std::size_t s = 0; s < inputs.size(); ++s) {
            forward_pass(net, inputs[s].data(), workspace);
            const T* target = targets.row(s);
            sum = simd::fma(scale, sample_loss<Loss>(workspace, target), sum);
            backward_pass<Loss>(net, inputs[s].data(), target, workspace, gradients, scale, dx ? dx + s : nullptr);
        }
    } else {
        for (std::size_t first = 0; first < inputs.size(); first += S) {
            const std::size_t count = std::min(S, inputs.size() - first);
            sum += backward_tile<Loss>(net, inputs.data(), targets, first, count, workspace, gradients, scale, dx);
        }
    }
    return sum;
}

/// A target of one sample: a target array, or a class label (ctnn/loss/class_labels.hpp).
template <class Target, class Net>
concept sample_target = std::same_as<Target, typename Net::output_type> || ClassLabel<Target>;

}  // namespace detail

/// The mean loss over a batch of B samples, (1/B) sum_s L(net(x_s), t_s) with L the loss's
/// per-sample formula (see each loss), with the workspace's RReLU mode (see ctnn::Workspace).
/// `inputs`: B arrays of input_size; `targets`: B arrays of output_size.
/// Requires: `Loss` pairs with the output unit (a compile-time check); a non-empty batch;
/// as many targets as inputs.
template <class Loss, class Net, std::size_t S>
[[nodiscard]] typename Net::value_type loss(const Net& net, std::span<const typename Net::input_type> inputs,
                                            std::span<const typename Net::output_type> targets,
                                            Workspace<Net, S>& workspace) noexcept {
    detail::check_batch<Loss, Net>(inputs.size(), targets.size());
    if constexpr (!ctnn::Loss<Loss>) {
        return 0;  // check_batch has said why; nothing below would compile
    } else {
        detail::target_rows<Net> rows{targets.data()};
        return detail::mean_loss<Loss>(net, inputs, rows, workspace);
    }
}

/// The mean loss over a batch with class-index targets: `labels` holds B class labels
/// (ctnn::ClassLabels: std::vector<std::size_t>, std::array<bool, B>, ...), each standing for
/// the target array it encodes (ctnn/loss/class_labels.hpp), so the result equals the form
/// with those arrays bit for bit. For ctnn::CategoricalCrossEntropy (class c in [0, output_size))
/// and ctnn::BinaryCrossEntropy with one Sigmoid output (0 or 1), a compile-time check.
/// Requires: as for the array form, and every label in range (CTNN_ASSERT, always on; check
/// data with ctnn::labels_in_range, or train with ctnn::Trainer, which reports them). Where a
/// CTNN_ASSERT routed elsewhere returns, the result is NaN and nothing out of range is read.
template <class Loss, class Net, std::size_t S, ClassLabels Labels>
[[nodiscard]] typename Net::value_type loss(const Net& net, std::span<const typename Net::input_type> inputs,
                                            const Labels& labels, Workspace<Net, S>& workspace) noexcept {
    return detail::with_labels<Loss, Net>(
        inputs.size(), labels, [&](auto& rows) { return detail::mean_loss<Loss>(net, inputs, rows, workspace); });
}

/// The loss of one sample: `input` (input_size values) and `target`, an array of output_size
/// values or a class label. Equals the batch form with a batch of that one sample.
template <class Loss, class Net, std::size_t S, class Target = typename Net::output_type>
    requires detail::sample_target<Target, Net>
[[nodiscard]] typename Net::value_type loss(const Net& net, const typename Net::input_type& input, const Target& target,
                                            Workspace<Net, S>& workspace) noexcept {
    return loss<Loss>(net, std::span<const typename Net::input_type>(&input, 1), std::span<const Target>(&target, 1),
                      workspace);
}

/// The mean loss over a batch (target arrays or class labels), in inference mode. Puts a
/// Workspace<Net> (Net::backward_stack_bytes) on the stack; pass one where the stack is small.
template <class Loss, class Net>
[[nodiscard]] typename Net::value_type loss(const Net& net, std::span<const typename Net::input_type> inputs,
                                            std::span<const typename Net::output_type> targets) noexcept {
    Workspace<Net> workspace;
    static_assert(sizeof(workspace) == Net::backward_stack_bytes);
    return loss<Loss>(net, inputs, targets, workspace);
}
template <class Loss, class Net, ClassLabels Labels>
[[nodiscard]] typename Net::value_type loss(const Net& net, std::span<const typename Net::input_type> inputs,
                                            const Labels& labels) noexcept {
    Workspace<Net> workspace;
    return loss<Loss>(net, inputs, labels, workspace);
}
/// The loss of one sample (a target array or a class label), in inference mode.
template <class Loss, class Net, class Target = typename Net::output_type>
    requires detail::sample_target<Target, Net>
[[nodiscard]] typename Net::value_type loss(const Net& net, const typename Net::input_type& input,
                                            const Target& target) noexcept {
    Workspace<Net> workspace;
    return loss<Loss>(net, input, target, workspace);
}

/// Backpropagation over a batch of B samples: returns the mean loss (as ctnn::loss) and
/// overwrites `gradients` with its gradient for every parameter. When `input_gradients` is not
/// empty it receives, per sample, the gradient of the mean loss with respect to that sample's
/// input (B arrays of input_size). RReLU layers run in the workspace's mode (see
/// ctnn::Workspace::draw_slopes). `inputs`: B arrays of input_size; `targets`: B arrays of
/// output_size.
/// Requires: as for ctnn::loss; `input_gradients` empty or as long as `inputs`.
/// Ensures: no heap allocation.
template <class Loss, class Net, std::size_t S>
typename Net::value_type backward(const Net& net, std::span<const typename Net::input_type> inputs,
                                  std::span<const typename Net::output_type> targets, Gradients<Net>& gradients,
                                  Workspace<Net, S>& workspace,
                                  std::span<typename Net::input_type> input_gradients = {}) noexcept {
    detail::check_batch<Loss, Net>(inputs.size(), targets.size());
    if constexpr (!ctnn::Loss<Loss>) {
        return 0;  // check_batch has said why; nothing below would compile
    } else {
        detail::target_rows<Net> rows{targets.data()};
        return detail::mean_backward<Loss>(net, inputs, rows, gradients, workspace, input_gradients);
    }
}

/// Backpropagation over a batch with class-index targets: `labels` holds B class labels, as
/// for ctnn::loss; the results (loss, gradients, input gradients) equal those of the form with
/// the target arrays they encode, bit for bit.
/// Requires: as for the array form, and every label in range (CTNN_ASSERT, always on; where
/// a CTNN_ASSERT routed elsewhere returns, the result is NaN and `gradients` is unchanged).
/// Ensures: no heap allocation (one target row of output_size values on the stack).
template <class Loss, class Net, std::size_t S, ClassLabels Labels>
typename Net::value_type backward(const Net& net, std::span<const typename Net::input_type> inputs,
                                  const Labels& labels, Gradients<Net>& gradients, Workspace<Net, S>& workspace,
                                  std::span<typename Net::input_type> input_gradients = {}) noexcept {
    return detail::with_labels<Loss, Net>(inputs.size(), labels, [&](auto& rows) {
        return detail::mean_backward<Loss>(net, inputs, rows, gradients, workspace, input_gradients);
    });
}

/// Backpropagation of one sample: `input` (input_size values) and `target` (an array of
/// output_size values or a class label); `input_gradient`, when given, receives dL/dx.
/// Equals the batch form with a batch of that one sample.
template <class Loss, class Net, std::size_t S, class Target = typename Net::output_type>
    requires detail::sample_target<Target, Net>
typename Net::value_type backward(const Net& net, const typename Net::input_type& input, const Target& target,
                                  Gradients<Net>& gradients, Workspace<Net, S>& workspace) noexcept {
    return backward<Loss>(net, std::span<const typename Net::input_type>(&input, 1),
                          std::span<const Target>(&target, 1), gradients, workspace);
}
template <class Loss, class Net, std::size_t S, class Target = typename Net::output_type>
    requires detail::sample_target<Target, Net>
typename Net::value_type backward(const Net& net, const typename Net::input_type& input, const Target& target,
                                  Gradients<Net>& gradients, Workspace<Net, S>& workspace,
                                  typename Net::input_type& input_gradient) noexcept {
    return backward<Loss>(net, std::span<const typename Net::input_type>(&input, 1),
                          std::span<const Target>(&target, 1), gradients, workspace,
                          std::span<typename Net::input_type>(&input_gradient, 1));
}

/// Backpropagation over a batch (target arrays or class labels) in inference mode (RReLU at
/// its mean slope). Puts a Workspace<Net> (Net::backward_stack_bytes) on the stack; pass one
/// where the stack is small.
template <class Loss, class Net>
typename Net::value_type backward(const Net& net, std::span<const typename Net::input_type> inputs,
                                  std::span<const typename Net::output_type> targets, Gradients<Net>& gradients,
                                  std::span<typename Net::input_type> input_gradients = {}) noexcept {
    Workspace<Net> workspace;
    static_assert(sizeof(workspace) == Net::backward_stack_bytes);
    return backward<Loss>(net, inputs, targets, gradients, workspace, input_gradients);
}
template <class Loss, class Net, ClassLabels Labels>
typename Net::value_type backward(const Net& net, std::span<const typename Net::input_type> inputs,
                                  const Labels& labels, Gradients<Net>& gradients,
                                  std::span<typename Net::input_type> input_gradients = {}) noexcept {
    Workspace<Net> workspace;
    return backward<Loss>(net, inputs, labels, gradients, workspace, input_gradients);
}
/// Backpropagation of one sample in inference mode.
template <class Loss, class Net, class Target = typename Net::output_type>
    requires detail::sample_target<Target, Net>
typename Net::value_type backward(const Net& net, const typename Net::input_type& input, const Target& target,
                                  Gradients<Net>& gradients) noexcept {
    Workspace<Net> workspace;
    return backward<Loss>(net, input, target, gradients, workspace);
}
template <class Loss, class Net, class Target = typename Net::output_type>
    requires detail::sample_target<Target, Net>
typename Net::value_type backward(const Net& net, const typename Net::input_type& input, const Target& target,
                                  Gradients<Net>& gradients, typename Net::input_type& input_gradient) noexcept {
    Workspace<Net> workspace;
    return backward<Loss>(net, input, target, gradients, workspace, input_gradient);
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
