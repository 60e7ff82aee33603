// Built by tests/cross_consumer for the cross targets: the freestanding core (ctnn/ctnn.hpp) trains and evaluates a
// small network with the target's kernels (NEON on AArch64, the scalar path on Cortex-M).
#include "network.hpp"

#include <ctnn/ctnn.hpp>

#include <array>
#include <cstddef>

namespace {
using Net = ctnn::Network<float, ctnn::Input<2>, ctnn::Dense<8, ctnn::Tanh>, ctnn::Dense<1, ctnn::Sigmoid>>;
}  // namespace

float xor_error_after_training() {
    constexpr std::array<std::array<float, 2>, 4> inputs{{{0.f, 0.f}, {0.f, 1.f}, {1.f, 0.f}, {1.f, 1.f}}};
    constexpr std::array<float, 4> targets{0.f, 1.f, 1.f, 0.f};

    Net net;
    ctnn::Random random{7};
    ctnn::init::normal_inverse_fan_in(net, random);
    ctnn::Trainer<Net, ctnn::BinaryCrossEntropy, ctnn::SGD<>> trainer{net, {.learning_rate = {0.1}}};
    for (int epoch = 0; epoch < 2000; ++epoch) {
        for (std::size_t i = 0; i < inputs.size(); ++i) {
            static_cast<void>(trainer.step(inputs[i], {targets[i]}));
        }
    }
    float error = 0.f;
    for (std::size_t i = 0; i < inputs.size(); ++i) {
        const float d = net.forward(inputs[i])[0] - targets[i];
        error += d * d;
    }
    return error;
}

const char* simd_arch_name() {
    return ctnn::simd::default_arch::name();
}
