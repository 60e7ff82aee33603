// Compile-fail test compile_fail.rrelu_lower_above_upper (tests/compile_fail/cases.cmake).
// Misuse: ctnn::RReLU::with<Lower, Upper> with Lower = 1/2 above Upper = 1/4.
// Expected: "ctnn::RReLU::with<Lower, Upper>: Lower must not exceed Upper"
// With -DCTNN_COMPILE_FAIL_FIXED the file spells it correctly and compiles cleanly.
#include <ctnn/ctnn.hpp>

#include <ratio>

#ifndef CTNN_COMPILE_FAIL_FIXED
using Net = ctnn::Network<float, ctnn::Input<2>, ctnn::Dense<4, ctnn::RReLU::with<std::ratio<1, 2>, std::ratio<1, 4>>>,
                          ctnn::Dense<1, ctnn::Sigmoid>>;
#else
using Net = ctnn::Network<float, ctnn::Input<2>, ctnn::Dense<4, ctnn::RReLU::with<std::ratio<1, 4>, std::ratio<1, 2>>>,
                          ctnn::Dense<1, ctnn::Sigmoid>>;
#endif

int main() {
    [[maybe_unused]] Net net;  // instantiates the network: its rules are checked here
    return 0;
}
