// Compile-fail test compile_fail.tanh_with_mean_squared_error (tests/compile_fail/cases.cmake).
// Misuse: A Tanh output, which no loss pairs with, trained with ctnn::MeanSquaredError: the message
// names the loss.
// Expected: "ctnn::MeanSquaredError: the output layer must use ctnn::Linear"
// With -DCTNN_COMPILE_FAIL_FIXED the file spells it correctly and compiles cleanly.
#include <ctnn/ctnn.hpp>

#include <array>

#ifndef CTNN_COMPILE_FAIL_FIXED
using Net = ctnn::Network<float, ctnn::Input<2>, ctnn::Dense<4, ctnn::Tanh>, ctnn::Dense<3, ctnn::Tanh>>;
using Loss = ctnn::MeanSquaredError;
#else
using Net = ctnn::Network<float, ctnn::Input<2>, ctnn::Dense<4, ctnn::Tanh>, ctnn::Dense<3, ctnn::Linear>>;
using Loss = ctnn::MeanSquaredError;
#endif

int main() {
    Net net;
    std::array<Net::input_type, 1> inputs{};
    std::array<Net::output_type, 1> targets{};
    ctnn::Gradients<Net> gradients;
    return ctnn::backward<Loss>(net, inputs, targets, gradients) >= 0 ? 0 : 1;
}
