// Compile-fail test compile_fail.samples_loss (tests/compile_fail/cases.cmake).
// Misuse: ctnn::loss over inputs of the wrong width (3 for a network of 4 inputs).
// Expected: "ctnn::loss<Loss>(net, inputs, targets): the samples do not have ..."
// With -DCTNN_COMPILE_FAIL_FIXED the file spells it correctly and compiles cleanly.
#include <ctnn/ctnn.hpp>

#include <array>
#include <vector>

using Net = ctnn::Network<float, ctnn::Input<4>, ctnn::Dense<8, ctnn::Tanh>, ctnn::Dense<3, ctnn::Softmax>>;

int main() {
    const Net net;
#ifndef CTNN_COMPILE_FAIL_FIXED
    const std::vector<std::array<float, 3>> inputs(2);
#else
    const std::vector<Net::input_type> inputs(2);
#endif
    const std::vector<Net::output_type> targets(2);
    return ctnn::loss<ctnn::CategoricalCrossEntropy>(net, inputs, targets) > 0 ? 0 : 1;
}
