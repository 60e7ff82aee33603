// Compile-fail test compile_fail.samples_trainer_train_epoch (tests/compile_fail/cases.cmake).
// Misuse: a table read with io::read_csv's default (double) made into a double dataset with
// from_table<4, 3>, trained with a float network.
// Expected: "ctnn::Trainer::train_epoch(inputs, targets, batch_size): the samples do not have ..."
// With -DCTNN_COMPILE_FAIL_FIXED the file spells it correctly and compiles cleanly.
#include <ctnn/ctnn.hpp>
#include <ctnn/data.hpp>

using Net = ctnn::Network<float, ctnn::Input<4>, ctnn::Dense<8, ctnn::Tanh>, ctnn::Dense<3, ctnn::Softmax>>;

int main() {
    Net net;
    ctnn::Trainer<Net, ctnn::CategoricalCrossEntropy> trainer(net);
    const auto table = ctnn::io::read_csv("iris.csv").value();
#ifndef CTNN_COMPILE_FAIL_FIXED
    const auto data = ctnn::data::from_table<4, 3>(table).value();
#else
    const auto data = ctnn::data::from_table<Net>(table).value();
#endif
    return trainer.train_epoch(data.inputs, data.targets, 8).ok() ? 0 : 1;
}
