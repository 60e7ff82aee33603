// Compile-fail test compile_fail.loss_not_a_loss (tests/compile_fail/cases.cmake).
// Misuse: An activation (ctnn::Sigmoid) passed where the loss belongs.
// Expected: "ctnn: the loss must be ctnn::MeanSquaredError, ctnn::BinaryCrossEntropy or ctnn::CategoricalCrossEntropy"
// With -DCTNN_COMPILE_FAIL_FIXED the file spells it correctly and compiles cleanly.
#include <ctnn/ctnn.hpp>

#include <array>

#ifndef CTNN_COMPILE_FAIL_FIXED
using Net = ctnn::Network<float, ctnn::Input<2>, ctnn::Dense<4, ctnn::Tanh>, ctnn::Dense<3, ctnn::Sigmoid>>;
using Loss = ctnn::Sigmoid;
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
