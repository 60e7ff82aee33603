// Compile-fail test compile_fail.input_without_values (tests/compile_fail/cases.cmake).
// Misuse: ctnn::Input<0>, an input of no values.
// Expected: "ctnn::Input<N>: N must be at least 1"
// With -DCTNN_COMPILE_FAIL_FIXED the file spells it correctly and compiles cleanly.
#include <ctnn/ctnn.hpp>

#ifndef CTNN_COMPILE_FAIL_FIXED
using Net = ctnn::Network<float, ctnn::Input<0>, ctnn::Dense<1, ctnn::Sigmoid>>;
#else
using Net = ctnn::Network<float, ctnn::Input<1>, ctnn::Dense<1, ctnn::Sigmoid>>;
#endif

int main() {
    [[maybe_unused]] Net net;  // instantiates the network: its rules are checked here
    return 0;
}
