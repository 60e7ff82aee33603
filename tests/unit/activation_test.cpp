#include <ctnn/ctnn.hpp>

#include <catch2/catch.hpp>

#include <array>
#include <cmath>
#include <cstddef>
#include <limits>
#include <ratio>
#include <type_traits>
#include <vector>

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
using SwishThreeHalves = Swish::with<std::ratio<3, 2>>;
}  // namespace

TEMPLATE_TEST_CASE("Each elementwise activation's derivative matches its value's slope", "[activation]", Sigmoid, Tanh,
                   ReLU, Softplus, LeakyReLU, ELU, SwishThreeHalves, Abs, Linear) {
    for (double z : {-3.0, -0.7, -0.01, 0.02, 0.5, 2.5}) require_derivative_matches<TestType>(z);
}

TEST_CASE("Activations take their textbook values", "[activation]") {
    CHECK(Sigmoid::value(0.0) == 0.5);
    CHECK(Tanh::value(0.5) == Approx(std::tanh(0.5)));
    CHECK(ReLU::value(-2.0) == 0);
    CHECK(ReLU::value(3.0) == 3);
    CHECK(ReLU::derivative(0.0, 0.0) == 1);  // taken as 1 at z = 0
    CHECK(LeakyReLU::with<std::ratio<1, 5>>::value(-2.0) == Approx(-0.4));
    CHECK(ELU::with<std::ratio<2>>::value(-1.0) == Approx(2 * (std::exp(-1.0) - 1)));
    CHECK(Swish::with<std::ratio<2>>::value(1.0) == Approx(1 / (1 + std::exp(-2.0))));
    CHECK(Softplus::value(1.0) == Approx(std::log(1 + std::exp(1.0))));
    CHECK(Abs::value(-2.5) == 2.5);
    CHECK(Abs::derivative(0.0, 0.0) == 0);
    CHECK(BinaryStep::value(0.0) == 1);
    CHECK(BinaryStep::value(-1e-9) == 0);
    CHECK(BinaryStep::derivative(0.3, 1.0) == 0);  // forward only
    CHECK(PReLU::value(-2.0, 0.25) == -0.5);
    CHECK(PReLU::slope_derivative(-2.0) == -2.0);
    CHECK(PReLU::slope_derivative(2.0) == 0.0);
}

TEMPLATE_TEST_CASE("Activations stay finite at +-1000", "[activation]", float, double) {
    using T = TestType;
    for (T z : {T(-1000), T(1000)}) {
        CHECK(std::isfinite(Sigmoid::value(z)));
        CHECK(std::isfinite(Softplus::value(z)));
        CHECK(std::isfinite(Softplus::derivative(z, Softplus::value(z))));
        CHECK(std::isfinite(Swish::value(z)));
        CHECK(std::isfinite(Swish::derivative(z, Swish::value(z))));
        CHECK(std::isfinite(ELU::value(z)));
        CHECK(std::isfinite(Tanh::value(z)));
    }
    CHECK(Softplus::value(T(1000)) == T(1000));
    CHECK(Sigmoid::value(T(-1000)) == T(0));
    CHECK(Sigmoid::value(T(1000)) == T(1));
}

// The five parametric activations are types: `Dense<8, PReLU>` needs no `<>`, and the bare name is the type that
// `::with<...>` gives for PyTorch's defaults.
namespace {
using BareNames = Network<double, Input<2>, Dense<8, PReLU>, Dense<8, LeakyReLU>, Dense<8, ELU>, Dense<8, Swish>,
                          Dense<8, RReLU>, Dense<1, Linear>>;
using DefaultsWith =
    Network<double, Input<2>, Dense<8, PReLU::with<std::ratio<1, 4>>>, Dense<8, LeakyReLU::with<std::ratio<1, 100>>>,
            Dense<8, ELU::with<std::ratio<1>>>, Dense<8, Swish::with<std::ratio<1>>>,
            Dense<8, RReLU::with<std::ratio<1, 8>, std::ratio<1, 3>>>, Dense<1, Linear>>;
static_assert(std::is_same_v<BareNames, DefaultsWith>);
}  // namespace

