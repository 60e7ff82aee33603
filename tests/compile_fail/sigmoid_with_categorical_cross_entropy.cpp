// Compile-fail test compile_fail.sigmoid_with_categorical_cross_entropy (tests/compile_fail/cases.cmake).
// Misuse: A Sigmoid output trained with ctnn::CategoricalCrossEntropy.
// Expected: "ctnn::Sigmoid: a Sigmoid output layer needs ctnn::BinaryCrossEntropy as its loss"
// With -DCTNN_COMPILE_FAIL_FIXED the file spells it correctly and compiles cleanly.
#include "backward_once.hpp"

using Net = ctnn::Network<float, ctnn::Input<2>, ctnn::Dense<4, ctnn::Tanh>, ctnn::Dense<3, ctnn::Sigmoid>>;
#ifndef CTNN_COMPILE_FAIL_FIXED
using Loss = ctnn::CategoricalCrossEntropy;
#else
using Loss = ctnn::BinaryCrossEntropy;
#endif

int main() {
    return backward_once<Net, Loss>();
}
