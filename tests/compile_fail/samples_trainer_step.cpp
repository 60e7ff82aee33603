// Compile-fail test compile_fail.samples_trainer_step (tests/compile_fail/cases.cmake).
// Misuse: Trainer::step(input, target) with one sample of double for a float network.
// Expected: "ctnn::Trainer::step(inputs, targets): the samples do not have ..."
// With -DCTNN_COMPILE_FAIL_FIXED the file spells it correctly and compiles cleanly.
#include <ctnn/ctnn.hpp>

#include <array>

using Net = ctnn::Network<float, ctnn::Input<4>, ctnn::Dense<8, ctnn::Tanh>, ctnn::Dense<3, ctnn::Softmax>>;

int main() {
    Net net;
    ctnn::Trainer<Net, ctnn::CategoricalCrossEntropy> trainer(net);
#ifndef CTNN_COMPILE_FAIL_FIXED
    const std::array<double, 4> input{};
#else
    const Net::input_type input{};
#endif
    const Net::output_type target{1, 0, 0};
    return trainer.step(input, target).ok() ? 0 : 1;
}
