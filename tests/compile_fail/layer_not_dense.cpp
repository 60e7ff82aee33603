// Compile-fail test compile_fail.layer_not_dense (tests/compile_fail/cases.cmake).
// Misuse: A second ctnn::Input after the input, where only Dense layers may follow.
// Expected: "ctnn::Network<T, Input<N>, Layers...>: every layer after the input must be ctnn::Dense<Units, Act>"
// With -DCTNN_COMPILE_FAIL_FIXED the file spells it correctly and compiles cleanly.
#include <ctnn/ctnn.hpp>

#ifndef CTNN_COMPILE_FAIL_FIXED
using Net = ctnn::Network<float, ctnn::Input<2>, ctnn::Input<3>, ctnn::Dense<1, ctnn::Sigmoid>>;
#else
using Net = ctnn::Network<float, ctnn::Input<2>, ctnn::Dense<3, ctnn::ReLU>, ctnn::Dense<1, ctnn::Sigmoid>>;
#endif

int main() {
    [[maybe_unused]] Net net;  // instantiates the network: its rules are checked here
    return 0;
}
