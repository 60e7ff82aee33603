// Compile-fail test compile_fail.tanh_with_mean_squared_error (tests/compile_fail/cases.cmake).
// Misuse: A Tanh output, which no loss pairs with, trained with ctnn::MeanSquaredError: the message
// names the loss.
// Expected: "ctnn::MeanSquaredError: the output layer must use ctnn::Linear"
// With -DCTNN_COMPILE_FAIL_FIXED the file spells it correctly and compiles cleanly.
#include "backward_once.hpp"

#ifndef CTNN_COMPILE_FAIL_FIXED
using Net = ctnn::Network<float, ctnn::Input<2>, ctnn::Dense<4, ctnn::Tanh>, ctnn::Dense<3, ctnn::Tanh>>;
using Loss = ctnn::MeanSquaredError;
#else
using Net = ctnn::Network<float, ctnn::Input<2>, ctnn::Dense<4, ctnn::Tanh>, ctnn::Dense<3, ctnn::Linear>>;
using Loss = ctnn::MeanSquaredError;
#endif

int main() {
    return backward_once<Net, Loss>();
}
