#pragma once

/// @file
/// Learning-rate schedules: eta(t) for the step t = 1, 2, ... Each is a small aggregate,
/// callable as `schedule(t)`, so an optimiser takes any of them (or your own callable).

#include <cmath>
#include <concepts>
#include <cstddef>

namespace ctnn {

/// A callable giving the learning rate of step t (t >= 1).
template <class S>
concept LearningRateSchedule = requires(const S& s, std::size_t t) {
    { s(t) } -> std::convertible_to<double>;
};

/// eta(t) = rate.
struct ConstantRate {
    double rate = 0.01;
    [[nodiscard]] constexpr double operator()(std::size_t /*t*/) const noexcept { return rate; }
};

/// eta(t) = initial * factor^floor((t - 1) / every): multiplied by `factor` every `every` steps.
struct StepDecay {
    double initial = 0.1;
    double factor = 0.5;
    std::size_t every = 1000;
    [[nodiscard]] double operator()(std::size_t t) const noexcept {
        return initial * std::pow(factor, static_cast<double>((t - 1) / every));
    }
};

/// eta(t) = initial * gamma^(t - 1).
struct ExponentialDecay {
    double initial = 0.1;
    double gamma = 0.999;
    [[nodiscard]] double operator()(std::size_t t) const noexcept {
        return initial * std::pow(gamma, static_cast<double>(t - 1));
    }
};

/// eta(t) = initial / (1 + decay * (t - 1)): the 1/t schedule of stochastic approximation.
struct InverseTimeDecay {
    double initial = 0.1;
    double decay = 0.001;
    [[nodiscard]] constexpr double operator()(std::size_t t) const noexcept {
        return initial / (1 + decay * static_cast<double>(t - 1));
    }
};

}  // namespace ctnn
