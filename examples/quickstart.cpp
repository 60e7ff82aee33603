// Declare a network as a type, train it on XOR by gradient descent, and predict.
#include <ctnn/ctnn.hpp>

#include <array>
#include <cstdio>

using Net = ctnn::Network<float, ctnn::Input<2>,           //
                          ctnn::Dense<8, ctnn::Tanh>,      //
                          ctnn::Dense<1, ctnn::Sigmoid>>;  // pairs with BinaryCrossEntropy

int main() {
    Net net;  // the parameters and nothing else: sizeof(Net) == Net::storage_size * sizeof(float)
    ctnn::Random random(1);
    ctnn::init::normal_inverse_fan_in(net, random);  // W ~ N(0, 1/fan-in), b ~ N(0, 1)

    const std::array<Net::input_type, 4> inputs{{{0, 0}, {0, 1}, {1, 0}, {1, 1}}};
    const std::array<Net::output_type, 4> targets{{{0}, {1}, {1}, {0}}};
    ctnn::Gradients<Net> gradients;
    for (int step = 0; step < 2000; ++step) {
        ctnn::backward<ctnn::BinaryCrossEntropy>(net, inputs, targets, gradients);  // mean loss's gradient
        for (std::size_t i = 0; i < Net::storage_size; ++i) net.storage()[i] -= 0.5f * gradients.storage()[i];
    }
    for (const auto& x : inputs) std::printf("%g xor %g -> %.3f\n", x[0], x[1], net.forward(x)[0]);
    return net.forward({0, 1})[0] > 0.5f && net.forward({1, 1})[0] < 0.5f ? 0 : 1;
}
