// Firmware test: reference::adam_steps Adam steps (ctnn::Trainer, categorical cross-entropy) on one minibatch, from
// the host's initialisation of a 4-8-3 Tanh/Softmax network (adam_initial.hpp), against the parameters the host's
// scalar path computed for the same steps, within reference::adam_tolerance (its reasoning is in
// tests/firmware/host/generator.cpp).

#include "adam_initial.hpp"
#include "reference.hpp"
#include "report.hpp"

#include <array>
#include <cstddef>
#include <cstdio>
#include <span>

int main() {
    using Net = adam_initial::Network;
    Net net = adam_initial::network;
    firmware::opaque(net);
    ctnn::Trainer<Net, ctnn::CategoricalCrossEntropy, ctnn::Adam<>> trainer(
        net, {.learning_rate = {reference::adam_learning_rate}});
    int refused = 0;  // steps whose loss or gradient was not finite
    for (int t = 0; t < reference::adam_steps; ++t) {
        refused += trainer.step(std::span<const Net::input_type>(reference::adam_inputs),
                                std::span<const Net::output_type>(reference::adam_targets))
                       ? 0
                       : 1;
    }

    std::array<float, Net::parameter_count> parameters;
    net.read_parameters(parameters);
    static_assert(reference::adam_expected.size() == Net::parameter_count);
    int failures = refused == 0 ? 0 : 1;
    if (refused != 0) std::printf("FAIL adam: %d steps refused (loss or gradient not finite)\n", refused);
    float largest_error = 0, largest_move = 0;
    for (std::size_t k = 0; k < parameters.size(); ++k) {
        const float expected = reference::adam_expected[k];
        const float error = parameters[k] > expected ? parameters[k] - expected : expected - parameters[k];
        const float initial = adam_initial::parameters[k];
        const float move = expected > initial ? expected - initial : initial - expected;
        if (!(error <= reference::adam_tolerance)) {
            std::printf("FAIL adam: parameter %u: ", static_cast<unsigned>(k));
            firmware::print_number(parameters[k]);
            firmware::print_line(", expected ", expected);
            ++failures;
        }
        if (error > largest_error) largest_error = error;
        if (move > largest_move) largest_move = move;
    }
    std::printf("adam: %d steps, %u parameters moved up to ", reference::adam_steps,
                static_cast<unsigned>(Net::parameter_count));
    firmware::print_number(largest_move);
    std::printf("; largest difference from the host ");
    firmware::print_number(largest_error);
    firmware::print_line(", tolerance ", reference::adam_tolerance);
    std::printf("adam: %s\n", failures == 0 ? "passed" : "FAILED");
    return failures == 0 ? 0 : 1;
}
