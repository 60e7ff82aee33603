// Compile-fail test compile_fail.mse_loss_with_tanh (tests/compile_fail/cases.cmake).
// Misuse: A Tanh output, which no loss pairs with, trained with ctnn::MSELoss: the message names the loss.
// Expected: "ctnn::MSELoss: the output layer must use ctnn::Linear"
// With -DCTNN_COMPILE_FAIL_FIXED the file spells it correctly and compiles cleanly.
#include "backward_once.hpp"

#ifndef CTNN_COMPILE_FAIL_FIXED
using Net = ctnn::Network<float, ctnn::Input<2>, ctnn::Dense<4, ctnn::Tanh>, ctnn::Dense<3, ctnn::Tanh>>;
#else
using Net = ctnn::Network<float, ctnn::Input<2>, ctnn::Dense<4, ctnn::Tanh>, ctnn::Dense<3, ctnn::Linear>>;
#endif
using Loss = ctnn::MSELoss;

int main() {
    return backward_once<Net, Loss>();
}
