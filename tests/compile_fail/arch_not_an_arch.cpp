// Compile-fail test compile_fail.arch_not_an_arch (tests/compile_fail/cases.cmake).
// Misuse: ctnn::BasicNetwork with an Arch (int) that is neither ctnn::simd::scalar_arch nor an xsimd architecture.
// Expected: "ctnn::BasicNetwork<Arch, T, ...>: Arch must be ctnn::simd::scalar_arch or an xsimd architecture"
// With -DCTNN_COMPILE_FAIL_FIXED the file spells it correctly and compiles cleanly.
#include <ctnn/ctnn.hpp>

#ifndef CTNN_COMPILE_FAIL_FIXED
using Net = ctnn::BasicNetwork<int, float, ctnn::Input<2>, ctnn::Dense<1, ctnn::Sigmoid>>;
#else
using Net = ctnn::BasicNetwork<ctnn::simd::scalar_arch, float, ctnn::Input<2>, ctnn::Dense<1, ctnn::Sigmoid>>;
#endif

int main() {
    [[maybe_unused]] Net net;  // instantiates the network: its rules are checked here
    return 0;
}
