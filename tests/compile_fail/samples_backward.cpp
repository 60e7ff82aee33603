// Compile-fail test compile_fail.samples_backward (tests/compile_fail/cases.cmake).
// Misuse: ctnn::backward over targets of double for a float network.
// Expected: "ctnn::backward<Loss>(net, inputs, targets, gradients): the samples do not have ..."
// With -DCTNN_COMPILE_FAIL_FIXED the file spells it correctly and compiles cleanly.
#include <ctnn/ctnn.hpp>

#include <array>
#include <span>

using Net = ctnn::Network<float, ctnn::Input<4>, ctnn::Dense<8, ctnn::Tanh>, ctnn::Dense<3, ctnn::Softmax>>;

int main() {
    const Net net;
    ctnn::Gradients<Net> gradients;
    const std::array<Net::input_type, 2> inputs{};
#ifndef CTNN_COMPILE_FAIL_FIXED
    const std::array<std::array<double, 3>, 2> targets{};
#else
    const std::array<Net::output_type, 2> targets{};
#endif
    return ctnn::backward<ctnn::CategoricalCrossEntropy>(net, inputs, std::span(targets), gradients) > 0 ? 0 : 1;
}
