#pragma once

/// @file
/// What training reports: ctnn::StepStatus and ctnn::StepResult for one step,
/// ctnn::TrainingResult for a run of steps. A step whose loss or gradient is not finite
/// (the run has diverged) updates nothing and says so, instead of filling the network with
/// NaN; a run of steps stops there and says at which step.

#include <cstddef>

namespace ctnn {

/// Whether a training step updated the network.
enum class StepStatus : unsigned char {
    ok,                   ///< the parameters (and the optimiser's state) were updated
    non_finite_loss,      ///< the loss was infinite or NaN: nothing was updated
    non_finite_gradient,  ///< the loss was finite but a gradient was not: nothing was updated
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
    }
    return "unknown";
}

/// One training step: the loss before the update and whether the update was made.
/// Converts to true when it was (`if (!trainer.step(x, t)) ...`).
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
/// at the first step that is refused. Converts to true when every step was taken.
template <class T>
struct [[nodiscard]] TrainingResult {
    /// The mean loss of the steps taken (weighted by their samples for minibatches); 0 when
    /// none was.
    T loss = 0;
    /// Steps taken, each of which updated the network.
    std::size_t steps = 0;
    /// ok when the run completed; otherwise why step `steps + 1` was refused.
    StepStatus status = StepStatus::ok;

    [[nodiscard]] constexpr bool ok() const noexcept { return status == StepStatus::ok; }
    constexpr explicit operator bool() const noexcept { return ok(); }
    /// The refused step, counted from 1 within the run (`steps + 1`); 0 when the run completed.
    [[nodiscard]] constexpr std::size_t failed_step() const noexcept { return ok() ? 0 : steps + 1; }
};

}  // namespace ctnn
