// Compile-fail test compile_fail.dense_activation_not_activation (tests/compile_fail/cases.cmake).
// Misuse: ctnn::Dense<3, int>: the activation is not one.
// Expected: "ctnn::Dense<Units, Act>: Act must be an activation such as ctnn::ReLU, ..."
// With -DCTNN_COMPILE_FAIL_FIXED the file spells it correctly and compiles cleanly.
#include <ctnn/ctnn.hpp>

#ifndef CTNN_COMPILE_FAIL_FIXED
using Net = ctnn::Network<float, ctnn::Input<2>, ctnn::Dense<3, int>, ctnn::Dense<1, ctnn::Sigmoid>>;
#else
using Net = ctnn::Network<float, ctnn::Input<2>, ctnn::Dense<3, ctnn::ReLU>, ctnn::Dense<1, ctnn::Sigmoid>>;
#endif

int main() {
    [[maybe_unused]] Net net;  // instantiates the network: its rules are checked here
    return 0;
}
