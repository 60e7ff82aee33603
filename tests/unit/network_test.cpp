#include <ctnn/ctnn.hpp>

#include "support/gradient_check.hpp"
#include "support/reference_mlp.hpp"

#include <catch2/catch.hpp>

#include <array>
#include <cmath>
#include <cstring>
#include <memory>
#include <ratio>
#include <vector>

using namespace ctnn;

TEST_CASE("A default-constructed network has zero weights and biases and initial PReLU slopes", "[network]") {
    using Net = Network<float, Input<3>, Dense<5, PReLU>, Dense<2, Linear>>;
    Net net;
    std::array<float, Net::parameter_count> p{};
    net.read_parameters(p);
    for (std::size_t k = 0; k < Net::parameter_count; ++k) {
        const bool is_slope = k >= 3 * 5 + 5 && k < 3 * 5 + 5 + 5;
        CHECK(p[k] == (is_slope ? 0.25f : 0.0f));
    }
    for (float v : net.storage()) CHECK((v == 0.0f || v == 0.25f));
}

TEST_CASE("Parameters follow PyTorch's order: weight [out][in] row-major, then bias", "[network][parameters]") {
    using Net = Network<double, Input<3>, Dense<2, Linear>>;
    Net net;
    // W = [[1, 2, 3], [4, 5, 6]], b = [7, 8]
    const std::array<double, 8> p{1, 2, 3, 4, 5, 6, 7, 8};
    net.write_parameters(p);
    const auto y = net.forward({1.0, 10.0, 100.0});
    CHECK(y[0] == 1 + 20 + 300 + 7);
    CHECK(y[1] == 4 + 50 + 600 + 8);
    CHECK(net.parameter(4) == 5);
    net.set_parameter(4, -1);
    CHECK(net.forward({0.0, 1.0, 0.0})[1] == -1 + 8);
}

TEST_CASE("Reading parameters back gives exactly what was written", "[network][parameters]") {
    using Net = Network<float, Input<7>, Dense<9, PReLU>, Dense<17, Tanh>, Dense<3, Softmax>>;
    Net net;
    Random random(3);
    std::vector<float> p(Net::parameter_count);
    for (auto& v : p) v = random.normal<float>();
    net.write_parameters(std::span<const float, Net::parameter_count>(p.data(), p.size()));
    std::vector<float> q(Net::parameter_count);
    net.read_parameters(std::span<float, Net::parameter_count>(q.data(), q.size()));
    CHECK(p == q);
    for (std::size_t k = 0; k < Net::parameter_count; ++k) CHECK(net.parameter(k) == p[k]);
}

TEST_CASE("A small network's output matches values computed by hand", "[network][forward]") {
    using Net = Network<double, Input<2>, Dense<2, Tanh>, Dense<1, Sigmoid>>;
    Net net;
    // Hidden: W = [[0.5, -1], [2, 0.25]], b = [0.1, -0.2]; output: W = [[1.5, -0.5]], b = [0.3].
    net.write_parameters(std::array<double, 9>{0.5, -1, 2, 0.25, 0.1, -0.2, 1.5, -0.5, 0.3});
    const double x0 = 0.4, x1 = -0.8;
    const double h0 = std::tanh(0.5 * x0 - 1 * x1 + 0.1);   // tanh(1.1)
    const double h1 = std::tanh(2 * x0 + 0.25 * x1 - 0.2);  // tanh(0.4)
    const double z = 1.5 * h0 - 0.5 * h1 + 0.3;
    const double expected = 1 / (1 + std::exp(-z));
    CHECK(net.forward({x0, x1})[0] == Approx(expected).epsilon(1e-14));
    // tanh(1.1) = 0.80049902..., tanh(0.4) = 0.37994896..., so z = 1.31077...; y = 0.78764...
    CHECK(expected == Approx(0.787643).epsilon(1e-5));
}

