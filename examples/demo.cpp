// The main demo: trains a 2-16-16-1 network on XOR by full-batch gradient descent with
// ctnn::backward, printing the loss as it goes, then the learned truth table and a
// one-line summary (loss, accuracy, a hash of the weights) that is the same on every
// run of the same build.
#include <ctnn/ctnn.hpp>

#include <array>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstring>

namespace {

using Net = ctnn::Network<float, ctnn::Input<2>,           //
                          ctnn::Dense<16, ctnn::Tanh>,     //
                          ctnn::Dense<16, ctnn::Tanh>,     //
                          ctnn::Dense<1, ctnn::Sigmoid>>;  //

/// FNV-1a over the parameters' bytes, in the canonical order.
std::uint64_t weights_hash(const Net& net) {
    std::array<float, Net::parameter_count> p{};
    net.read_parameters(p);
    std::uint64_t hash = 0xcbf29ce484222325ull;
    for (float v : p) {
        unsigned char bytes[sizeof v];
        std::memcpy(bytes, &v, sizeof v);
        for (unsigned char b : bytes) hash = (hash ^ b) * 0x100000001b3ull;
    }
    return hash;
}

}  // namespace

int main() {
    Net net;
    ctnn::Random random(2026);
    ctnn::init::normal_inverse_fan_in(net, random);  // W ~ N(0, 1/m), m the fan-in; b ~ N(0, 1)

    const std::array<Net::input_type, 4> inputs{{{0, 0}, {0, 1}, {1, 0}, {1, 1}}};
    const std::array<Net::output_type, 4> targets{{{0}, {1}, {1}, {0}}};
    ctnn::Gradients<Net> gradients;
    const float learning_rate = 0.5f;
    const int steps = 1000;

    std::printf("ctnn demo: XOR with %s, %zu parameters (%zu bytes), kernels: %s\n", "2-16-16-1 tanh/sigmoid",
                Net::parameter_count, sizeof(Net), ctnn::simd::default_arch::name());
    const auto start = std::chrono::steady_clock::now();
    float loss = 0;
    for (int step = 1; step <= steps; ++step) {
        loss = ctnn::backward<ctnn::BinaryCrossEntropy>(net, inputs, targets, gradients);
        auto parameters = net.storage();
        const auto g = gradients.storage();
        for (std::size_t i = 0; i < parameters.size(); ++i) parameters[i] -= learning_rate * g[i];
        if (step % 100 == 0) std::printf("step %4d  loss %.5f\n", step, loss);
    }
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();

    int correct = 0;
    for (std::size_t s = 0; s < inputs.size(); ++s) {
        const float y = net.forward(inputs[s])[0];
        correct += (y > 0.5f) == (targets[s][0] > 0.5f);
        std::printf("%g xor %g -> %.4f\n", inputs[s][0], inputs[s][1], y);
    }
    std::printf("demo: loss %.5f, accuracy %d/4, %.0f samples/s, weights %016llx\n", loss, correct,
                steps * 4.0 / seconds, static_cast<unsigned long long>(weights_hash(net)));
    return correct == 4 ? 0 : 1;
}
