#pragma once

/// @file
/// ctnn::Trainer: everything training needs besides the network (workspace, gradients,
/// optimiser state, a random generator, the step count), sized at compile time, so a
/// training step performs no heap allocation and an inference-only program carries none
/// of it. It can be large (Adam keeps two more copies of the parameters): give big
/// networks' trainers static storage, like the networks.

#include "ctnn/backprop.hpp"
#include "ctnn/config.hpp"
#include "ctnn/detail/sample_types.hpp"
#include "ctnn/gradients.hpp"
#include "ctnn/loss/class_labels.hpp"
#include "ctnn/random.hpp"
#include "ctnn/simd/reduce.hpp"
#include "ctnn/train/clip.hpp"
#include "ctnn/train/fused_sgd_step.hpp"
#include "ctnn/train/sgd.hpp"
#include "ctnn/train/step_result.hpp"
#include "ctnn/workspace.hpp"

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <span>

namespace ctnn {

/// Trains a `Net` with `Loss` and `Optimizer` (ctnn::SGD, ctnn::Momentum, ctnn::Adam).
/// Each step: RReLU slopes drawn for the step, forward and backward over the samples
/// (gradient of the mean loss), a check that the loss and the gradient are finite,
/// optional gradient-norm clipping, then the optimiser's update with the learning rate of
/// step t = 1, 2, ...
///
/// Divergence is reported, not spread: no step writes an infinity or a NaN into the network.
/// - A step whose loss or gradient is infinite or NaN returns StepStatus::non_finite_loss or
///   non_finite_gradient and changes neither the network, nor the optimiser's state
///   (momentum, Adam's moments), nor step_count(), so the parameters stay at their last
///   finite values and training can resume, for example with a lower learning rate. The
///   check costs a pass over the gradients without clipping (clipping computes their norm
///   anyway) and, for the fused one-sample SGD step, a pass over the activations and deltas.
/// - A step with a finite loss and gradient whose update overflows T for some parameters (a
///   learning rate far too large: float SGD at 1e38 with a gradient of 10; under Adam, a
///   float gradient beyond 5.8e20, whose v overflows) returns StepStatus::non_finite_update:
///   those parameters and their optimiser state keep their values, every other parameter is
///   updated, and step_count() advances (the step was made, with its learning rate and bias
///   correction). The optimisers' update guards each parameter (simd::update_parameters; for
///   the fused step, simd::subtract_outer_product and subtract_scaled) and says whether it
///   updated all.
/// - A step given a class label out of range (see ctnn/loss/class_labels.hpp) returns
///   StepStatus::invalid_target and changes nothing, not even the generator's state.
/// train_epoch() and train_random_samples() stop at the first step that is not ok and say
/// which it was.
template <class Net, class Loss, class Optimizer = SGD<>>
class Trainer {
public:
    using value_type = typename Net::value_type;
    using input_type = typename Net::input_type;
    using output_type = typename Net::output_type;

    /// Trains `network`, which must outlive the trainer. `seed` drives the sample picks
    /// of train_random_samples() and RReLU's slopes.
    explicit Trainer(Net& network, Optimizer optimizer = {}, std::uint64_t seed = 1) noexcept
        : network_(&network), optimizer_(optimizer), random_(seed) {}

    /// One update from a minibatch of B samples: `inputs` (B arrays of input_size) and
    /// `targets` (B arrays of output_size). Returns the batch's mean loss before the update, and
    /// whether the update was made (see the class: not when the loss or the gradient is not
    /// finite; in part when it overflows for some parameters). Requires: a non-empty batch,
    /// as many targets as inputs.
    StepResult<value_type> step(std::span<const input_type> inputs, std::span<const output_type> targets) noexcept {
        return update_from(inputs, targets);
    }

    /// One update from a minibatch with class-index targets: `labels` holds B class labels
    /// (ctnn::ClassLabels; for ctnn::CategoricalCrossEntropy and for ctnn::BinaryCrossEntropy
    /// with one Sigmoid output, see ctnn/loss/class_labels.hpp), the same step as with the
    /// target arrays they encode. A label out of range refuses the step before anything is
    /// drawn or computed: StepStatus::invalid_target, the loss NaN.
    template <ClassLabels Labels>
    StepResult<value_type> step(std::span<const input_type> inputs, const Labels& labels) noexcept {
        const auto given = detail::label_span(labels);
        detail::check_class_labels<Loss, Net>();
        if (!labels_in_range<Loss, Net>(given)) return invalid_target();
        return update_from(inputs, given);
    }

