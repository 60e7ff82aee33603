// Compile-fail test compile_fail.quantized_samples_forward (tests/compile_fail/cases.cmake).
// Misuse: QuantizedNetwork::forward(x) with a std::array<float, 63> for a network of 64 inputs.
// Expected: "ctnn::QuantizedNetwork::forward(inputs[, outputs]): the samples do not have the network's scalar type
// and sizes; ..." With -DCTNN_COMPILE_FAIL_FIXED the file spells it correctly and compiles cleanly.
#include <ctnn/ctnn.hpp>
#include <ctnn/quantized_network.hpp>

#include <array>

using Net = ctnn::Network<float, ctnn::Input<64>, ctnn::Dense<16, ctnn::ReLU>, ctnn::Dense<10, ctnn::Softmax>>;

int main() {
    const ctnn::QuantizedNetwork<Net> q;
#ifndef CTNN_COMPILE_FAIL_FIXED
    const std::array<float, 63> x{};
#else
    const std::array<float, 64> x{};
#endif
    return q.forward(x)[0] > 2 ? 1 : 0;
}
