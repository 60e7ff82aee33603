// Compile-fail test compile_fail.linear_with_binary_cross_entropy (tests/compile_fail/cases.cmake).
// Misuse: A Linear output trained with ctnn::BinaryCrossEntropy.
// Expected: "ctnn::Linear: a Linear output layer needs ctnn::MeanSquaredError as its loss"
// With -DCTNN_COMPILE_FAIL_FIXED the file spells it correctly and compiles cleanly.
#include <ctnn/ctnn.hpp>

#include <array>

#ifndef CTNN_COMPILE_FAIL_FIXED
using Net = ctnn::Network<float, ctnn::Input<2>, ctnn::Dense<4, ctnn::Tanh>, ctnn::Dense<3, ctnn::Linear>>;
using Loss = ctnn::BinaryCrossEntropy;
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
