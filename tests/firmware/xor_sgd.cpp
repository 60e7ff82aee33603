// Firmware test: training on the device. XOR learned by a 2-8-1 Tanh/Sigmoid network from the host's fixed
// initialisation (xor_initial.hpp) with one SGD step per sample (ctnn::Trainer, binary cross-entropy), in order, for
// reference::xor_epochs passes. Converged: every output on the right side of 0.5 and the mean loss below
// reference::xor_loss_bound. The host checked that the untrained network fails both and that the recipe converges.

#include "reference.hpp"
#include "report.hpp"
#include "xor_initial.hpp"

#include <array>
#include <cstddef>
#include <cstdio>

int main() {
    using Net = xor_initial::Network;
    Net net = xor_initial::network;
    firmware::opaque(net);
    const std::array<Net::input_type, 4> inputs{{{0, 0}, {0, 1}, {1, 0}, {1, 1}}};
    const std::array<Net::output_type, 4> targets{{{0}, {1}, {1}, {0}}};

    const float before = ctnn::loss<ctnn::BinaryCrossEntropy>(net, inputs, targets);
    ctnn::Trainer<Net, ctnn::BinaryCrossEntropy> trainer(net, {.learning_rate = {reference::xor_learning_rate}});
    int refused = 0;  // steps whose loss or gradient was not finite
    for (int epoch = 0; epoch < reference::xor_epochs; ++epoch) {
        for (std::size_t s = 0; s < inputs.size(); ++s) refused += trainer.step(inputs[s], targets[s]) ? 0 : 1;
    }
    const float after = ctnn::loss<ctnn::BinaryCrossEntropy>(net, inputs, targets);

    int failures = refused == 0 ? 0 : 1;
    if (refused != 0) std::printf("xor: FAIL: %d steps refused (loss or gradient not finite)\n", refused);
    for (std::size_t s = 0; s < inputs.size(); ++s) {
        const float y = net.forward(inputs[s])[0];
        const bool right = targets[s][0] > 0.5f ? y > 0.5f : y < 0.5f;
        std::printf("xor: %d %d -> ", static_cast<int>(inputs[s][0]), static_cast<int>(inputs[s][1]));
        firmware::print_number(y);
        std::printf("%s\n", right ? "" : "  FAIL: on the wrong side of 0.5");
        failures += right ? 0 : 1;
    }
    firmware::print_line("xor: mean loss before training ", before);
    std::printf("xor: mean loss after %d epochs ", reference::xor_epochs);
    firmware::print_number(after);
    std::printf(", bound ");
    firmware::print_number(reference::xor_loss_bound);
    std::printf("%s\n", after < reference::xor_loss_bound ? "" : "  FAIL");
    failures += after < reference::xor_loss_bound ? 0 : 1;
    std::printf("xor_sgd: %s\n", failures == 0 ? "passed" : "FAILED");
    return failures == 0 ? 0 : 1;
}
