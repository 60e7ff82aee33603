#pragma once

/// @file
/// ctnn::fused_sgd_step: one sample's SGD step with the update folded into
/// backpropagation. Each layer's weights are updated in place from its delta and its input
/// (W <- keep W - eta x delta^T), so the step never materialises a gradient: no Gradients
/// buffer is cleared, filled and read back. ctnn::Trainer takes this path for one-sample
/// SGD steps without clipping.

#include "ctnn/backprop.hpp"
#include "ctnn/detail/sample_types.hpp"
#include "ctnn/loss/class_labels.hpp"
#include "ctnn/loss/output_delta.hpp"
#include "ctnn/loss/pairing.hpp"
#include "ctnn/simd/kernels.hpp"
#include "ctnn/simd/ops.hpp"
#include "ctnn/simd/reduce.hpp"
#include "ctnn/train/step_result.hpp"
#include "ctnn/workspace.hpp"

#include <cmath>
#include <cstddef>
#include <limits>
#include <type_traits>

namespace ctnn {

namespace detail {

/// Why fused_sgd_step_row's one finiteness test failed: non_finite_loss, or non_finite_gradient when a z (its
/// residue `z_residue`, taken before the backward pass), a delta or a PReLU slope gradient is infinite or NaN, or ok
/// when all are finite and only the sum of the delta magnitudes overflowed (the update then goes the guarded way).
template <class Net, std::size_t S>
[[gnu::noinline, gnu::cold]] StepStatus non_finite_status(
    typename Net::value_type loss, simd::vector_t<typename Net::value_type, typename Net::arch_type> z_residue,
    const Workspace<Net, S>& workspace) noexcept {
    using T = typename Net::value_type;
    using Arch = typename Net::arch_type;
    using layers = typename Net::layers;
    if (!std::isfinite(loss)) return StepStatus::non_finite_loss;
    auto residue = z_residue;
    detail::for_each_index<layers::size>([&](auto i) {
        using L = typename layers::template at<i>;
        const auto& c = workspace.template layer<i>();
        residue = simd::add_finite_residue<Arch, L::padded_size>(c.delta[0].data(), residue);
        if constexpr (L::learned_slope)
            residue = simd::add_finite_residue<Arch, L::padded_size>(c.z[0].data(), residue);
    });
    return simd::reduce_add(residue) == T(0) ? StepStatus::ok : StepStatus::non_finite_gradient;
}

/// ctnn::fused_sgd_step with the target as output_size values at `target`.
template <class Loss, class Net, std::size_t S>
StepResult<typename Net::value_type> fused_sgd_step_row(Net& net, const typename Net::input_type& input,
                                                        const typename Net::value_type* target,
                                                        typename Net::value_type learning_rate,
                                                        Workspace<Net, S>& workspace,
                                                        typename Net::value_type weight_decay) noexcept {
    using T = typename Net::value_type;
    using Arch = typename Net::arch_type;
    using V = simd::vector_t<T, Arch>;
    using layers = typename Net::layers;
    detail::check_loss_pairing<Loss, typename Net::output_activation>();
    if constexpr (!ctnn::Loss<Loss>) {
        return {};  // check_loss_pairing has said why; nothing below would compile
    } else {
        constexpr std::size_t last = layers::size - 1;
        using Out = typename layers::template at<last>;
        const T keep = T(1) - learning_rate * weight_decay;
        T* storage = net.storage().data();
        // The target in a padded row, written long before the output delta reads it a register at a time.
        alignas(simd::alignment<T, Arch>) typename Out::row padded_target{};
        for (std::size_t k = 0; k < Net::output_size; ++k) padded_target[k] = target[k];

        detail::forward_pass(net, input.data(), workspace);
        // Not tested here: a branch on the loss, which waits for its logarithm, before the backward pass cost a
        // 2-16-16-1 step 15 % (its instructions fill the reorder buffer); the loss joins the one test below.
        const T loss = detail::sample_loss<Loss>(workspace, target);
        // Every z: its residue taken now, before PReLU slope gradients take their place. The magnitudes of each
        // hidden layer's y, for the overflow bound below.
        V residue(T(0)), x_magnitude(T(0)), d_magnitude(T(0));
        detail::for_each_index<layers::size>([&](auto i) {
            using L = typename layers::template at<i>;
            const auto& c = workspace.template layer<i>();
            residue = simd::add_finite_residue<Arch, L::padded_size>(c.z[0].data(), residue);
            if constexpr (i < last) x_magnitude = simd::add_abs<Arch, L::padded_size>(c.y[0].data(), x_magnitude);
        });
        {
            auto& out = workspace.template layer<last>();
            detail::output_delta_row<Loss, Arch, Net::output_size, Out::padded_size>(
                out.y[0].data(), padded_target.data(), out.delta[0].data(), T(1));
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
        // The magnitudes of every delta and slope gradient: they bound the updates below, and their sum is infinite
        // or NaN when one of them is, so it stands for a finiteness test of its own.
        detail::for_each_index<layers::size>([&](auto i) {
            using L = typename layers::template at<i>;
            const auto& c = workspace.template layer<i>();
            d_magnitude = simd::add_abs<Arch, L::padded_size>(c.delta[0].data(), d_magnitude);
            if constexpr (L::learned_slope)
                d_magnitude = simd::add_abs<Arch, L::padded_size>(c.z[0].data(), d_magnitude);
        });
        // The sums of the magnitudes of all inputs (the sample's, each hidden layer's y) and of all deltas and slope
        // gradients, for the overflow bound below. The z residues ride on the first: adding 0 while every z is finite,
        // NaN otherwise.
        const T x_sum = simd::sum_abs<Arch, Net::input_size>(input.data()) + simd::reduce_add(V(x_magnitude + residue));
        const T d_sum = simd::reduce_add(d_magnitude);
        // One test while all is well: the loss and both sums are finite (x - x is 0 for finite x, NaN otherwise). When
        // it fails, the slow path tells which, and whether a sum only overflowed.
        if (!((loss - loss) + (x_sum - x_sum) + (d_sum - d_sum) == T(0))) {
            const StepStatus status = detail::non_finite_status(loss, residue, workspace);
            if (status != StepStatus::ok) return {loss, status};
        }

        // Two copies of the updates, so that each kernel's choice is made at compile time. First layer first: the next
        // step's forward pass starts with its weights (3 % less time a 2-16-16-1 step than from the last layer).
        auto update = [&](auto guarded) {
            constexpr bool Guarded = decltype(guarded)::value;
            bool all = true;
            detail::for_each_index<layers::size>([&](auto i) {
                using L = typename layers::template at<i>;
                auto& c = workspace.template layer<i>();
                if constexpr (i == 0) {
                    all &= L::template subtract_gradient<Guarded>(storage, input.data(), c, learning_rate, keep);
                } else {
                    all &= L::template subtract_gradient<Guarded>(
                        storage, workspace.template layer<i - 1>().y[0].data(), c, learning_rate, keep);
                }
                if constexpr (L::learned_slope) {
                    all &= simd::subtract_scaled<Arch, L::padded_size, Guarded>(storage + L::slope_offset,
                                                                                c.z[0].data(), learning_rate, keep);
                }
            });
            return all;
        };
#ifdef __OPTIMIZE_SIZE__
        // Built for size (-Os): one copy of the updates, the guarded one, and no bound.
        const bool applied = update(std::true_type{});
#else
        // Overflow: every step is fma(-rate x_i, delta_o, keep w), with x_i = 1 for biases and slopes. The sums of
        // the magnitudes of all inputs (at least 1) and of all deltas and slope gradients bound every factor, so
        // when simd::cannot_overflow holds for them no update can overflow, and the kernels store without a select.
        const bool applied = simd::cannot_overflow(keep, learning_rate * (x_sum < T(1) ? T(1) : x_sum), d_sum)
                                 ? update(std::false_type{})
                                 : update(std::true_type{});
#endif
        return {loss, applied ? StepStatus::ok : StepStatus::non_finite_update};
    }
}

}  // namespace detail

/// One stochastic gradient descent step on one sample, with optional L2 weight decay:
/// w <- w - learning_rate (dL/dw + weight_decay w) for every parameter (weights, biases
/// and PReLU slopes), the same update as ctnn::SGD after ctnn::backward on a batch of one.
/// Returns the sample's loss before the update, and whether the update was made (in full,
/// in part, or not at all). RReLU layers run in the workspace's mode
/// (ctnn::Workspace::draw_slopes).
///
/// Divergence: the gradient dL/dW of a layer is x delta^T, and this step never forms it. It
/// computes every layer's delta first (from the weights before the update; a PReLU layer's
/// slope gradient goes to its z row, which nothing reads afterwards), then checks the loss,
/// every layer's pre-activation z and every delta, and only then updates the layers. (A
/// layer's input x is checked through the z it feeds: an infinite or NaN x_i makes every
/// lane of z = b + sum_i x_i W_i infinite or NaN, even where W_i is 0.) When one of them is
/// infinite or NaN it returns StepStatus::non_finite_loss or non_finite_gradient and leaves
/// the network as it was.
///
/// Overflow of the update: each parameter's new value, computed in T (keep w -
/// learning_rate x delta with keep = 1 - learning_rate weight_decay), is stored only when it
/// is finite (simd::subtract_outer_product, subtract_scaled, guarded); a parameter whose update
/// overflows keeps its value, the others are updated, and the step returns
/// StepStatus::non_finite_update. A gradient x_i delta_j that overflows although x and delta
/// are finite shows here, as an overflowed update of that weight (the unfused step reports it
/// as non_finite_gradient). When keep itself overflows (learning_rate weight_decay beyond the
/// largest T), every parameter keeps its value. The guard costs a pass over the activations
/// and deltas (sums of magnitudes, simd::cannot_overflow) while no update can overflow: the
/// kernels then store without a select. Built for size (-Os, `__OPTIMIZE_SIZE__`), the step
/// takes the guarded kernels always and computes no bound: one copy of the update code
/// instead of two (on Cortex-M4F, for a Trainer's SGD step of 2-16-16-1: 6,076 instead of
/// 6,972 bytes of flash, 10,933 instead of 8,246 instructions per step).
///
/// `target`: an array of output_size values, or a class label (ctnn/loss/class_labels.hpp:
/// the same step as with the array it encodes). A label out of range refuses the step:
/// StepStatus::invalid_target, the loss NaN (not computed), the network unchanged.
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
    return detail::fused_sgd_step_row<Loss>(net, input, target.data(), learning_rate, workspace, weight_decay);
}

template <class Loss, class Net, std::size_t S, ClassLabel Label>
StepResult<typename Net::value_type> fused_sgd_step(Net& net, const typename Net::input_type& input, Label label,
                                                    typename Net::value_type learning_rate,
                                                    Workspace<Net, S>& workspace,
                                                    typename Net::value_type weight_decay = 0) noexcept {
    using T = typename Net::value_type;
    detail::check_class_labels<Loss, Net>();
    if constexpr (label_classes<Loss, Net> == 0) {
        return {};  // check_class_labels has said why
    } else {
        if (!label_in_range<label_classes<Loss, Net>>(label)) {
            return {std::numeric_limits<T>::quiet_NaN(), StepStatus::invalid_target};
        }
        detail::target_labels<Net, Label> encoded{&label};
        return detail::fused_sgd_step_row<Loss>(net, input, encoded.row(0), learning_rate, workspace, weight_decay);
    }
}

/// Not a step: an input or target of another scalar type or size than the network's stops
/// here with one sentence (detail/sample_types.hpp).
template <class Loss, class Net, class In, class... Rest>
    requires detail::WrongSamplesFor<Net, In, Rest...> StepResult<typename Net::value_type> fused_sgd_step(Net&,
                                                                                                           const In&,
                                                                                                           Rest&&...)
noexcept {
    static_assert(!detail::WrongSamplesFor<Net, In, Rest...>,
                  "ctnn::fused_sgd_step<Loss>(net, input, target, learning_rate, workspace): " CTNN_DETAIL_SAMPLES_FIX);
    return {};
}

}  // namespace ctnn
