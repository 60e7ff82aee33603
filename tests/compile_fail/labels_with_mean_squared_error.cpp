// Compile-fail test compile_fail.labels_with_mean_squared_error (tests/compile_fail/cases.cmake).
// Misuse: Class-index targets for a squared error, which needs target arrays.
// Expected: "class-index targets need ctnn::CategoricalCrossEntropy (Softmax output) or ctnn::BinaryCrossEntropy"
// With -DCTNN_COMPILE_FAIL_FIXED the file spells it correctly and compiles cleanly.
#include <ctnn/ctnn.hpp>

#include <array>
#include <cstddef>

using Net = ctnn::Network<float, ctnn::Input<2>, ctnn::Dense<4, ctnn::Tanh>, ctnn::Dense<3, ctnn::Linear>>;

int main() {
    Net net;
    const std::array<Net::input_type, 2> inputs{};
#ifndef CTNN_COMPILE_FAIL_FIXED
    const std::array<std::size_t, 2> targets{0, 2};
#else
    const std::array<Net::output_type, 2> targets{{{1, 0, 0}, {0, 0, 1}}};
#endif
    ctnn::Gradients<Net> gradients;
    return ctnn::backward<ctnn::MeanSquaredError>(net, inputs, targets, gradients) >= 0 ? 0 : 1;
}
