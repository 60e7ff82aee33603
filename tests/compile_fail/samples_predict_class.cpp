// Compile-fail test compile_fail.samples_predict_class (tests/compile_fail/cases.cmake).
// Misuse: data::predict_class(net, x) with an input of double for a float network.
// Expected: "ctnn::data::predict_class(net, x): the samples do not have ..."
// With -DCTNN_COMPILE_FAIL_FIXED the file spells it correctly and compiles cleanly.
#include <ctnn/ctnn.hpp>
#include <ctnn/data.hpp>

#include <array>

using Net = ctnn::Network<float, ctnn::Input<4>, ctnn::Dense<8, ctnn::Tanh>, ctnn::Dense<3, ctnn::Softmax>>;

int main() {
    const Net net;
#ifndef CTNN_COMPILE_FAIL_FIXED
    const std::array<double, 4> x{};
#else
    const Net::input_type x{};
#endif
    return static_cast<int>(ctnn::data::predict_class(net, x));
}