namespace {
template <class Net>
void require_batch_forward_is_forward(std::uint64_t seed) {
    using T = typename Net::value_type;
    Net net;
    Random random(seed);
    ctnn_test::randomize(net, random);
    // Fewer samples than a tile, a tile and more: every path of the batched kernels.
    for (std::size_t batch : {std::size_t{1}, std::size_t{7}, Net::batch_tile, 2 * Net::batch_tile + 5}) {
        const auto inputs = ctnn_test::make_inputs<Net>(batch, random);
        std::vector<typename Net::output_type> outputs(inputs.size());
        net.forward(inputs, outputs);
        for (std::size_t s = 0; s < inputs.size(); ++s) {
            const auto one = net.forward(inputs[s]);
            // The two kernels sum in different orders.
            const double tolerance = std::is_same_v<T, float> ? 1e-5 : 1e-13;
            for (std::size_t k = 0; k < Net::output_size; ++k) {
                CHECK(static_cast<double>(outputs[s][k]) ==
                      Approx(static_cast<double>(one[k])).epsilon(tolerance).margin(tolerance));
            }
        }
    }
}
}  // namespace

TEST_CASE("The batch forward pass equals one forward pass per sample, up to rounding", "[network][forward]") {
    require_batch_forward_is_forward<Network<float, Input<5>, Dense<9, ReLU>, Dense<4, Softmax>>>(9);
    // Layers of one output after at least a register of inputs (the narrow kernel, simd/narrow_kernels.hpp), with
    // learned and mean slopes, among layers of one output after fewer inputs (the general kernels).
    require_batch_forward_is_forward<Network<float, Input<5>, Dense<17, Tanh>, Dense<1, PReLU>, Dense<17, ReLU>,
                                             Dense<1, RReLU>, Dense<1, Sigmoid>>>(10);
    require_batch_forward_is_forward<Network<float, Input<16>, Dense<1, Linear>>>(11);
    require_batch_forward_is_forward<Network<double, Input<2>, Dense<16, Tanh>, Dense<1, Sigmoid>>>(12);
}

namespace {
template <class T, std::size_t N>
bool same_bits(const std::array<T, N>& a, const std::array<T, N>& b) {
    return std::memcmp(a.data(), b.data(), sizeof a) == 0;
}

// The forward passes through a workspace against those through stack buffers: the same kernels, so the same bits,
// but for workspace tiles of another size than batch_tile, whose batched sums may be contracted differently.
template <class Net>
void require_workspace_forward_is_forward(std::uint64_t seed) {
    auto workspace = std::make_unique<Workspace<Net>>();
    auto one_row = std::make_unique<Workspace<Net, 1>>();
    auto three_rows = std::make_unique<Workspace<Net, 3>>();
    Random random(seed);
    Net net;
    ctnn_test::randomize(net, random);
    // Training mode (RReLU slopes drawn) must not reach an inference pass.
    workspace->draw_slopes(random);
    three_rows->draw_slopes(random);
    const auto inputs = ctnn_test::make_inputs<Net>(2 * Net::batch_tile + 5, random);
    const std::size_t n = inputs.size();
    std::vector<typename Net::output_type> on_stack(n), tiles(n), rows(n), threes(n);
    net.forward(inputs, on_stack);
    net.forward(inputs, tiles, *workspace);
    net.forward(inputs, rows, *one_row);
    net.forward(inputs, threes, *three_rows);
    for (std::size_t s = 0; s < n; ++s) {
        const auto one = net.forward(inputs[s]);
        CHECK(same_bits(net.forward(inputs[s], *workspace), one));
        CHECK(same_bits(net.forward(inputs[s], *three_rows), one));
        CHECK(same_bits(rows[s], one));
        CHECK(same_bits(tiles[s], on_stack[s]));
        const double tolerance = std::is_same_v<typename Net::value_type, float> ? 1e-5 : 1e-13;
        for (std::size_t k = 0; k < Net::output_size; ++k) {
            CHECK(static_cast<double>(threes[s][k]) ==
                  Approx(static_cast<double>(one[k])).epsilon(tolerance).margin(tolerance));
        }
    }
}
}  // namespace

