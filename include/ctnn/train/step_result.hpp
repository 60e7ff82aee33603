#pragma once

/// @file
/// What training reports: ctnn::StepStatus and ctnn::StepResult for one step,
/// ctnn::TrainingResult for a run of steps. A step given a class label out of range, or
/// whose loss or gradient is not finite (the run has diverged), updates nothing and says so,
/// instead of filling the network with NaN; a step whose update overflows T for some parameters leaves those alone,
/// updates the others, and says so; a run of steps stops there and says at which step.

#include <cstddef>

namespace ctnn {

/// Whether a training step updated the network.
enum class StepStatus : unsigned char {
    ok,                   ///< the parameters (and the optimiser's state) were updated
    non_finite_loss,      ///< the loss was infinite or NaN: nothing was updated
    non_finite_gradient,  ///< the loss was finite but a gradient was not: nothing was updated
    /// The loss and the gradient were finite, but the update of some parameters overflowed T:
    /// their new value (or optimiser state: velocity, Adam's m or v), computed in T, was
    /// infinite or NaN. Those parameters and their optimiser state kept their values, bit for
    /// bit; every other parameter was updated. The step was made (ctnn::Trainer::step_count()
    /// counts it, and the next step uses the next learning rate and Adam bias correction), so
    /// the network holds no infinity or NaN. Typically a learning rate far too large.
    non_finite_update,
    /// A target the loss cannot take: a class label out of range (ctnn/loss/class_labels.hpp;
    /// at least output_size, negative, or not 0 or 1 for one Sigmoid output). Nothing was
    /// updated, nothing drawn from the trainer's generator, and the loss is NaN (not computed).
    invalid_target,
};

/// The name of a StepStatus, e.g. "non_finite_loss".
[[nodiscard]] constexpr const char* to_string(StepStatus status) noexcept {
    switch (status) {
        case StepStatus::ok:
            return "ok";
        case StepStatus::non_finite_loss:
            return "non_finite_loss";
        case StepStatus::non_finite_gradient:
            return "non_finite_gradient";
        case StepStatus::non_finite_update:
            return "non_finite_update";
        case StepStatus::invalid_target:
            return "invalid_target";
    }
    return "unknown";
}

/// One training step: the loss before the update and whether the update was made in full.
/// Converts to true when it was (`if (!trainer.step(x, t)) ...`): a partial update
/// (non_finite_update) converts to false.
template <class T>
struct [[nodiscard]] StepResult {
    /// The mean loss over the step's samples before the update, as computed (also when it
    /// is not finite).
    T loss = 0;
    StepStatus status = StepStatus::ok;

    [[nodiscard]] constexpr bool ok() const noexcept { return status == StepStatus::ok; }
    constexpr explicit operator bool() const noexcept { return ok(); }
};

/// A run of training steps (ctnn::Trainer::train_epoch, train_random_samples), which stops
/// at the first step that is not ok: refused (non_finite_loss, non_finite_gradient,
/// invalid_target: it changed nothing) or made in part (non_finite_update: some parameters kept their values, the
/// others were updated, and the trainer's step_count() counts it). Converts to true when every step was ok.
template <class T>
struct [[nodiscard]] TrainingResult {
    /// The mean loss of the `steps` ok steps (weighted by their samples for minibatches),
    /// each before its update; 0 when there was none. The step that stopped the run does not
    /// count.
    T loss = 0;
    /// The steps that were ok, each of which updated every parameter. The run's steps 1 to
    /// `steps` were; step `steps + 1`, if the run stopped, was not.
    std::size_t steps = 0;
    /// ok when the run completed; otherwise the status of step `steps + 1`, where it stopped.
    StepStatus status = StepStatus::ok;

    [[nodiscard]] constexpr bool ok() const noexcept { return status == StepStatus::ok; }
    constexpr explicit operator bool() const noexcept { return ok(); }
    /// The step that stopped the run, counted from 1 within the run (`steps + 1`); 0 when the
    /// run completed.
    [[nodiscard]] constexpr std::size_t failed_step() const noexcept { return ok() ? 0 : steps + 1; }
};

}  // namespace ctnn
