// Compile-fail test compile_fail.sigmoid_with_categorical_cross_entropy (tests/compile_fail/cases.cmake).
// Misuse: A Sigmoid output trained with ctnn::CategoricalCrossEntropy.
// Expected: "ctnn::Sigmoid: a Sigmoid output layer needs ctnn::BinaryCrossEntropy as its loss"
// With -DCTNN_COMPILE_FAIL_FIXED the file spells it correctly and compiles cleanly.
#include <ctnn/ctnn.hpp>

#include <array>

#ifndef CTNN_COMPILE_FAIL_FIXED
using Net = ctnn::Network<float, ctnn::Input<2>, ctnn::Dense<4, ctnn::Tanh>, ctnn::Dense<3, ctnn::Sigmoid>>;
using Loss = ctnn::CategoricalCrossEntropy;
#else
using Net = ctnn::Network<float, ctnn::Input<2>, ctnn::Dense<4, ctnn::Tanh>, ctnn::Dense<3, ctnn::Sigmoid>>;
using Loss = ctnn::BinaryCrossEntropy;
#endif

int main() {
    Net net;
    std::array<Net::input_type, 1> inputs{};
    std::array<Net::output_type, 1> targets{};
    ctnn::Gradients<Net> gradients;
    return ctnn::backward<Loss>(net, inputs, targets, gradients) >= 0 ? 0 : 1;
}
