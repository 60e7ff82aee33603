#include <ctnn/ctnn.hpp>

#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <limits>

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
    using Small = Network<float, Input<5>, Dense<7, PReLU>, Dense<3, Softmax>>;
    Small a, b;
    Random ra(99), rb(99);
    init::normal_inverse_fan_in(a, ra);
    init::normal_inverse_fan_in(b, rb);
    CHECK(a == b);
    CHECK(a.parameter(5 * 7 + 7) == 0.25f);  // PReLU slopes keep their initial value
}

TEMPLATE_TEST_CASE("pytorch_default draws W and b ~ U(-1/sqrt(fan_in), 1/sqrt(fan_in)) per layer, as torch.nn.Linear",
                   "[init]", float, double) {
    using T = TestType;
    using Wide = Network<T, Input<400>, Dense<300, ReLU>, Dense<200, Tanh>>;
    static Wide net;  // 180k parameters: static, not on the stack
    Random random(3);
    init::pytorch_default(net, random);

    // Each block of one layer: its canonical range and its fan-in, here written out by hand.
    struct Block {
        std::size_t first, count, fan_in;
    };
    const Block blocks[] = {{w1, 400 * 300, 400}, {b1, 300, 400}, {w2, 300 * 200, 300}, {b2, 200, 300}};
    for (const Block& block : blocks) {
        const double a = 1 / std::sqrt(double(block.fan_in));
        // U(-a, a): mean 0, variance a^2 / 3. Tolerances are about 5 standard errors of the estimates.
        const double n = double(block.count);
        double sum = 0, sum_sq = 0, largest = 0;
        for (std::size_t k = block.first; k < block.first + block.count; ++k) {
            const double p = double(net.parameter(k));
            // a is computed in T, so it may round up by an ulp of T and no further.
            REQUIRE(std::abs(p) <= a * (1 + std::numeric_limits<T>::epsilon()));
            largest = std::max(largest, std::abs(p));
            sum += p;
            sum_sq += p * p;
        }
        INFO("block from canonical index " << block.first << ", fan_in " << block.fan_in);
        const double mean = sum / n, second_moment = sum_sq / n;
        CHECK(std::abs(mean) <= 5 * a / std::sqrt(3 * n));
        CHECK(std::abs(second_moment / (a * a / 3) - 1) <= 5 * std::sqrt(0.8 / n));
        // The range is the layer's own: with the other layer's fan-in (400 against 300) the
        // largest draw would miss a by 7 % or overshoot it.
        CHECK(largest >= a * (1 - 20 / n));
    }
}