    /// One update from one sample: `input` (input_size values) and `target`, an array of
    /// output_size values or a class label (as for the minibatch forms). With ctnn::SGD and no
    /// clipping this is ctnn::fused_sgd_step (the weights are updated during backpropagation,
    /// and gradients() is left as it was).
    template <detail::sample_target<Net> Target = output_type>
    StepResult<value_type> step(const input_type& input, const Target& target) noexcept {
        if constexpr (ClassLabel<Target>) {
            detail::check_class_labels<Loss, Net>();
            if (!label_in_range<label_classes<Loss, Net>>(target)) return invalid_target();
        }
        if constexpr (detail::is_sgd<Optimizer>) {
            if (max_gradient_norm_ == 0) {
                workspace_.draw_slopes(random_);
                const auto eta = static_cast<value_type>(optimizer_.learning_rate(steps_ + 1));
                const auto result = fused_sgd_step<Loss>(*network_, input, target, eta, workspace_,
                                                         static_cast<value_type>(optimizer_.weight_decay));
                if (result.ok() || result.status == StepStatus::non_finite_update) ++steps_;
                return result;
            }
        }
        return step(std::span<const input_type>(&input, 1), std::span<const Target>(&target, 1));
    }

    /// The classic algorithm: `steps` times, pick a training sample uniformly at random,
    /// then forward, backpropagate and update. `targets`: one array of output_size per input,
    /// or one class label per input (ctnn::ClassLabels). Returns the mean of the losses of the
    /// ok steps; stops at the first step that is not ok, refused or made in part (see
    /// TrainingResult), also at a label out of range once it is picked (invalid_target).
    TrainingResult<value_type> train_random_samples(std::span<const input_type> inputs,
                                                    std::span<const output_type> targets, std::size_t steps) noexcept {
        return random_samples(inputs, targets, steps);
    }
    template <ClassLabels Labels>
    TrainingResult<value_type> train_random_samples(std::span<const input_type> inputs, const Labels& labels,
                                                    std::size_t steps) noexcept {
        return random_samples(inputs, detail::label_span(labels), steps);
    }

    /// One pass over the samples in their order, in minibatches of `batch_size` (the last
    /// may be smaller). `targets`: one array of output_size per input, or one class label per
    /// input (ctnn::ClassLabels). Returns the mean loss over the samples of the ok steps; stops
    /// at the first step that is not ok, refused or made in part (its batch starts at sample
    /// `steps * batch_size`; see TrainingResult), also at a batch with a label out of range
    /// (invalid_target). Shuffle between epochs (ctnn::data::shuffle) for stochastic minibatches.
    TrainingResult<value_type> train_epoch(std::span<const input_type> inputs, std::span<const output_type> targets,
                                           std::size_t batch_size) noexcept {
        return epoch(inputs, targets, batch_size);
    }
    template <ClassLabels Labels>
    TrainingResult<value_type> train_epoch(std::span<const input_type> inputs, const Labels& labels,
                                           std::size_t batch_size) noexcept {
        return epoch(inputs, detail::label_span(labels), batch_size);
    }

    /// Not steps: inputs or targets of another scalar type or size than the network's stop
    /// here with one sentence (detail/sample_types.hpp).
    template <class In, class... Rest>
        requires detail::WrongSamplesFor<Net, In, Rest...> StepResult<value_type> step(const In&, Rest&&...)
    noexcept {
        static_assert(!detail::WrongSamplesFor<Net, In, Rest...>,
                      "ctnn::Trainer::step(inputs, targets): " CTNN_DETAIL_SAMPLES_FIX);
        return {};
    }
    template <class In, class... Rest>
        requires detail::WrongSamplesFor<Net, In, Rest...> TrainingResult<value_type> train_random_samples(const In&,
                                                                                                           Rest&&...)
    noexcept {
        static_assert(!detail::WrongSamplesFor<Net, In, Rest...>,
                      "ctnn::Trainer::train_random_samples(inputs, targets, steps): " CTNN_DETAIL_SAMPLES_FIX);
        return {};
    }
    template <class In, class... Rest>
        requires detail::WrongSamplesFor<Net, In, Rest...> TrainingResult<value_type> train_epoch(const In&, Rest&&...)
    noexcept {
        static_assert(!detail::WrongSamplesFor<Net, In, Rest...>,
                      "ctnn::Trainer::train_epoch(inputs, targets, batch_size): " CTNN_DETAIL_SAMPLES_FIX);
        return {};
    }

