// Compile-fail test compile_fail.first_layer_not_input (tests/compile_fail/cases.cmake).
// Misuse: The first layer is a Dense spec instead of ctnn::Input<N>.
// Expected: "ctnn::Network<T, Input<N>, Layers...>: the first layer must be ctnn::Input<N>"
// With -DCTNN_COMPILE_FAIL_FIXED the file spells it correctly and compiles cleanly.
#include <ctnn/ctnn.hpp>

#ifndef CTNN_COMPILE_FAIL_FIXED
using Net = ctnn::Network<float, ctnn::Dense<3, ctnn::ReLU>, ctnn::Dense<1, ctnn::Sigmoid>>;
#else
using Net = ctnn::Network<float, ctnn::Input<2>, ctnn::Dense<3, ctnn::ReLU>, ctnn::Dense<1, ctnn::Sigmoid>>;
#endif

int main() {
    [[maybe_unused]] Net net;  // instantiates the network: its rules are checked here
    return 0;
}
