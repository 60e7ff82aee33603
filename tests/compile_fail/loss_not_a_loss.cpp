// Compile-fail test compile_fail.loss_not_a_loss (tests/compile_fail/cases.cmake).
// Misuse: An activation (ctnn::Sigmoid) passed where the loss belongs.
// Expected: "ctnn: the loss must be ctnn::MeanSquaredError, ctnn::MSELoss, ctnn::BinaryCrossEntropy or
// ctnn::CategoricalCrossEntropy"
// With -DCTNN_COMPILE_FAIL_FIXED the file spells it correctly and compiles cleanly.
#include "backward_once.hpp"

using Net = ctnn::Network<float, ctnn::Input<2>, ctnn::Dense<4, ctnn::Tanh>, ctnn::Dense<3, ctnn::Sigmoid>>;
#ifndef CTNN_COMPILE_FAIL_FIXED
using Loss = ctnn::Sigmoid;
#else
using Loss = ctnn::BinaryCrossEntropy;
#endif

int main() {
    return backward_once<Net, Loss>();
}
