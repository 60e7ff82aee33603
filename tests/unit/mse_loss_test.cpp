#include <ctnn/ctnn.hpp>

#include <catch2/catch.hpp>

#include <array>
#include <cmath>
#include <cstddef>
#include <limits>
#include <type_traits>
#include <vector>

using namespace ctnn;

namespace {

/// torch.nn.MSELoss() (reduction 'mean') as its documentation defines it, in long double: the mean of (y - t)^2 over
/// all B x n elements, from outputs computed by a plain loop over the canonical parameters (one Linear layer).
template <class Net>
long double torch_mse_loss(const Net& net, const std::vector<typename Net::input_type>& xs,
                           const std::vector<typename Net::output_type>& ts) {
    constexpr std::size_t in = Net::input_size, out = Net::output_size;
    long double sum = 0;
    for (std::size_t s = 0; s < xs.size(); ++s) {
        for (std::size_t o = 0; o < out; ++o) {
            long double y = net.parameter(in * out + o);  // bias after the [out][in] weight
            for (std::size_t i = 0; i < in; ++i) y += static_cast<long double>(net.parameter(o * in + i)) * xs[s][i];
            sum += (y - ts[s][o]) * (y - ts[s][o]);
        }
    }
    return sum / static_cast<long double>(xs.size() * out);
}

}  // namespace

TEMPLATE_TEST_CASE("MSELoss is torch.nn.MSELoss: the mean over all elements, without a 1/2", "[loss][mse_loss]", float,
                   double) {
    using T = TestType;
    using Net = Network<T, Input<3>, Dense<5, Linear>>;
    Random random(5);
    Net net;
    init::xavier_normal(net, random);
    std::vector<typename Net::input_type> xs(7);
    std::vector<typename Net::output_type> ts(7);
    for (auto& x : xs)
        for (auto& v : x) v = random.normal<T>();
    for (auto& t : ts)
        for (auto& v : t) v = random.normal<T>();
    const long double expected = torch_mse_loss(net, xs, ts);
    const double tolerance = std::is_same_v<T, float> ? 1e-5 : 1e-12;
    CHECK(loss<MSELoss>(net, xs, ts) == Approx(static_cast<double>(expected)).epsilon(tolerance));
    Gradients<Net> g;
    CHECK(backward<MSELoss>(net, xs, ts, g) == Approx(static_cast<double>(expected)).epsilon(tolerance));

    // MeanSquaredError's convention, by the same loop: half the squared error summed over the outputs, averaged
    // over the batch, n/2 times torch's mean.
    CHECK(loss<MeanSquaredError>(net, xs, ts) ==
          Approx(static_cast<double>(expected * Net::output_size / 2)).epsilon(tolerance));

    SECTION("the bias gradient is 2 (y - t) / (B n) summed over the batch") {
        for (std::size_t o = 0; o < Net::output_size; ++o) {
            long double expected_gradient = 0;
            for (std::size_t s = 0; s < xs.size(); ++s) {
                const auto y = net.forward(xs[s]);
                expected_gradient +=
                    2.0L * (static_cast<long double>(y[o]) - ts[s][o]) / (xs.size() * Net::output_size);
            }
            const std::size_t bias = Net::input_size * Net::output_size + o;
            CHECK(g[bias] == Approx(static_cast<double>(expected_gradient)).epsilon(tolerance).margin(tolerance));
        }
    }
    SECTION("it is 2/n times MeanSquaredError, loss and gradient") {
        Gradients<Net> half;
        const T l = backward<MeanSquaredError>(net, xs, ts, half);
        const T factor = T(2) / T(Net::output_size);
        CHECK(loss<MSELoss>(net, xs, ts) == Approx(factor * l).epsilon(tolerance));
        for (std::size_t k = 0; k < Net::parameter_count; ++k) {
            CHECK(g[k] == Approx(factor * half[k]).epsilon(tolerance).margin(tolerance));
        }
    }
}

TEMPLATE_TEST_CASE("MSELoss is finite where the mean of the squares is, though a square overflows", "[loss][mse_loss]",
                   float, double) {
    // Two outputs, one of them |y - t| = 1.5 x sqrt(largest T): its square overflows, its half (the mean over the
    // two outputs) does not.
    using T = TestType;
    using Net = Network<T, Input<1>, Dense<2, Linear>>;
    const T big = std::sqrt(std::numeric_limits<T>::max()) * T(1.25);
    Net net;
    net.write_parameters(std::array<T, 4>{big, T(0), T(0), T(0)});  // y = [big x, 0]
    const std::vector<typename Net::input_type> xs{{T(1)}};
    const std::vector<typename Net::output_type> ts{{T(0), T(0)}};
    const long double expected = static_cast<long double>(big) * big / 2;
    CHECK(loss<MSELoss>(net, xs, ts) == Approx(static_cast<double>(expected)).epsilon(1e-6));
}
