// XOR with the classic per-sample algorithm: initialise W ~ N(0, 1/m), b ~ N(0, 1); then
// for t = 1..T pick a random training sample, forward, backpropagate layer by layer from
// the output, and update every W and b with the learning rate eta(t) = eta0 / (1 + t/tau).
// Exits non-zero unless all four cases are classified correctly.
#include <ctnn/ctnn.hpp>

#include "support/progress.hpp"

#include <array>
#include <cstdio>

int main() {
    using namespace ctnn;
    using Net = Network<float, Input<2>, Dense<4, Tanh>, Dense<1, Sigmoid>>;
    Net net;
    Random random(7);
    init::normal_inverse_fan_in(net, random);

    const std::array<Net::input_type, 4> inputs{{{0, 0}, {0, 1}, {1, 0}, {1, 1}}};
    const std::array<Net::output_type, 4> targets{{{0}, {1}, {1}, {0}}};
    Trainer<Net, BinaryCrossEntropy, SGD<InverseTimeDecay>> trainer(net, {.learning_rate = {1.0, 1.0 / 4000}}, 7);

    const std::size_t steps_per_epoch = 1000, epochs = 8;
    examples::Progress progress("xor 2-4-1", epochs);
    for (std::size_t epoch = 1; epoch <= epochs; ++epoch) {
        const auto run = trainer.train_random_samples(inputs, targets, steps_per_epoch);
        if (!progress.completed(epoch, run)) return 1;
        const float loss = run.loss;
        int correct = 0;
        for (std::size_t s = 0; s < 4; ++s) correct += (net.forward(inputs[s])[0] > 0.5f) == (targets[s][0] > 0.5f);
        progress.report(epoch, loss,
                        {examples::Figure::percent("accuracy", correct / 4.0),
                         examples::Figure::number("eta", trainer.optimizer().learning_rate(trainer.step_count()))},
                        trainer.step_count());
    }
    int correct = 0;
    for (std::size_t s = 0; s < 4; ++s) {
        const float y = net.forward(inputs[s])[0];
        correct += (y > 0.5f) == (targets[s][0] > 0.5f);
        std::printf("%g xor %g -> %.3f\n", inputs[s][0], inputs[s][1], y);
    }
    std::printf("xor: accuracy %d/4 after %zu steps\n", correct, trainer.step_count());
    return correct == 4 ? 0 : 1;
}