    /// Clip the gradient's Euclidean norm to `max_norm` before each update; 0 turns it off.
    void clip_gradients(value_type max_norm) noexcept { max_gradient_norm_ = max_norm; }

    /// Updates made so far, in full or in part (non_finite_update counts; refused steps do
    /// not); the next one uses the learning rate of step_count() + 1.
    [[nodiscard]] std::size_t step_count() const noexcept { return steps_; }
    [[nodiscard]] Optimizer& optimizer() noexcept { return optimizer_; }
    [[nodiscard]] Random& random() noexcept { return random_; }
    /// The gradients of the last step that computed them: every step but a one-sample SGD step
    /// without clipping, which never materialises them. After a refused step, that step's
    /// gradients (not clipped).
    [[nodiscard]] const Gradients<Net>& gradients() const noexcept { return gradients_; }
    [[nodiscard]] Net& network() noexcept { return *network_; }

private:
    static StepResult<value_type> invalid_target() noexcept {
        return {std::numeric_limits<value_type>::quiet_NaN(), StepStatus::invalid_target};
    }

    /// A minibatch step with valid targets (target arrays, or labels in range).
    template <class Targets>
    StepResult<value_type> update_from(std::span<const input_type> inputs, const Targets& targets) noexcept {
        using Arch = typename Net::arch_type;
        workspace_.draw_slopes(random_);
        const value_type loss = backward<Loss>(*network_, inputs, targets, gradients_, workspace_);
        if (!std::isfinite(loss)) return {loss, StepStatus::non_finite_loss};
        if (max_gradient_norm_ > 0) {
            const auto norm = detail::gradient_norm_parts(gradients_);
            if (!norm.finite()) return {loss, StepStatus::non_finite_gradient};
            detail::clip_to(gradients_, norm, max_gradient_norm_);
        } else if (!simd::all_finite<Arch, Net::storage_size>(gradients_.storage().data())) {
            return {loss, StepStatus::non_finite_gradient};
        }
        const bool applied = optimizer_.update(*network_, gradients_, state_, ++steps_);
        return {loss, applied ? StepStatus::ok : StepStatus::non_finite_update};
    }

    template <class Target>
    TrainingResult<value_type> random_samples(std::span<const input_type> inputs, std::span<const Target> targets,
                                              std::size_t steps) noexcept {
        CTNN_ASSERT(!inputs.empty() && inputs.size() == targets.size(),
                    "Trainer::train_random_samples: needs as many targets as inputs, at least one");
        TrainingResult<value_type> result;
        for (std::size_t s = 0; s < steps; ++s) {
            const std::size_t k = random_.below(static_cast<std::uint32_t>(inputs.size()));
            const auto taken = step(inputs[k], targets[k]);
            if (!taken) {
                result.status = taken.status;
                break;
            }
            ++result.steps;
            // A running mean: a sum of finite losses could overflow where their mean does not.
            result.loss += (taken.loss - result.loss) / static_cast<value_type>(result.steps);
        }
        return result;
    }

    template <class Target>
    TrainingResult<value_type> epoch(std::span<const input_type> inputs, std::span<const Target> targets,
                                     std::size_t batch_size) noexcept {
        CTNN_ASSERT(batch_size > 0, "Trainer::train_epoch: batch_size must be at least 1");
        CTNN_ASSERT(!inputs.empty() && inputs.size() == targets.size(),
                    "Trainer::train_epoch: needs as many targets as inputs, at least one");
        TrainingResult<value_type> result;
        std::size_t samples = 0;
        for (std::size_t first = 0; first < inputs.size(); first += batch_size) {
            const std::size_t count = std::min(batch_size, inputs.size() - first);
            const auto taken = step(inputs.subspan(first, count), targets.subspan(first, count));
            if (!taken) {
                result.status = taken.status;
                break;
            }
            ++result.steps;
            samples += count;
            // A running mean weighted by the batch sizes (no sum that could overflow).
            result.loss +=
                (taken.loss - result.loss) * (static_cast<value_type>(count) / static_cast<value_type>(samples));
        }
        return result;
    }

    Net* network_;
    Optimizer optimizer_;
    typename Optimizer::template State<Net> state_{};
    Workspace<Net> workspace_;
    Gradients<Net> gradients_;
    Random random_;
    value_type max_gradient_norm_ = 0;
    std::size_t steps_ = 0;
};

}  // namespace ctnn
