// Compile-fail test compile_fail.softmax_with_mean_squared_error (tests/compile_fail/cases.cmake).
// Misuse: A Softmax output trained with ctnn::MeanSquaredError.
// Expected: "ctnn::Softmax: a Softmax output layer needs ctnn::CategoricalCrossEntropy as its loss"
// With -DCTNN_COMPILE_FAIL_FIXED the file spells it correctly and compiles cleanly.
#include "backward_once.hpp"

using Net = ctnn::Network<float, ctnn::Input<2>, ctnn::Dense<4, ctnn::Tanh>, ctnn::Dense<3, ctnn::Softmax>>;
#ifndef CTNN_COMPILE_FAIL_FIXED
using Loss = ctnn::MeanSquaredError;
#else
using Loss = ctnn::CategoricalCrossEntropy;
#endif

int main() {
    return backward_once<Net, Loss>();
}
