// Compile-fail test compile_fail.linear_with_binary_cross_entropy (tests/compile_fail/cases.cmake).
// Misuse: A Linear output trained with ctnn::BinaryCrossEntropy.
// Expected: "ctnn::Linear: a Linear output layer needs ctnn::MeanSquaredError or ctnn::MSELoss as its loss"
// With -DCTNN_COMPILE_FAIL_FIXED the file spells it correctly and compiles cleanly.
#include "backward_once.hpp"

using Net = ctnn::Network<float, ctnn::Input<2>, ctnn::Dense<4, ctnn::Tanh>, ctnn::Dense<3, ctnn::Linear>>;
#ifndef CTNN_COMPILE_FAIL_FIXED
using Loss = ctnn::BinaryCrossEntropy;
#else
using Loss = ctnn::MeanSquaredError;
#endif

int main() {
    return backward_once<Net, Loss>();
}
