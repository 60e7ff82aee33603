// Compile-fail test compile_fail.quantized_double_network (tests/compile_fail/cases.cmake).
// Misuse: quantizing a double network; the int8 conventions (PyTorch's) are float32's.
// Expected: "ctnn::QuantizedNetwork<Net>: Net must be a network of float; ..."
// With -DCTNN_COMPILE_FAIL_FIXED the file spells it correctly and compiles cleanly.
#include <ctnn/ctnn.hpp>
#include <ctnn/quantized_network.hpp>

#ifndef CTNN_COMPILE_FAIL_FIXED
using Scalar = double;
#else
using Scalar = float;
#endif
using Net = ctnn::Network<Scalar, ctnn::Input<2>, ctnn::Dense<3, ctnn::ReLU>, ctnn::Dense<1, ctnn::Sigmoid>>;

int main() {
    const ctnn::QuantizedNetwork<Net> q;
    return q.forward({1, 2})[0] > 0.5f ? 0 : 1;
}