TEST_CASE("The forward passes with a workspace give the stack buffers' outputs, in inference mode",
          "[network][forward][workspace]") {
    using ctnn::simd::scalar_arch;
    require_workspace_forward_is_forward<Network<float, Input<5>, Dense<9, PReLU>, Dense<7, RReLU>, Dense<4, Softmax>>>(
        1);
    require_workspace_forward_is_forward<
        BasicNetwork<scalar_arch, double, Input<5>, Dense<9, PReLU>, Dense<7, RReLU>, Dense<4, Softmax>>>(2);
    require_workspace_forward_is_forward<Network<double, Input<3>, Dense<33, Tanh>, Dense<1, Sigmoid>>>(3);
    require_workspace_forward_is_forward<
        BasicNetwork<scalar_arch, float, Input<3>, Dense<33, Tanh>, Dense<1, Sigmoid>>>(4);
}

namespace {
template <class Net>
void require_forward_matches_reference(std::uint64_t seed) {
    using T = typename Net::value_type;
    Random random(seed);
    Net net;
    ctnn_test::randomize(net, random);
    const ctnn_test::ReferenceMlp reference = ctnn_test::reference_of(net);
    for (const auto& x : ctnn_test::make_inputs<Net>(6, random)) {
        const std::vector<ctnn_test::real> rx(x.begin(), x.end());
        const auto expected = reference.forward(rx);
        const auto y = net.forward(x);
        for (std::size_t k = 0; k < Net::output_size; ++k) {
            const double tolerance = std::is_same_v<T, float> ? 2e-6 : 1e-14;
            CHECK(static_cast<double>(y[k]) ==
                  Approx(static_cast<double>(expected[k])).epsilon(tolerance).margin(tolerance));
        }
    }
}
}  // namespace

TEMPLATE_TEST_CASE("The forward pass matches the independent reference for every activation", "[network][forward]",
                   Sigmoid, Tanh, ReLU, Softplus, LeakyReLU, ELU, Swish, PReLU, RReLU, Abs, BinaryStep, Linear) {
    require_forward_matches_reference<
        Network<float, Input<9>, Dense<33, TestType>, Dense<7, TestType>, Dense<3, Linear>>>(1);
    require_forward_matches_reference<
        Network<double, Input<9>, Dense<33, TestType>, Dense<7, TestType>, Dense<3, Linear>>>(2);
    require_forward_matches_reference<Network<float, Input<1>, Dense<17, TestType>, Dense<5, Softmax>>>(3);
    require_forward_matches_reference<Network<double, Input<3>, Dense<8, TestType>, Dense<1, Sigmoid>>>(4);
}

TEST_CASE("RReLU uses its mean slope at inference and a random slope per unit in training", "[network][rrelu]") {
    using Act = RReLU::with<std::ratio<1, 8>, std::ratio<1, 3>>;
    using Net = Network<double, Input<1>, Dense<6, Act>, Dense<1, Linear>>;
    Net net;
    // w = -1 for every unit, so z = -x and y = slope * z for x > 0.
    for (std::size_t o = 0; o < 6; ++o) net.set_parameter(o, -1);
    const double mean = (1.0 / 8 + 1.0 / 3) / 2;
    // The output sums the six units with weight 1.
    for (std::size_t o = 0; o < 6; ++o) net.set_parameter(6 + 6 + o, 1);
    CHECK(net.forward({2.0})[0] == Approx(6 * -2 * mean));

    Workspace<Net> workspace;
    Random random(5);
    workspace.draw_slopes(random);
    const auto first = workspace.layer<0>().slope;
    workspace.draw_slopes(random);
    const auto second = workspace.layer<0>().slope;
    std::size_t changed = 0;
    for (std::size_t o = 0; o < 6; ++o) {
        CHECK(first[o] >= 1.0 / 8);
        CHECK(first[o] <= 1.0 / 3);
        changed += first[o] != second[o];
    }
    CHECK(changed == 6);
    // The training pass uses the drawn slopes.
    const std::array<Net::input_type, 1> x{{{2.0}}};
    std::array<Net::output_type, 1> t{};
    (void)loss<MeanSquaredError>(net, x, t, workspace);
    for (std::size_t o = 0; o < 6; ++o) CHECK(workspace.layer<0>().y[0][o] == Approx(-2 * second[o]));
    workspace.use_mean_slopes();
    (void)loss<MeanSquaredError>(net, x, t, workspace);
    for (std::size_t o = 0; o < 6; ++o) CHECK(workspace.layer<0>().y[0][o] == Approx(-2 * mean));
}
