// Compile-fail test compile_fail.samples_forward_one_sample (tests/compile_fail/cases.cmake).
// Misuse: Network::forward(x) with a std::array<double, 4> for a float network.
// Expected: "ctnn::Network::forward(inputs[, outputs]): the samples do not have the network's scalar type and sizes;
// ..." With -DCTNN_COMPILE_FAIL_FIXED the file spells it correctly and compiles cleanly.
#include <ctnn/ctnn.hpp>

#include <array>

using Net = ctnn::Network<float, ctnn::Input<4>, ctnn::Dense<8, ctnn::Tanh>, ctnn::Dense<3, ctnn::Softmax>>;

int main() {
    const Net net;
#ifndef CTNN_COMPILE_FAIL_FIXED
    const std::array<double, 4> x{};
#else
    const Net::input_type x{};
#endif
    return net.forward(x)[0] > 2 ? 1 : 0;
}
