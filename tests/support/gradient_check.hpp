#pragma once

// One finite-difference gradient checker for every activation, output unit and loss
// (dlib's test_layer idea). ctnn's analytic gradients (parameters and inputs) are
// compared with central differences of
//   - the independent long-double reference MLP (reference_mlp.hpp), tight tolerance;
//   - ctnn's own loss in the network's precision, loose tolerance in float.
// Rectifier kinks and steps make a central difference wrong when the step crosses one; an
// entry that disagrees at step h is retried at h/3 and h/9, which step off a kink at
// distance d > h/9. Such entries are counted, and must stay rare.

#include <ctnn/ctnn.hpp>

#include "support/reference_mlp.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <span>
#include <vector>

namespace ctnn_test {

struct GradientReport {
    real worst = 0;            // largest |analytic - numeric| / scale over the entries
    real scale = 0;            // largest |numeric| or |analytic|
    std::size_t entries = 0;   // entries compared
    std::size_t stepped = 0;   // entries that needed a smaller step (a kink was crossed)
    std::size_t failures = 0;  // entries outside the tolerance at every step
};

/// Compares `analytic[k]` with (f(k, +h) - f(k, -h)) / 2h, where f(k, d) is the loss with
/// entry k moved by d.
template <class F>
GradientReport compare_with_central_differences(const std::vector<real>& analytic, F&& loss_at, real h,
                                                real tolerance) {
    GradientReport report;
    report.entries = analytic.size();
    auto central = [&](std::size_t k, real step) { return (loss_at(k, step) - loss_at(k, -step)) / (2 * step); };
    std::vector<real> numeric(analytic.size());
    for (std::size_t k = 0; k < analytic.size(); ++k) {
        numeric[k] = central(k, h);
        report.scale = std::max({report.scale, std::fabs(numeric[k]), std::fabs(analytic[k])});
    }
    report.scale = std::max(report.scale, real(1e-12));
    for (std::size_t k = 0; k < analytic.size(); ++k) {
        real error = std::fabs(analytic[k] - numeric[k]);
        if (error > tolerance * report.scale) {
            for (real smaller : {h / 3, h / 9}) error = std::min(error, std::fabs(analytic[k] - central(k, smaller)));
            if (error <= tolerance * report.scale) {
                ++report.stepped;
            } else {
                ++report.failures;
            }
        }
        report.worst = std::max(report.worst, error / report.scale);
    }
    return report;
}

template <class T>
struct tolerances;
template <>
struct tolerances<float> {
    static constexpr real reference = 1e-5;  // float analytic vs long-double differences
    static constexpr real self = 5e-2;       // float analytic vs float differences (noise-bound)
    static constexpr real self_step = 5e-3;
};
template <>
struct tolerances<double> {
    static constexpr real reference = 1e-10;
    static constexpr real self = 1e-7;
    static constexpr real self_step = 1e-6;
};
inline constexpr real reference_step = 1e-6;

/// Fills `net` with W ~ N(0, 1/fan_in), b ~ N(0, 1/4) and PReLU slopes in [0.05, 0.45].
template <class Net>
void randomize(Net& net, ctnn::Random& random) {
    using T = typename Net::value_type;
    using layers = typename Net::layers;
    std::size_t first = 0;
    ctnn::detail::static_for<layers::size>([&](auto i) {
        using L = typename layers::template at<i>;
        const T deviation = T(1) / std::sqrt(static_cast<T>(L::input_size));
        for (std::size_t k = 0; k < L::parameter_count; ++k) {
            T value;
            if (k < L::input_size * L::output_size) {
                value = random.normal<T>(0, deviation);
            } else if (k < L::input_size * L::output_size + L::output_size) {
                value = random.normal<T>(0, T(0.5));
            } else {
                value = random.uniform<T>(T(0.05), T(0.45));
            }
            net.set_parameter(first + k, value);
        }
        first += L::parameter_count;
    });
}

/// Targets a loss makes sense of: any reals for the squared errors, probabilities for BCE, one-hot rows
/// for CCE.
template <class Loss, class Net>
std::vector<typename Net::output_type> make_targets(std::size_t count, ctnn::Random& random) {
    using T = typename Net::value_type;
    std::vector<typename Net::output_type> targets(count);
    for (auto& t : targets) {
        if constexpr (std::is_same_v<Loss, ctnn::MeanSquaredError> || std::is_same_v<Loss, ctnn::MSELoss>) {
            for (auto& v : t) v = random.normal<T>();
        } else if constexpr (std::is_same_v<Loss, ctnn::BinaryCrossEntropy>) {
            for (auto& v : t) v = random.uniform<T>();
        } else {
            t.fill(T(0));
            t[random.below(static_cast<std::uint32_t>(Net::output_size))] = T(1);
        }
    }
    return targets;
}

template <class Net>
std::vector<typename Net::input_type> make_inputs(std::size_t count, ctnn::Random& random) {
    std::vector<typename Net::input_type> inputs(count);
    for (auto& x : inputs) {
        for (auto& v : x) v = random.normal<typename Net::value_type>();
    }
    return inputs;
}

/// `count` inputs whose hidden pre-activations all lie at least `margin` from 0, where every rectifier and step of
/// ctnn has its kink (ReLU and its family, Abs, BinaryStep, ELU's second derivative). The finite differences then
/// cross no kink: their steps move a pre-activation by far less than the margin. Without this, whether a rectifier's
/// or a step's gradient check passes would depend on how close the random draws came to a kink (a step function's
/// central difference across its jump is as large as the jump over the step). Each sample is drawn again until it
/// qualifies.
template <class Net>
std::vector<typename Net::input_type> make_inputs_away_from_kinks(const Net& net, std::size_t count,
                                                                  ctnn::Random& random, real margin) {
    const ReferenceMlp reference = reference_of(net);
    std::vector<typename Net::input_type> inputs(count);
    for (auto& x : inputs) {
        bool clear = false;
        for (int attempt = 0; attempt < 10000 && !clear; ++attempt) {
            for (auto& v : x) v = random.normal<typename Net::value_type>();
            std::vector<real> z;
            (void)reference.forward(std::vector<real>(x.begin(), x.end()), &z);
            clear = std::all_of(z.begin(), z.end(), [&](real v) { return std::fabs(v) >= margin; });
        }
        REQUIRE(clear);
    }
    return inputs;
}

struct GradientCheck {
    GradientReport parameters_vs_reference;
    GradientReport inputs_vs_reference;
    GradientReport parameters_vs_self;
    GradientReport inputs_vs_self;
};

/// Checks backward<Loss> on `net` for a batch, in the mode `workspace` is in.
template <class Loss, class Net>
GradientCheck check_gradients(const Net& net, std::vector<typename Net::input_type> inputs,
                              const std::vector<typename Net::output_type>& targets, ctnn::Workspace<Net>& workspace) {
    using T = typename Net::value_type;
    constexpr std::size_t in = Net::input_size;
    const std::size_t batch = inputs.size();

    ctnn::Gradients<Net> gradients;
    std::vector<typename Net::input_type> input_gradients(batch);
    (void)ctnn::backward<Loss>(net, inputs, targets, gradients, workspace, input_gradients);

    std::vector<T> g(Net::parameter_count);
    gradients.read(std::span<T, Net::parameter_count>(g.data(), g.size()));
    const std::vector<real> parameter_gradient(g.begin(), g.end());
    std::vector<real> input_gradient;
    for (const auto& dx : input_gradients) input_gradient.insert(input_gradient.end(), dx.begin(), dx.end());

    GradientCheck check;

    // Against the reference, in long double.
    ReferenceMlp reference = reference_of(net, &workspace);
    std::vector<std::vector<real>> xs, ts;
    for (std::size_t s = 0; s < batch; ++s) {
        xs.emplace_back(inputs[s].begin(), inputs[s].end());
        ts.emplace_back(targets[s].begin(), targets[s].end());
    }
    constexpr LossKind kind = loss_kind<Loss>();
    check.parameters_vs_reference = compare_with_central_differences(
        parameter_gradient,
        [&](std::size_t k, real d) {
            const real kept = reference.parameters[k];
            reference.parameters[k] = kept + d;
            const real value = reference.mean_loss(kind, xs, ts);
            reference.parameters[k] = kept;
            return value;
        },
        reference_step, tolerances<T>::reference);
    check.inputs_vs_reference = compare_with_central_differences(
        input_gradient,
        [&](std::size_t k, real d) {
            real& entry = xs[k / in][k % in];
            const real kept = entry;
            entry = kept + d;
            const real value = reference.mean_loss(kind, xs, ts);
            entry = kept;
            return value;
        },
        reference_step, tolerances<T>::reference);

    // Against ctnn's own loss, in T.
    Net moved = net;
    check.parameters_vs_self = compare_with_central_differences(
        parameter_gradient,
        [&](std::size_t k, real d) {
            const T kept = moved.parameter(k);
            moved.set_parameter(k, kept + static_cast<T>(d));
            const T value = ctnn::loss<Loss>(moved, inputs, targets, workspace);
            moved.set_parameter(k, kept);
            return static_cast<real>(value);
        },
        tolerances<T>::self_step, tolerances<T>::self);
    check.inputs_vs_self = compare_with_central_differences(
        input_gradient,
        [&](std::size_t k, real d) {
            T& entry = inputs[k / in][k % in];
            const T kept = entry;
            entry = kept + static_cast<T>(d);
            const T value = ctnn::loss<Loss>(net, inputs, targets, workspace);
            entry = kept;
            return static_cast<real>(value);
        },
        tolerances<T>::self_step, tolerances<T>::self);
    return check;
}

}  // namespace ctnn_test
