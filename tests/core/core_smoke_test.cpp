// The core without Catch2, so it builds with -fno-exceptions -fno-rtti: forward,
// backward and a gradient step on networks of every output/loss pairing, with the
// backward pass checked against central differences of the loss in double.
#include <ctnn/ctnn.hpp>

#include "support/expect.hpp"

#include <cmath>
#include <cstdio>

namespace {

using ctnn_test::expect;

template <class Loss, class Net>
void check(const char* name) {
    using T = typename Net::value_type;
    Net net;
    ctnn::Random random(7);
    ctnn::init::normal_inverse_fan_in(net, random);
    std::array<typename Net::input_type, 3> xs{};
    std::array<typename Net::output_type, 3> ts{};
    for (auto& x : xs)
        for (auto& v : x) v = random.normal<T>();
    for (auto& t : ts) t[random.below(Net::output_size)] = T(1);

    ctnn::Gradients<Net> g;
    const T before = ctnn::backward<Loss>(net, xs, ts, g);
    double worst = 0;
    for (std::size_t k = 0; k < Net::parameter_count; ++k) {
        Net moved = net;
        const T h = T(1e-6), p = net.parameter(k);
        moved.set_parameter(k, p + h);
        const T up = ctnn::loss<Loss>(moved, xs, ts);
        moved.set_parameter(k, p - h);
        const T down = ctnn::loss<Loss>(moved, xs, ts);
        worst = std::fmax(worst, std::fabs((up - down) / (2 * h) - g[k]));
    }
    for (std::size_t i = 0; i < Net::storage_size; ++i) net.storage()[i] -= T(0.1) * g.storage()[i];
    const T after = ctnn::loss<Loss>(net, xs, ts);
    std::printf("%-28s loss %.6f -> %.6f, worst gradient error %.2e\n", name, double(before), double(after), worst);
    expect(worst < 1e-6, "gradient matches central differences");
    expect(after < before, "a gradient step lowers the loss");
}

}  // namespace

int main() {
    using namespace ctnn;
    check<MeanSquaredError, Network<double, Input<3>, Dense<7, Tanh>, Dense<2, Linear>>>("linear / mean squared error");
    check<BinaryCrossEntropy, Network<double, Input<5>, Dense<9, Softplus>, Dense<1, Sigmoid>>>(
        "sigmoid / binary cross-entropy");
    check<CategoricalCrossEntropy, Network<double, Input<4>, Dense<17, ELU>, Dense<3, Softmax>>>(
        "softmax / categorical cross-entropy");
    return ctnn_test::summary();
}
