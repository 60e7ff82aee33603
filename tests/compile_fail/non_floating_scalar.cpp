// Compile-fail test compile_fail.non_floating_scalar (tests/compile_fail/cases.cmake).
// Misuse: A network of int: T must be float or double.
// Expected: "ctnn::Network<T, Input<N>, Layers...>: T must be a floating-point type (float or double)"
// With -DCTNN_COMPILE_FAIL_FIXED the file spells it correctly and compiles cleanly.
#include <ctnn/ctnn.hpp>

#ifndef CTNN_COMPILE_FAIL_FIXED
using Net = ctnn::Network<int, ctnn::Input<2>, ctnn::Dense<1, ctnn::Sigmoid>>;
#else
using Net = ctnn::Network<float, ctnn::Input<2>, ctnn::Dense<1, ctnn::Sigmoid>>;
#endif

int main() {
    [[maybe_unused]] Net net;  // instantiates the network: its rules are checked here
    return 0;
}
