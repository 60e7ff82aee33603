// Compile-fail test compile_fail.hidden_softmax (tests/compile_fail/cases.cmake).
// Misuse: Softmax in a hidden layer.
// Expected: "ctnn::Softmax: only the output layer may use Softmax; use ReLU, Tanh or another hidden activation here"
// With -DCTNN_COMPILE_FAIL_FIXED the file spells it correctly and compiles cleanly.
#include <ctnn/ctnn.hpp>

#ifndef CTNN_COMPILE_FAIL_FIXED
using Net = ctnn::Network<float, ctnn::Input<2>, ctnn::Dense<4, ctnn::Softmax>, ctnn::Dense<3, ctnn::Softmax>>;
#else
using Net = ctnn::Network<float, ctnn::Input<2>, ctnn::Dense<4, ctnn::ReLU>, ctnn::Dense<3, ctnn::Softmax>>;
#endif

int main() {
    [[maybe_unused]] Net net;  // instantiates the network: its rules are checked here
    return 0;
}
