// Compile-fail test compile_fail.samples_forward_batch (tests/compile_fail/cases.cmake).
// Misuse: Network::forward(inputs, outputs) with outputs of double for a float network.
// Expected: "ctnn::Network::forward(inputs[, outputs]): the samples do not have the network's scalar type and sizes;
// ..." With -DCTNN_COMPILE_FAIL_FIXED the file spells it correctly and compiles cleanly.
#include <ctnn/ctnn.hpp>

#include <array>
#include <vector>

using Net = ctnn::Network<float, ctnn::Input<4>, ctnn::Dense<8, ctnn::Tanh>, ctnn::Dense<3, ctnn::Softmax>>;

int main() {
    const Net net;
    const std::vector<Net::input_type> inputs(3);
#ifndef CTNN_COMPILE_FAIL_FIXED
    std::vector<std::array<double, 3>> outputs(3);
#else
    std::vector<Net::output_type> outputs(3);
#endif
    net.forward(inputs, outputs);
    return 0;
}
