// Compile-fail test compile_fail.no_layers (tests/compile_fail/cases.cmake).
// Misuse: An input and no layer after it.
// Expected: "ctnn::Network<T, Input<N>, Layers...>: at least one ctnn::Dense layer must follow the input"
// With -DCTNN_COMPILE_FAIL_FIXED the file spells it correctly and compiles cleanly.
#include <ctnn/ctnn.hpp>

#ifndef CTNN_COMPILE_FAIL_FIXED
using Net = ctnn::Network<float, ctnn::Input<2>>;
#else
using Net = ctnn::Network<float, ctnn::Input<2>, ctnn::Dense<1, ctnn::Sigmoid>>;
#endif

int main() {
    [[maybe_unused]] Net net;  // instantiates the network: its rules are checked here
    return 0;
}
