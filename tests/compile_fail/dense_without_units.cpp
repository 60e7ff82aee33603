// Compile-fail test compile_fail.dense_without_units (tests/compile_fail/cases.cmake).
// Misuse: ctnn::Dense<0, ReLU>, a layer of no units.
// Expected: "ctnn::Dense<Units, Act>: Units must be at least 1"
// With -DCTNN_COMPILE_FAIL_FIXED the file spells it correctly and compiles cleanly.
#include <ctnn/ctnn.hpp>

#ifndef CTNN_COMPILE_FAIL_FIXED
using Net = ctnn::Network<float, ctnn::Input<2>, ctnn::Dense<0, ctnn::ReLU>, ctnn::Dense<1, ctnn::Sigmoid>>;
#else
using Net = ctnn::Network<float, ctnn::Input<2>, ctnn::Dense<4, ctnn::ReLU>, ctnn::Dense<1, ctnn::Sigmoid>>;
#endif

int main() {
    [[maybe_unused]] Net net;  // instantiates the network: its rules are checked here
    return 0;
}
