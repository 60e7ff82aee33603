#pragma once

// The gradient test matrix: every hidden activation x every output/loss pairing x float
// and double, each in its own translation unit per pairing so they build in parallel.

#include "support/gradient_check.hpp"

#include <catch2/catch.hpp>

#include <cstdint>
#include <ratio>

namespace ctnn_test {

// Non-default parameters, so the checks see the parameter used.
using LeakyTenth = ctnn::LeakyReLU::with<std::ratio<1, 10>>;
using EluHalf = ctnn::ELU::with<std::ratio<1, 2>>;
using SwishTwo = ctnn::Swish::with<std::ratio<2>>;

/// `kink_share`: the share of entries allowed to need a smaller step; the loose float
/// self-check takes a large step, so it crosses more kinks and steps.
inline void require_close(const GradientReport& report, real tolerance, const char* what, std::size_t kink_share = 50) {
    INFO(what << ": worst |analytic - numeric| / scale = " << static_cast<double>(report.worst) << " (scale "
              << static_cast<double>(report.scale) << ", " << report.entries << " entries, " << report.stepped
              << " stepped off a kink)");
    CHECK(report.failures == 0);
    CHECK(report.worst <= tolerance);
    CHECK(report.stepped <= 2 + report.entries / kink_share);
}

/// Checks parameter and input gradients of `Net` trained with `Loss` on a random batch,
/// in inference mode and, for networks with RReLU, in training mode too.
template <class Loss, class Net>
void require_correct_gradients(std::uint64_t seed) {
    using T = typename Net::value_type;
    ctnn::Random random(seed);
    Net net;
    randomize(net, random);
    // 0.05: the float self-check's step (5e-3) moves a pre-activation by a few thousandths; the double and reference
    // steps by far less.
    const auto inputs = make_inputs_away_from_kinks(net, 4, random, 0.05);
    const auto targets = make_targets<Loss, Net>(4, random);

    ctnn::Workspace<Net> inference;
    const GradientCheck check = check_gradients<Loss>(net, inputs, targets, inference);
    require_close(check.parameters_vs_reference, tolerances<T>::reference, "parameters vs reference");
    require_close(check.inputs_vs_reference, tolerances<T>::reference, "inputs vs reference");
    require_close(check.parameters_vs_self, tolerances<T>::self, "parameters vs own loss", 20);
    require_close(check.inputs_vs_self, tolerances<T>::self, "inputs vs own loss", 20);

    ctnn::Workspace<Net> training;
    training.draw_slopes(random);
    const GradientCheck trained = check_gradients<Loss>(net, inputs, targets, training);
    require_close(trained.parameters_vs_reference, tolerances<T>::reference, "training mode: parameters vs reference");
    require_close(trained.inputs_vs_reference, tolerances<T>::reference, "training mode: inputs vs reference");
}

}  // namespace ctnn_test

#define CTNN_TEST_HIDDEN_ACTIVATIONS                                                                  \
    ctnn::Sigmoid, ctnn::Tanh, ctnn::ReLU, ctnn::Softplus, ctnn_test::LeakyTenth, ctnn_test::EluHalf, \
        ctnn_test::SwishTwo, ctnn::PReLU, ctnn::RReLU, ctnn::Abs, ctnn::BinaryStep, ctnn::Linear
