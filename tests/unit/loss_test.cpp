#include <ctnn/ctnn.hpp>
#include <ctnn/loss/output_delta.hpp>

#include "support/reference_mlp.hpp"

#include <catch2/catch.hpp>

#include <array>
#include <cmath>
#include <cstddef>
#include <limits>
#include <type_traits>

using namespace ctnn;

// One input x = 1 and weights of +-1000 make logits of +-1000: the naive formulas give
// inf or NaN there (e^1000 overflows, log(0) is -inf); the fused forms stay exact.
TEMPLATE_TEST_CASE("Logits of +-1000 give finite losses and exact gradients", "[loss]", float, double) {
    using T = TestType;
    const std::array<std::array<T, 1>, 1> x{{{T(1)}}};

    SECTION("binary cross-entropy from a sigmoid logit") {
        using Net = Network<T, Input<1>, Dense<2, Sigmoid>>;
        Net net;
        net.write_parameters(std::array<T, 4>{1000, -1000, 0, 0});  // z = [1000, -1000]
        const std::array<typename Net::output_type, 1> t{{{T(0), T(0)}}};
        Gradients<Net> g;
        const T l = backward<BinaryCrossEntropy>(net, x, t, g);
        CHECK(std::isfinite(l));
        CHECK(l == Approx(1000));  // softplus(1000) - 0 + softplus(-1000) - 0
        CHECK(g[0] == Approx(1));  // sigmoid(1000) - 0, times x = 1
        CHECK(g[1] == Approx(0).margin(1e-30));
    }
    SECTION("categorical cross-entropy through a log-softmax") {
        using Net = Network<T, Input<1>, Dense<2, Softmax>>;
        Net net;
        net.write_parameters(std::array<T, 4>{1000, -1000, 0, 0});
        const std::array<typename Net::output_type, 1> t{{{T(0), T(1)}}};  // the unlikely class
        Gradients<Net> g;
        const T l = backward<CategoricalCrossEntropy>(net, x, t, g);
        CHECK(std::isfinite(l));
        CHECK(l == Approx(2000));  // logsumexp(1000, -1000) - (-1000)
        CHECK(g[0] == Approx(1));  // y - t = [1, -1]
        CHECK(g[1] == Approx(-1));
        const auto y = net.forward(x[0]);
        CHECK(y[0] == 1);
        CHECK(y[1] == 0);
    }
    SECTION("mean squared error on a linear output") {
        using Net = Network<T, Input<1>, Dense<1, Linear>>;
        Net net;
        net.write_parameters(std::array<T, 2>{-1000, 0});
        const std::array<typename Net::output_type, 1> t{{{T(0)}}};
        Gradients<Net> g;
        const T l = backward<MeanSquaredError>(net, x, t, g);
        CHECK(l == Approx(500000));
        CHECK(g[0] == Approx(-1000));
    }
}

TEMPLATE_TEST_CASE("Losses are the mean over the batch of the textbook per-sample formulas", "[loss]", float, double) {
    using T = TestType;
    using Net = Network<T, Input<2>, Dense<3, Softmax>>;
    Net net;
    net.write_parameters(std::array<T, 9>{0.5, -1, 2, 0.25, -0.75, 1, 0.1, 0.2, -0.3});
    const std::array<typename Net::input_type, 2> xs{{{T(1), T(2)}, {T(-1), T(0.5)}}};
    const std::array<typename Net::output_type, 2> ts{{{T(0), T(1), T(0)}, {T(0.2), T(0.3), T(0.5)}}};
    const auto reference = ctnn_test::reference_of(net);
    ctnn_test::real expected = 0;
    for (std::size_t s = 0; s < 2; ++s) {
        const std::vector<ctnn_test::real> x(xs[s].begin(), xs[s].end()), t(ts[s].begin(), ts[s].end());
        expected += reference.loss(ctnn_test::LossKind::cce, x, t) / 2;
    }
    CHECK(loss<CategoricalCrossEntropy>(net, xs, ts) == Approx(static_cast<double>(expected)).epsilon(1e-6));
}

// A mean of finite losses is finite: the batch's losses, and the epochs' means of them, are scaled before they are
// added, and a squared error is halved before it is squared. Per-sample losses near the largest T, against long double.
namespace {
template <class T>
struct near_largest;
template <>
struct near_largest<float> {
    static constexpr float output = 1.5e19f;  // loss 1.125e38 per sample: 32 of them sum past the largest float
    static constexpr float halved = 2.2e19f;  // its square, 4.84e38, overflows; its half does not
};
template <>
struct near_largest<double> {
    static constexpr double output = 1.5e154;
    static constexpr double halved = 1.8e154;
};
}  // namespace

