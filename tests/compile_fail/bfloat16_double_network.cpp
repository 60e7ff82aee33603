// Compile-fail test compile_fail.bfloat16_double_network (tests/compile_fail/cases.cmake).
// Misuse: rounding the weights of a double network to bfloat16, whose kernels widen bfloat16 to float lanes.
// Expected: "ctnn::BFloat16Network<Net>: Net must be a network of float, the type bfloat16 weights widen to; ..."
// With -DCTNN_COMPILE_FAIL_FIXED the file spells it correctly and compiles cleanly.
#include <ctnn/bfloat16_network.hpp>
#include <ctnn/ctnn.hpp>

#ifndef CTNN_COMPILE_FAIL_FIXED
using Scalar = double;
#else
using Scalar = float;
#endif
using Net = ctnn::Network<Scalar, ctnn::Input<2>, ctnn::Dense<3, ctnn::ReLU>, ctnn::Dense<1, ctnn::Sigmoid>>;

int main() {
    const Net net;
    const auto rounded = ctnn::to_bfloat16(net);
    return rounded.forward({1, 2})[0] > 0.5 ? 0 : 1;
}