TEST_CASE("The parametric activations named without arguments take PyTorch's defaults", "[activation]") {
    // torch.nn.LeakyReLU(negative_slope=0.01), torch.nn.ELU(alpha=1.0), torch.nn.SiLU.
    CHECK(LeakyReLU::value(-2.0) == Approx(-0.02));
    CHECK(LeakyReLU::derivative(-2.0, LeakyReLU::value(-2.0)) == Approx(0.01));
    CHECK(ELU::value(-1.0) == Approx(std::exp(-1.0) - 1));
    CHECK(Swish::value(1.5) == Approx(1.5 / (1 + std::exp(-1.5))));

    // torch.nn.PReLU(init=0.25): a new network's slopes, after each unit's weight and bias.
    using PreluNet = Network<double, Input<1>, Dense<3, PReLU>, Dense<1, Linear>>;
    const PreluNet prelu;
    for (std::size_t k = 6; k < 9; ++k) CHECK(prelu.parameter(k) == 0.25);

    // torch.nn.RReLU(lower=1/8, upper=1/3) in eval mode: the mean slope (1/8 + 1/3) / 2 = 11/48.
    using RreluNet = Network<double, Input<1>, Dense<1, RReLU>>;
    RreluNet rrelu;
    rrelu.set_parameter(0, -1.0);  // w = -1, b = 0: z = -x
    CHECK(rrelu.forward(std::array<double, 1>{2.0})[0] == Approx(-2.0 * 11 / 48));
}

TEST_CASE("A network of the parametric activations named without arguments trains", "[activation][train]") {
    BareNames net;
    Random random(5);
    init::pytorch_default(net, random);
    // Regression target t = sin(x0) x1 on a fixed grid: the loss falls to well below its starting value.
    std::vector<std::array<double, 2>> xs;
    std::vector<std::array<double, 1>> ts;
    for (int i = 0; i < 8; ++i) {
        for (int j = 0; j < 8; ++j) {
            const double x0 = -1.5 + 3.0 * i / 7, x1 = -1.0 + 2.0 * j / 7;
            xs.push_back({x0, x1});
            ts.push_back({std::sin(x0) * x1});
        }
    }
    const double before = loss<MeanSquaredError>(net, xs, ts);
    Trainer<BareNames, MeanSquaredError, Adam<>> trainer(net, {.learning_rate = {0.01}});
    for (int epoch = 0; epoch < 200; ++epoch) REQUIRE(trainer.train_epoch(xs, ts, 8));
    const double after = loss<MeanSquaredError>(net, xs, ts);
    INFO("loss before " << before << ", after " << after);
    CHECK(after < before / 10);
}

namespace {
// Softmax::apply_row against the definition in long double, for every count n of outputs up to three registers,
// with logits that would overflow e^z unshifted and with a spread that underflows some terms.
template <class T, class Arch>
void check_softmax_row() {
    constexpr std::size_t lanes = simd::width<T, Arch>;
    constexpr std::size_t padded = 3 * lanes;
    Random random(31);
    for (std::size_t n = 1; n <= padded; ++n) {
        for (const T scale : {T(1), T(30), T(400)}) {
            alignas(64) std::array<T, padded> z{}, y{};
            for (std::size_t k = 0; k < padded; ++k) z[k] = k < n ? scale * random.normal<T>() : T(0);
            Softmax::apply_row<Arch, padded>(z.data(), y.data(), n);
            long double top = z[0];
            for (std::size_t k = 1; k < n; ++k) top = std::max<long double>(top, z[k]);
            long double sum = 0;
            for (std::size_t k = 0; k < n; ++k) sum += std::exp(static_cast<long double>(z[k]) - top);
            for (std::size_t k = 0; k < padded; ++k) {
                INFO("n = " << n << ", scale " << scale << ", k = " << k);
                if (k >= n) {
                    CHECK(y[k] == T(0));
                } else {
                    const long double expected = std::exp(static_cast<long double>(z[k]) - top) / sum;
                    // The rounding of z_k - max(z) (half an ulp of it) is an error of |z_k - max(z)| ulp relative to
                    // e^(z_k - max(z)), whatever the kernel; on it a few ulp of the exponential, the sum and the
                    // quotient; absolute below the smallest normal.
                    const long double spread = top - static_cast<long double>(z[k]);
                    const long double error = std::abs(static_cast<long double>(y[k]) - expected);
                    CHECK(error <= (spread + 8) * std::numeric_limits<T>::epsilon() * expected +
                                       2 * std::numeric_limits<T>::min());
                }
            }
        }
    }
}
}  // namespace

TEMPLATE_TEST_CASE("Softmax over a padded row of registers is the softmax of its first n values, zero past them",
                   "[activation][softmax]", float, double) {
    check_softmax_row<TestType, simd::default_arch>();
    check_softmax_row<TestType, simd::scalar_arch>();
}
