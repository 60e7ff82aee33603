// Compile-fail test compile_fail.quantized_unsupported_activation (tests/compile_fail/cases.cmake).
// Misuse: quantizing a network with an activation that has no int8 layer (Softplus).
// Expected: "ctnn::QuantizedNetwork<Net>: int8 layers exist for ctnn::Linear, ctnn::ReLU, ctnn::Tanh, ..."
// With -DCTNN_COMPILE_FAIL_FIXED the file spells it correctly and compiles cleanly.
#include <ctnn/ctnn.hpp>
#include <ctnn/quantized_network.hpp>

#include <array>

#ifndef CTNN_COMPILE_FAIL_FIXED
using Hidden = ctnn::Softplus;
#else
using Hidden = ctnn::ReLU;
#endif
using Net = ctnn::Network<float, ctnn::Input<2>, ctnn::Dense<3, Hidden>, ctnn::Dense<1, ctnn::Sigmoid>>;

int main() {
    const Net net;
    const std::array<Net::input_type, 1> inputs{{{1, 2}}};
    const auto q = ctnn::quantize(net, inputs);
    return q.forward({1, 2})[0] > 0.5f ? 0 : 1;
}
