// The host half of the embedded example: trains a 2-16-16-1 network (Tanh, Tanh, Sigmoid) to tell whether a point of
// the square [-1, 1]^2 lies inside the circle of radius 0.6, then writes it with ctnn::io::export_header as a header
// of constexpr data that the firmware compiles in.
//
//   train_model <folder>     writes <folder>/model.hpp (namespace model)
//
// Exits non-zero when the trained network classifies fewer than 97 % of fresh points correctly or the header cannot
// be written, so a bad model never reaches the firmware.

#include <ctnn/ctnn.hpp>
#include <ctnn/io/export.hpp>

#include <algorithm>
#include <cstddef>
#include <cstdio>
#include <filesystem>
#include <vector>

namespace {

using Net = ctnn::Network<float, ctnn::Input<2>, ctnn::Dense<16, ctnn::Tanh>, ctnn::Dense<16, ctnn::Tanh>,
                          ctnn::Dense<1, ctnn::Sigmoid>>;

// The firmware computes the same labels from the same rule to judge the network (firmware/main.cpp).
constexpr float radius = 0.6f;

bool inside(const Net::input_type& x) {
    return x[0] * x[0] + x[1] * x[1] < radius * radius;
}

struct Data {
    std::vector<Net::input_type> inputs;
    std::vector<Net::output_type> targets;
};

Data sample(std::size_t count, ctnn::Random& random) {
    Data data;
    for (std::size_t i = 0; i < count; ++i) {
        const Net::input_type x{random.uniform(-1.0f, 1.0f), random.uniform(-1.0f, 1.0f)};
        data.inputs.push_back(x);
        data.targets.push_back({inside(x) ? 1.0f : 0.0f});
    }
    return data;
}

float accuracy(const Net& net, const Data& data) {
    std::size_t correct = 0;
    for (std::size_t i = 0; i < data.inputs.size(); ++i) {
        correct += (net.forward(data.inputs[i])[0] > 0.5f) == (data.targets[i][0] > 0.5f);
    }
    return static_cast<float>(correct) / static_cast<float>(data.inputs.size());
}

}  // namespace

int main(int argc, char** argv) {
    if (argc != 2) {
        std::fprintf(stderr, "usage: train_model <folder>  (writes <folder>/model.hpp)\n");
        return 2;
    }
    const std::filesystem::path folder = argv[1];

    // A fixed seed: the same model on every run with the same compiler and flags.
    ctnn::Random random(2026);
    const Data training = sample(2000, random);
    const Data test = sample(2000, random);

    Net net;
    ctnn::init::normal_inverse_fan_in(net, random);
    ctnn::Trainer<Net, ctnn::BinaryCrossEntropy, ctnn::Adam<>> trainer(net, {.learning_rate = {0.01}}, 2026);
    constexpr std::size_t epochs = 300, batch_size = 32;
    float loss = 0;
    for (std::size_t epoch = 1; epoch <= epochs; ++epoch) {
        const auto run = trainer.train_epoch(training.inputs, training.targets, batch_size);
        if (!run) {
            std::fprintf(stderr, "train_model: epoch %zu stopped at step %zu: %s; model.hpp not written\n", epoch,
                         run.failed_step(), ctnn::to_string(run.status));
            return 1;
        }
        loss = run.loss;
    }

    const float test_accuracy = accuracy(net, test);
    std::printf("2-16-16-1 after %zu epochs: training loss %.4f, accuracy %.1f %% (training), %.1f %% (test)\n", epochs,
                loss, 100 * accuracy(net, training), 100 * test_accuracy);
    if (test_accuracy < 0.97f) {
        std::fprintf(stderr, "train_model: test accuracy %.1f %% is below 97 %%; model.hpp not written\n",
                     100 * test_accuracy);
        return 1;
    }

    std::filesystem::create_directories(folder);
    const std::filesystem::path header = folder / "model.hpp";
    if (const ctnn::io::Status status = ctnn::io::export_header(net, header, "model"); !status) {
        std::fprintf(stderr, "train_model: %s\n", status.message().c_str());
        return 1;
    }
    std::printf("wrote %s (%zu parameters)\n", header.c_str(), Net::parameter_count);
    return 0;
}
