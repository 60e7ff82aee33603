// Compile-fail test compile_fail.samples_fused_sgd_step (tests/compile_fail/cases.cmake).
// Misuse: ctnn::fused_sgd_step with a target of double for a float network.
// Expected: "ctnn::fused_sgd_step<Loss>(net, input, target, learning_rate, workspace): the samples do not have ..."
// With -DCTNN_COMPILE_FAIL_FIXED the file spells it correctly and compiles cleanly.
#include <ctnn/ctnn.hpp>

#include <array>

using Net = ctnn::Network<float, ctnn::Input<4>, ctnn::Dense<8, ctnn::Tanh>, ctnn::Dense<3, ctnn::Softmax>>;

int main() {
    Net net;
    ctnn::Workspace<Net, 1> workspace;
    const Net::input_type input{};
#ifndef CTNN_COMPILE_FAIL_FIXED
    const std::array<double, 3> target{1, 0, 0};
#else
    const Net::output_type target{1, 0, 0};
#endif
    return ctnn::fused_sgd_step<ctnn::CategoricalCrossEntropy>(net, input, target, 0.1f, workspace).ok() ? 0 : 1;
}
