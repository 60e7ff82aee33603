#pragma once

// The shared body of the loss-pairing compile-fail tests: one backward pass of `Net` trained with `Loss`, where
// ctnn::backward checks that the loss suits the output layer (ctnn/loss/pairing.hpp).

#include <ctnn/ctnn.hpp>

#include <array>

template <class Net, class Loss>
int backward_once() {
    Net net;
    std::array<typename Net::input_type, 1> inputs{};
    std::array<typename Net::output_type, 1> targets{};
    ctnn::Gradients<Net> gradients;
    return ctnn::backward<Loss>(net, inputs, targets, gradients) >= 0 ? 0 : 1;
}
