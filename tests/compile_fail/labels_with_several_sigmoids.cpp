// Compile-fail test compile_fail.labels_with_several_sigmoids (tests/compile_fail/cases.cmake).
// Misuse: 0/1 labels for three independent Sigmoid outputs, which need one target per output.
// Expected: "ctnn::BinaryCrossEntropy: 0/1 label targets need one Sigmoid output"
// With -DCTNN_COMPILE_FAIL_FIXED the file spells it correctly and compiles cleanly.
#include <ctnn/ctnn.hpp>

#include <array>

using Net = ctnn::Network<float, ctnn::Input<2>, ctnn::Dense<4, ctnn::Tanh>, ctnn::Dense<3, ctnn::Sigmoid>>;

int main() {
    Net net;
    ctnn::Trainer<Net, ctnn::BinaryCrossEntropy> trainer(net);
    const Net::input_type input{};
#ifndef CTNN_COMPILE_FAIL_FIXED
    const auto result = trainer.step(input, true);
#else
    const auto result = trainer.step(input, Net::output_type{1, 0, 1});
#endif
    return result.ok() ? 0 : 1;
}
