#pragma once

// Shared by arch_agreement_float_test.cpp and arch_agreement_double_test.cpp (one scalar type each, so that the two
// heavy translation units build in parallel).
//
// The SIMD path (ctnn::Network, kernels of ctnn::simd::default_arch) and the scalar path (ctnn::BasicNetwork with
// ctnn::simd::scalar_arch) compute the same network: the same outputs, losses, parameter gradients and input
// gradients, up to summation order and the last bits of exp/tanh. Also: parameters round-trip through
// write_parameters / read_parameters exactly, and the padding lanes of the storage stay zero.
//
// Every hidden activation family appears in some topology, every output/loss pair too, and every width is awkward for
// every register size (1, 3, 7, 9, 17, 33). Under -DCTNN_FORCE_SCALAR both sides are the scalar path, and the test
// still compiles and passes.

#include "ctnn/ctnn.hpp"

#include <boost/hana/for_each.hpp>
#include <catch2/catch.hpp>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstddef>
#include <ratio>
#include <span>
#include <sstream>
#include <string>
#include <tuple>
#include <type_traits>
#include <utility>
#include <vector>

namespace {

/// A topology: the same specs bound once to the SIMD kernels and once to the scalar ones, trained with `Loss`.
template <class T, class Loss, class InputSpec, class... Layers>
struct topology {
    using value_type = T;
    using loss = Loss;
    using simd_net = ctnn::Network<T, InputSpec, Layers...>;
    using scalar_net = ctnn::BasicNetwork<ctnn::simd::scalar_arch, T, InputSpec, Layers...>;
};

using ctnn::Dense;
using ctnn::Input;

// Hidden families: Tanh, ReLU, PReLU, RReLU, ELU, Swish, Softplus, LeakyReLU, Abs, Sigmoid, with default and other
// parameters; output/loss pairs: Linear + MSE, Sigmoid + BCE, Softmax + CCE; one to four layers.
template <class T>
using topologies =
    std::tuple<topology<T, ctnn::MeanSquaredError, Input<3>, Dense<7, ctnn::Tanh>, Dense<9, ctnn::ReLU>,
                        Dense<17, ctnn::PReLU::with<std::ratio<1, 10>>>, Dense<1, ctnn::Linear>>,
               topology<T, ctnn::CategoricalCrossEntropy, Input<9>, Dense<17, ctnn::PReLU>, Dense<3, ctnn::RReLU>,
                        Dense<7, ctnn::Softmax>>,
               topology<T, ctnn::BinaryCrossEntropy, Input<1>, Dense<33, ctnn::ELU>, Dense<7, ctnn::Swish>,
                        Dense<3, ctnn::Sigmoid>>,
               topology<T, ctnn::BinaryCrossEntropy, Input<17>, Dense<9, ctnn::Softplus>, Dense<33, ctnn::LeakyReLU>,
                        Dense<1, ctnn::Sigmoid>>,
               topology<T, ctnn::MeanSquaredError, Input<7>, Dense<3, ctnn::Abs>, Dense<17, ctnn::Sigmoid>,
                        Dense<9, ctnn::Swish::with<std::ratio<3, 2>>>, Dense<3, ctnn::Linear>>,
               topology<T, ctnn::CategoricalCrossEntropy, Input<33>, Dense<1, ctnn::ELU::with<std::ratio<1, 2>>>,
                        Dense<7, ctnn::RReLU::with<std::ratio<1, 10>, std::ratio<1, 2>>>, Dense<3, ctnn::Softmax>>,
               topology<T, ctnn::CategoricalCrossEntropy, Input<9>, Dense<17, ctnn::Softmax>>>;

template <class T>
constexpr double tolerance = std::is_same_v<T, float> ? 1e-5 : 1e-12;

/// Random parameters in the canonical order: weights normal(0, 1/sqrt(fan_in)), biases normal(0, 0.5), PReLU slopes
/// uniform in [0, 0.5).
template <class Net>
std::array<typename Net::value_type, Net::parameter_count> random_parameters(ctnn::Random& random) {
    using T = typename Net::value_type;
    std::array<T, Net::parameter_count> parameters{};
    std::size_t k = 0;
    boost::hana::for_each(Net::layers::types, [&](auto layer) {
        using L = typename decltype(layer)::type;
        const T scale = T(1) / std::sqrt(T(L::input_size));
        for (std::size_t n = 0; n < L::input_size * L::output_size; ++n)
            parameters[k++] = random.normal<T>(T(0), scale);
        for (std::size_t n = 0; n < L::output_size; ++n) parameters[k++] = random.normal<T>(T(0), T(0.5));
        if constexpr (L::learned_slope) {
            for (std::size_t n = 0; n < L::output_size; ++n) parameters[k++] = random.uniform<T>(T(0), T(0.5));
        }
    });
    REQUIRE(k == Net::parameter_count);
    return parameters;
}

/// Targets that suit the loss: any real numbers for MSE, probabilities for BCE, a probability vector for CCE.
template <class Loss, class T, std::size_t N>
std::array<T, N> random_target(ctnn::Random& random) {
    std::array<T, N> t{};
    if constexpr (std::is_same_v<Loss, ctnn::MeanSquaredError>) {
        for (auto& v : t) v = random.normal<T>();
    } else if constexpr (std::is_same_v<Loss, ctnn::BinaryCrossEntropy>) {
        for (auto& v : t) v = random.uniform<T>();
    } else {
        T sum = 0;
        for (auto& v : t) sum += (v = random.uniform<T>() + T(0.01));
        for (auto& v : t) v /= sum;
    }
    return t;
}

/// `simd` and `scalar` agree when every |simd[k] - scalar[k]| <= tolerance * (|scalar[k]| + max_j |scalar[j]|):
/// relative to the element, with a floor at the vector's scale, because a sum that cancels to near zero keeps the
/// absolute rounding error of its largest terms.
template <class T>
std::string disagreement(std::span<const T> simd, std::span<const T> scalar, double tolerance) {
    double scale = 0;
    for (const T v : scalar) scale = std::max(scale, std::abs(double(v)));
    std::size_t count = 0;
    std::ostringstream out;
    out.precision(17);
    for (std::size_t k = 0; k < scalar.size(); ++k) {
        const double error = std::abs(double(simd[k]) - double(scalar[k]));
        if (!(error <= tolerance * (std::abs(double(scalar[k])) + scale))) {
            if (count++ == 0) out << "[" << k << "]: simd " << simd[k] << ", scalar " << scalar[k] << "; ";
        }
    }
    if (count == 0) return {};
    out << count << " of " << scalar.size() << " values differ (scale " << scale << ")";
    return out.str();
}

/// One CHECK for a whole vector (a template on T only, so the Catch2 machinery is not compiled once per topology).
template <class T>
[[gnu::noinline]] void check_agree(const char* what, std::span<const T> simd, std::span<const T> scalar,
                                   double tolerance) {
    REQUIRE(simd.size() == scalar.size());
    const std::string why = disagreement(simd, scalar, tolerance);
    INFO(what << ": " << why);
    CHECK(why.empty());
}

template <class T>
void check_agree(const char* what, const T& simd, const T& scalar, double tolerance) {
    check_agree<T>(what, std::span<const T>(&simd, 1), std::span<const T>(&scalar, 1), tolerance);
}

/// The flat list of a batch of arrays.
template <class T, std::size_t N>
std::vector<T> flatten(const std::vector<std::array<T, N>>& rows) {
    std::vector<T> flat;
    for (const auto& row : rows) flat.insert(flat.end(), row.begin(), row.end());
    return flat;
}

/// True when every storage index that holds no parameter is zero.
template <class Net>
bool padding_is_zero(std::span<const typename Net::value_type, Net::storage_size> storage) {
    std::vector<bool> holds_parameter(Net::storage_size, false);
    Net::for_each_parameter([&](std::size_t, std::size_t s) { holds_parameter[s] = true; });
    for (std::size_t s = 0; s < Net::storage_size; ++s) {
        if (!holds_parameter[s] && storage[s] != 0) return false;
    }
    return true;
}

/// Both networks with the same random parameters, and a batch of inputs and targets.
template <class Topology>
struct pair_of_networks {
    using T = typename Topology::value_type;
    using SimdNet = typename Topology::simd_net;
    using ScalarNet = typename Topology::scalar_net;
    using Loss = typename Topology::loss;
    static_assert(SimdNet::parameter_count == ScalarNet::parameter_count);
    static_assert(ScalarNet::storage_size == ScalarNet::parameter_count, "the scalar path has no padding");
    static constexpr std::size_t batch = 5;

