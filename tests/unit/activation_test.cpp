#include <ctnn/ctnn.hpp>

#include <catch2/catch.hpp>

#include <cmath>
#include <limits>
#include <ratio>

using namespace ctnn;

namespace {
// The derivative an activation reports at z, against a central difference of its value.
template <class A>
void require_derivative_matches(double z) {
    const double h = 1e-6;
    const double numeric = (A::value(z + h) - A::value(z - h)) / (2 * h);
    INFO("z = " << z);
    CHECK(A::derivative(z, A::value(z)) == Approx(numeric).epsilon(1e-6).margin(1e-8));
}
using SwishThreeHalves = Swish<std::ratio<3, 2>>;
}  // namespace

TEMPLATE_TEST_CASE("Each elementwise activation's derivative matches its value's slope", "[activation]", Sigmoid, Tanh,
                   ReLU, Softplus, LeakyReLU<>, ELU<>, SwishThreeHalves, Abs, Linear) {
    for (double z : {-3.0, -0.7, -0.01, 0.02, 0.5, 2.5}) require_derivative_matches<TestType>(z);
}

TEST_CASE("Activations take their textbook values", "[activation]") {
    CHECK(Sigmoid::value(0.0) == 0.5);
    CHECK(Tanh::value(0.5) == Approx(std::tanh(0.5)));
    CHECK(ReLU::value(-2.0) == 0);
    CHECK(ReLU::value(3.0) == 3);
    CHECK(ReLU::derivative(0.0, 0.0) == 1);  // taken as 1 at z = 0
    CHECK(LeakyReLU<std::ratio<1, 5>>::value(-2.0) == Approx(-0.4));
    CHECK(ELU<std::ratio<2>>::value(-1.0) == Approx(2 * (std::exp(-1.0) - 1)));
    CHECK(Swish<std::ratio<2>>::value(1.0) == Approx(1 / (1 + std::exp(-2.0))));
    CHECK(Softplus::value(1.0) == Approx(std::log(1 + std::exp(1.0))));
    CHECK(Abs::value(-2.5) == 2.5);
    CHECK(Abs::derivative(0.0, 0.0) == 0);
    CHECK(BinaryStep::value(0.0) == 1);
    CHECK(BinaryStep::value(-1e-9) == 0);
    CHECK(BinaryStep::derivative(0.3, 1.0) == 0);  // forward only
    CHECK(PReLU<>::value(-2.0, 0.25) == -0.5);
    CHECK(PReLU<>::slope_derivative(-2.0) == -2.0);
    CHECK(PReLU<>::slope_derivative(2.0) == 0.0);
}

TEMPLATE_TEST_CASE("Activations stay finite at +-1000", "[activation]", float, double) {
    using T = TestType;
    for (T z : {T(-1000), T(1000)}) {
        CHECK(std::isfinite(Sigmoid::value(z)));
        CHECK(std::isfinite(Softplus::value(z)));
        CHECK(std::isfinite(Softplus::derivative(z, Softplus::value(z))));
        CHECK(std::isfinite(Swish<>::value(z)));
        CHECK(std::isfinite(Swish<>::derivative(z, Swish<>::value(z))));
        CHECK(std::isfinite(ELU<>::value(z)));
        CHECK(std::isfinite(Tanh::value(z)));
    }
    CHECK(Softplus::value(T(1000)) == T(1000));
    CHECK(Sigmoid::value(T(-1000)) == T(0));
    CHECK(Sigmoid::value(T(1000)) == T(1));
}
