// Compile-fail test compile_fail.float16_double_network (tests/compile_fail/cases.cmake).
// Misuse: rounding the weights of a double network to binary16, whose kernels widen binary16 to float lanes.
// Expected: "ctnn::Float16Network<Net>: Net must be a network of float, the type binary16 weights widen to; ..."
// With -DCTNN_COMPILE_FAIL_FIXED the file spells it correctly and compiles cleanly.
#include <ctnn/ctnn.hpp>
#include <ctnn/float16_network.hpp>

#ifndef CTNN_COMPILE_FAIL_FIXED
using Scalar = double;
#else
using Scalar = float;
#endif
using Net = ctnn::Network<Scalar, ctnn::Input<2>, ctnn::Dense<3, ctnn::ReLU>, ctnn::Dense<1, ctnn::Sigmoid>>;

int main() {
    const Net net;
    const auto rounded = ctnn::to_float16(net);
    return rounded.forward({1, 2})[0] > 0.5 ? 0 : 1;
}
