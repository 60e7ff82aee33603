// Compile-fail test compile_fail.softmax_single_unit (tests/compile_fail/cases.cmake).
// Misuse: a Softmax output of one unit, which always outputs 1 (zero loss, zero gradient).
// Expected: "ctnn::Dense<1, Softmax>: a Softmax over one unit always outputs 1 and learns nothing; for one probability
// use ctnn::Dense<1, ctnn::Sigmoid> with ctnn::BinaryCrossEntropy"
// With -DCTNN_COMPILE_FAIL_FIXED the file spells it correctly and compiles cleanly.
#include <ctnn/ctnn.hpp>

#ifndef CTNN_COMPILE_FAIL_FIXED
using Net = ctnn::Network<float, ctnn::Input<2>, ctnn::Dense<4, ctnn::Tanh>, ctnn::Dense<1, ctnn::Softmax>>;
#else
using Net = ctnn::Network<float, ctnn::Input<2>, ctnn::Dense<4, ctnn::Tanh>, ctnn::Dense<1, ctnn::Sigmoid>>;
#endif

int main() {
    [[maybe_unused]] Net net;  // instantiates the network: its rules are checked here
    return 0;
}
