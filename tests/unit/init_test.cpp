#include <ctnn/ctnn.hpp>

#include <catch2/catch.hpp>

#include <cmath>
#include <cstddef>

using namespace ctnn;

namespace {
using Net = Network<double, Input<400>, Dense<300, ReLU>, Dense<200, Tanh>>;

struct Moments {
    double mean = 0, deviation = 0;
};

// Mean and standard deviation of `count` parameters from canonical index `first`.
Moments moments(const Net& net, std::size_t first, std::size_t count) {
    double sum = 0, sum_sq = 0;
    for (std::size_t k = first; k < first + count; ++k) {
        sum += net.parameter(k);
        sum_sq += net.parameter(k) * net.parameter(k);
    }
    const double mean = sum / double(count);
    return {mean, std::sqrt(sum_sq / double(count) - mean * mean)};
}

constexpr std::size_t w1 = 0, b1 = 400 * 300, w2 = b1 + 300, b2 = w2 + 300 * 200;
}  // namespace

TEST_CASE("The default initialiser draws W ~ N(0, 1/m), b ~ N(0, 1), rectifier biases 0.1", "[init]") {
    static Net net;  // 180k parameters: static, not on the stack
    Random random(1);
    init::normal_inverse_fan_in(net, random);
    CHECK(moments(net, w1, 400 * 300).mean == Approx(0).margin(0.002));
    CHECK(moments(net, w1, 400 * 300).deviation == Approx(1 / std::sqrt(400.0)).epsilon(0.01));
    CHECK(moments(net, w2, 300 * 200).deviation == Approx(1 / std::sqrt(300.0)).epsilon(0.01));
    for (std::size_t k = b1; k < b1 + 300; ++k) CHECK(net.parameter(k) == Approx(0.1));
    CHECK(moments(net, b2, 200).deviation == Approx(1).margin(0.15));
}

TEST_CASE("Xavier and He initialisers have their documented spreads", "[init]") {
    static Net net;
    Random random(2);
    init::xavier_normal(net, random);
    CHECK(moments(net, w1, 400 * 300).deviation == Approx(std::sqrt(2.0 / 700)).epsilon(0.01));
    CHECK(net.parameter(b1) == 0);
    init::xavier_uniform(net, random);
    CHECK(moments(net, w2, 300 * 200).deviation == Approx(std::sqrt(6.0 / 500) / std::sqrt(3.0)).epsilon(0.01));
    init::he_normal(net, random);
    CHECK(moments(net, w1, 400 * 300).deviation == Approx(std::sqrt(2.0 / 400)).epsilon(0.01));
    init::he_uniform(net, random);
    CHECK(moments(net, w2, 300 * 200).deviation == Approx(std::sqrt(6.0 / 300) / std::sqrt(3.0)).epsilon(0.01));
}

TEST_CASE("The same seed gives bit-identical weights", "[init]") {
    using Small = Network<float, Input<5>, Dense<7, PReLU<>>, Dense<3, Softmax>>;
    Small a, b;
    Random ra(99), rb(99);
    init::normal_inverse_fan_in(a, ra);
    init::normal_inverse_fan_in(b, rb);
    CHECK(a == b);
    CHECK(a.parameter(5 * 7 + 7) == 0.25f);  // PReLU slopes keep their initial value
}
