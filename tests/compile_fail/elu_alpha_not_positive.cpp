// Compile-fail test compile_fail.elu_alpha_not_positive (tests/compile_fail/cases.cmake).
// Misuse: ctnn::ELU::with<Alpha> with Alpha = 0.
// Expected: "ctnn::ELU::with<Alpha>: Alpha must be positive"
// With -DCTNN_COMPILE_FAIL_FIXED the file spells it correctly and compiles cleanly.
#include <ctnn/ctnn.hpp>

#include <ratio>

#ifndef CTNN_COMPILE_FAIL_FIXED
using Net =
    ctnn::Network<float, ctnn::Input<2>, ctnn::Dense<4, ctnn::ELU::with<std::ratio<0>>>, ctnn::Dense<1, ctnn::Sigmoid>>;
#else
using Net = ctnn::Network<float, ctnn::Input<2>, ctnn::Dense<4, ctnn::ELU::with<std::ratio<1, 2>>>,
                          ctnn::Dense<1, ctnn::Sigmoid>>;
#endif

int main() {
    [[maybe_unused]] Net net;  // instantiates the network: its rules are checked here
    return 0;
}