    ctnn::Random random{20240611};
    std::array<T, SimdNet::parameter_count> parameters = random_parameters<SimdNet>(random);
    SimdNet simd_net;
    ScalarNet scalar_net;
    std::vector<typename SimdNet::input_type> inputs;
    std::vector<typename SimdNet::output_type> targets;

    pair_of_networks() {
        simd_net.write_parameters(parameters);
        scalar_net.write_parameters(parameters);
        for (std::size_t s = 0; s < batch; ++s) {
            typename SimdNet::input_type x{};
            for (auto& v : x) v = random.normal<T>();
            inputs.push_back(x);
            targets.push_back(random_target<Loss, T, SimdNet::output_size>(random));
        }
    }
};

/// Checks that the two paths' parameter gradients (canonical order) and input gradients agree and that the SIMD
/// gradients' padding lanes are zero; returns the SIMD path's parameter gradients.
template <class SimdNet, class ScalarNet, class Rows, class ScalarRows>
auto check_gradients_agree(const ctnn::Gradients<SimdNet>& simd_g, const ctnn::Gradients<ScalarNet>& scalar_g,
                           const Rows& simd_dx, const ScalarRows& scalar_dx, double tol) {
    using T = typename SimdNet::value_type;
    std::array<T, SimdNet::parameter_count> simd_read{};
    std::array<T, ScalarNet::parameter_count> scalar_read{};
    simd_g.read(simd_read);
    scalar_g.read(scalar_read);
    check_agree<T>("parameter gradients", simd_read, scalar_read, tol);
    check_agree<T>("input gradients", flatten(simd_dx), flatten(scalar_dx), tol);
    CHECK(padding_is_zero<SimdNet>(simd_g.storage()));
    return simd_read;
}

/// write_parameters then read_parameters round-trips exactly and leaves the padding zero, on both paths.
template <class Topology>
void check_parameter_round_trip() {
    pair_of_networks<Topology> p;
    using SimdNet = typename decltype(p)::SimdNet;
    using ScalarNet = typename decltype(p)::ScalarNet;
    using T = typename decltype(p)::T;

    std::array<T, SimdNet::parameter_count> simd_read{};
    std::array<T, ScalarNet::parameter_count> scalar_read{};
    p.simd_net.read_parameters(simd_read);
    p.scalar_net.read_parameters(scalar_read);
    CHECK(simd_read == p.parameters);
    CHECK(scalar_read == p.parameters);

    bool each_parameter_matches = true;
    for (std::size_t k = 0; k < SimdNet::parameter_count; ++k) {
        each_parameter_matches = each_parameter_matches && p.simd_net.parameter(k) == p.parameters[k] &&
                                 p.scalar_net.parameter(k) == p.parameters[k];
    }
    CHECK(each_parameter_matches);

    CHECK(padding_is_zero<SimdNet>(p.simd_net.storage()));
    CHECK(padding_is_zero<ScalarNet>(p.scalar_net.storage()));

    // The storage holds the parameters and zeros, so both sum to the same total (up to summation order).
    double simd_sum = 0, scalar_sum = 0, magnitude = 0;
    for (const T v : p.simd_net.storage()) simd_sum += v;
    for (const T v : p.scalar_net.storage()) {
        scalar_sum += v;
        magnitude += std::abs(double(v));
    }
    CHECK(std::abs(simd_sum - scalar_sum) <= 1e-12 * magnitude);
}

/// The SIMD and scalar paths agree on outputs, losses and every gradient.
template <class Topology>
void check_paths_agree() {
    pair_of_networks<Topology> p;
    using SimdNet = typename decltype(p)::SimdNet;
    using ScalarNet = typename decltype(p)::ScalarNet;
    using Loss = typename decltype(p)::Loss;
    using T = typename decltype(p)::T;
    const double tol = tolerance<T>;
    INFO("SIMD arch: " << SimdNet::arch_type::name() << ", T = " << (sizeof(T) == 4 ? "float" : "double")
                       << ", parameters: " << SimdNet::parameter_count << ", storage: " << SimdNet::storage_size);

    const std::span<const typename SimdNet::input_type> inputs(p.inputs);
    const std::span<const typename SimdNet::output_type> targets(p.targets);

    SECTION("forward, one sample at a time and as a batch") {
        std::vector<typename SimdNet::output_type> simd_batch(p.batch);
        std::vector<typename ScalarNet::output_type> scalar_batch(p.batch);
        p.simd_net.forward(inputs, std::span(simd_batch));
        p.scalar_net.forward(inputs, std::span(scalar_batch));
        for (std::size_t s = 0; s < p.batch; ++s) {
            INFO("sample " << s);
            check_agree<T>("forward(x)", p.simd_net.forward(p.inputs[s]), p.scalar_net.forward(p.inputs[s]), tol);
            // The batched kernels sum in another order than the one-sample kernels: equal up to rounding.
            const auto one = p.simd_net.forward(p.inputs[s]);
            check_agree<T>("forward(inputs, outputs) against forward(x)", std::span<const T>(simd_batch[s]),
                           std::span<const T>(one), tol);
        }
        check_agree<T>("forward(inputs, outputs)", flatten(simd_batch), flatten(scalar_batch), tol);
    }

    SECTION("the loss") {
        const T simd_loss = ctnn::loss<Loss>(p.simd_net, inputs, targets);
        const T scalar_loss = ctnn::loss<Loss>(p.scalar_net, inputs, targets);
        check_agree<T>("loss", simd_loss, scalar_loss, tol);
    }

    SECTION("parameter and input gradients, in inference mode") {
        ctnn::Gradients<SimdNet> simd_g;
        ctnn::Gradients<ScalarNet> scalar_g;
        std::vector<typename SimdNet::input_type> simd_dx(p.batch);
        std::vector<typename ScalarNet::input_type> scalar_dx(p.batch);
        const T simd_loss = ctnn::backward<Loss>(p.simd_net, inputs, targets, simd_g, std::span(simd_dx));
        const T scalar_loss = ctnn::backward<Loss>(p.scalar_net, inputs, targets, scalar_g, std::span(scalar_dx));
        check_agree<T>("backward's loss", simd_loss, scalar_loss, tol);

        const auto simd_read = check_gradients_agree(simd_g, scalar_g, simd_dx, scalar_dx, tol);

        // operator[] reads the same values as read().
        bool subscript_matches_read = true;
        for (std::size_t k = 0; k < SimdNet::parameter_count; ++k) {
            subscript_matches_read = subscript_matches_read && simd_g[k] == simd_read[k];
        }
        CHECK(subscript_matches_read);

        // Without input gradients, the parameter gradients are the same.
        ctnn::Gradients<SimdNet> simd_g_without_dx;
        (void)ctnn::backward<Loss>(p.simd_net, inputs, targets, simd_g_without_dx);
        std::array<T, SimdNet::parameter_count> without_dx_read{};
        simd_g_without_dx.read(without_dx_read);
        CHECK(without_dx_read == simd_read);
    }

    SECTION("parameter and input gradients, in training mode (RReLU slopes drawn from the same seed)") {
        ctnn::Workspace<SimdNet> simd_ws;
        ctnn::Workspace<ScalarNet> scalar_ws;
        ctnn::Random simd_random(77);
        ctnn::Random scalar_random(77);
        ctnn::Gradients<SimdNet> simd_g;
        ctnn::Gradients<ScalarNet> scalar_g;
        std::vector<typename SimdNet::input_type> simd_dx(p.batch);
        std::vector<typename ScalarNet::input_type> scalar_dx(p.batch);
        // Two steps, so that the second draw also has to match.
        for (int step = 0; step < 2; ++step) {
            INFO("step " << step);
            simd_ws.draw_slopes(simd_random);
            scalar_ws.draw_slopes(scalar_random);
            const T simd_loss = ctnn::backward<Loss>(p.simd_net, inputs, targets, simd_g, simd_ws, std::span(simd_dx));
            const T scalar_loss =
                ctnn::backward<Loss>(p.scalar_net, inputs, targets, scalar_g, scalar_ws, std::span(scalar_dx));
            check_agree<T>("backward's loss", simd_loss, scalar_loss, tol);

            (void)check_gradients_agree(simd_g, scalar_g, simd_dx, scalar_dx, tol);

            const T simd_training_loss = ctnn::loss<Loss>(p.simd_net, inputs, targets, simd_ws);
            const T scalar_training_loss = ctnn::loss<Loss>(p.scalar_net, inputs, targets, scalar_ws);
            check_agree<T>("loss with the drawn slopes", simd_training_loss, scalar_training_loss, tol);
            CHECK(simd_training_loss == Approx(simd_loss).epsilon(tol));
        }
    }
}

}  // namespace