TEMPLATE_TEST_CASE("A batch of finite losses near the largest T has a finite mean", "[loss]", float, double) {
    using T = TestType;
    using Net = Network<T, Input<1>, Dense<1, Linear>>;
    for (const T w : {near_largest<T>::output, near_largest<T>::halved}) {
        CAPTURE(w);
        Net net;
        net.write_parameters(std::array<T, 2>{w, T(0)});  // y = w x
        const std::vector<typename Net::input_type> xs(32, {T(1)});
        const std::vector<typename Net::output_type> ts(32, {T(0)});
        const long double expected = static_cast<long double>(w) * w / 2;
        CHECK(loss<MeanSquaredError>(net, xs, ts) == Approx(static_cast<double>(expected)).epsilon(1e-6));
        Gradients<Net> g;
        CHECK(backward<MeanSquaredError>(net, xs, ts, g) == Approx(static_cast<double>(expected)).epsilon(1e-6));
        CHECK(g[0] == Approx(w).epsilon(1e-6));  // the mean of (y - t) x
        // A trainer that does not move (learning rate 0) reports the same mean for an epoch and for random samples.
        Trainer<Net, MeanSquaredError, SGD<>> trainer(net, {.learning_rate = {0.0}});
        const auto epoch = trainer.train_epoch(xs, ts, 5);
        REQUIRE(epoch.ok());
        CHECK(epoch.loss == Approx(static_cast<double>(expected)).epsilon(1e-6));
        const auto samples = trainer.train_random_samples(xs, ts, 100);
        REQUIRE(samples.ok());
        CHECK(samples.loss == Approx(static_cast<double>(expected)).epsilon(1e-6));
    }
}

TEMPLATE_TEST_CASE("Cross-entropy ignores classes of target 0, also when their logits are beyond reach", "[loss]",
                   float, double) {
    // Logits more than the largest T apart: lse - z_k overflows for the class of target 0, and 0 x inf would make
    // the loss NaN; its term is 0. The loss of the target class is lse - z_0 = 0 (its softmax is 1).
    using T = TestType;
    using Net = Network<T, Input<1>, Dense<2, Softmax>>;
    const T big = std::numeric_limits<T>::max() * T(0.9);
    Net net;
    net.write_parameters(std::array<T, 4>{big, -big, T(0), T(0)});  // z = [big, -big]
    const std::array<typename Net::input_type, 1> x{{{T(1)}}};
    const std::array<typename Net::output_type, 1> t{{{T(1), T(0)}}};
    Gradients<Net> g;
    CHECK(backward<CategoricalCrossEntropy>(net, x, t, g) == T(0));
    for (std::size_t k = 0; k < Net::parameter_count; ++k) CHECK(g[k] == T(0));
    CHECK(net.forward(x[0]) == typename Net::output_type{T(1), T(0)});
}

namespace {

/// detail::output_delta_row against Loss::gradient for one output count: every lane of the row, with output values
/// y in (0, 1) (as the output units give them) and padding lanes holding f(0) (0.5, as a sigmoid's), on the default
/// arch and the scalar one. MSE, BCE and MSELoss compute the same operations in the same order as Loss::gradient
/// and must agree bit for bit; CCE's m y - t may be fused or not, so it gets a few ulps.
template <class Loss, class T, class Arch, std::size_t Outputs>
void check_output_delta(Random& random) {
    constexpr std::size_t padded = simd::padded<T, Arch>(Outputs);
    alignas(64) std::array<T, padded> y{}, target{}, delta{};
    std::array<T, Outputs> expected{};
    for (std::size_t k = 0; k < padded; ++k) y[k] = k < Outputs ? random.uniform<T>(T(0.01), T(0.99)) : T(0.5);
    for (std::size_t k = 0; k < Outputs; ++k) target[k] = random.uniform<T>(T(0), T(1));
    delta.fill(std::numeric_limits<T>::quiet_NaN());
    const T scale = T(0.375);
    Loss::gradient(static_cast<const T*>(nullptr), y.data(), target.data(), expected.data(), Outputs, scale);
    detail::output_delta_row<Loss, Arch, Outputs, padded>(y.data(), target.data(), delta.data(), scale);
    INFO(Arch::name() << ", " << Outputs << " outputs");
    for (std::size_t k = 0; k < Outputs; ++k) {
        if constexpr (std::is_same_v<Loss, CategoricalCrossEntropy>) {
            CHECK(delta[k] == Approx(expected[k]).epsilon(std::numeric_limits<T>::epsilon() * 4));
        } else {
            CHECK(delta[k] == expected[k]);
        }
    }
    for (std::size_t k = Outputs; k < padded; ++k) CHECK((delta[k] == T(0) && !std::signbit(delta[k])));
}

template <class Loss, class T, class Arch>
void check_output_deltas(Random& random) {
    check_output_delta<Loss, T, Arch, 1>(random);
    check_output_delta<Loss, T, Arch, 3>(random);
    check_output_delta<Loss, T, Arch, 8>(random);
    check_output_delta<Loss, T, Arch, 10>(random);
    check_output_delta<Loss, T, Arch, 17>(random);
}

}  // namespace

TEMPLATE_TEST_CASE("The output delta a register at a time equals Loss::gradient, with zero padding lanes", "[loss]",
                   float, double) {
    using T = TestType;
    Random random(41);
    for (int arch = 0; arch < 2; ++arch) {
        const auto both = [&]<class Loss>() {
            if (arch == 0) {
                check_output_deltas<Loss, T, simd::default_arch>(random);
            } else {
                check_output_deltas<Loss, T, simd::scalar_arch>(random);
            }
        };
        both.template operator()<MeanSquaredError>();
        both.template operator()<MSELoss>();
        both.template operator()<BinaryCrossEntropy>();
        both.template operator()<CategoricalCrossEntropy>();
    }
}
